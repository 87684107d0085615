"""USDA SR28: the parser on USDA's own lines and on broken files, `manage.py import_usda_sr28`
(figures equal to the files, counts, re-import, one transaction), featured foods linked, admin."""

import random
import re
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from supplements import usda_sr28
from supplements.models import FoodEntry, USDAFood, USDAFoodGroup, USDAMeasure, search_text
from supplements.usda_sr28 import FILES, SR28FormatError, parse_record, read_sr28, records
from tests.factories import NAMES, REPO_COPY, SAMPLE, run, seed_data, usda_bytes, write_sr28

pytestmark = pytest.mark.django_db

FEATURED = len(seed_data("magnesium_foods.csv"))  # the featured foods the seed reads, each naming its NDB


# --- The parser on real SR28 lines ------------------------------------------------------------------


def test_a_food_des_line_with_tilde_text_empty_fields_and_numbers():
    line = usda_bytes("FOOD_DES").decode("latin-1").splitlines()[0]  # USDA's first food: salted butter
    assert line.startswith("~01001~^~0100~^~Butter, salted~^~BUTTER,WITH SALT~^~~^")
    values = parse_record("FOOD_DES.txt", 1, line, FILES["FOOD_DES"])
    assert values == {
        "NDB_No": "01001", "FdGrp_Cd": "0100", "Long_Desc": "Butter, salted", "Shrt_Desc": "BUTTER,WITH SALT",
        "ComName": "", "SciName": "",
    }  # fmt: skip


def test_nut_data_numbers_and_empty_numbers():
    line = "~11457~^~304~^79^7^4.794^~1~^~~^~~^~~^^^^^^^~~^08/1984^"  # USDA's raw spinach, magnesium
    values = parse_record("NUT_DATA.txt", 9, line, FILES["NUT_DATA"])
    assert values["Nutr_Val"] == Decimal("79") and values["Num_Data_Pts"] == 7
    assert values["Std_Error"] == Decimal("4.794") and values["Src_Cd"] == "1" and values["Deriv_Cd"] == ""
    line = "~12016~^~304~^550^2^^~1~^~A~^~~^~~^2^544^557^^^^~~^04/2009^"
    assert parse_record("NUT_DATA.txt", 1, line, FILES["NUT_DATA"])["Std_Error"] is None


def test_latin1_and_windows_1252_characters_are_read_as_usda_means_them(tmp_path):
    folder = write_sr28(tmp_path / "sr28")
    data = read_sr28(folder)
    kashi = data.measures["22996"][0]
    assert kashi["Msre_Desc"] == "Entrée"  # byte 0xE9 in WEIGHT.txt
    # Bytes 0x91/0x92 in FOOD_DES.txt: curly quotes (Windows-1252), not Latin-1 control characters.
    assert data.foods["09520"]["SciName"] == "Actinidia chinensis ‘Zesy002’ (Gold3)"
    assert search_text("KASHI Entrée") == " kashi entree"


def test_line_ends_crlf_lf_and_bare_cr_inside_and_between_records():
    text = (
        '~01001~^1^1^~pat (1" sq,\r1/3" high)~^5.0^^\r\n'  # a bare CR inside a text field: a space
        "~01001~^2^1^~tbsp~^14.2^^\r"  # a bare CR as a line end
        "~01001~^3^1^~cup~^227^^\n"
        "\r\n"
        "~01001~^4^1^~stick~^113^^\r\n"
    )
    rows = [(number, parse_record("WEIGHT.txt", number, line, FILES["WEIGHT"])) for number, line in records("W", text)]
    assert [(number, values["Seq"], values["Msre_Desc"]) for number, values in rows] == [
        (1, 1, 'pat (1" sq, 1/3" high)'),
        (3, 2, "tbsp"),
        (4, 3, "cup"),
        (6, 4, "stick"),
    ]


