"""/sources/ lists what the site's data actually cites (read from it, one query a list), and every source the
low-magnesium and safety pages list; it never puts the NIH ODS interaction section among the medicines' sources
(EVIDENCE_README.md: it could not be read and was not used)."""

import re
from html import unescape

import pytest

from articles.models import Condition, Finding, Reference
from supplements.models import Medicine, SupplementReference
from tests.factories import make_article, make_finding

pytestmark = pytest.mark.django_db

URL = "/sources/"


def links(html):
    return {unescape(href) for href in re.findall(r'<a href="(https?://[^"]+)"', html)}


def section(html, heading_id):
    start = html.index(f'<h2 id="{heading_id}"')
    end = html.find("<h2", start + 1)
    return html[start : end if end != -1 else html.index("</main>")]


def test_every_source_the_seeded_data_cites_is_listed(client, seeded):
    html = client.get(URL).text
    listed = links(html)
    text = unescape(html)
    for finding in Finding.objects.published():
        assert finding.url in listed and finding.citation in text, finding.slug
    for condition in Condition.objects.exclude(guideline_url=""):
        assert condition.guideline_url in listed, condition.slug
    for medicine in Medicine.objects.published():
        assert medicine.url in listed and medicine.source in text, medicine.slug
    for reference in [*Reference.objects.all(), *SupplementReference.objects.all()]:
        assert reference.citation in text
    # What the reviewer missed, by name: the evidence's guidelines and reviews, the FDA and the drug labels.
    for name in ["ASCO", "American Diabetes Association", "Cochrane", "FDA Drug Safety Communication", "AVELOX"]:
        assert name in text, name


@pytest.mark.parametrize("page", ["/supplements/low-magnesium/", "/supplements/safety/"])
def test_every_source_the_low_magnesium_and_safety_pages_list_is_on_sources(client, seeded, page):
    html = client.get(page).text
    own = links(html[html.index('class="references"') :])
    assert len(own) >= 10
    assert own <= links(client.get(URL).text)


def test_the_ods_interaction_section_is_never_named_as_a_medicines_source(client, seeded):
    html = client.get(URL).text
    assert "NIH ODS fact sheet (interactions" not in html
    medicines = unescape(section(html, "medicines"))
    assert "fact sheet’s section on interactions could not be read for this site and is not used" in medicines
    assert "ods.od.nih.gov" not in medicines


def test_a_draft_finding_is_not_listed_and_a_new_published_one_is(client, seeded):
    draft = make_finding(slug="draft-one", citation="Draft D. Unpublished trial. 2026.", status="draft")
    published = make_finding(slug="new-one", citation="New N. A new trial. 2026.", url="https://example.org/new")
    html = client.get(URL).text
    assert draft.citation not in html
    assert published.citation in section(html, "evidence") and "https://example.org/new" in html


def test_a_draft_articles_references_are_not_listed(client, seeded):
    make_article(slug="draft-article", status="draft", references=1)
    draft_citations = Reference.objects.filter(article__slug="draft-article").values_list("citation", flat=True)
    html = unescape(client.get(URL).text)
    assert draft_citations and not any(citation in html for citation in draft_citations)


def test_the_sources_page_costs_a_constant_number_of_queries(client, seeded, django_assert_num_queries):
    # One query per list: findings with their conditions, the guidelines, medicines, article references with
    # their articles, the supplement forms' references.
    with django_assert_num_queries(5):
        client.get(URL)
    for n in range(3):
        make_finding(slug=f"more-{n}", citation=f"More {n}. Trial. 2026.")
    make_article(slug="another-article", references=2)
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200
