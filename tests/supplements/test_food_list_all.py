"""/foods/ over every food USDA measured (issue 15): `scope`, `basis=100kcal`, word-start search
ranked, each row's solidity and link, in both scopes, alone and combined, and bad values
dropped with notices. USDA foods are imported from USDA's own SR28 lines (a small sample)."""

import re
from decimal import Decimal
from html import unescape

import pytest

from supplements.models import FoodEntry, USDAFood, USDAFoodGroup
from tests.factories import (
    HTMX,
    LENTILS,
    NDBS,
    REPO_COPY,
    SEED_FOODS,
    count_text,
    food_row_names,
    import_usda,
    make_food,
    notices,
    results_fragment,
    row_links,
    run,
)

pytestmark = pytest.mark.django_db

URL = "/foods/"


@pytest.fixture
def usda(tmp_path, seeded):
    """Eleven USDA foods (NDBS: lentils, almonds, salmon and more), not conftest's six: {ndb: USDAFood}."""
    return import_usda(tmp_path / "sr28", NDBS)


def get(client, params=None, **headers):
    response = client.get(URL, params or {}, **headers)
    assert response.status_code == 200
    return response.text


def row(html, name):
    return re.search(rf">{re.escape(name)}</a></th>.*?</tr>", html, re.S).group(0)


def amount(html, name):
    return re.sub(r"<[^>]+>", "", re.search(r'<td [^>]*class="num"[^>]*>(.*?)</td>', row(html, name)).group(1))


def words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


# --- scope ----------------------------------------------------------------------------------------


def test_featured_is_the_default_scope_and_unchanged(client, usda):
    html = get(client)
    assert count_text(html) == f"{len(SEED_FOODS)} foods"  # the featured foods the seed's CSV lists
    assert food_row_names(html)[0] == FoodEntry.objects.order_by("-magnesium_mg").first().name
    assert food_row_names(get(client, {"scope": "featured"})) == food_row_names(html)
    assert re.search(r'name="scope" value="featured"[^>]*checked', html)


def test_scope_all_lists_usda_foods_with_their_own_slugs_and_figures(client, usda):
    html = get(client, {"scope": "all", "basis": "100g"})
    assert count_text(html) == f"{len(NDBS)} foods"
    links = {name: slug for slug, name in row_links(html)}
    assert set(links) == {food.description for food in usda.values()}
    pumpkin = usda["12016"]
    assert links[pumpkin.description] == pumpkin.slug  # rows link to the USDA slug
    names = food_row_names(html)
    assert names[0] == pumpkin.description  # 550 mg per 100 g, the most
    assert amount(html, pumpkin.description) == "550"
    assert re.search(r'name="scope" value="all"[^>]*checked', html)
    assert "Magnesium per 100 g in every food USDA measured" in html


def test_featured_rows_link_to_the_featured_slug(client, usda):
    links = row_links(get(client, {"q": "pumpkin"}))
    assert links == [("pumpkin-seeds-pepitas-roasted", "Pumpkin seeds (pepitas), roasted")]
    assert client.get("/foods/pumpkin-seeds-pepitas-roasted/").status_code == 200


def test_scope_all_group_filter_lists_usdas_25_groups(client, usda):
    html = get(client, {"scope": "all"})
    boxes = re.findall(r'name="group" value="([^"]+)"', html)
    assert len(boxes) == USDAFoodGroup.objects.count() == 25
    assert "nut-and-seed-products" in boxes and "nuts" not in boxes
    html = get(client, {"scope": "all", "group": "nut-and-seed-products", "sort": "name"})
    assert food_row_names(html) == ["Nuts, almonds", usda["12016"].description]
    assert count_text(html) == "2 foods match your filters"
    # The featured scope keeps its own groups.
    featured = get(client)
    assert "nut-and-seed-products" not in featured and re.search(r'name="group" value="nuts"', featured)