def test_a_caret_inside_a_text_field_is_kept():
    values = parse_record("WEIGHT.txt", 1, "~01001~^1^1^~cup^s~^227^^", FILES["WEIGHT"])
    assert values["Msre_Desc"] == "cup^s" and values["Gm_Wgt"] == 227


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("~01001~^1^1^~cup~^227^", "WEIGHT.txt, line 7: 6 fields separated by ^, expected 7"),
        ("~01001~^1^1^~cup~^two^^", "WEIGHT.txt, line 7: field 5 (Gm_Wgt) should be a number from 0 to 1,000,000"),
        ("~01001~^1.5^1^~cup~^227^^", "WEIGHT.txt, line 7: field 2 (Seq) should be a whole number, not '1.5'"),
        ("~01001~^1^1^~~^227^^", "WEIGHT.txt, line 7: field 4 (Msre_Desc) is empty"),
        ("~01001~^1^-1^~cup~^227^^", "field 3 (Amount) should be a number from 0 to 100,000, not '-1'"),
        ("~01001~^1^1^cup~^227^^", "field 4 (Msre_Desc) has a stray ~"),
        ("~01001~^1^1^~cup~^227.0001^^", "field 5 (Gm_Wgt) has more than 3 decimals: '227.0001'"),
    ],
)
def test_a_broken_record_names_file_line_and_field(line, message):
    with pytest.raises(SR28FormatError) as error:
        parse_record("WEIGHT.txt", 7, line, FILES["WEIGHT"])
    assert message in str(error.value)


def test_an_unclosed_text_field_names_its_line():
    with pytest.raises(SR28FormatError, match=r"WEIGHT.txt, line 2: a text field opened with ~ is never closed"):
        list(records("WEIGHT.txt", "~01001~^1^1^~cup~^227^^\r\n~01001~^2^1^~tbsp^14.2^^\r\n"))


# --- Broken files: a clear error, nothing saved -------------------------------------------------------


def replace_line(name, old, new):
    def edit(file, data):
        if file != name:
            return data
        assert old.encode() in data
        return data.replace(old.encode(), new.encode())

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            replace_line("NUT_DATA", "~12016~^~304~^550^2^", "~12016~^~304~^5x0^2^"),
            "NUT_DATA.txt, line 10: field 3 (Nutr_Val) should be a number from 0 to 1,000,000, not '5x0'",
        ),
        (
            replace_line("NUT_DATA", "~12016~^~304~^550", "~12017~^~304~^550"),
            "NUT_DATA.txt, line 10: NDB 12017 is not in FOOD_DES",
        ),
        (replace_line("NUT_DATA", "^~A~^", "^~ZZ~^"), "Deriv_Cd 'ZZ' is not listed in DERIV_CD"),
        (replace_line("FOOD_DES", "~12016~^~1200~", "~12016~^~9999~"), "which FD_GROUP does not list"),
        (
            replace_line("WEIGHT", "~12016~^2^1^~oz~^28.35", "~12016~^1^1^~oz~^28.35"),
            "WEIGHT.txt, line 12: NDB 12016, Seq 1, appears twice (first on line 11)",
        ),
        (replace_line("NUTR_DEF", "~304~^~mg~", "~304~^~g~"), "nutrient 304 is in 'g', expected 'mg'"),
        (
            replace_line("FOOD_DES", "~12016~^~1200~", "~1201X~^~1200~"),
            "FOOD_DES.txt, line 5: field 1 (NDB_No) should be 5 digits, not '1201X'",
        ),
        (
            replace_line("FOOD_DES", "~Spinach, raw~", "~Spinach, raw"),
            "FOOD_DES.txt, line 3: a text field opened with ~ is never closed",
        ),
    ],
)
def test_a_broken_file_gives_a_clear_error_and_changes_nothing(tmp_path, edit, message):
    run(write_sr28(tmp_path / "good"))
    before = list(USDAFood.objects.values_list("ndb_number", "magnesium_per_100g", "description"))
    with pytest.raises(CommandError) as error:
        run(write_sr28(tmp_path / "broken", ndbs=[*SAMPLE, "01001"], edit=edit))
    assert str(error.value).startswith("Nothing was imported.")
    assert message in str(error.value)
    assert list(USDAFood.objects.values_list("ndb_number", "magnesium_per_100g", "description")) == before
    assert not USDAFood.objects.filter(ndb_number="01001").exists()


def test_a_missing_file_or_folder_is_named(tmp_path):
    folder = write_sr28(tmp_path / "sr28")
    (folder / "WEIGHT.txt").unlink()
    with pytest.raises(CommandError, match=r"WEIGHT.txt: missing from .* \(neither WEIGHT.txt nor WEIGHT.txt.gz\)"):
        run(folder)
    with pytest.raises(CommandError, match="is not a folder"):
        run(tmp_path / "nowhere")
    assert not USDAFood.objects.exists()


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    """One transaction: foods, measures, groups and links all, or none."""

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(usda_sr28, "link_featured_foods", fail)
    with pytest.raises(RuntimeError):
        run(write_sr28(tmp_path / "sr28"))
    assert not USDAFood.objects.exists() and not USDAMeasure.objects.exists()
    assert not USDAFoodGroup.objects.exists()


