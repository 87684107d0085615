"""The word index of USDA search (USDAFoodWord): filled by the import, kept in step by a re-import
and by any save of a USDA food, the same foods as the word-start LIKE it replaced, and read
through its index (SQLite's query plan)."""

import re
from urllib.parse import urlencode

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from supplements.forms import FoodFilterForm
from supplements.models import USDAFood, USDAFoodGroup, USDAFoodWord, next_prefix, search_text
from tests.factories import REPO_COPY, run, write_sr28

pytestmark = pytest.mark.django_db

PUMPKIN_SEEDS, RAW_SPINACH = "12016", "11457"


def words_of(ndb):
    return set(USDAFoodWord.objects.filter(food__ndb_number=ndb).values_list("word", flat=True))


def assert_index_in_step():
    """Every food's words are exactly the distinct words of its search text."""
    texts = dict(USDAFood.objects.values_list("id", "search_text"))
    indexed = {}
    for food_id, word in USDAFoodWord.objects.values_list("food_id", "word"):
        indexed.setdefault(food_id, []).append(word)
    assert {food_id: sorted(words) for food_id, words in indexed.items()} == {
        food_id: sorted(set(text.split())) for food_id, text in texts.items()
    }


def like_matches(query):
    """The search as it was before the index: every word of the query a `contains " word"`."""
    foods = USDAFood.objects.all()
    for word in search_text(query).split():
        foods = foods.filter(search_text__contains=f" {word}")
    return set(foods.values_list("ndb_number", flat=True))


def index_matches(query):
    return set(USDAFood.objects.matching(query).values_list("ndb_number", flat=True))


def test_next_prefix_bounds_exactly_the_words_starting_so():
    assert next_prefix("len") == "leo" and next_prefix("c") == "d"
    assert next_prefix("z") == "{" and next_prefix("9") == ":"  # past every [a-z0-9] word starting so


def test_import_fills_the_index_one_row_per_distinct_word(tmp_path):
    run(write_sr28(tmp_path / "sr28"))
    assert_index_in_step()
    pumpkin = USDAFood.objects.get(ndb_number=PUMPKIN_SEEDS)
    # "Seeds, pumpkin and squash seed kernels, roasted, without salt" + common name "pepitas"
    assert words_of(PUMPKIN_SEEDS) == set(pumpkin.search_text.split()) >= {"seeds", "seed", "pumpkin", "pepitas"}
    assert USDAFoodWord.objects.filter(food=pumpkin).count() == len(set(pumpkin.search_text.split()))


def test_reimport_keeps_the_index_in_step_and_leaves_unchanged_foods_alone(tmp_path):
    run(write_sr28(tmp_path / "v1"))
    untouched = list(USDAFoodWord.objects.filter(food__ndb_number=PUMPKIN_SEEDS).order_by("id").values("id", "word"))

    def rename_spinach(name, data):
        return data.replace(b"~Spinach, raw~", b"~Spinach leaves, raw~") if name == "FOOD_DES" else data

    run(write_sr28(tmp_path / "v2", edit=rename_spinach))
    assert "leaves" in words_of(RAW_SPINACH) and index_matches("leav") == {RAW_SPINACH}
    assert_index_in_step()
    # A food whose search text did not change keeps its rows as they were.
    assert list(USDAFoodWord.objects.filter(food__ndb_number=PUMPKIN_SEEDS).order_by("id").values("id", "word")) == (
        untouched
    )
    # A food that lost its words (restored from a backup made before the index) gets them back.
    USDAFoodWord.objects.filter(food__ndb_number=PUMPKIN_SEEDS).delete()
    assert index_matches("pepitas") == set()
    run(write_sr28(tmp_path / "v2", edit=rename_spinach))
    assert index_matches("pepitas") == {PUMPKIN_SEEDS}
    assert_index_in_step()


def test_saving_a_usda_food_updates_its_search_text_and_words(tmp_path):
    """USDA foods are read-only in the admin; whoever saves one (a shell, a future admin action) keeps
    its search text and words in step with its description and common names."""
    run(write_sr28(tmp_path / "sr28"))
    spinach = USDAFood.objects.get(ndb_number=RAW_SPINACH)
    spinach.description = "Spinach, baby leaves, raw"
    spinach.common_names = "Épinard"
    spinach.save()
    spinach.refresh_from_db()
    assert spinach.search_text == " spinach baby leaves raw epinard"
    assert words_of(RAW_SPINACH) == {"spinach", "baby", "leaves", "raw", "epinard"}
    assert index_matches("baby leav") == index_matches("epin") == {RAW_SPINACH}
    assert_index_in_step()