def test_a_bad_scope_shows_the_featured_foods(client, usda):
    html = get(client, {"scope": "all'", "group": "nuts"})
    assert count_text(html) == f"{FoodEntry.objects.filter(group__slug='nuts').count()} foods match your filters"


# --- basis ----------------------------------------------------------------------------------------


def test_usda_per_serving_is_the_first_household_measure(client, usda):
    spinach = usda["11457"]  # 79 mg per 100 g; 1 cup = 30 g: 23.7 mg
    html = get(client, {"scope": "all", "q": "spinach raw"})
    assert amount(html, "Spinach, raw") == "24"
    note = words(row(html, "Spinach, raw"))
    assert "1 cup (30 g)" in note
    assert "Per serving (1 cup, 30 g, USDA's first household measure): 23.7 mg." in note
    assert f"USDA SR28, NDB {spinach.ndb_number}" in note and "Per 100 g: 79 mg magnesium, 23 kcal." in note


def test_per_100kcal_in_scope_all_with_the_dash_sorted_last(client, usda):
    html = get(client, {"scope": "all", "basis": "100kcal"})
    names = food_row_names(html)
    water = usda["14411"].description  # 0 kcal: per 100 kcal undefined
    assert names[-1] == water
    assert amount(html, water) == "–no figure"  # a dash, with words for a screen reader
    assert "0 kcal: undefined" in row(html, water)
    ranked = list(
        USDAFood.objects.exclude(mg_per_100kcal=None).order_by("-mg_per_100kcal").values_list("description", flat=True)
    )
    assert names[:-1] == ranked
    assert amount(html, "Spinach, raw") == "343"  # 79 / 23 x 100 = 343.48
    assert "Per 100 kcal: 343.5 mg (79 mg ÷ 23 kcal × 100, to 0.1 mg)." in words(row(html, "Spinach, raw"))
    assert "Magnesium per 100 kcal" in html and "% DV in 100 kcal" in html


def test_per_100kcal_says_how_much_food_holds_100_kcal(client, usda):
    """Per 100 kcal ranks foods with few calories high: each row gives the weight that holds 100 kcal."""
    for scope in ("all", "featured"):
        html = get(client, {"scope": scope, "basis": "100kcal"})
        assert "Per 100 kcal favours foods with few calories" in words(html)
    html = get(client, {"scope": "all", "basis": "100kcal"})
    assert "100 kcal (435 g)" in words(row(html, "Spinach, raw"))  # 10,000 / 23 kcal per 100 g = 434.8 g
    pumpkin = usda["12016"].description
    assert "100 kcal (17 g)" in words(row(html, pumpkin))  # 574 kcal per 100 g
    assert "100 kcal (" not in words(row(html, usda["14411"].description))  # water: 0 kcal, no weight
    assert "100 kcal (17 g)" in words(
        row(get(client, {"basis": "100kcal", "q": "pumpkin"}), "Pumpkin seeds (pepitas), roasted")
    )


def test_scope_all_names_its_serving_as_usdas_first_household_measure(client, usda):
    """USDA lists household measures, not servings: a cup of one food ranks beside an ounce of another."""
    html = get(client, {"scope": "all"})
    assert "Magnesium per household measure (USDA's first listed) in every food USDA measured" in words(html)
    assert ">Household measure</th>" in html and "Per household measure (USDA's first)" in words(html)
    assert "USDA gives household measures, not serving sizes" in words(html)
    assert "Show amounts per 100 g to compare like with like." in words(html)
    featured = get(client)
    assert "USDA gives household measures" not in featured and ">Serving</th>" in featured
    assert "Magnesium per serving</caption>" in featured or "Magnesium per serving," in featured
    per_100g = get(client, {"scope": "all", "basis": "100g"})
    assert "USDA gives household measures" not in per_100g and "Magnesium per 100 g in every food" in per_100g


