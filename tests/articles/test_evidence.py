"""/evidence/ and /evidence/<condition>/: the findings by condition, their filters, and the
findings placed beside the launch article's paragraphs."""

import csv
import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from articles import seed
from articles.models import Article, ArticleFinding, Condition, Finding
from articles.placement import blocks, place
from site_project.markdown import render_markdown
from tests.factories import (
    HTMX,
    assert_all_in,
    count_text,
    data_migration,
    finding_ids,
    history_restore,
    make_article,
    make_condition,
    make_finding,
    make_many_findings,
    results_fragment,
)
from tests.test_clinician_review import text_of

pytestmark = pytest.mark.django_db

URL = "/evidence/"
CSV = Path(__file__).resolve().parents[2] / "articles" / "data" / "evidence.csv"
LAUNCH = "/articles/magnesium-and-peripheral-neuropathy/"
CONDITION_SLUGS = [condition["slug"] for condition in seed.CONDITIONS]  # in the seed's order


def section_ids(html):
    return re.findall(r'<section class="condition-section" aria-labelledby="condition-([^"]+)"', html)


def csv_rows():
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def published(**filters):
    """How many seeded findings the page should list for these filters, counted in the database
    (the seed's CSV decides, so an editor adding a row breaks no test)."""
    return Finding.objects.published().filter(**filters).count()


# --- Seed ----------------------------------------------------------------------------------------------


def test_seed_loads_every_finding_published_with_its_citation_and_source(seeded):
    rows = csv_rows()
    findings = {finding.slug: finding for finding in Finding.objects.published()}
    assert len(findings) == len(rows) and set(findings) == {row["slug"] for row in rows}
    for row in rows:
        finding = findings[row["slug"]]
        assert finding.citation == row["citation"] and finding.citation.strip()
        assert finding.url == row["url"]
        assert finding.certainty == row["certainty"] and finding.direction == row["direction"]
        assert finding.study_type == row["study_type"]
        assert finding.guideline_position == row["guideline_position"]
        assert str(finding.accessed) == row["accessed"]
        assert finding.participants == (int(row["participants"]) if row["participants"] else None)
        finding.full_clean()  # what the seed stored passes the editors' validation too
    assert list(Condition.objects.values_list("slug", flat=True)) == CONDITION_SLUGS
    assert Finding.objects.get(slug="cipn-oxaliplatin-iv-camg-n08cb").year == 2014
    assert Finding.objects.get(slug="mg-deficiency-experimental-depletion").year is None  # "year not shown"
    assert Finding.objects.get(slug="cramps-pregnancy-cochrane-interventions-cd010655").year is None


def test_seeding_again_never_overwrites_an_editors_change_or_removal(seeded):
    Finding.objects.filter(slug="rls-mg-systematic-review-2019").update(plain_summary="Edited by an editor.")
    Condition.objects.filter(slug="leg-cramps").update(summary="Edited summary.")
    article = Article.objects.get(slug=seed.LAUNCH_ARTICLE["slug"])
    assert article.article_findings.count() == len(seed.LAUNCH_ARTICLE_FINDINGS)
    for placed in article.article_findings.all():
        placed.delete()  # an editor removes them in the admin (a history row each)
    assert seed.seed_findings() == 0
    assert seed.seed_launch_article_findings() == 0
    assert Finding.objects.get(slug="rls-mg-systematic-review-2019").plain_summary == "Edited by an editor."
    assert Condition.objects.get(slug="leg-cramps").summary == "Edited summary."
    assert article.article_findings.count() == 0


