"""One rule for how solid a USDA value is (supplements.models.solidity_words): 0 analyses means none
counted, and the source code says how USDA obtained the value (code 1: analytical, analyses not
counted). The admin's help text, the data READMEs and the downloads say the same."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings

from supplements.models import ANALYSES_NOT_COUNTED, USDAFood
from tests.factories import NDBS, run, write_sr28

pytestmark = pytest.mark.django_db

# USDA's own lines: cottonseed meal, 0 analyses, source 1 (analytical); cheese food 01003, 0 analyses,
# source 4 (calculated or imputed); 04679, 0 analyses, source 7 (assumed zero).
NOT_COUNTED, CALCULATED, ASSUMED_ZERO = "12011", "01003", "04679"
DATA = Path(settings.BASE_DIR) / "supplements" / "data"


@pytest.fixture
def usda(tmp_path, seeded):
    run(write_sr28(tmp_path / "sr28", ndbs=[*NDBS, NOT_COUNTED, CALCULATED, ASSUMED_ZERO]))
    return {food.ndb_number: food for food in USDAFood.objects.select_related("source_code")}


def test_the_usda_sample_has_each_case_of_the_rule(usda):
    assert (usda[NOT_COUNTED].analyses, usda[NOT_COUNTED].source_code.code) == (0, "1")
    assert (usda[CALCULATED].analyses, usda[CALCULATED].source_code.code) == (0, "4")
    assert (usda[ASSUMED_ZERO].analyses, usda[ASSUMED_ZERO].source_code.code) == (0, "7")


def test_the_help_text_and_the_readmes_say_0_analyses_is_none_counted_not_calculated():
    texts = {
        "help text": USDAFood._meta.get_field("analyses").help_text,
        "data README": (DATA / "README.md").read_text(),
        "SR28 README": (DATA / "usda-sr28" / "README.md").read_text(),
    }
    for where, text in texts.items():
        assert "0 = calculated" not in text, where
        assert "0 = none counted" in text and ANALYSES_NOT_COUNTED in " ".join(text.split()), where


def csv_rows(client, params):
    response = client.get("/foods/download.csv", params)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def json_foods(client, params):
    response = client.get("/foods/download.json", params)
    return json.loads(b"".join(response.streaming_content))


def test_every_usda_download_row_says_how_solid_its_value_is_by_the_rule(client, usda):
    rows = {row["ndb_number"]: row for row in csv_rows(client, {"scope": "all"})}
    assert set(rows) == set(usda)
    assert rows[NOT_COUNTED]["analyses"] == "0"
    assert rows[NOT_COUNTED]["how_solid"] == "analytical, analyses not counted"
    assert rows[NOT_COUNTED]["source"] == "Analytical or derived from analytical"
    assert rows[CALCULATED]["how_solid"] == "calculated or imputed"
    assert rows[ASSUMED_ZERO]["how_solid"] == "assumed zero"
    assert rows["11457"]["how_solid"] == "7 analyses"  # raw spinach
    assert all(row["how_solid"] == usda[ndb].solidity for ndb, row in rows.items())
    assert list(rows["11457"]).index("how_solid") == list(rows["11457"]).index("analyses") + 1
    found = json_foods(client, {"scope": "all"})
    assert {food["ndb_number"]: food["how_solid"] for food in found["foods"]} == {
        ndb: row["how_solid"] for ndb, row in rows.items()
    }
    assert "how_solid" in found["note"]


def test_featured_download_rows_say_how_solid_their_usda_value_is(client, usda):
    rows = csv_rows(client, {})
    pumpkin = next(row for row in rows if row["usda_ndb_number"] == "12016")
    assert pumpkin["usda_analyses"] == "2" and pumpkin["usda_how_solid"] == "2 analyses"
    linked = [row for row in rows if row["usda_ndb_number"]]
    assert linked and all(row["usda_how_solid"] for row in linked)
    assert all(row["usda_how_solid"] == "" for row in rows if not row["usda_ndb_number"])