def test_min_mg_never_counts_an_undefined_per_100kcal(client, usda):
    html = get(client, {"scope": "all", "basis": "100kcal", "min_mg": "0"})
    assert usda["14411"].description not in food_row_names(html)
    assert len(food_row_names(html)) == len(NDBS) - 1
    html = get(client, {"scope": "all", "basis": "100kcal", "min_mg": "300"})
    assert sorted(food_row_names(html)) == ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]


def test_featured_per_100kcal_comes_from_the_linked_usda_entry(client, usda):
    html = get(client, {"basis": "100kcal"})
    names = food_row_names(html)
    linked = FoodEntry.objects.exclude(usda_food=None)
    assert set(names[: linked.count()]) == set(linked.values_list("name", flat=True))
    assert names[0] == "Spinach, boiled, drained"  # 87 / 23 x 100 = 378.26, the most per 100 kcal
    assert amount(html, "Spinach, boiled, drained") == "378"
    note = words(row(html, "Pumpkin seeds (pepitas), roasted"))
    assert (
        "Per 100 kcal: 95.8 mg, from its USDA entry (USDA SR28, NDB 12016: 550 mg magnesium and 574 kcal per 100 g, "
        "to 0.1 mg)." in note
    )
    # A featured food without a USDA entry has no figure: a dash, its reason, and it comes last.
    unlinked = FoodEntry.objects.filter(usda_food=None).order_by("name").first()
    assert amount(html, unlinked.name) == "–no figure"
    assert "no USDA entry" in row(html, unlinked.name)
    last_page = get(client, {"basis": "100kcal", "page": "3"})
    unlinked_names = set(FoodEntry.objects.filter(usda_food=None).values_list("name", flat=True))
    assert food_row_names(last_page)[-1] in unlinked_names
    # min_mg counts only defined figures.
    html = get(client, {"basis": "100kcal", "min_mg": "0"})
    assert set(food_row_names(html)) == set(linked.values_list("name", flat=True))


def test_basis_and_sort_by_name_and_group_in_scope_all(client, usda):
    html = get(client, {"scope": "all", "sort": "name", "basis": "serving"})
    names = food_row_names(html)
    assert names == sorted(names)
    html = get(client, {"scope": "all", "sort": "group", "basis": "100g"})
    groups = [re.search(r'data-label="Group">([^<]+)<', row(html, name)).group(1) for name in food_row_names(html)]
    assert groups == sorted(groups)


# --- search ---------------------------------------------------------------------------------------


def test_search_matches_word_starts_ranked_starts_first(client, usda):
    html = get(client, {"scope": "all", "q": "lent"})
    names = food_row_names(html)
    # Descriptions starting with "Lentils" first, by the chosen sort (most per serving first) ...
    assert set(names[:2]) == {"Lentils, raw", "Lentils, mature seeds, cooked, boiled, without salt"}
    assert names[:2] == sorted(names[:2], key=lambda name: -usda_serving(name))
    # ... then the other foods with a word starting "lent".
    assert names[2:] == ["Soup, lentil with ham, canned, ready-to-serve"]
    assert food_row_names(get(client, {"scope": "all", "q": "alm"})) == ["Nuts, almonds"]  # not salmon
    assert food_row_names(get(client, {"scope": "all", "q": "ALMONDS nuts"})) == ["Nuts, almonds"]
    assert food_row_names(get(client, {"scope": "all", "q": "salm"})) == ["Fish, salmon, Atlantic, wild, raw"]


def usda_serving(name):
    return USDAFood.objects.get(description=name).mg_per_serving or Decimal(-1)


def test_search_ranks_then_follows_the_chosen_sort(client, usda):
    names = food_row_names(get(client, {"scope": "all", "q": "spinach", "sort": "name"}))
    assert names == ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]
    names = food_row_names(get(client, {"scope": "all", "q": "sp", "basis": "100g"}))
    assert names == ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]  # 87, then 79


def test_search_combined_with_group_basis_and_min_mg(client, usda):
    params = {"scope": "all", "q": "lentil", "group": "legumes-and-legume-products", "basis": "100g", "min_mg": "40"}
    html = get(client, params)
    assert food_row_names(html) == ["Lentils, raw"]  # 47 mg; cooked 36 mg; the soup is not a legume product
    assert count_text(html) == "1 food matches your filters"
    assert re.search(r'value="legumes-and-legume-products"[^>]*checked', html)