def test_the_launch_article_evidence_note_matches_the_findings_and_names_kidney_disease(client, seeded):
    note = Article.objects.get(slug=seed.LAUNCH_ARTICLE["slug"]).evidence_note
    assert "the largest trial (353 patients) found no benefit" in note
    assert "should not offer calcium/magnesium to prevent it" in note
    assert "small trials only" in note and "no deficiency" in note
    assert "a review could not say whether magnesium helps" in note
    assert "set for healthy people" in note
    assert "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber" in note
    assert "With kidney disease, take no magnesium supplement" in client.get(LAUNCH).text


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("0007_launch_article_evidence_note", "EVIDENCE_NOTE_2026_11_25", "EVIDENCE_NOTE_OF_0007"),
        ("0012_launch_article_note_children_infants_pregnancy", "EVIDENCE_NOTE_OF_0007", "EVIDENCE_NOTE"),
    ],
)
def test_the_data_migration_updates_an_unchanged_note_and_leaves_an_edited_one(seeded, name, before, after):
    migration, forwards = data_migration("articles", name)
    article = Article.objects.get(slug=seed.LAUNCH_ARTICLE["slug"])
    Article.objects.filter(pk=article.pk).update(evidence_note=getattr(seed, before))
    forwards()
    article.refresh_from_db()
    assert article.evidence_note == getattr(seed, after) == migration.NEW_NOTE
    Article.objects.filter(pk=article.pk).update(evidence_note="An editor's own note.")
    forwards()
    article.refresh_from_db()
    assert article.evidence_note == "An editor's own note."


def test_the_evidence_note_names_children_infants_and_pregnancy_with_the_source(client, seeded):
    """Beside the owner's "While magnesium is generally safe", the note names for whom 350 mg is not the
    limit (intake_reference.csv: 65 mg at 1-3 years, 110 mg at 4-8, none for infants, 350 mg in pregnancy)."""
    assert_all_in(
        text_of(client.get(LAUNCH).text),
        "While magnesium is generally safe",  # the owner's words, as written
        "It is lower for children: 65 mg a day at 1-3 years and 110 mg at 4-8 years.",
        "No Upper Level is set for infants: their magnesium should come from breast milk, formula and food",
        "give an infant no magnesium supplement, antacid or laxative unless a clinician prescribes it",
        "In pregnancy and breastfeeding the same Upper Level of 350 mg a day applies",
        "(NIH Office of Dietary Supplements, Tables 1 and 3; Institute of Medicine 1997.)",
        "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber",
    )


# --- /evidence/ ----------------------------------------------------------------------------------------


def test_full_page_lists_every_finding_by_condition_with_summary_callout_and_sources(client, seeded):
    response = client.get(URL)
    html = response.text
    assert response.status_code == 200
    assert "<form" in html and 'method="get"' in html and 'name="condition"' in html
    rows = csv_rows()
    assert count_text(html) == f"{len(rows)} findings"
    assert section_ids(html) == CONDITION_SLUGS
    assert sorted(finding_ids(html)) == sorted(row["slug"] for row in rows)
    # Each section opens with its plain summary; ASCO's position is quoted, not softened.
    chemo = html[html.index('id="condition-chemotherapy-neuropathy"') :]
    chemo = chemo[: chemo.index('<section class="condition-section"')]
    summary_at = chemo.index(Condition.objects.get(slug="chemotherapy-neuropathy").summary)
    callout_at = chemo.index('class="guideline-callout"')
    assert summary_at < callout_at < chemo.index('<ol class="finding-list"')
    assert "Guideline: American Society of Clinical Oncology (ASCO)" in chemo and ", 2020</p>" in chemo
    assert "Clinicians should NOT offer the following agents for the prevention of CIPN" in chemo
    # The ADA callout for diabetes; none where no guideline takes a position.
    assert "Guideline: American Diabetes Association (ADA)" in html
    restless = html[html.index('id="condition-restless-legs"') : html.index('id="condition-leg-cramps"')]
    assert "guideline-callout" not in restless
    # Every finding links to its source and says when it was last checked.
    for finding in Finding.objects.all():
        assert f'<a href="{finding.url}">Open the source' in html.replace("&amp;", "&")
    for accessed, n in Counter(row["accessed"] for row in rows).items():
        day = datetime.date.fromisoformat(accessed)
        assert html.count(f'Last checked <time datetime="{accessed}">{day.day} {day:%B %Y}</time>') == n


