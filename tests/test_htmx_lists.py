"""What every htmx-filtered list does alike, checked on each (the pages' own tests check their rows;
here each list's rows are read by its own tests' reader)."""

from urllib.parse import urlencode

import pytest

from tests.factories import (
    HTMX,
    assert_no_control_characters,
    card_names,
    finding_ids,
    food_row_names,
    form_row_names,
    history_restore,
    notices,
    titles,
)

pytestmark = pytest.mark.django_db

LISTS = ["/foods/", "/evidence/", "/supplements/medicines/", "/supplements/", "/articles/"]
LISTED = {  # what each list lists, read as its own tests read it
    "/foods/": food_row_names,
    "/evidence/": finding_ids,
    "/supplements/medicines/": card_names,
    "/supplements/": form_row_names,
    "/articles/": titles,
}


@pytest.mark.parametrize("url", LISTS)
def test_every_response_varies_on_the_htmx_headers(client, seeded, url):
    for headers in ({}, HTMX):
        vary = client.get(url, **headers)["Vary"]
        assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


@pytest.mark.parametrize(
    ("url", "query"),
    [("/foods/", {"q": "almond"}), ("/evidence/", {"condition": "nerve-pain"}), ("/supplements/", {"sort": "name"})],
)
def test_history_restore_request_gets_the_full_page(client, seeded, url, query):
    history_restore(client, url, query)


def bad(url, params, notice, kept=None, data="seeded"):
    """A request with a parameter `url`'s list cannot use. `notice`: what the reader is told (its
    start; None where the list's old table checked none). `kept`: what the list still applies of
    `params` (none of it by default). `data`: the fixture whose rows the list shows."""
    return pytest.param(url, params, kept or {}, notice, data, id=f"{url}?{urlencode(params, doseq=True)[:40]}")