# --- Figures, re-import, featured foods -------------------------------------------------------------


def test_figures_equal_the_files(tmp_path):
    run(write_sr28(tmp_path / "sr28"))
    pumpkin = USDAFood.objects.select_related("group", "source_code", "derivation_code").get(ndb_number="12016")
    assert pumpkin.description == "Seeds, pumpkin and squash seed kernels, roasted, without salt"
    assert (pumpkin.magnesium_per_100g, pumpkin.kcal_per_100g) == (550, 574)
    assert pumpkin.analyses == 2 and pumpkin.standard_error is None
    assert pumpkin.group.name == "Nut and Seed Products" and pumpkin.group.slug == "nut-and-seed-products"
    assert pumpkin.source_code.description == "Analytical or derived from analytical"
    assert pumpkin.derivation_code.description == "Analytical data"
    assert pumpkin.mg_per_100kcal == Decimal("95.82")  # 550 / 574 x 100
    assert (pumpkin.serving_text, pumpkin.serving_grams, pumpkin.mg_per_serving) == ("1 cup", 118, Decimal("649"))
    assert pumpkin.slug == "seeds-pumpkin-and-squash-seed-kernels-roasted-without-salt-12016"
    assert pumpkin.citation == "USDA SR28, NDB 12016"
    assert [(m.text, m.grams) for m in pumpkin.measures.all()] == [("1 cup", 118), ("1 oz", Decimal("28.35"))]
    assert pumpkin.measures.get(sequence=2).magnesium_mg() == Decimal("155.925")

    spinach = USDAFood.objects.get(ndb_number="11457")
    assert (spinach.magnesium_per_100g, spinach.kcal_per_100g, spinach.analyses) == (79, 23, 7)
    assert spinach.standard_error == Decimal("4.794") and spinach.derivation_code is None
    assert spinach.provenance_text == (
        "7 analyses (standard error 4.794 mg); source: Analytical or derived from analytical"
    )
    assert spinach.measures.count() == 4 and spinach.common_names == ""

    water = USDAFood.objects.get(ndb_number="14411")
    assert water.kcal_per_100g == 0 and water.mg_per_100kcal is None  # undefined, not infinite


def test_search_text_matches_word_starts(tmp_path):
    run(write_sr28(tmp_path / "sr28"))
    names = lambda query: sorted(USDAFood.objects.matching(query).values_list("ndb_number", flat=True))  # noqa: E731
    assert names("spin") == ["11457", "11458"]
    assert names("pepitas") == ["12016"]  # USDA's common name
    assert names("pump seed") == ["12016"]
    assert names("kin") == []  # inside "pumpkin", not a word start
    assert names("ENTRÉE") == [] and names("kashi") == ["22996"]


def test_reimport_is_idempotent_and_reports_nothing_changed(tmp_path):
    folder = write_sr28(tmp_path / "sr28")
    first = run(folder)
    assert "Foods: 6 created, 0 updated, 0 unchanged." in first
    rows = list(USDAFood.objects.order_by("id").values())
    measures = list(USDAMeasure.objects.order_by("id").values())
    second = run(folder)
    assert "Foods: 0 created, 0 updated, 6 unchanged." in second
    assert "Household measures: 0 created, 0 updated, 0 removed." in second and "Nothing changed." in second
    assert list(USDAFood.objects.order_by("id").values()) == rows
    assert list(USDAMeasure.objects.order_by("id").values()) == measures


