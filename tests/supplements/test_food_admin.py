"""Editors curate foods in the admin: list, filter, search, validation, CSV import with preview, history."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supplements.models import FoodEntry, FoodGroup
from tests.factories import NEW_FOOD

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/supplements/foodentry/"
HEADER = "slug,name,group,serving,serving_grams,magnesium_mg,source,source_url,notes,status\n"


def test_changelist_shows_the_columns_editors_scan(staff_client, seeded):
    html = staff_client.get(CHANGELIST, {"q": "almonds"}).text
    for column in ("Mg / serving", "Mg / 100 g shown", "% DV", "Source"):
        assert column in html
    row = re.search(r"Almonds, dry roasted.*?</tr>", html, re.S).group(0)
    # Per 100 g as the source gives it (USDA's 279), not 80 mg / 28.35 g worked out (282).
    assert ">80<" in row and ">279<" in row and ">19%<" in row and "NIH ODS" in row


def test_per_100g_is_entered_from_the_source_or_worked_out_and_labelled(staff_client, seeded):
    seeds = FoodGroup.objects.get(slug="seeds")
    data = {**NEW_FOOD, "group": seeds.pk}
    assert staff_client.post("/admin/supplements/foodentry/add/", data).status_code == 302
    food = FoodEntry.objects.get(slug="editors-seeds")
    assert food.magnesium_per_100g is None
    change = staff_client.get(f"/admin/supplements/foodentry/{food.pk}/change/").text
    assert "353 (worked out from the serving)" in change


def test_filter_by_group(staff_client, seeded):
    nuts = FoodGroup.objects.get(slug="nuts")
    html = staff_client.get(CHANGELIST, {"group__id__exact": nuts.pk}).text
    assert "Cashews, dry roasted" in html and "Spinach, raw" not in html


def upload(client, text):
    return client.post(
        f"{CHANGELIST}import/",
        {"import_file": SimpleUploadedFile("foods.csv", text.encode(), "text/csv"), "format": "0", "resource": "0"},
    )


def test_csv_import_previews_invalid_rows_with_reasons_and_saves_nothing(staff_client, seeded):
    before = FoodEntry.objects.count()
    csv_text = HEADER + (
        "new-food,New food,nuts,1 oz,28.35,40,Test table,,,published\n"
        "bad-grams,Bad grams,nuts,1 oz,0,40,Test table,,,published\n"
        "bad-mg,Bad mg,nuts,1 oz,28.35,-3,Test table,,,published\n"
    )
    response = upload(staff_client, csv_text)
    assert response.status_code == 200
    html = response.text
    assert "A serving must weigh more than 0 g." in html
    assert "Magnesium cannot be negative." in html
    assert "Confirm import" not in html  # an invalid file cannot be confirmed
    assert FoodEntry.objects.count() == before


def test_csv_import_of_a_valid_file_waits_for_confirmation_then_saves(staff_client, seeded):
    seeded_mg = FoodEntry.objects.get(slug="almonds-dry-roasted").magnesium_mg  # as the seed's CSV gives it
    corrected = seeded_mg + 1
    csv_text = HEADER + (
        "new-food,New food,nuts,1 oz,28.35,40,Test table,,,published\n"
        f'almonds-dry-roasted,"Almonds, dry roasted",nuts,1 oz,28.35,{corrected},Corrected source,,,published\n'
    )
    preview = upload(staff_client, csv_text)
    assert "Confirm import" in preview.text
    assert not FoodEntry.objects.filter(slug="new-food").exists()
    assert FoodEntry.objects.get(slug="almonds-dry-roasted").magnesium_mg == seeded_mg

    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview.text))
    confirm = staff_client.post(f"{CHANGELIST}process_import/", hidden)
    assert confirm.status_code == 302
    assert FoodEntry.objects.get(slug="new-food").group.slug == "nuts"
    almonds = FoodEntry.objects.get(slug="almonds-dry-roasted")
    assert almonds.magnesium_mg == corrected and almonds.source == "Corrected source"
    assert almonds.history.count() == 2  # seeded, then imported: restorable


def test_csv_export_has_the_import_columns(staff_client, seeded):
    response = staff_client.post(
        f"{CHANGELIST}export/",
        {"format": "0", "resource": "0", **{f"foodentryresource_{f}": "on" for f in HEADER.strip().split(",")}},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.splitlines()[0].split(",")[:3] == ["slug", "name", "group"]
    assert "pumpkin-seeds-pepitas-roasted" in body and ",seeds," in body


def test_history_shows_changes_and_an_editor_can_restore_an_earlier_version(staff_client, seeded):
    almonds = FoodEntry.objects.get(slug="almonds-dry-roasted")
    seeded_mg = almonds.magnesium_mg  # as the seed's CSV gives it
    almonds.magnesium_mg = seeded_mg + 19
    almonds.save()
    history_url = f"{CHANGELIST}{almonds.pk}/history/"
    html = staff_client.get(history_url).text
    # The newest version first, marked "Changed", with the one field that changed, old -> new.
    table = re.search(r'<table id="change-history".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    newest = " ".join(unescape(re.sub(r"<[^>]+>", " ", rows[1])).split())
    assert "Changed" in newest and f"Magnesium (mg per serving): {seeded_mg} → {seeded_mg + 19}" in newest
    assert len(rows) == 3  # the header, the change, the seeded original
    first = almonds.history.earliest()
    revert_url = f"{history_url}{first.history_id}/"
    form = staff_client.get(revert_url)
    assert form.status_code == 200 and "Revert" in form.text
    data = {
        "name": first.name, "slug": first.slug, "group": first.group_id, "serving": first.serving,
        "serving_grams": first.serving_grams, "magnesium_mg": first.magnesium_mg, "source": first.source,
        "source_url": first.source_url, "notes": first.notes, "status": "published",
    }  # fmt: skip
    staff_client.post(revert_url, data)
    almonds.refresh_from_db()
    assert almonds.magnesium_mg == seeded_mg
    assert almonds.history.count() == 3


def test_publish_actions_record_history(staff_client, seeded):
    ids = list(FoodEntry.objects.filter(group__slug="nuts").values_list("pk", flat=True))
    staff_client.post(CHANGELIST, {"action": "return_to_draft", "_selected_action": ids})
    assert not FoodEntry.objects.filter(pk__in=ids, status="published").exists()
    assert FoodEntry.objects.get(pk=ids[0]).history.count() == 2
    assert "Cashews" not in staff_client.get("/foods/").text  # staff see the public table as the public does


def test_export_link_with_an_unknown_parameter_gets_a_message_not_an_error(staff_client, seeded):
    response = staff_client.get(f"{CHANGELIST}export/", {"format": "99", "bogus": "1"}, follow=True)
    assert response.status_code == 200
    assert "The export link had an unknown filter; it was ignored." in response.text