MG = "The minimum magnesium must be a number of 0 or more"
FOOD_SORT = "Sorting can be by magnesium, name or food group"
BASIS = "Amounts can be shown per serving, per 100 g or per 100 kcal"
SEARCH = "The search text could not be used"
CERTAINTY = "Certainty can be high, moderate, low or very low: showing every certainty."
DIRECTION = "A result can be benefit, no clear benefit, harm or mixed: showing every result."
ALL = {"scope": "all"}
BAD_PARAMETERS = [
    bad("/foods/", {"min_mg": "abc"}, f"{MG}: ignored."),
    bad("/foods/", {"min_mg": "-5"}, f"{MG}: ignored."),
    bad("/foods/", {"min_mg": "NaN"}, f"{MG}: ignored."),
    bad("/foods/", {"min_mg": "1e309"}, f"{MG}: ignored."),
    bad("/foods/", {"sort": "drop"}, f"{FOOD_SORT}: sorting by magnesium."),
    bad("/foods/", {"basis": "kg"}, f"{BASIS}: showing per serving."),
    bad("/foods/", {"group": "nope"}, "Unknown food group “nope”: ignored."),
    bad("/foods/", {"q": "x" * 500}, SEARCH),
    bad("/foods/", {"q": "al\x00mond"}, SEARCH),
    # Over every food USDA measured (a sample of it), in its own scope and beside the featured foods.
    bad(
        "/foods/",
        {"scope": "everything"},
        "The list can show the featured foods or every food USDA measured",
        data="usda",
    ),
    bad(
        "/foods/",
        {"group": "nut-and-seed-products"},
        "Unknown food group “nut-and-seed-products”: ignored.",
        data="usda",
    ),
    bad("/foods/", {**ALL, "group": "nuts"}, "USDA has no food group “nuts”: ignored.", ALL, "usda"),
    bad("/foods/", {**ALL, "basis": "kg"}, BASIS, ALL, "usda"),
    bad("/foods/", {**ALL, "sort": "x"}, FOOD_SORT, ALL, "usda"),
    bad("/foods/", {**ALL, "min_mg": "-1"}, MG, ALL, "usda"),
    bad("/foods/", {**ALL, "q": "x" * 101}, SEARCH, ALL, "usda"),
    bad("/evidence/", {"condition": "nope"}, "Unknown condition “nope”: ignored."),
    # A character no page may carry is shown as �: "restless-legs%00" is never read as a known condition.
    bad("/evidence/", {"condition": "no\x00pe\x1b"}, "Unknown condition “no\ufffdpe\ufffd”: ignored."),
    bad("/evidence/", {"certainty": "certain"}, CERTAINTY),
    bad("/evidence/", {"certainty": "low\x00"}, CERTAINTY),
    bad("/evidence/", {"direction": "cure"}, DIRECTION),
    bad("/evidence/", {"direction": ["harm", "x" * 5000]}, DIRECTION),  # the last value of a single field wins
    bad("/supplements/medicines/", {"medicine": "nothing-here"}, "We list no medicine “nothing-here”: ignored."),
    # A listed medicine with a hidden character is not said to be unlisted under its own name.
    bad(
        "/supplements/medicines/",
        {"medicine": ["gaba\x00pentin", "digoxin"]},
        "We list no medicine “gaba\ufffdpentin”: ignored.",
        {"medicine": "digoxin"},
    ),
    bad(
        "/supplements/medicines/",
        {"medicine": ["gabapentin", "aspirinx", "<script>"]},
        "We list no medicine “aspirinx”, “&lt;script&gt;”: ignored.",
        {"medicine": "gabapentin"},
    ),
    bad(
        "/supplements/",
        {"absorption": ["high", "amazing"]},
        "“amazing” is not an absorption level we list: ignored.",
        {"absorption": "high"},
    ),
    bad(
        "/supplements/",
        {"absorption": "<script>x</script>"},
        "“&lt;script&gt;x&lt;/script&gt;” is not an absorption level",
    ),
    bad("/supplements/", {"laxative": "explosive"}, "“explosive” is not a laxative effect we list: ignored."),
    bad("/supplements/", {"use": "nope"}, "There is no use “nope”: showing forms for every use."),
    bad(
        "/supplements/",
        {"sort": "price"},
        "Sorting can be by elemental magnesium, absorption or name: sorting by elemental magnesium.",
    ),
    bad("/articles/", {"topic": "no-such-topic"}, "There is no topic “no-such-topic”, so all topics are shown."),
    # Bytes, sent as they are (%00%FF): the NUL and the byte that is no UTF-8 are each shown as �.
    bad("/articles/", {"topic": b"\x00\xff"}, "There is no topic “\ufffd\ufffd”, so all topics are shown."),
    bad("/articles/", {"topic": "\u200b"}, "There is no topic “\ufffd”, so all topics are shown."),  # zero-width
    bad("/articles/", {"q": "x" * 500}, "The search text was too long (200 characters at most), so it was ignored."),
    bad("/articles/", {"page": "abc"}, None),
    bad("/articles/", {"page": "-1"}, None),
    bad("/articles/", {"page": "99999"}, None),
    bad("/articles/", {"page": "1e9", "topic[]": "x"}, None),
    # Markup in the search text is searched for, as text: nothing to drop, nothing echoed unescaped.
    bad("/articles/", {"q": "'\"<script>"}, None, {"q": "'\"<script>"}),
]


@pytest.mark.parametrize(("url", "params", "kept", "notice", "data"), BAD_PARAMETERS)
def test_a_bad_parameter_is_dropped_with_a_notice_and_filters_nothing_away(
    client, request, url, params, kept, notice, data
):
    request.getfixturevalue(data)
    listed = LISTED[url]
    for headers in ({}, HTMX):
        response = client.get(url, params, **headers)
        assert response.status_code == 200
        html = response.text
        if notice:
            assert any(text.startswith(notice) for text in notices(html)), notices(html)
        expected = listed(client.get(url, kept, **headers).text)
        assert expected or kept == params, "the list must show rows that a wrong filter would take away"
        assert listed(html) == expected
        assert "<script>" not in html  # the pages' own scripts all have attributes: this one came from the input
        assert_no_control_characters(html)