def test_certainty_is_words_and_a_four_step_scale(client, seeded):
    html = client.get(URL, {"condition": "chemotherapy-neuropathy"}).text
    n08cb = html[html.index('id="finding-cipn-oxaliplatin-iv-camg-n08cb"') :]
    n08cb = n08cb[: n08cb.index("</article>")]
    assert "Certainty: <strong>moderate</strong>" in n08cb and "(3 of 4)" in n08cb
    scale = re.search(r'<span class="certainty-scale" aria-hidden="true">(.*?)</span> Certainty', n08cb).group(1)
    assert scale.count('class="step step-filled"') == 3 and scale.count('class="step"') == 1


def test_findings_are_sorted_by_certainty_then_newest_first(client, seeded):
    html = client.get(URL, {"condition": "chemotherapy-neuropathy"}).text
    assert finding_ids(html) == [
        "cipn-asco-guideline-2020",  # moderate, 2020
        "cipn-oxaliplatin-iv-camg-n08cb",  # moderate, 2014
        "cipn-asco-guideline-2014",  # low, 2014
        "cipn-oxaliplatin-iv-camg-meta-2012",  # low, 2012
        "cipn-oxaliplatin-iv-camg-n04c7",  # low, 2011
    ]


def test_condition_filter_is_repeatable(client, seeded):
    html = client.get(URL, {"condition": ["leg-cramps", "restless-legs"]}).text
    assert section_ids(html) == ["restless-legs", "leg-cramps"]
    expected = published(condition__slug__in=["leg-cramps", "restless-legs"])
    assert len(finding_ids(html)) == expected < published()
    assert count_text(html) == f"{expected} findings match your filters"
    assert re.search(r'value="leg-cramps"[^>]*checked', html) and re.search(r'value="restless-legs"[^>]*checked', html)


def test_certainty_and_direction_filter_alone_and_combined(client, seeded):
    moderate = finding_ids(client.get(URL, {"certainty": "moderate"}).text)
    assert set(moderate) == set(Finding.objects.filter(certainty="moderate").values_list("slug", flat=True))
    assert 0 < len(moderate) < published()
    harm = finding_ids(client.get(URL, {"direction": "harm"}).text)
    assert harm == ["mg-deficiency-experimental-depletion"]
    html = client.get(URL, {"condition": "diabetic-neuropathy", "certainty": "low", "direction": "benefit"}).text
    assert set(finding_ids(html)) == {"dpn-t1dm-oral-mg-300mg-5yr", "dpn-t2dm-serum-mg-nerve-conduction-2016",
                                      "dfu-oral-mgo-250mg-2018"}  # fmt: skip
    assert re.search(r'<option value="low" selected>', html) and re.search(r'<option value="benefit" selected>', html)


def test_a_chosen_condition_without_matches_says_so_and_no_match_at_all_offers_to_clear(client, seeded):
    html = client.get(URL, {"condition": "leg-cramps", "direction": "harm"}).text
    assert "No findings match these filters." not in html  # the chosen condition's section is still there
    assert "No finding on leg cramps matches the other filters." in html
    html = client.get(URL, {"certainty": "high"}).text
    assert "No findings match these filters." in html and "Clear filters" in html
    assert count_text(html) == "0 findings match your filters"


def test_htmx_request_gets_only_the_results_with_the_count_out_of_band(client, seeded):
    html = results_fragment(client.get(URL, {"condition": "nerve-pain"}, **HTMX))
    expected = published(condition__slug="nerve-pain")
    assert 'data-hx-swap-oob="true"' in html and f"{expected} findings match your filters" in html
    assert section_ids(html) == ["nerve-pain"]


def test_history_restore_request_gets_the_full_page(client, seeded):
    assert section_ids(history_restore(client, URL, {"condition": "nerve-pain"})) == ["nerve-pain"]


