"""Backups: export_content then import_content restores every content row exactly."""

from datetime import datetime
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from articles.management.commands.export_content import content_models
from articles.models import Article
from supplements.models import FoodEntry

pytestmark = pytest.mark.django_db


def snapshot():
    """Every content row as serialized data (fields and many-to-many links), by model.
    Times to the millisecond: that is what Django's JSON (dumpdata) keeps."""

    def to_ms(value):
        return value.replace(microsecond=value.microsecond // 1000 * 1000) if isinstance(value, datetime) else value

    return {
        model._meta.label: [
            {**row, "fields": {name: to_ms(value) for name, value in row["fields"].items()}}
            for row in serializers.serialize("python", model._base_manager.order_by("pk"))
        ]
        for model in content_models()
    }


def test_export_wipe_import_round_trips_all_content(seeded, tmp_path):
    article = Article.objects.get()
    article.body += "\n\nAn editor's addition with ünïcode and <b>markup</b>."
    article.save()
    # A time less than a millisecond past the second: the JSON backup keeps it as .000.
    food = FoodEntry.objects.first()
    FoodEntry.objects.filter(pk=food.pk).update(updated_at=food.updated_at.replace(microsecond=456))
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100
    backup = tmp_path / "content.json"
    call_command("export_content", str(backup), stdout=StringIO())

    for model in reversed(content_models()):
        model._base_manager.all().delete()
    assert FoodEntry.objects.count() == 0 and Article.objects.count() == 0

    call_command("import_content", str(backup), stdout=StringIO())
    assert snapshot() == before
    assert "ünïcode" in Article.objects.get().body


def test_replace_restores_exactly_over_changed_content(seeded, tmp_path):
    before = snapshot()
    backup = tmp_path / "content.json"
    call_command("export_content", str(backup), stdout=StringIO())
    FoodEntry.objects.filter(group__slug="nuts").delete()
    FoodEntry.objects.filter(slug="spinach-raw").update(magnesium_mg=1)
    call_command("import_content", str(backup), "--replace", stdout=StringIO())
    assert snapshot() == before


def test_a_broken_backup_changes_nothing(seeded, tmp_path):
    before = snapshot()
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "supplements.foodentry", "pk": 1, "fields": {"name": null}}]')
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_content", str(broken), "--replace", stdout=StringIO())
    assert snapshot() == before
