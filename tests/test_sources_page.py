"""/sources/ lists what the site's data actually cites (read from it, one query a list), and every source the
low-magnesium and safety pages list. It says what is true of the NIH ODS fact sheet and the medicines: its
interaction section could not be read when the medicines' data was gathered (EVIDENCE_README.md), and its
interaction timings are quoted on the medicines page, as interactions.md cites them, where they ask for a longer
gap."""

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
        assert {url for url, _note in medicine.differing_links} <= listed, (
            medicine.slug
        )  # quoted after "Sources differ"
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


def test_what_sources_says_of_ods_and_the_medicines_is_what_the_medicines_page_does(client, seeded):
    html = client.get(URL).text
    medicines = unescape(section(html, "medicines"))
    text = re.sub(r"<[^>]+>", "", medicines)
    assert "could not be read for this site and is not used" not in text
    assert "NIH ODS fact sheet (interactions" not in html
    assert "the fact sheet itself was not read" not in text  # the page cites its intake tables above
    assert (
        "No medicine’s own timing comes from the NIH Office of Dietary Supplements’ magnesium fact sheet: its section "
        "on interactions could not be read when the medicines’ data was gathered. Where another source asks for a "
        "longer gap than a medicine’s own sources, the medicines page quotes that source’s timing after “Sources "
        "differ”, and it is listed below with the medicine. The fact sheet’s interaction timings are quoted in this "
        "way, as the site’s reference notes cite them, for alendronate, levofloxacin, risedronate and tetracycline "
        "antibiotics."
    ) in text
    # The medicines named are those whose short line on the medicines page quotes ODS, each listing its link.
    page = unescape(client.get("/supplements/medicines/").text)
    for medicine in Medicine.objects.published():
        short = re.search(
            rf'id="medicine-{medicine.slug}">.*?<p class="timing"><strong>In short:</strong> ([^<]+)</p>', page, re.S
        ).group(1)
        quotes_ods = "NIH Office of Dietary Supplements" in short
        named = (
            f'<a href="/supplements/medicines/?medicine={medicine.slug}">{medicine.name}</a>'
            in medicines.split("<ul")[0]
        )
        assert named == quotes_ods, medicine.slug
        entry = re.search(rf"\?medicine={medicine.slug}\">.*?</li>", medicines, re.S).group(0)
        assert ("ods.od.nih.gov" in entry) == quotes_ods, medicine.slug
        if quotes_ods:
            assert "Timing quoted after “Sources differ” from:" in entry
            assert "its interaction section was not read for this site" in entry


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


def test_an_address_that_is_not_a_web_link_never_becomes_a_link(client, seeded):
    """The admin refuses such addresses; one written another way (shell, fixture) is listed as text only."""
    Finding.objects.filter(pk=Finding.objects.published().first().pk).update(url="javascript:alert(1)")
    Medicine.objects.filter(pk=Medicine.objects.published().first().pk).update(url="data:text/html,x")
    Condition.objects.exclude(guideline_citation="").update(guideline_url="javascript:alert(2)")
    html = client.get("/sources/").text
    assert 'href="javascript:' not in html and 'href="data:' not in html
