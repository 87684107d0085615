"""Foods and supplement forms take the publishing shape articles have (site_project.models.Publishable):
`is_published` becomes `status` + `published_at`, in the tables and in their history tables, so every
earlier version still reads as published or draft. Published: status "published", public since the
item was created (else since this migration). Unpublished: a draft with no publication time."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

MODELS = ("FoodEntry", "HistoricalFoodEntry", "SupplementForm", "HistoricalSupplementForm")


def to_status(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        rows = apps.get_model("supplements", name)._base_manager
        rows.filter(is_published=True).update(
            status="published", published_at=Coalesce("created_at", Value(now), output_field=models.DateTimeField())
        )
        rows.filter(is_published=False).update(status="draft", published_at=None)


def to_is_published(apps, schema_editor):
    for name in MODELS:
        rows = apps.get_model("supplements", name)._base_manager
        rows.filter(status="published").update(is_published=True)
        rows.exclude(status="published").update(is_published=False)


class Migration(migrations.Migration):

    dependencies = [
        ('supplements', '0007_worked_out_per_100g_and_anhydrous_sulfate'),
    ]

    operations = [
        migrations.AddField(
            model_name='foodentry',
            name='published_at',
            field=models.DateTimeField(blank=True, db_index=True, default=django.utils.timezone.now, help_text='When it goes public. A future time schedules it. Left empty on publishing: now.', null=True),
        ),
        migrations.AddField(
            model_name='foodentry',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='published', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalfoodentry',
            name='published_at',
            field=models.DateTimeField(blank=True, db_index=True, default=django.utils.timezone.now, help_text='When it goes public. A future time schedules it. Left empty on publishing: now.', null=True),
        ),
        migrations.AddField(
            model_name='historicalfoodentry',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='published', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalsupplementform',
            name='published_at',
            field=models.DateTimeField(blank=True, db_index=True, default=django.utils.timezone.now, help_text='When it goes public. A future time schedules it. Left empty on publishing: now.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsupplementform',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='published', max_length=10),
        ),
        migrations.AddField(
            model_name='supplementform',
            name='published_at',
            field=models.DateTimeField(blank=True, db_index=True, default=django.utils.timezone.now, help_text='When it goes public. A future time schedules it. Left empty on publishing: now.', null=True),
        ),
        migrations.AddField(
            model_name='supplementform',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='published', max_length=10),
        ),
        migrations.RunPython(to_status, to_is_published),
        migrations.RemoveField(
            model_name='foodentry',
            name='is_published',
        ),
        migrations.RemoveField(
            model_name='historicalfoodentry',
            name='is_published',
        ),
        migrations.RemoveField(
            model_name='historicalsupplementform',
            name='is_published',
        ),
        migrations.RemoveField(
            model_name='supplementform',
            name='is_published',
        ),
    ]
