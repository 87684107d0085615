"""Backups: export_content then import_content restores every content row exactly."""

import json
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from articles.management.commands.export_content import content_models
from articles.models import Article
from supplements.models import FoodEntry

pytestmark = pytest.mark.django_db


def snapshot():
    """Every content row as serialized data (fields and many-to-many links), by model."""
    return {
        model._meta.label: json.loads(serializers.serialize("json", model._base_manager.order_by("pk")))
        for model in content_models()
    }


def test_export_wipe_import_round_trips_all_content(seeded, tmp_path):
    article = Article.objects.get()
    article.body += "\n\nAn editor's addition with ünïcode and <b>markup</b>."
    article.save()
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