def test_featured_search_is_unchanged(client, usda):
    assert food_row_names(get(client, {"q": "alm"})) == ["Almonds, dry roasted"]
    assert sorted(food_row_names(get(client, {"q": "SPINACH"}))) == ["Spinach, boiled, drained", "Spinach, raw"]


def test_htmx_fragment_in_scope_all(client, usda):
    html = results_fragment(client.get(URL, {"scope": "all", "q": "lent"}, **HTMX))
    assert 'data-hx-swap-oob="true"' in html and "3 foods match your filters" in html


# --- how solid each value is ----------------------------------------------------------------------


def solidity(html, name):
    found = re.search(r'<p class="solidity">([^<]*)</p>', row(html, name))
    return unescape(found.group(1)) if found else ""


def test_each_usda_row_says_how_solid_its_value_is(client, usda):
    html = get(client, {"scope": "all"})
    assert solidity(html, "Spinach, raw") == "7 analyses"
    assert solidity(html, "Nuts, almonds") == "88 analyses"
    assert solidity(html, "Soup, lentil with ham, canned, ready-to-serve") == "calculated or imputed"  # SRC_CD 4
    assert solidity(html, "Fish, salmon, Atlantic, wild, raw") == "1 analysis"
    note = words(row(html, "Spinach, raw"))
    assert "How the value was obtained: 7 analyses (standard error 4.794 mg); source: Analytical" in note


def test_each_linked_featured_row_says_how_solid_its_usda_value_is(client, usda):
    html = get(client, {"q": "pumpkin"})
    # The analyses are behind USDA's own figure, not the curated one the row shows: the words say so.
    usda_words = "USDA's own entry (NDB 12016: 550 mg per 100 g): 2 analyses"
    assert solidity(html, "Pumpkin seeds (pepitas), roasted") == usda_words
    make_food(name="Editor food")
    assert solidity(get(client, {"q": "editor"}), "Editor food") == ""  # no USDA entry: nothing claimed


# --- compare from the rows ------------------------------------------------------------------------


def compare_links(html):
    """Each row's compare link: (href, data-hx-get) as the browser would read them."""
    found = re.findall(r'<a id="compare-[^"]+" class="compare-toggle" href="([^"]+)" data-hx-get="([^"]+)">', html)
    return [(href.replace("&amp;", "&"), hx.replace("&amp;", "&")) for href, hx in found]


def tray(html):
    match = re.search(r'<div class="compare-tray">.*?</div>', html, re.S)
    return words(match.group(0)) if match else ""


def test_each_row_offers_to_add_it_to_a_comparison_keeping_the_filters(client, usda):
    html = get(client, {"q": "spinach", "basis": "100g"})
    links = compare_links(html)
    assert len(links) == 2 and tray(html) == ""
    href, hx = links[0]
    assert href.startswith("?q=spinach&basis=100g&compare=")
    assert hx == href + "&part=listing"  # htmx swaps the form and the results together


def test_one_food_chosen_asks_for_another(client, usda):
    html = get(client, {"compare": "spinach-raw", "q": "spinach"})
    assert "Your comparison (1 of 4)" in tray(html) and "Add at least one more food to compare" in tray(html)
    assert "Compare these" not in html
    # Choosing does not filter.
    assert count_text(get(client, {"compare": "spinach-raw"})) == f"{len(SEED_FOODS)} foods"
    # Its row now offers to remove it; the form keeps it (a plain GET keeps the comparison).
    remove = r'href="\?q=spinach" data-hx-get="\?q=spinach&amp;part=listing">Remove<span class="visually-hidden">'
    assert re.search(remove + r" Spinach, raw</span> from comparison", html)
    assert re.search(r'name="compare" value="spinach-raw"[^>]*checked', html)
    assert "<legend>Foods to compare</legend>" in html
    assert "<legend>Foods to compare</legend>" not in get(client)  # no empty box while none is chosen


