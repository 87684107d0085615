"""/foods/: the food table with its filters, as a full page, as an htmx fragment, and on bad input."""

import re
from decimal import Decimal

import pytest

from supplements.models import FoodEntry, FoodGroup
from tests.factories import (
    HTMX,
    SEED_FOODS,
    count_text,
    food_row_names,
    make_food,
    make_group,
    results_fragment,
)

pytestmark = pytest.mark.django_db

URL = "/foods/"


def test_full_page_lists_foods_richest_first_with_count_form_and_sources(client, seeded):
    response = client.get(URL)
    html = response.text
    assert response.status_code == 200
    assert "<form" in html and 'method="get"' in html and 'name="q"' in html
    assert count_text(html) == f"{len(SEED_FOODS)} foods"
    names = food_row_names(html)
    assert len(names) == 25  # 25 a page
    richest = max(SEED_FOODS, key=lambda row: Decimal(row["magnesium_mg_per_serving"]))
    assert names[0] == richest["name"]
    amounts = [FoodEntry.objects.get(name=name).magnesium_mg for name in names]
    assert amounts == sorted(amounts, reverse=True)  # richest first, all the way down the page
    # Each row has its %DV as a bar and a number, and its source one click away.
    assert '<span class="w-50"></span>' in html and "50%" in html
    assert html.count("<summary>Source") == 25
    assert "NDB 12016" in html


def test_group_filter_is_repeatable_and_sort_by_name(client, seeded):
    html = client.get(URL, {"group": ["nuts", "seeds"], "sort": "name"}).text
    names = food_row_names(html)
    assert names == sorted(names)
    groups = set(FoodEntry.objects.filter(name__in=names).values_list("group__slug", flat=True))
    assert groups == {"nuts", "seeds"}
    assert (
        count_text(html)
        == f"{FoodEntry.objects.filter(group__slug__in=['nuts', 'seeds']).count()} foods match your filters"
    )
    # The checked boxes survive the round trip, so the form shows what the table shows.
    assert re.search(r'value="nuts"[^>]*checked', html) and re.search(r'value="seeds"[^>]*checked', html)


def test_search_is_case_insensitive_on_the_name(client, seeded):
    names = food_row_names(client.get(URL, {"q": "SPINACH"}).text)
    assert sorted(names) == ["Spinach, boiled, drained", "Spinach, raw"]


def test_basis_100g_shows_sorts_and_filters_per_100_grams(client, seeded):
    html = client.get(URL, {"basis": "100g", "min_mg": "500"}).text
    names = food_row_names(html)
    # Hemp 700, wheat bran 611 (USDA), pumpkin ~550 per 100 g; cocoa powder, at 499, is just below.
    assert names == ["Hemp seeds, hulled", "Wheat bran, crude", "Pumpkin seeds (pepitas), roasted"]
    assert ">611<" in html
    assert "Magnesium per 100 g" in html
    per_serving = food_row_names(client.get(URL, {"min_mg": "500"}).text)
    assert per_serving == []


def test_min_mg_filters_on_the_serving_amount(client, seeded):
    names = food_row_names(client.get(URL, {"min_mg": "100"}).text)
    expected = set(FoodEntry.objects.filter(magnesium_mg__gte=100).values_list("name", flat=True))
    assert set(names) == expected and len(expected) >= 5


def test_htmx_request_gets_only_the_results_fragment_with_the_count_out_of_band(client, seeded):
    html = results_fragment(client.get(URL, {"q": "almond"}, **HTMX))
    assert 'data-hx-swap-oob="true"' in html and "1 food matches your filters" in html
    assert food_row_names(html) == ["Almonds, dry roasted"]


def test_unknown_group_is_dropped_but_known_groups_still_filter(client, seeded):
    html = client.get(URL, {"group": ["nuts", "<script>alert(1)</script>"]}).text
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    groups = FoodEntry.objects.filter(name__in=food_row_names(html)).values_list("group__slug", flat=True)
    assert set(groups) == {"nuts"}


