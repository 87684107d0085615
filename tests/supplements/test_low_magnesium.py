"""/supplements/low-magnesium/: sourced facts on low magnesium."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/supplements/low-magnesium/"


def test_the_page_is_at_its_address_before_any_supplement_form_slug(client):
    assert reverse("supplements:low_magnesium") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert '<h1 id="page-title">Low magnesium</h1>' in response.text
    assert client.post(URL).status_code == 405


def test_it_covers_risk_signs_the_blood_test_the_range_in_three_units_and_medicines(client):
    html = client.get(URL).text
    for heading in ["Who is at risk", "Signs", "Why a normal blood test does not rule it out", "The reference range",
                    "Medicines that lower magnesium"]:  # fmt: skip
        assert f">{heading}</h2>" in html
    assert "Numbness and tingling: test, do not guess" in html
    assert "from low magnesium and from neuropathy itself" in html
    assert "if it is normal, the patient may still be magnesium deficient" in html
    row = re.search(r'<th scope="row">Normal</th>(.*?)</tr>', html, re.S).group(1)
    assert "0.75 to 0.95" in row and "1.5 to 1.9" in row and "1.8 to 2.3" in row
    assert "mmol/L" in html and "mEq/L" in html and "mg/dL" in html
    assert "1.46 to 2.68 mg/dL" in html  # another laboratory's range, said to differ
    assert 'href="/supplements/medicines/"' in html
    assert "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber" in html


def test_every_fact_is_followed_by_a_source_listed_on_the_page(client):
    html = client.get(URL).text
    sources = set(re.findall(r'<li id="(src-[^"]+)"', html))
    keys = re.findall(r'class="source-key" href="#(src-[^"]+)"', html)
    assert sources and set(keys) == sources  # every key resolves, every listed source is used
    body = html[html.index('id="who-is-at-risk"') : html.index('id="sources-heading"')]
    # Each fact (a list item of a fact list, or a row of the range table) carries a source key.
    facts = re.findall(r"<li>(.*?)</li>", body, re.S)
    for fact in facts:
        if 'href="#medicines"' in fact:
            continue  # the pointer to the medicines section
        assert 'class="source-key"' in fact, fact
    for row in re.findall(r'<tr><th scope="row">.*?</tr>', body, re.S):
        assert 'class="source-key"' in row
    for url in re.findall(r'<li id="src-[^"]+">.*?<a href="([^"]+)"', html, re.S):
        assert url.startswith(("https://", "http://"))
