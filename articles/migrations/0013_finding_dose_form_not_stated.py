"""A finding's dose of "oral magnesium" whose form the source does not state (Finding.dose_form_not_stated), and
the Upper Level flag's help text naming the seed's rule for it.

Rows already in the database (the seed only adds new ones) are set as the seed's rule now sets them (articles/seed.py,
above_upper_level and dose_form_not_stated): evidence.csv gives the back-pain trial "oral magnesium (245 mg twice a
day)", 490 mg a day, without saying whether that is magnesium itself or a compound's weight. Set only where neither
flag has been ticked (the defaults). The same two fields on Finding and on its history table.
"""

from django.db import migrations, models

FORM_NOT_STATED_ABOVE = ["low-back-pain-neuropathic-iv-then-oral-mg-2013"]
MODELS = ["finding", "historicalfinding"]


def above_upper_level():
    return models.BooleanField(
        'dose above the Upper Level',
        default=False,
        help_text="Tick when the magnesium given by mouth, as the intervention states it, is more than the adult Upper Level for supplements (350 mg a day). The finding then says so. The seed ticks it when the intervention gives more than 350 mg of elemental magnesium a day, or more than 350 mg a day of oral magnesium whose form it does not state; not for a compound's weight alone.",
    )


def dose_form_not_stated():
    return models.BooleanField(
        'form of the dose not stated',
        default=False,
        help_text="Tick with “dose above the Upper Level” when the source gives an amount of “magnesium” without saying whether it is magnesium itself or a compound's weight (e.g. “oral magnesium (245 mg twice a day)”). The finding then says the dose is above the Upper Level if it is magnesium itself, and that the form was not stated.",
    )


def fill_in(apps, schema_editor):
    findings = apps.get_model("articles", "Finding").objects.filter(slug__in=FORM_NOT_STATED_ABOVE)
    findings.filter(above_upper_level=False, dose_form_not_stated=False).update(
        above_upper_level=True, dose_form_not_stated=True
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_launch_article_note_children_infants_pregnancy")]

    operations = [
        *[migrations.AddField(name, "dose_form_not_stated", dose_form_not_stated()) for name in MODELS],
        *[migrations.AlterField(name, "above_upper_level", above_upper_level()) for name in MODELS],
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
