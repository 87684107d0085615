"""The admin of conditions, findings and the findings placed beside an article's text."""

import pytest

from articles.models import ArticleFinding, Condition, Finding
from tests.factories import NEW_FINDING, admin_form, make_article, make_condition, make_finding, read_form

pytestmark = pytest.mark.django_db

FINDING_ADD = "/admin/articles/finding/add/"


def errors_of(response):
    return response.context["adminform"].form.errors


def test_an_editor_adds_a_finding_with_history_and_publishes_it(staff_client, client):
    condition = make_condition(slug="leg-cramps", name="Leg cramps")
    page = staff_client.get(FINDING_ADD).text
    assert "By the grading rule in articles/data/EVIDENCE_README.md" in page  # help text for editors
    response = staff_client.post(FINDING_ADD, admin_form(NEW_FINDING, condition=condition.pk))
    assert response.status_code == 302, errors_of(response)
    finding = Finding.objects.get(slug="new-finding")
    assert finding.history.count() == 1
    assert "new-finding" not in client.get("/evidence/").text  # a draft
    response = staff_client.post(
        "/admin/articles/finding/", {"action": "publish", "_selected_action": [finding.pk]}, follow=True
    )
    assert "Published 1 finding." in response.text
    assert 'id="finding-new-finding"' in client.get("/evidence/").text
    assert finding.history.count() == 2


def test_finding_list_has_columns_filters_and_search(staff_client):
    cramps = make_condition(name="Leg cramps", slug="leg-cramps")
    make_finding(cramps, slug="cramp-trial", certainty="moderate", direction="benefit")
    make_finding(make_condition(name="Nerve pain", slug="nerve-pain"), slug="pain-trial")
    page = staff_client.get("/admin/articles/finding/").text
    for column in ["Condition", "Study type", "Certainty", "Direction", "Status", "Accessed"]:
        assert f">{column}</a>" in page or f">{column}<" in page, column
    for title in ["By condition", "By certainty", "By direction", "By publication"]:
        assert title in page
    filtered = staff_client.get("/admin/articles/finding/", {"condition__id__exact": cramps.pk}).text
    assert "cramp-trial" in filtered and "pain-trial" not in filtered
    filtered = staff_client.get("/admin/articles/finding/", {"certainty__exact": "moderate"}).text
    assert "cramp-trial" in filtered and "pain-trial" not in filtered
    searched = staff_client.get("/admin/articles/finding/", {"q": "pain-trial"}).text
    assert "pain-trial" in searched and "cramp-trial" not in searched


def test_a_guideline_callout_must_be_complete(staff_client):
    data = {
        "name": "Leg cramps",
        "slug": "leg-cramps",
        "order": "1",
        "summary": "Plain summary.",
        "guideline_body": "Some body",
        "guideline_year": "",
        "guideline_recommendation": "",
        "guideline_citation": "",
        "guideline_url": "",
        "_save": "Save",
    }
    response = staff_client.post("/admin/articles/condition/add/", data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert "needs its body, year, exact recommendation and citation" in errors["guideline_year"][0]
    assert set(errors) == {"guideline_year", "guideline_recommendation", "guideline_citation"}
    data.update(guideline_body="")
    assert staff_client.post("/admin/articles/condition/add/", data).status_code == 302
    assert Condition.objects.get(slug="leg-cramps").history.count() == 1


def test_findings_are_placed_beside_a_paragraph_inline_on_the_article(staff_client, client):
    article = make_article(body="Intro.\n\n## Part\n\nMagnesium for night cramps.\n\nMagnesium again.")
    finding = make_finding(plain_summary="No better than placebo.")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    data = read_form(staff_client.get(change_url).text, "article_form")
    assert "article_findings-TOTAL_FORMS" in data
    data.update(
        {
            "article_findings-0-order": "1",
            "article_findings-0-finding": str(finding.pk),
            "article_findings-0-paragraph": "Magnesium",  # in two paragraphs
            "article_findings-0-label": "Cramps: no better than placebo",
            "_save": "Save",
        }
    )
    response = staff_client.post(change_url, data)
    assert response.status_code == 200
    assert "2 paragraphs contain these words" in response.text
    data["article_findings-0-paragraph"] = "words that are not there"
    assert "No paragraph or heading of the article contains these words" in staff_client.post(change_url, data).text
    data["article_findings-0-paragraph"] = "for night cramps"
    response = staff_client.post(change_url, data)
    assert response.status_code == 302
    placed = ArticleFinding.objects.get()
    assert placed.paragraph == "for night cramps" and placed.history.count() == 1
    html = client.get(article.get_absolute_url()).text
    after = html[html.index("Magnesium for night cramps.</p>") :]
    assert after.index("Cramps: no better than placebo") < after.index("Magnesium again.")