def test_two_to_four_foods_of_either_kind_link_to_the_comparison(client, usda):
    pumpkin = usda["12016"].slug
    html = get(client, {"scope": "all", "compare": ["spinach-raw", pumpkin]})
    assert "Your comparison (2 of 4)" in tray(html)
    assert f'href="/foods/compare/?food=spinach-raw&amp;food={pumpkin}">Compare these 2 foods</a>' in html
    assert "Spinach, raw Remove" in tray(html)  # the featured food's name
    assert client.get(f"/foods/compare/?food=spinach-raw&food={pumpkin}").status_code == 200
    # Removing one from the tray keeps the other and the scope.
    remove = re.search(r'<li>Spinach, raw <a href="\?([^"]+)"', html).group(1).replace("&amp;", "&")
    assert remove == f"scope=all&compare={pumpkin}"


def test_four_foods_fill_the_comparison_and_a_fifth_is_dropped_with_a_notice(client, usda):
    slugs = [usda[ndb].slug for ndb in ("12016", "11457", "11458", "12061")]
    html = get(client, {"scope": "all", "compare": slugs})
    assert "Compare these 4 foods" in html
    links = compare_links(html)
    assert len(links) == 4 and all(href.count("compare=") == 3 for href, _ in links)  # each removes one
    assert html.count('<span class="meta">4 chosen</span>') == len(NDBS) - 4  # no more can be added
    fifth = usda[LENTILS]
    html = get(client, {"scope": "all", "compare": [*slugs, fifth.slug]})
    assert f"Up to four foods can be compared at once: left out “{fifth.description}”." in notices(html)
    assert "Compare these 4 foods" in html
    assert not re.search(rf'name="compare" value="{fifth.slug}"', html)
    assert len(re.findall(r'name="compare" value="[^"]+" id="[^"]+" checked', html)) == 4


def test_unknown_compare_slugs_are_dropped_with_a_notice(client, usda):
    html = get(client, {"compare": ["spinach-raw", "no-such-food", "<b>"]})
    assert "We have no food “no-such-food”, “&lt;b&gt;” to compare: ignored." in notices(html)
    assert "Your comparison (1 of 4)" in tray(html)
    html = get(client, {"compare": "no-such-food"})
    assert notices(html) == ["We have no food “no-such-food” to compare: ignored."] and tray(html) == ""


def test_a_compare_link_swaps_the_listing_and_shows_the_clean_address(client, usda):
    response = client.get(URL, {"q": "spinach", "compare": "spinach-raw", "part": "listing"}, **HTMX)
    html = response.text
    assert html.lstrip().startswith('<div id="food-listing"') and "<form" in html and "<html" not in html
    assert html.count('id="result-count"') == 1
    assert response["HX-Retarget"] == "#food-listing"
    assert response["HX-Push-Url"] == "/foods/?q=spinach&compare=spinach-raw"
    assert 'data-compare="spinach-raw"' in html and 'data-scope="featured"' in html
    # Without htmx (a shared link), the whole page; the word changes nothing.
    page = client.get(URL, {"compare": "spinach-raw", "part": "listing"})
    assert "<html" in page.text and "HX-Retarget" not in page
    # A plain filter request still gets the results alone.
    results_fragment(client.get(URL, {"compare": "spinach-raw"}, **HTMX))


def test_pages_keep_the_comparison(client, usda):
    html = get(client, {"compare": "spinach-raw", "sort": "name"})
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "compare=spinach-raw" in link and "sort=name" in link


# --- downloads ------------------------------------------------------------------------------------


def listed_names(client, params):
    """Every food the list shows for `params`, page after page."""
    names, page = [], 1
    while True:
        html = get(client, {**params, "page": str(page)})
        names += food_row_names(html)
        if 'rel="next"' not in html:
            return names
        page += 1