def test_reimport_updates_usda_figures_reports_them_and_keeps_slugs_and_editors_work(tmp_path, seeded):
    run(write_sr28(tmp_path / "v1"))
    pumpkin_entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    spinach_entry = FoodEntry.objects.get(slug="spinach-boiled-drained")
    # An editor points the boiled spinach at the raw one and notes it.
    spinach_entry.usda_food = USDAFood.objects.get(ndb_number="11457")
    spinach_entry.notes = "Editor's note"
    spinach_entry.save()
    slug = USDAFood.objects.get(ndb_number="12016").slug

    def edit(name, data):
        data = replace_line("NUT_DATA", "~12016~^~304~^550^2^", "~12016~^~304~^552^3^")(name, data)
        data = replace_line("FOOD_DES", "~Spinach, raw~", "~Spinach, raw, USDA's new words~")(name, data)
        data = replace_line("WEIGHT", "~11457~^3^1^~leaf~^10.0^", "~11457~^3^1^~leaf~^11^")(name, data)
        return replace_line("WEIGHT", "~11457~^4^1^~package (10 oz)~^284^^\r\n", "")(name, data)

    report = run(write_sr28(tmp_path / "v2", edit=edit))
    assert "Foods: 0 created, 2 updated, 4 unchanged." in report
    assert "Household measures: 0 created, 1 updated, 1 removed." in report
    assert "Changes, for example:\n" in report
    pumpkin_change = "NDB 12016 Seeds, pumpkin and squash seed kernels, roasted, …: mg per 100 g 550 -> 552"
    assert f"  {pumpkin_change}; analyses 2 -> 3\n" in report
    spinach_change = "NDB 11457 Spinach, raw, USDA's new words: description Spinach, raw -> Spinach, raw, USDA's"
    assert f"  {spinach_change} new words\n" in report

    pumpkin = USDAFood.objects.get(ndb_number="12016")
    assert pumpkin.magnesium_per_100g == 552 and pumpkin.analyses == 3 and pumpkin.slug == slug
    assert pumpkin.mg_per_serving == Decimal("651.36")  # derived values follow
    assert list(USDAMeasure.objects.filter(food__ndb_number="11457").values_list("grams", flat=True)) == [30, 340, 11]
    # The featured foods keep their curated figures, sources and the editor's link and note.
    pumpkin_entry.refresh_from_db()
    spinach_entry.refresh_from_db()
    assert (pumpkin_entry.magnesium_mg, pumpkin_entry.magnesium_per_100g) == (156, 550)
    assert pumpkin_entry.usda_food == pumpkin
    assert spinach_entry.usda_food.ndb_number == "11457" and spinach_entry.notes == "Editor's note"


def test_dry_run_reports_and_saves_nothing(tmp_path):
    report = run(write_sr28(tmp_path / "sr28"), "--dry-run")
    assert "Dry run: nothing was saved." in report and "Foods: 6 created" in report
    assert not USDAFood.objects.exists()


def test_featured_foods_link_to_the_usda_food_their_source_names(tmp_path, seeded):
    pumpkin_entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    figures = (pumpkin_entry.magnesium_mg, pumpkin_entry.magnesium_per_100g, pumpkin_entry.source)
    report = run(write_sr28(tmp_path / "sr28"))
    assert "Featured foods linked to their USDA entry: 3." in report  # pumpkin seeds, raw and boiled spinach
    pumpkin_entry.refresh_from_db()
    assert pumpkin_entry.usda_food.ndb_number == "12016"
    assert (pumpkin_entry.magnesium_mg, pumpkin_entry.magnesium_per_100g, pumpkin_entry.source) == figures
    assert pumpkin_entry.history.first().history_change_reason.startswith("Linked to its USDA SR28 entry")
    assert FoodEntry.objects.get(slug="spinach-boiled-drained").usda_food.ndb_number == "11458"
    assert FoodEntry.objects.get(slug="spinach-raw").usda_food.ndb_number == "11457"
    # A source naming an NDB number these files lack is reported, not linked.
    assert "Featured food “Chia seeds, dried” names NDB 12006, which these files do not have: not linked." in report
    # Every other featured food names an NDB number outside the sample: five are named, the rest counted.
    assert f"... and {FEATURED - 3 - 5} more featured foods not linked." in report


def test_the_seeded_fixture_does_not_import_usda_foods(seeded):
    """`make run` imports them in its own step; tests that need them import a small set."""
    assert FoodEntry.objects.count() == FEATURED and not USDAFood.objects.exists()
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "manage.py seed_content\n\t$(DEV) $(PY) manage.py import_usda_sr28 supplements/data/usda-sr28" in makefile