def test_pages_past_the_end_show_the_last_page_and_links_keep_the_filters(client, seeded):
    html = client.get(URL, {"page": "999", "sort": "name"}).text
    pages = -(-len(SEED_FOODS) // 25)
    assert f"Page {pages} of {pages}" in html
    assert len(food_row_names(html)) == len(SEED_FOODS) - 25 * (pages - 1)
    first = client.get(URL, {"sort": "name", "group": ["nuts", "legumes-and-soy", "whole-grains", "seeds"]}).text
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "sort=name" in link and "group=nuts" in link and "group=seeds" in link
    assert client.get(URL, {"page": "abc"}).status_code == 200


def test_empty_result_says_so_and_offers_to_clear_the_filters(client, seeded):
    html = client.get(URL, {"q": "no such food"}).text
    assert "No foods match these filters." in html
    assert f'href="{URL}"' in html and "Clear filters" in html
    assert count_text(html) == "0 foods match your filters"


def test_unpublished_foods_are_hidden(client):
    make_food(name="Visible food", status="published")
    make_food(name="Hidden food", status="draft")
    names = food_row_names(client.get(URL).text)
    assert names == ["Visible food"]


def bulk_foods(n):
    groups = [make_group() for _ in range(5)]
    FoodEntry.objects.bulk_create(
        FoodEntry(
            name=f"Food {i}",
            slug=f"food-{i}",
            group=groups[i % 5],
            serving="1 cup",
            serving_grams=Decimal(100),
            magnesium_mg=Decimal(i % 400),
            source="test",
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [73, 2000])
def test_query_count_is_constant_for_page_and_fragment(client, django_assert_max_num_queries, n):
    bulk_foods(n)
    params = {"group": [g.slug for g in FoodGroup.objects.all()[:2]], "sort": "group", "basis": "100g"}
    # 1 query for the group checkboxes, 1 for the count, 1 for the page of rows (with their groups); the
    # full page adds 1 for its "Last reviewed / Last updated" dates (aggregated over all published foods).
    for headers, queries in (({}, 4), (HTMX, 3)):
        with django_assert_max_num_queries(queries):
            response = client.get(URL, params, **headers)
        assert response.status_code == 200
        assert len(food_row_names(response.text)) == 25


@pytest.mark.parametrize(("n", "queries"), [(0, 1), (24, 1), (25, 2), (26, 2)])
def test_a_list_that_fits_on_its_first_page_is_counted_from_its_rows(client, django_assert_num_queries, n, queries):
    """The first page is read before the count (food_pages.page_of): fewer rows than a page need no count
    query; a full first page is counted, and shows the same count and rows either way."""
    bulk_foods(n)
    with django_assert_num_queries(queries):  # the htmx results of a search read no groups
        html = client.get(URL, **HTMX).text
    assert count_text(html) == f"{n} food{'' if n == 1 else 's'}"
    richest_first = sorted(range(n), key=lambda i: (-(i % 400), f"Food {i}"))
    assert food_row_names(html) == [f"Food {i}" for i in richest_first][:25]
    if n > 25:
        second = client.get(URL, {"page": "2"}, **HTMX).text
        assert count_text(second) == f"{n} foods" and len(food_row_names(second)) == n - 25


def test_per_100g_matches_the_usda_figure_where_usda_is_the_primary_source(client, seeded):
    html = client.get(URL, {"q": "kale", "basis": "100g"}).text
    row = re.search(r"Kale, raw</a></th>.*?</tr>", html, re.S).group(0)
    assert re.search(r'<td [^>]*class="num"[^>]*>47</td>', row) and "NDB 11233 (KALE,RAW): 47 mg/100 g" in row
    per_serving = client.get(URL, {"q": "kale"}).text
    row = re.search(r"Kale, raw</a></th>.*?</tr>", per_serving, re.S).group(0)
    assert re.search(r'<td [^>]*class="num"[^>]*>8</td>', row)


def source_note(html, name):
    row = re.search(rf"{re.escape(name)}</a></th>.*?</tr>", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.search(r'<p class="meta">(.*?)</p>', row, re.S).group(1))


def amount(html, name):
    row = re.search(rf"{re.escape(name)}</a></th>.*?</tr>", html, re.S).group(0)
    return re.search(r'<td [^>]*class="num"[^>]*>([^<]+)</td>', row).group(1)


@pytest.mark.parametrize(
    ("query", "name", "per_serving", "per_100g"),
    [
        # NIH serving figure, USDA per-100 g figure: shown as each source gives it (80 x 100 / 28.35 = 282).
        ("almonds", "Almonds, dry roasted", "80", "279"),
        # USDA only: the serving figures as the reference rounds them (86 x 1.75 = 150.5, 499 x 0.054 = 26.9).
        ("chard", "Swiss chard, boiled, drained", "150", "86"),
        ("cocoa", "Cocoa powder, unsweetened", "27", "499"),
    ],
)
def test_both_amounts_are_the_sources_own_figures(client, seeded, query, name, per_serving, per_100g):
    per_serving_html = client.get(URL, {"q": query}).text
    assert amount(per_serving_html, name) == per_serving
    assert amount(client.get(URL, {"q": query, "basis": "100g"}).text, name) == per_100g
    assert f"Per 100 g: {per_100g} mg, as the source gives it." in source_note(per_serving_html, name)


def test_a_food_without_a_per_100g_figure_shows_one_worked_out_and_says_so(client, seeded):
    make_food(name="Editor food", serving_grams=Decimal("28.35"), magnesium_mg=Decimal("80"))
    html = client.get(URL, {"q": "editor", "basis": "100g"}).text
    assert amount(html, "Editor food") == "282"
    assert "Per 100 g: 282 mg, worked out from 80 mg in 28.35 g." in source_note(html, "Editor food")
    # Filtering and sorting use the same figure.
    assert food_row_names(client.get(URL, {"q": "editor", "basis": "100g", "min_mg": "282"}).text) == ["Editor food"]
    assert food_row_names(client.get(URL, {"q": "editor", "basis": "100g", "min_mg": "283"}).text) == []


def test_history_restore_page_has_one_live_count(client, seeded):
    html = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true").text
    assert html.count('id="result-count"') == 1


def test_search_matches_the_start_of_a_word(client, seeded):
    assert food_row_names(client.get(URL, {"q": "alm"}).text) == ["Almonds, dry roasted"]
    names = food_row_names(client.get(URL, {"q": "chocolate"}).text)
    assert sorted(names) == ["Dark chocolate, 45-59% cacao solids", "Dark chocolate, 70-85% cacao solids"]
    assert "Pumpkin seeds (pepitas), roasted" in food_row_names(client.get(URL, {"q": "pepitas"}).text)


def test_the_daily_value_names_its_source(client, seeded):
    assert "(US FDA, 2016)" in client.get(URL).text
    sources = client.get("/sources/").text
    assert "Daily Value of 420 mg" in sources and "81 FR 33742" in sources and "older labels" in sources


DV_CAVEAT = (
    "The Daily Value is a label figure for adults and children 4 years and older, not for infants or children "
    "under 4, and not a personal target: recommended intakes differ by age, by sex and in pregnancy and "
    "breastfeeding (intake figures by life stage)."
)


def plain_words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" )", ")").replace("( ", "(")


def test_whom_the_daily_value_is_for_is_said_where_the_list_first_explains_it(client, seeded):
    html = client.get(URL).text
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert "% Daily Value is against the 420 mg label Daily Value (US FDA, 2016). " + DV_CAVEAT in plain_words(lead)
    assert plain_words(html).count("children under 4") == 1  # said once, above the table, not again below it
    assert '<a href="/supplements/safety/">intake figures by life stage</a>' in lead
    # The food pages say the same sentence (one include).
    assert DV_CAVEAT in plain_words(client.get("/foods/almonds-dry-roasted/").text)
