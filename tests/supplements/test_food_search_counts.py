"""The food search's shortlist on /planner/ and /foods/compare/: its count sentence is true (how many
foods the search finds, as /foods/ counts them, and that only the first few are shown), and the shortlist
is ranked as /foods/ ranks the search, so "alm" offers "Nuts, almonds" rather than candies and almond
milks (a clinician's review, 30 November 2026)."""

import re
from html import unescape

import pytest

from supplements.models import search_text
from tests.factories import import_usda, usda_bytes

pytestmark = pytest.mark.django_db

PLANNER = "/planner/"
COMPARE = "/foods/compare/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(html):
    """A sentence as a reader reads it: its words without the tags (a link's words run on)."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))).strip()


def ndbs_found_by(*queries):
    """The NDB numbers of every SR28 food whose description or common name has a word starting with a
    query (USDA's own FOOD_DES lines), as the site's search reads them."""
    found = []
    for line in usda_bytes("FOOD_DES").decode("latin-1").splitlines():
        fields = [value.strip("~") for value in line.split("^")]
        words = search_text(fields[2], fields[4]).split()
        if any(any(word.startswith(query) for word in words) for query in queries):
            found.append(fields[0])
    return found


@pytest.fixture
def searchable(tmp_path, seeded):
    """Every USDA food "alm" or "spin" finds (45 and 32 on the full site), imported from USDA's files."""
    return import_usda(tmp_path / "sr28", ndbs_found_by("alm", "spin"))


def planner_count(client, query):
    html = client.get(PLANNER, {"q": query}).text
    return text(re.search(r'<p id="matches-count"[^>]*>(.*?)</p>', html, re.S).group(1))


def planner_offers(client, query):
    html = client.get(PLANNER, {"q": query}).text
    return re.findall(r'name="add_food" value="[^"]+"[^>]*>Add<span class="visually-hidden"> ([^<]+)<', html)


def compare_offers(client, query, **params):
    html = client.get(COMPARE, {"q": query, **params}).text
    return [unescape(name) for name in re.findall(r'>Add<span class="visually-hidden"> ([^<]+)<', html)]


def foods_list(client, query, scope="all"):
    """(the count /foods/ gives for the search, its first rows' names)."""
    html = client.get("/foods/", {"q": query, "scope": scope}).text
    count = int(re.search(r'id="result-count"[^>]*>([\d,]+) food', html).group(1).replace(",", ""))
    names = re.findall(r'<th scope="row" role="rowheader"><a href="[^"]*">([^<]*)</a>', html)
    return count, [unescape(name) for name in names]


@pytest.mark.parametrize("query", ["alm", "spin"])
def test_the_planner_says_how_many_foods_the_search_found_and_that_it_shows_the_first_8(client, searchable, query):
    usda_count, usda_names = foods_list(client, query)
    featured_count, featured_names = foods_list(client, query, scope="featured")
    assert usda_count > 8 and featured_count >= 1  # the shortlist is cut: the case the reviewer saw
    count = planner_count(client, query)
    featured = f"{featured_count} featured food{'s' if featured_count > 1 else ''}"
    assert count.startswith(f"{featured} and {usda_count} USDA foods found for “{query}”. "), count
    assert f"the first 8 of the {usda_count} USDA foods, as the food list ranks them" in count
    assert f"Type more of the name to narrow the search, or see all {usda_count} USDA foods on the food list." in count
    # Featured foods first, then USDA's first 8, each in the order /foods/ gives them.
    assert planner_offers(client, query) == featured_names + usda_names[:8]


def test_alm_offers_the_almonds_themselves(client, searchable):
    """The reviewer's case: "Nuts, almonds" never appeared (candies and almond milks came first, A to Z)."""
    offered = planner_offers(client, "alm")
    assert "Nuts, almonds" in offered
    assert not [name for name in offered if name.startswith(("Candies", "Beverages"))], offered
    assert "Nuts, almonds" in compare_offers(client, "alm")


def test_the_food_list_link_shows_every_food_found(client, searchable):
    html = client.get(PLANNER, {"q": "alm"}).text
    link = re.search(r'<a href="([^"]+)">all (\d+) USDA foods on the food list</a>', html)
    count, names = foods_list(client, "alm")
    assert unescape(link.group(1)) == "/foods/?scope=all&q=alm" and int(link.group(2)) == count
    assert "Nuts, almonds" in names


def test_a_search_that_shows_everything_it_found_says_so_plainly(client, searchable):
    """ "spinach raw" finds few foods: every one is shown, so no "first 8" and no link."""
    count = planner_count(client, "spinach raw")
    offered = planner_offers(client, "spinach raw")
    assert 0 < len(offered) <= 8
    assert count == f"{len(offered)} food{'s' if len(offered) > 1 else ''} found for “spinach raw”."


def test_the_comparison_says_how_many_foods_the_search_found(client, searchable):
    usda_count, usda_names = foods_list(client, "alm")
    html = client.get(COMPARE, {"q": "alm"}).text
    count = text(re.search(r'<p class="meta" id="matches-count">(.*?)</p>', html, re.S).group(1))
    assert count.startswith(f"1 featured food and {usda_count} USDA foods found for “alm”. "), count
    assert f"the first 8 of the {usda_count} USDA foods" in count
    # How each kind is ranked, as the shortlist is: featured foods have no "starts with" rank.
    assert (
        "(featured foods by most magnesium per serving; USDA foods whose names start with “alm” first, then by"
        in count
    )
    assert compare_offers(client, "alm")[1:] == usda_names[:8]
    # A food already compared is not offered again, and the next one takes its place.
    first = searchable_slug(usda_names[0])
    offered = compare_offers(client, "alm", food=first)
    assert offered[1:] == usda_names[1:9]


def searchable_slug(description):
    from supplements.models import USDAFood

    return USDAFood.objects.get(description=description).slug


def test_the_comparison_counts_a_food_already_compared_when_all_are_shown(client, searchable):
    slug = searchable_slug("Spinach, raw")
    html = client.get(COMPARE, {"q": "spinach raw", "food": slug}).text
    count = text(re.search(r'<p class="meta" id="matches-count">(.*?)</p>', html, re.S).group(1))
    offered = re.findall(r'href="/foods/compare/\?food=[^"&]+&amp;food=([^"]+)"', html)
    assert offered and slug not in offered  # USDA's "Spinach, raw" is compared, so not offered again
    assert count == f"{len(offered) + 1} foods found for “spinach raw”, 1 of them already compared."


@pytest.mark.parametrize("query", ["spinach raw", "alm", "a"])
def test_the_search_costs_two_queries_however_many_foods_it_finds(
    client, searchable, django_assert_num_queries, query
):
    """The featured foods and the USDA foods, each read with its count (a window count): two queries."""
    with django_assert_num_queries(2 + 4):  # the planner's own: forms, life stages, the byline's two
        response = client.get(PLANNER, {"q": query})
    assert "found for" in text(response.text)
    with django_assert_num_queries(2):
        client.get(COMPARE, {"q": query}, **HTMX)


def test_when_every_food_found_is_already_compared_the_comparison_says_so(client, searchable):
    """Not "No food matches": the search found foods, all of them already on the page."""
    slug = searchable_slug("Spinach, raw")
    html = client.get(COMPARE, {"q": "spinach raw", "food": slug}).text
    others = re.findall(r'href="/foods/compare/\?food=[^"&]+&amp;food=([^"]+)"', html)
    compared = [slug, *others]
    assert len(compared) <= 4  # the comparison holds them all
    html = client.get(COMPARE, {"q": "spinach raw", "food": compared}).text
    words = text(html)
    assert "No food matches" not in words
    assert (
        f"{len(compared)} foods found for “spinach raw”, {len(compared)} of them already compared: every food it "
        "finds is already compared." in words
    )