def test_an_unknown_condition_is_dropped_but_known_ones_still_filter(client, seeded):
    html = client.get(URL, {"condition": ["leg-cramps", "<script>alert(1)</script>"]}).text
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert section_ids(html) == ["leg-cramps"]


def test_draft_and_scheduled_findings_are_hidden(client):
    condition = make_condition()
    make_finding(condition, slug="public-one")
    make_finding(condition, slug="draft-one", status=Finding.Status.DRAFT, published_at=None)
    make_finding(condition, slug="later-one", published_at="2999-01-01T00:00:00Z")
    assert finding_ids(client.get(URL).text) == ["public-one"]
    assert finding_ids(client.get(condition.get_absolute_url()).text) == ["public-one"]


@pytest.mark.parametrize("n", [25, 250])
def test_query_count_is_constant_for_page_and_fragment(client, django_assert_num_queries, n):
    conditions = [make_condition() for _ in range(6)]
    make_many_findings(n, conditions)
    params = {"condition": [c.slug for c in conditions[:3]], "certainty": "low"}
    # 1 query for the conditions, 1 for the findings (already sorted, grouped in Python); the full page
    # adds 1 for its "Last reviewed / Last updated" dates (aggregated over all published findings).
    for query in ({}, params):
        for headers, queries in (({}, 3), (HTMX, 2)):
            with django_assert_num_queries(queries):
                response = client.get(URL, query, **headers)
            assert response.status_code == 200
    assert len(finding_ids(client.get(URL).text)) == n


# --- /evidence/<condition>/ ----------------------------------------------------------------------------


def test_condition_page_has_summary_callout_and_its_findings_only(client, seeded):
    condition = Condition.objects.get(slug="chemotherapy-neuropathy")
    response = client.get("/evidence/chemotherapy-neuropathy/")
    html = response.text
    assert response.status_code == 200
    assert "<h1>Chemotherapy neuropathy: what the evidence on magnesium says</h1>" in html
    assert condition.summary in html
    assert "Clinicians should NOT offer" in html and "Guideline: American Society of Clinical Oncology (ASCO)" in html
    assert finding_ids(html)[:2] == ["cipn-asco-guideline-2020", "cipn-oxaliplatin-iv-camg-n08cb"]
    assert sorted(finding_ids(html)) == sorted(condition.findings.published().values_list("slug", flat=True))
    assert 'href="/evidence/?condition=chemotherapy-neuropathy"' in html
    deficiency = client.get("/evidence/magnesium-deficiency/").text
    assert 'href="/supplements/low-magnesium/"' in deficiency


def test_unknown_condition_is_404(client, seeded):
    assert client.get("/evidence/no-such-condition/").status_code == 404


@pytest.mark.parametrize("n", [25, 250])
def test_condition_page_query_count_is_constant(client, django_assert_num_queries, n):
    condition = make_condition()
    make_many_findings(n, [condition])
    with django_assert_num_queries(3):  # the condition, its findings, the page's review and update dates
        response = client.get(condition.get_absolute_url())
    assert len(finding_ids(response.text)) == n


def test_sitemap_lists_the_evidence_pages_each_condition_and_low_magnesium(client, seeded):
    xml = client.get("/sitemap.xml").text
    assert "/evidence/</loc>" in xml and "/supplements/low-magnesium/</loc>" in xml
    for slug in CONDITION_SLUGS:
        assert f"/evidence/{slug}/</loc>" in xml


# --- Findings beside the article -----------------------------------------------------------------------


def paragraph_then_aside(html, words):
    """The <aside> of findings right after the paragraph containing `words` ("" if none follows it)."""
    start = html.index(words)
    end = html.index("</p>", start) + len("</p>")
    rest = html[end:].lstrip()
    if not rest.startswith('<aside class="claim-evidence"'):
        return ""
    return rest[: rest.index("</aside>")]