def csv_rows(client, params):
    import csv
    import io

    response = client.get("/foods/download.csv", params)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    # The header first, as spreadsheets and CSV readers expect (no comment line before it).
    assert lines[0][:2] in (["name", "slug"], ["ndb_number", "description"])
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def json_foods(client, params):
    import json

    response = client.get("/foods/download.json", params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "name", "basis": "100g"},
        {"q": "seed", "min_mg": "50"},
        {"group": ["nuts", "seeds"], "sort": "group"},
        {"basis": "100kcal"},
        {"scope": "all"},
        {"scope": "all", "basis": "100kcal", "sort": "mg"},
        {"scope": "all", "q": "lent", "sort": "name"},
        {"scope": "all", "group": "vegetables-and-vegetable-products", "min_mg": "80", "basis": "100g"},
    ],
)
def test_downloads_equal_the_filtered_list_every_page(client, usda, params):
    expected = listed_names(client, params)
    key = "description" if params.get("scope") == "all" else "name"
    assert [row[key] for row in csv_rows(client, params)] == expected
    assert [food[key] for food in json_foods(client, params)["foods"]] == expected
    if not params:
        assert len(expected) == len(SEED_FOODS) > 25  # every food, not one page of 25


def test_usda_download_figures_and_provenance_as_usda_gives_them(client, usda):
    rows = {row["ndb_number"]: row for row in csv_rows(client, {"scope": "all"})}
    assert rows["11457"] | {"slug": "", "group": ""} == {
        "ndb_number": "11457",
        "description": "Spinach, raw",
        "slug": "",
        "group": "",
        "magnesium_mg_per_100g": "79",
        "kcal_per_100g": "23",
        "magnesium_mg_per_100kcal": "343.48",
        "serving": "1 cup",
        "serving_grams": "30",
        "magnesium_mg_per_serving": "23.7",
        "analyses": "7",
        "how_solid": "7 analyses",
        "standard_error": "4.794",
        "source": "Analytical or derived from analytical",
        "derivation": "",
        "calculated_from_ndb_number": "",
    }
    assert rows["14411"]["magnesium_mg_per_100kcal"] == "" and rows["14411"]["kcal_per_100g"] == "0"
    foods = {food["ndb_number"]: food for food in json_foods(client, {"scope": "all"})["foods"]}
    assert foods["11457"]["magnesium_mg_per_100g"] == 79 and foods["11457"]["standard_error"] == 4.794
    assert foods["14411"]["magnesium_mg_per_100kcal"] is None
    assert foods["11457"]["slug"] == usda["11457"].slug


def test_featured_download_keeps_curated_figures_sources_and_the_usda_link(client, usda):
    rows = {row["name"]: row for row in csv_rows(client, {"q": "pumpkin"})}
    pumpkin = rows["Pumpkin seeds (pepitas), roasted"]
    assert pumpkin["magnesium_mg_per_serving"] == "156" and pumpkin["serving_grams"] == "28.35"
    assert pumpkin["magnesium_mg_per_100g"] == "550" and pumpkin["usda_ndb_number"] == "12016"
    assert pumpkin["usda_kcal_per_100g"] == "574" and pumpkin["usda_magnesium_mg_per_100kcal"] == "95.82"
    assert pumpkin["usda_analyses"] == "2" and "NIH ODS Magnesium Fact Sheet" in pumpkin["source"]


def test_downloads_drop_bad_values_with_the_lists_notices(client, usda):
    found = json_foods(client, {"scope": "all", "basis": "kg", "group": "nuts"})
    assert "USDA has no food group “nuts”: ignored." in found["notices"]
    assert len(found["foods"]) == len(NDBS)


def test_the_page_links_its_downloads_with_its_filters(client, usda):
    html = get(client, {"q": "spinach", "page": "1", "compare": "spinach-raw"})
    assert 'href="/foods/download.csv?q=spinach"' in html and 'href="/foods/download.json?q=spinach"' in html
    assert "Download all 2 foods that match your filters, with NDB numbers" in words(html)