def test_deleting_a_usda_food_deletes_its_words(tmp_path):
    run(write_sr28(tmp_path / "sr28"))
    USDAFood.objects.filter(ndb_number=RAW_SPINACH).delete()
    assert words_of(RAW_SPINACH) == set()
    assert_index_in_step()


@pytest.fixture
def every_usda_food(seeded):
    run(REPO_COPY)
    assert USDAFood.objects.count() == 8050


QUERIES = [
    "lent", "c", "oat bran", "yog", "pump seed", "seed pump", "kin", "alm", "z", "zw", "9", "2 percent",
    "ENTRÉE", "Beverages, water", "babyfood meat", "x", "q", "chick", "cheese ched", "nothingstartslikethis",
    "c bran", "oat b",
]  # fmt: skip


def test_the_index_finds_exactly_what_the_word_start_like_found(every_usda_food):
    for query in QUERIES:
        assert index_matches(query) == like_matches(query), query
    assert len(index_matches("c")) > 5000 and index_matches("lent") >= {"16069", "16070"}  # not vacuous
    assert_index_in_step()


def test_ranking_over_the_index_is_unchanged(every_usda_food):
    """Description starting with the query first, then with its first word, then other word starts."""
    ranked = list(
        USDAFood.objects.searched("oat bran").sorted_by("name").values_list("ndb_number", "description", "search_rank")
    )
    assert {ndb for ndb, _, _ in ranked} == like_matches("oat bran")
    ranks = [rank for _, _, rank in ranked]
    assert ranks == sorted(ranks) and ranks[0] == 0
    first = [description for _, description, rank in ranked if rank == 0]
    assert first and all(description.lower().startswith("oat bran") for description in first)


def query_plans(params):
    """SQLite's plan for each query the list runs for its count and its page of rows."""
    form = FoodFilterForm(QueryDict(urlencode(params)), groups=[], usda_groups=USDAFoodGroup.objects.all())
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(form.apply(), 25).get_page(1)
        list(page.object_list)
    assert len(captured) == 2  # the count, the page
    plans = []
    with connection.cursor() as cursor:
        for query in captured:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plans.append("\n".join(row[-1] for row in cursor.fetchall()))
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
@pytest.mark.parametrize(
    "params",
    [
        {"scope": "all", "q": "lent"},
        {"scope": "all", "q": "oat bran", "sort": "name"},
        {"scope": "all", "q": "yog", "group": "dairy-and-egg-products", "basis": "100kcal", "min_mg": "5"},
    ],
)
def test_count_and_page_read_the_word_index_not_every_food(every_usda_food, params):
    for plan in query_plans(params):
        # A range of the (word, food) index, then each matching food by its primary key: no scan.
        # (SQLite names the unique (word, food) index sqlite_autoindex_supplements_usdafoodword_1.)
        assert re.search(r"SEARCH \S+ USING COVERING INDEX \S+ \(word>\? AND word<\?\)", plan), plan
        assert "SCAN supplements_usdafood" not in plan, plan
        assert "USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's column collation")
def test_postgresql_compares_the_words_byte_by_byte():
    """The range "len" <= word < "leo" holds exactly the words starting "len" only in byte order: the
    column's collation is "C" whatever the database's locale (en_US would sort "le{" beside "le")."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns WHERE table_name = %s AND column_name = 'word'",
            [USDAFoodWord._meta.db_table],
        )
        assert cursor.fetchone() == ("C",)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_a_one_letter_search_reads_every_search_text(every_usda_food):
    """ "c" starts a word in 5,374 of the 8,050 foods: reading them all beat the index (models.py,
    USDAFoodQuerySet.matching); with a longer word beside it, that word still reads the index."""
    for plan in query_plans({"scope": "all", "q": "c"}):
        assert "SCAN supplements_usdafood" in plan and "usdafoodword" not in plan, plan
    for plan in query_plans({"scope": "all", "q": "c bran"}):
        assert re.search(r"SEARCH \S+ USING COVERING INDEX \S+ \(word>\? AND word<\?\)", plan), plan