def test_full_import_counts_figures_and_links(seeded):
    """USDA's whole SR28 copy in the repository, imported once: every food with magnesium, its
    measures, a random sample's figures equal to the files, every featured food linked."""
    started = time.perf_counter()
    report = run(REPO_COPY)
    elapsed = time.perf_counter() - started
    assert "8,050 foods with magnesium, 14,608 household measures." in report
    assert USDAFood.objects.count() == 8050 and USDAMeasure.objects.count() == 14608
    assert USDAFoodGroup.objects.count() == 25
    assert f"Featured foods linked to their USDA entry: {FEATURED}." in report
    assert not FoodEntry.objects.filter(usda_food=None).exists()
    assert elapsed < 30  # seconds on a busy 2-core machine; about 2 s when idle

    # Read the files independently (a plain split: NUT_DATA and WEIGHT have no quirks in these rows).
    nutrients = {}
    for line in usda_bytes("NUT_DATA").decode("latin-1").splitlines():
        fields = line.split("^")
        nutrients[(fields[0].strip("~"), fields[1].strip("~"))] = fields
    weights = {}
    for line in usda_bytes("WEIGHT").decode("latin-1").splitlines():
        fields = line.split("^")
        weights.setdefault(fields[0].strip("~"), []).append(Decimal(fields[4]))
    sample = random.Random(15).sample(sorted(ndb for ndb, number in nutrients if number == "304"), 200)
    foods = USDAFood.objects.filter(ndb_number__in=sample).prefetch_related("measures")
    assert len(foods) == 200
    for food in foods:
        mg, kcal = nutrients[(food.ndb_number, "304")], nutrients[(food.ndb_number, "208")]
        assert food.magnesium_per_100g == Decimal(mg[2]) and food.analyses == int(mg[3])
        assert food.kcal_per_100g == Decimal(kcal[2])
        assert [measure.grams for measure in food.measures.all()] == weights.get(food.ndb_number, [])
    spinach = USDAFood.objects.get(ndb_number="11457")
    assert (spinach.magnesium_per_100g, spinach.kcal_per_100g) == (79, 23)
    assert USDAFood.objects.filter(kcal_per_100g=0, mg_per_100kcal=None).count() == 38

    # Each sort of the list reads its index (no sort of 8,050 rows), empty values last.
    sorts = {
        "usda_mg100g_desc": [F("magnesium_per_100g").desc(), "description"],
        "usda_serving_desc": [F("mg_per_serving").desc(nulls_last=True), "description"],
        "usda_100kcal_desc": [F("mg_per_100kcal").desc(nulls_last=True), "description"],
        "usda_description_id": ["description", "id"],
    }
    for index, order in sorts.items():
        assert index in USDAFood.objects.order_by(*order)[:25].explain(), index
    last = USDAFood.objects.order_by(*sorts["usda_100kcal_desc"]).values_list("mg_per_100kcal", flat=True)
    assert last[8049] is None and last[0] is not None


# --- Admin ------------------------------------------------------------------------------------------

CHANGELIST = "/admin/supplements/usdafood/"


@pytest.fixture
def usda_foods(tmp_path, seeded):
    run(write_sr28(tmp_path / "sr28"))


def changelist_rows(html):
    return re.findall(r'<th class="field-description"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "spinach"}, ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]),
        ({"q": "12016"}, ["Seeds, pumpkin and squash seed kernels, roasted, without salt"]),
        ({"q": "9520"}, ["Kiwifruit, ZESPRI SunGold, raw"]),  # NDB 09520 without its leading zero
        ({"featured": "yes"}, ["Seeds, pumpkin and squash seed kernels, roasted, without salt",
                               "Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]),
        ({"featured": "no", "q": "spinach"}, []),
        ({"featured": "no"}, ["Beverages, water, tap, drinking", "KASHI Three Cheese Penne, frozen, unprepared",
                              "Kiwifruit, ZESPRI SunGold, raw"]),
    ],
)  # fmt: skip
def test_admin_search_and_filters(staff_client, usda_foods, params, expected):
    response = staff_client.get(CHANGELIST, params)
    assert response.status_code == 200
    assert changelist_rows(response.text) == expected


def test_admin_group_filter_and_columns(staff_client, usda_foods):
    group = USDAFoodGroup.objects.get(slug="vegetables-and-vegetable-products")
    html = staff_client.get(CHANGELIST, {"group__id__exact": group.pk}).text
    assert changelist_rows(html) == ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]
    assert "Nut and Seed Products" in staff_client.get(CHANGELIST).text  # the filter lists USDA's groups
    row = re.search(r"Spinach, raw</a>.*?</tr>", html, re.S).group(0)
    assert ">79<" in row and ">23<" in row and ">343.48<" in row and ">7<" in row