@pytest.mark.parametrize("scope", ["featured", "all"])
def test_the_download_sentence_is_grammatical_for_one_food_many_and_none(client, usda, scope):
    def sentence(params):
        found = re.search(r'<p class="downloads">(.*?)</p>', get(client, {"scope": scope, **params}), re.S)
        return found and words(found.group(1)).split(", with")[0]

    assert sentence({"q": "alm"}) == "Download the one food that matches your filters"
    assert sentence({"q": "spinach"}) == "Download all 2 foods that match your filters"
    count = USDAFood.objects.count() if scope == "all" else FoodEntry.objects.published().count()
    assert sentence({}) == f"Download all {count} foods listed"
    assert sentence({"q": "zzzz"}) is None  # no foods: nothing to download, no "all 0 foods"


# --- query counts ---------------------------------------------------------------------------------

# Full page: 1 query for the scope's group checkboxes, 1 for the count, 1 for the page of rows (group
# name, USDA entry or provenance joined in), 1 for the page's dates. An htmx answer has no dates, and
# reads the groups only to check a group asked for or to draw the form (?part=listing): a search's
# results do neither. A first page with fewer rows than a page has no count query (its rows are the
# count: food_pages.page_of). Chosen foods to compare add 1 (featured) or 2 (featured, then USDA) lookups,
# whatever their number. A download: the groups when a group is asked for, 1 query for every matching
# food (read in chunks from one query).
QUERIES = [
    ({"scope": "all"}, 4, 2),
    ({"scope": "all", "q": "lent", "group": "legumes-and-legume-products"}, 4, 3),
    ({"scope": "all", "basis": "100g", "sort": "group", "min_mg": "100"}, 4, 2),
    ({"scope": "all", "basis": "100kcal", "sort": "name", "page": "9999"}, 4, 2),
    ({"scope": "all", "basis": "serving", "q": "seed", "min_mg": "0.5", "page": "3"}, 4, 2),
    ({"scope": "all", "basis": "100kcal", "page": "200"}, 4, 2),
    ({"scope": "all", "compare": ["spinach-raw", "almonds-dry-roasted"]}, 5, 3),
    ({"scope": "all", "q": "spinach", "compare": ["spinach-raw", "no-such-food"], "part": "listing"}, 6, 5),
    ({"basis": "100kcal", "sort": "group", "group": ["nuts", "seeds"]}, 4, 3),
    ({"q": "spinach", "basis": "100g", "min_mg": "10", "compare": ["spinach-raw"]}, 5, 3),
]


def assert_query_counts(client, django_assert_num_queries):
    for params, page_queries, htmx_queries in QUERIES:
        # The first page of a list that fits on it: counted from its rows, one query fewer.
        fits = "page" not in params and int(count_text(get(client, params)).split()[0].replace(",", "")) < 25
        for headers, queries in (({}, page_queries), (HTMX, htmx_queries)):
            with django_assert_num_queries(queries - fits):
                response = client.get(URL, params, **headers)
            assert response.status_code == 200, params
    for params, _, _ in QUERIES:
        for download in ("/foods/download.csv", "/foods/download.json"):
            # Featured slugs are looked up first; USDA's only for slugs no featured food has.
            lookups = 0 if "compare" not in params else 2 if "no-such-food" in params["compare"] else 1
            groups = 1 if "group" in params else 0
            with django_assert_num_queries(1 + groups + lookups):
                response = client.get(download, params)
                b"".join(response.streaming_content)


def test_query_counts_over_a_few_usda_foods(client, usda, django_assert_num_queries):
    assert_query_counts(client, django_assert_num_queries)


