"""The medicines page carrying a plan from the planner (issue 16, "a reminder to check medicines (link to the
medicines page with the plan's context)"): the planner's "Check your medicines" link lands on
/supplements/medicines/ with the plan in the planner's own URL contract; the page shows the plan's supplements
in a "From your plan" box with a link back to the exact plan, keeps the plan while medicines are ticked (htmx and
plain GET), drops a bad item with a notice, never stores the plan, and its interaction guidance is unchanged."""

import re
from html import unescape

import pytest

from tests.factories import GABAPENTIN_TIMETABLE, HTMX, assert_readers_figures_not_kept, results_fragment

pytestmark = pytest.mark.django_db

URL = "/supplements/medicines/"
PLANNER = "/planner/"
PUMPKIN = "pumpkin-seeds-pepitas-roasted"
WOMAN = "adults-31-50-years-female"
EXAMPLE = f"stage={WOMAN}&food={PUMPKIN}:1&food=spinach-boiled-drained:2&supplement=label:200:1"
GLYCINATE = "supplement=magnesium-glycinate:500:2"  # 141 mg a day


def with_medicines(query, *slugs):
    """The page's address with a plan's query and ticked medicines (the test client's data would replace the query)."""
    return f"{URL}?{query}" + "".join(f"&medicine={slug}" for slug in slugs)


def text(html):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def timetable(html):
    """The timetable's lines as a reader reads them (GABAPENTIN_TIMETABLE)."""
    block = re.search(r'<div class="timetable">(.*?)</div>', html, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S) if block else []
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item))).strip() for item in items]


def plan_box(html):
    box = re.search(r'<section class="plan-context".*?</section>', html, re.S)
    return box.group(0) if box else ""


def back_link(html):
    return unescape(re.search(r'<a href="([^"]+)">Back to your magnesium day</a>', plan_box(html)).group(1))


def results(html):
    return re.search(r'<section id="results".*?</section>\s*(?=<p class="meta">The hours)', html, re.S).group(0)


def hidden_plan(html):
    form = re.search(r'<form class="filters medicine-picker".*?</form>', html, re.S).group(0)
    return [(n, unescape(v)) for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)]


def medicines_link(planner_html):
    link = re.search(r'<a href="(/supplements/medicines/[^"]*)">See how far apart', planner_html).group(1)
    return unescape(link)


def test_the_planners_link_lands_on_the_medicines_page_with_the_plans_supplements_and_a_link_back(client, seeded):
    planner_html = client.get(f"{PLANNER}?{EXAMPLE}&{GLYCINATE}").text
    link = medicines_link(planner_html)
    assert link == f"{URL}?{EXAMPLE}&{GLYCINATE}"
    response = client.get(link)
    assert response.status_code == 200
    box = text(plan_box(response.text))
    assert box.startswith("From your plan")
    assert (
        "Your magnesium day for adults, 31-50 years, female has 341 mg of magnesium a day from supplements, "
        "antacids and laxatives" in box
    )
    assert "Your supplement (label: 200 mg) : 200 mg of magnesium a serving, 1 serving a day = 200 mg a day" in box
    assert "Magnesium glycinate : 500 mg of magnesium glycinate a serving, 2 servings a day = 141 mg a day" in box
    assert "Pumpkin" not in box  # foods are not what the timings are about; they stay in the plan
    # The way back is the exact plan, foods included; following it gives the same day.
    back = back_link(response.text)
    assert back == f"{PLANNER}?{EXAMPLE}&{GLYCINATE}"
    assert "653 mg of magnesium a day" in text(client.get(back).text)  # 156 + 156 + 200 + 141
    # The page says the reader's plan is kept nowhere but in its address.
    assert "Your list and your plan live only in this page’s address" in text(response.text)


def test_the_interaction_guidance_is_the_same_with_a_plan(client, seeded):
    """The plan adds a box; the cards, the timetable and every "do not" are exactly what the page says without it."""
    for medicines in ([], ["raltegravir", "gabapentin", "proton-pump-inhibitors"]):
        alone = client.get(URL, {"medicine": medicines}).text
        with_plan = client.get(with_medicines(EXAMPLE, *medicines)).text
        show_all = f'href="{URL}?{EXAMPLE.replace("&", "&amp;")}">Show all medicines'
        assert results(with_plan).replace(show_all, f'href="{URL}">Show all medicines') == results(alone)
        assert bool(medicines) == (show_all in with_plan)  # "Show all medicines" keeps the plan
    assert (
        "Do not take aluminium- or magnesium-containing antacids with raltegravir, either together or spaced apart."
        in with_plan
    )