def test_admin_query_count_does_not_grow_with_rows(staff_client, usda_foods):
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(CHANGELIST, {"q": "pumpkin"}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(CHANGELIST).status_code == 200
    with CaptureQueriesContext(connection) as filtered:
        assert staff_client.get(CHANGELIST, {"featured": "yes", "group__id__exact": "1"}).status_code == 200
    assert len(few) == len(many) == len(filtered) <= 10


def test_admin_food_page_is_read_only_with_provenance_and_measures(staff_client, usda_foods):
    spinach = USDAFood.objects.get(ndb_number="11457")
    response = staff_client.get(f"{CHANGELIST}{spinach.pk}/change/")
    html = response.text
    assert response.status_code == 200
    assert "7 analyses (standard error 4.794 mg); source: Analytical or derived from analytical" in html
    assert "USDA SR28, NDB 11457. U.S. Department of Agriculture" in html
    assert "Spinach, raw</a>" in html  # the featured food that links to it
    for measure in ("cup", "bunch", "leaf", "package (10 oz)"):
        assert f"<p>{measure}</p>" in html
    assert ">268.6<" in html  # 1 bunch, 340 g x 79 mg / 100 g
    # Nothing to type into or save: USDA's figures change only by a re-import.
    assert 'name="magnesium_per_100g"' not in html and 'name="_save"' not in html
    assert staff_client.post(f"{CHANGELIST}{spinach.pk}/change/", {"description": "x"}).status_code == 403
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403
    assert staff_client.get(f"{CHANGELIST}{spinach.pk}/delete/").status_code == 403
    water = USDAFood.objects.get(ndb_number="14411")
    html = staff_client.get(f"{CHANGELIST}{water.pk}/change/").text
    assert "Not featured: no curated food links to this one." in html


def test_featured_food_admin_shows_its_usda_link(staff_client, usda_foods):
    entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    html = staff_client.get(f"/admin/supplements/foodentry/{entry.pk}/change/").text
    assert 'name="usda_food"' in html and "(NDB 12016)" in html
    data = {"term": "pumpkin", "app_label": "supplements", "model_name": "foodentry", "field_name": "usda_food"}
    assert "NDB 12016" in staff_client.get("/admin/autocomplete/", data).text


def test_repository_copy_is_usdas_files(tmp_path):
    """The gzipped copy is byte for byte the reference files (the README says how they were made)."""
    for name in NAMES:
        assert usda_bytes(name).count(b"\r\n") > 0
    assert (REPO_COPY / "README.md").read_text().startswith("# USDA National Nutrient Database")
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_editors_may_view_usda_foods_but_not_change_them(client, django_user_model, usda_foods):
    user = django_user_model.objects.create_user("eddie", "eddie@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    spinach = USDAFood.objects.get(ndb_number="11457")
    assert changelist_rows(client.get(CHANGELIST, {"q": "spinach raw"}).text) == ["Spinach, raw"]
    assert client.get(f"{CHANGELIST}{spinach.pk}/change/").status_code == 200
    assert client.post(f"{CHANGELIST}{spinach.pk}/change/", {"description": "x"}).status_code == 403
    assert USDAFood.objects.get(pk=spinach.pk).description == "Spinach, raw"


def test_usdas_full_download_other_nutrients_and_foods_without_magnesium_are_skipped(tmp_path):
    """USDA's full NUT_DATA.txt has every nutrient, and FOOD_DES.txt foods without magnesium."""

    def full_download(name, data):
        extra = {
            "NUT_DATA": b"~12016~^~203~^29.84^3^0.451^~1~^~A~^~~^~~^3^29.64^30.23^^^^~~^04/2009^\r\n",
            "FOOD_DES": b"~99999~^~1200~^~Seeds, invented, no magnesium value~^~SEEDS~^~~^~~^~~^~~^0^~~^^^^\r\n",
            "WEIGHT": b"~99999~^1^1^~cup~^100^^\r\n",
        }
        return data + extra.get(name, b"")

    report = run(write_sr28(tmp_path / "sr28", edit=full_download))
    assert "6 foods with magnesium, 12 household measures." in report
    assert USDAFood.objects.count() == 6 and not USDAFood.objects.filter(ndb_number="99999").exists()
    assert USDAFood.objects.get(ndb_number="12016").magnesium_per_100g == 550