def test_query_counts_over_every_usda_food(client, seeded, django_assert_num_queries):
    """The same requests over USDA's whole SR28 copy (8,050 foods): the same query counts."""
    run(REPO_COPY)
    assert USDAFood.objects.count() == 8050
    assert_query_counts(client, django_assert_num_queries)
    assert len(csv_rows(client, {"scope": "all"})) == 8050
    html = get(client, {"scope": "all"})
    # Numbers as the site writes them elsewhere (the home page's "all 8,050 foods").
    assert count_text(html) == "8,050 foods"
    downloads = re.sub(r"<[^>]+>", "", re.search(r'<p class="downloads">.*?</p>', html, re.S).group(0))
    assert downloads.startswith("Download all 8,050 foods listed, with NDB numbers")
    assert '<meta name="description" content="Magnesium in 8,050 foods of USDA' in html


def test_row_links_carry_only_the_filters_in_use(client, usda):
    """A dropped value (a search too long to use) is not repeated in every row's compare link."""
    html = get(client, {"q": "x" * 101, "sort": "name", "group": "typo", "min_mg": "-1", "page": "2"})
    hrefs = [href for href, _ in compare_links(html)]
    assert len(hrefs) == 25
    assert all(href.startswith("?sort=name&page=2&compare=") for href in hrefs), hrefs[0]
    rows = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
    downloads = re.search(r'<p class="downloads">.*?</p>', html, re.S).group(0)
    assert "xxx" not in rows + downloads and "typo" not in rows + downloads
    html = get(client, {"group": ["nuts", "typo"], "sort": "name"})
    assert all(href.startswith("?group=nuts&sort=name&compare=") for href, _ in compare_links(html))


# --- "Add to my day" on every row -------------------------------------------------------------------------


def add_to_day_links(html):
    return re.findall(r'<a class="button button-secondary add-to-day" href="([^"]+)"[^>]*>Add to my day'
                      r'<span class="visually-hidden">: ([^<]*)</span></a>', html)  # fmt: skip


@pytest.mark.parametrize("scope", ["featured", "all"])
def test_every_row_adds_its_food_to_the_planner_as_the_planners_partial_writes_it(client, usda, scope):
    from django.template.loader import render_to_string

    make_food(name='Oats & "groats" <rolled>', slug="oats-groats")
    for headers in ({}, HTMX):
        html = get(client, {"scope": scope}, **headers)
        names = food_row_names(html)
        assert names and [name for _, name in add_to_day_links(html)] == names  # one a row, named for screen readers
        foods = FoodEntry.objects.published() if scope == "featured" else USDAFood.objects.all()
        for food in foods.filter(slug__in=[href.split("food=")[1][:-2] for href, _ in add_to_day_links(html)]):
            name = food.name if scope == "featured" else food.description
            partial = render_to_string(
                "supplements/includes/add_to_day.html", {"kind": "food", "value": f"{food.slug}:1", "name": name}
            )
            assert partial.strip() in row(html, name)
    if scope == "featured":  # a name with markup in it is escaped, as the partial escapes it
        html = get(client, {"q": "oats"})
        link = ("/planner/?food=oats-groats:1", "Oats &amp; &quot;groats&quot; &lt;rolled&gt;")
        assert link in add_to_day_links(html)


def test_a_usda_food_found_by_another_name_says_that_name(client, tmp_path, seeded):
    """ "spin" finds "Beef, ribeye cap steak…" by USDA's common name "Spinalis dorsi": the row says so."""
    import_usda(tmp_path / "named", [*NDBS, "23267"])
    html = get(client, {"scope": "all", "q": "spin"})
    names = food_row_names(html)
    assert names[:2] == ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]  # description matches first
    ribeye = next(name for name in names if name.startswith("Beef, ribeye cap steak"))
    assert names[-1] == ribeye
    assert "(USDA also calls it “Spinalis dorsi, URMIS #2069”)" in words(row_cell(html, ribeye))
    assert words(html).count("USDA also calls it") == 1  # not on the spinach rows
    assert "USDA also calls it" not in get(client, {"scope": "all", "q": "ribeye"})


def row_cell(html, name):
    return re.search(rf">{re.escape(name)}</a>.*?</th>", html, re.S).group(0)