def test_ticking_medicines_keeps_the_plan_with_javascript_off(client, seeded):
    html = client.get(f"{URL}?{EXAMPLE}").text
    # The plain GET form sends the plan again with the ticked boxes.
    pairs = hidden_plan(html)
    assert pairs == [
        ("stage", WOMAN),
        ("food", f"{PUMPKIN}:1"),
        ("food", "spinach-boiled-drained:2"),
        ("supplement", "label:200:1"),
    ]
    submitted = client.get(URL, [*pairs, ("medicine", "gabapentin")]).text
    assert timetable(submitted) == [GABAPENTIN_TIMETABLE]
    assert back_link(submitted) == f"{PLANNER}?{EXAMPLE}"
    assert hidden_plan(submitted) == pairs
    # Without a plan the form carries none.
    assert hidden_plan(client.get(URL).text) == [] and plan_box(client.get(URL).text) == ""


def test_htmx_results_need_no_plan_reading_and_keep_it_in_show_all(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(1):  # the medicines, as without a plan
        client.get(with_medicines("", "gabapentin"), **HTMX)
    with django_assert_num_queries(1):
        response = client.get(with_medicines(EXAMPLE, "gabapentin"), **HTMX)
    html = results_fragment(response)
    assert "plan-context" not in html
    assert f'href="{URL}?{EXAMPLE.replace("&", "&amp;")}">Show all medicines' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # A history restore gets the whole page, with the box.
    restored = client.get(with_medicines(EXAMPLE, "gabapentin"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in restored.text and "From your plan" in restored.text


@pytest.mark.parametrize(
    ("stage", "sentence"),
    [
        ("infants-7-12-months-all", "Give an infant no magnesium supplement, antacid or laxative unless a clinician"),
        ("children-4-8-years-all", "For a child, ask the child’s doctor or pharmacist before giving any magnesium"),
    ],
)
def test_an_infants_or_childs_plan_carries_its_instruction(client, seeded, stage, sentence):
    box = text(plan_box(client.get(URL, {"stage": stage, "supplement": "label:100:1"}).text))
    assert sentence in box and "100 mg of magnesium a day" in box


def test_an_adults_plan_carries_no_childs_instruction(client, seeded):
    box = text(plan_box(client.get(f"{URL}?{EXAMPLE}").text))
    assert "infant" not in box and "child" not in box


def test_a_plan_of_foods_only_says_it_has_no_supplement(client, seeded):
    box = text(plan_box(client.get(URL, {"food": f"{PUMPKIN}:1"}).text))
    assert "Your magnesium day has no magnesium supplement, antacid or laxative, only foods." in box
    assert back_link(client.get(URL, {"food": f"{PUMPKIN}:1"}).text) == f"{PLANNER}?food={PUMPKIN}:1"


BAD = [
    ("stage=martians", "We have no life stage “martians”: left out of your plan."),
    ("food=no-such-food:1", "We have no food “no-such-food”: left out."),
    ("supplement=unobtainium:200:1", "We have no supplement form “unobtainium”: left out."),
    ("supplement=label:0:1", "The mg per serving of the supplement must be a number more than 0"),
    ("supplement=label:200:13", "Servings a day of the supplement must be a whole number from 1 to 12"),
    ("supplement=label:200", "is not a supplement as the planner writes it (<form slug>:<mg of the compound>:"),
    (f"food={PUMPKIN}:1e3", "not “1e3”: left out."),
    ("food=%00:1", "We have no food “\ufffd”: left out."),
    ("supplement=" + "x" * 500 + ":1:1", "We have no supplement form “xxxx"),
    ("&".join(["supplement=label:10:1"] * 40), "A plan holds at most 40 items: the first 40 are shown, 1 more"),
]


@pytest.mark.parametrize(("query", "notice"), BAD)
def test_a_bad_item_is_dropped_with_a_notice_never_a_500(client, seeded, query, notice):
    response = client.get(f"{URL}?supplement=label:200:1&{query}&medicine=gabapentin")
    assert response.status_code == 200
    box = text(plan_box(response.text))
    assert "Some of your plan could not be read and was left out" in box and notice in box, box
    assert "Your supplement (label: 200 mg)" in box  # the good item is kept
    assert "without what was left out" in box
    kept = "&supplement=label:10:1" * 39 if "40 items" in notice else ""  # the first 40 items
    assert back_link(response.text) == f"{PLANNER}?supplement=label:200:1{kept}"  # the plan without the bad item
    assert timetable(response.text) == [GABAPENTIN_TIMETABLE]  # guidance stands
    assert "no-store" in response["Cache-Control"]


def test_the_planners_own_edit_and_search_parameters_are_not_a_plan(client, seeded):
    """Only stage, food and supplement are read: a stray edit row, "add" or search changes nothing."""
    stray = {"item-0": f"food:{PUMPKIN}", "servings-0": "9", "add_food": PUMPKIN, "remove": "0", "q": "spin"}
    html = client.get(URL, {**stray, "supplement": "label:200:1"}).text
    assert back_link(html) == f"{PLANNER}?supplement=label:200:1" and "left out" not in plan_box(html)
    assert hidden_plan(html) == [("supplement", "label:200:1")]
    # Those alone are no plan: the public page, no box.
    response = client.get(URL, stray)
    assert plan_box(response.text) == "" and "no-store" not in response.get("Cache-Control", "")


def many_supplements(n):
    return "&".join(("supplement=label:100:1", GLYCINATE)[i % 2] for i in range(n))


def many_items(n):
    """n items, foods first then supplements, as the planner writes a plan."""
    foods = [(f"food={PUMPKIN}:1", "food=spinach-boiled-drained:2:1")[i % 2] for i in range(n // 2)]  # :1 USDA's
    supplements = [("supplement=label:100:1", GLYCINATE)[i % 2] for i in range(n - n // 2)]
    return "&".join(foods + supplements)


@pytest.mark.parametrize("n", [1, 40])
def test_query_count_is_constant_whatever_the_plans_size(client, usda, django_assert_num_queries, n):
    """Without a plan: the medicines and the page's dates (2). A plan adds the life stages and the supplement
    forms (4), and with foods the featured foods, the USDA foods and their measures (7), for 1 item or 40."""
    with django_assert_num_queries(4):
        response = client.get(with_medicines(f"stage={WOMAN}&{many_supplements(n)}", "gabapentin"))
    assert len(re.findall(r"<li><a href=", plan_box(response.text))) == n
    query = f"stage={WOMAN}&{many_items(n)}" if n > 1 else f"stage={WOMAN}&food={PUMPKIN}:1"
    with django_assert_num_queries(7):
        response = client.get(with_medicines(query, "gabapentin"))
    assert back_link(response.text) == f"{PLANNER}?{query}"


def test_query_count_without_a_plan_is_unchanged(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(URL, {"medicine": "gabapentin"})
    assert plan_box(response.text) == ""


@pytest.mark.django_db(transaction=True)
def test_a_plan_is_not_kept_by_the_page_cache_a_cookie_or_the_log(client, caplog, settings, tmp_path):
    assert_readers_figures_not_kept(client, caplog, settings, tmp_path, URL, {"supplement": "label:433:1"}, "433")
    # A plan without medicines, and a bad plan alone, are the reader's own too.
    response = client.get(URL, {"stage": "martians"})
    assert "no-store" in response["Cache-Control"] and response.get("X-Page-Cache") != "hit"


def test_the_planners_live_result_carries_the_edited_plan_to_the_medicines_page(client, seeded):
    """The link is part of the result htmx redraws while amounts change: it carries the plan as edited."""
    rows = {"stage": WOMAN, "item-0": "supplement:label", "mg-0": "250", "per_day-0": "2"}
    live = client.get(PLANNER, rows, HTTP_HX_TARGET="result", **HTMX).text
    link = medicines_link(live)
    assert link == f"{URL}?stage={WOMAN}&supplement=label:250:2"
    assert "500 mg of magnesium a day" in text(plan_box(client.get(link).text))
    # An empty day has no result, so no link; a day of food only carries it too.
    assert "see how far apart" not in client.get(PLANNER).text
    assert medicines_link(client.get(PLANNER, {"food": f"{PUMPKIN}:1"}).text) == f"{URL}?food={PUMPKIN}:1"