def test_the_article_shows_the_asco_callout_beside_its_chemotherapy_paragraph(client, seeded):
    html = client.get(LAUNCH).text
    aside = paragraph_then_aside(html, "For chemotherapy-induced neuropathy, magnesium might offer")
    assert_all_in(
        aside,
        '<li class="placed-finding guideline-callout">',
        "<strong>ASCO: do not offer calcium/magnesium to prevent it</strong>",
        "Clinicians should NOT offer",
        "the largest trial (353 patients) found no benefit",
        "<strong>ADA: no benefit from supplements without a deficiency</strong>",
        "Diabetic neuropathy: small trials only",
        "Restless legs: a review could not say whether magnesium helps",
        'href="/evidence/chemotherapy-neuropathy/"',
        'href="https://doi.org/10.1200/JCO.20.01399"',
    )
    pain = paragraph_then_aside(html, "The mechanisms by which magnesium might assist")
    assert "a review of nine small trials could not say" in pain
    # Paragraphs without a health claim have nothing beside them; the owner's text is all there.
    assert paragraph_then_aside(html, "Neuropathy refers to damage") == ""
    assert (
        re.sub(r"<aside.*?</aside>\s*", "", html, flags=re.S).count(
            "Magnesium may support nerve health and potentially help manage symptoms"
        )
        == 1
    )


def test_the_article_json_ld_lists_its_findings_as_citations(client, seeded):
    html = client.get(LAUNCH).text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    urls = [citation.get("url") for citation in data["citation"]]
    assert "https://doi.org/10.1200/JCO.20.01399" in urls and "https://doi.org/10.1200/JCO.2013.52.0536" in urls
    article = Article.objects.get(slug=seed.LAUNCH_ARTICLE["slug"])
    assert len(data["citation"]) == article.references.count() + len(seed.LAUNCH_ARTICLE_FINDINGS)


def test_a_draft_finding_is_not_shown_beside_the_article(client, seeded):
    Finding.objects.filter(slug="cipn-asco-guideline-2020").update(status=Finding.Status.DRAFT)
    html = client.get(LAUNCH).text
    assert "ASCO: do not offer" not in html and "https://doi.org/10.1200/JCO.20.01399" not in html


def test_findings_whose_words_no_longer_match_follow_the_text(client):
    article = make_article(body="Intro.\n\n## Part\n\nMagnesium and cramps here.")
    finding = make_finding(plain_summary="Cramps finding.")
    ArticleFinding.objects.create(article=article, finding=finding, paragraph="cramps here", label="Cramps: no")
    other = make_finding(plain_summary="Other finding.")
    ArticleFinding.objects.create(article=article, finding=other, paragraph="words that are gone", order=2)
    html = client.get(article.get_absolute_url()).text
    assert "Cramps: no" in paragraph_then_aside(html, "Magnesium and cramps here.")
    more = html[html.index('id="more-evidence-heading"') :]
    assert "Other finding." in more


def test_the_article_is_cut_into_blocks_without_losing_a_character():
    body = "Intro *one*.\n\n## Head\n\n- a\n    - b\n- c\n\n---\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nEnd <br> line."
    html, _toc = render_markdown(body)
    pieces = blocks(html)
    assert "".join(piece for _tag, piece in pieces) == html
    assert [tag for tag, _ in pieces] == ["p", "h2", "ul", "hr", "table", "p"]
    segments, after = place(html, [])
    assert "".join(segment["html"] for segment in segments) == html and after == []


def test_a_health_claim_use_tag_links_to_its_condition_page(client, seeded):
    from supplements.models import SupplementUse

    use = SupplementUse.objects.get(slug="fatigue-muscle-pain")
    use.condition = Condition.objects.get(slug="leg-cramps")
    use.save()
    html = client.get(reverse("supplements:list")).text
    assert 'class="use-evidence" href="/evidence/leg-cramps/"' in html
    detail = client.get("/supplements/magnesium-malate/").text
    assert 'href="/evidence/leg-cramps/"' in detail
    assert client.get(reverse("supplements:list")).text.count('class="use-evidence"') == 1
