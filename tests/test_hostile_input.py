"""Hostile query strings on every public list and the calculator: never a 5xx, never an
unescaped payload, never an unbounded response. Property-based (hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import assert_no_control_characters

pytestmark = pytest.mark.django_db

PAGES = {
    "/foods/": ["q", "scope", "group", "min_mg", "basis", "sort", "compare", "part", "page"],
    "/supplements/": ["absorption", "laxative", "use", "sort", "page"],
    "/articles/": ["q", "topic", "page"],
    "/evidence/": ["condition", "certainty", "direction"],
    "/foods/compare/": ["food", "q"],
    "/supplements/calculator/": ["form", "percent", "amount_mg", "pills", "per_day", "stage"],
    "/supplements/medicines/": ["medicine"],
    # The plan, and the rows and "add" controls of its own forms.
    "/planner/": [
        "stage",
        "food",
        "supplement",
        "q",
        "item-0",
        "servings-0",
        "measure-0",
        "mg-0",
        "per_day-0",
        "remove",
        "add_food",
        "add_mg",
    ],
}
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "';alert(1);//",
]
# Characters no HTML page may carry: a reader's value is repeated without them.
CONTROL_PAYLOAD = "a\x1bb\x7fc\x85d\x00e"
SPECIAL = ["1e309", "-1e309", "-0", "NaN", "nan", "Infinity", "-inf", "0x10", "1_000", "9" * 400, "", " ", "\x00"]
MAX_BYTES = 400_000

values = st.one_of(
    st.sampled_from([*SPECIAL, *PAYLOADS, CONTROL_PAYLOAD]),
    st.text(max_size=50),
    st.sampled_from("a<>\"'&%09").map(lambda c: c * 10_000),  # 10,000-character values
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def query(names):
    pair = st.tuples(st.sampled_from(names), values)
    return st.lists(pair, max_size=8)  # repeated names happen naturally


def check(client, url, params, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    # Build the query string by hand so repeated keys and NUL bytes go through as sent.
    from urllib.parse import urlencode

    response = client.get(f"{url}?{urlencode(params)}", **headers)
    assert response.status_code < 500, (url, params)
    assert response.status_code in (200, 302, 400), (url, params, response.status_code)
    if response.status_code == 302:  # the planner's own form without JavaScript: to the plan's own address
        assert response["Location"].startswith(f"{url}") and "<" not in response["Location"], response["Location"]
    body = response.content
    assert len(body) < MAX_BYTES
    text = body.decode()
    for payload in PAYLOADS:
        if "<" in payload or '"' in payload:
            assert payload not in text, (url, payload)
    assert_no_control_characters(text)


@pytest.mark.parametrize("url", list(PAGES))
def test_hostile_parameters_never_break_a_page(client, seeded, url):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(params=query(PAGES[url]), htmx=st.booleans())
    def run(params, htmx):
        check(client, url, params, htmx)

    run()


@pytest.mark.parametrize("url", list(PAGES))
def test_every_parameter_with_each_payload_is_escaped(client, seeded, url):
    for payload in [*PAYLOADS, CONTROL_PAYLOAD, CONTROL_PAYLOAD.replace("\x00", "")]:
        for name in PAGES[url]:
            for htmx in (False, True):
                check(client, url, [(name, payload), (name, payload)], htmx)
