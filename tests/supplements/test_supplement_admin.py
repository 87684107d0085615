"""Editors curate supplement forms, use tags and intake figures in the admin (medicines: test_medicines.py)."""

import re
from decimal import Decimal

import pytest

from supplements.models import IntakeReference, SupplementForm, SupplementUse
from tests.factories import seed_data, supplement_form_fields

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/supplements/supplementform/"


def listed_names(response):
    return re.findall(r'<th class="field-name"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_changelist_shows_the_columns_editors_scan(staff_client, seeded):
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    names = sorted(SupplementForm.objects.values_list("name", flat=True))
    assert sorted(listed_names(response)) == names and len(names) == len(seed_data("supplement_forms.csv"))
    assert "60.3 %" in html
    assert "Antacid, General supplement, Laxative and constipation" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("absorption__exact=low", {"Magnesium oxide", "Magnesium hydroxide", "Magnesium carbonate", "Magnesium sulfate"}),  # noqa: E501
        ("laxative_effect__exact=strong", {"Magnesium oxide", "Magnesium hydroxide", "Magnesium sulfate"}),
        ("q=glycinate", {"Magnesium glycinate"}),
        ("q=Mg(OH)2", {"Magnesium hydroxide"}),
    ],
)  # fmt: skip
def test_filters_and_search(staff_client, seeded, query, expected):
    assert set(listed_names(staff_client.get(f"{CHANGELIST}?{query}"))) == expected


def test_filter_by_use(staff_client, seeded):
    memory = SupplementUse.objects.get(slug="memory-cognition")
    response = staff_client.get(f"{CHANGELIST}?uses__id__exact={memory.pk}")
    assert listed_names(response) == ["Magnesium L-threonate"]
    html = staff_client.get(CHANGELIST).content.decode()
    assert "By absorption" in html and "By laxative effect" in html and "By uses" in html


def test_adding_a_form_with_references_and_uses(staff_client, db):
    use = SupplementUse.objects.create(name="Antacid", slug="antacid")
    data = supplement_form_fields(
        uses=[use.pk],
        **{
            "references-TOTAL_FORMS": "1",
            "references-0-order": "1",
            "references-0-citation": "NIH ODS Magnesium fact sheet",
            "references-0-url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
        },
    )
    response = staff_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    form = SupplementForm.objects.get(slug="magnesium-example")
    assert form.elemental_percent == Decimal("20.5")
    assert '<h2 id="notes">Notes</h2>' in form.body_html
    assert [use.slug for use in form.uses.all()] == ["antacid"]
    assert form.references.get().url.startswith("https://ods.od.nih.gov/")
    # The worked example shows on the change page once saved.
    html = staff_client.get(f"{CHANGELIST}{form.pk}/change/").content.decode()
    assert "500 mg of the compound holds 102.5 mg of magnesium." in html


def test_history_shows_changes_and_an_editor_can_restore_an_earlier_version(staff_client, seeded):
    citrate = SupplementForm.objects.get(slug="magnesium-citrate")
    original_uses = sorted(use.pk for use in citrate.uses.all())
    response = staff_client.post(
        f"{CHANGELIST}{citrate.pk}/change/",
        supplement_form_fields(citrate, elemental_percent="11.0", summary="Monomagnesium.", uses=[]),
    )
    assert response.status_code == 302
    citrate.refresh_from_db()
    assert citrate.elemental_percent == Decimal("11.0")
    assert citrate.uses.count() == 0

    history_url = f"{CHANGELIST}{citrate.pk}/history/"
    html = staff_client.get(history_url).content.decode()
    # The history list names what changed, from what to what.
    change = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Elemental magnesium (%): 16.20 &nbsp;&rarr;&nbsp;&nbsp;11.00" in change
    versions = citrate.history.count()

    # The seed's last version (fields and use tags as seeded), before the editor's change.
    seeded_version = citrate.history.filter(elemental_percent=Decimal("16.2")).first()
    revert_url = f"{history_url}{seeded_version.history_id}/"
    page = staff_client.get(revert_url).content.decode()
    assert "Revert" in page
    uses_select = re.search(r'<select name="uses".*?</select>', page, re.S).group(0)
    shown_uses = sorted(int(pk) for pk in re.findall(r'<option value="(\d+)" selected>', uses_select))
    assert shown_uses == original_uses  # the restore form offers the tags of that version
    response = staff_client.post(revert_url, supplement_form_fields(seeded_version.instance, uses=shown_uses))
    assert response.status_code == 302
    citrate.refresh_from_db()
    assert citrate.elemental_percent == Decimal("16.2")
    assert citrate.summary.startswith("The usual supplement salt")
    assert sorted(use.pk for use in citrate.uses.all()) == original_uses
    assert citrate.history.count() > versions  # the restore is itself a version


def test_unpublish_action_hides_forms_and_records_history(staff_client, seeded):
    oxide = SupplementForm.objects.get(slug="magnesium-oxide")
    versions = oxide.history.count()
    staff_client.post(CHANGELIST, {"action": "return_to_draft", "_selected_action": [oxide.pk]})
    oxide.refresh_from_db()
    assert oxide.status == "draft"
    assert oxide.history.count() == versions + 1
    assert oxide.history.first().status == "draft"
    assert 'href="/supplements/magnesium-oxide/"' not in staff_client.get("/supplements/").content.decode()


def test_use_tags_admin_is_searchable_for_the_autocomplete(staff_client, seeded):
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "supplements", "model_name": "supplementform", "field_name": "uses", "term": "antac"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Antacid"]


def test_intake_reference_admin_lists_and_edits_upper_levels(staff_client, seeded):
    url = "/admin/supplements/intakereference/"
    html = staff_client.get(f"{url}?life_stage=children").content.decode()
    assert "1-3 years" in html and "9-13 years" in html and "31-50 years" not in html
    toddler = IntakeReference.objects.get(age_range="1-3 years")
    page = staff_client.get(f"{url}{toddler.pk}/change/").content.decode()
    assert "Upper Level (supplements and medicines only, never food)" in page
    assert staff_client.get(f"{url}{toddler.pk}/history/").status_code == 200


def test_a_second_editor_cannot_silently_overwrite_the_first(staff_client, seeded):
    from site_project.admin import CONFLICT_MESSAGE

    oxide = SupplementForm.objects.get(slug="magnesium-oxide")
    url = f"{CHANGELIST}{oxide.pk}/change/"
    token = re.search(r'name="edit_token" value="([0-9a-f]+)"', staff_client.get(url).content.decode()).group(1)
    oxide.summary = "Saved by someone else meanwhile."
    oxide.save()
    response = staff_client.post(url, supplement_form_fields(oxide, summary="My edit.", edit_token=token))
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode().replace("&#x27;", "'")
    oxide.refresh_from_db()
    assert oxide.summary == "Saved by someone else meanwhile."
