"""The pieces both apps build on (issue 14): one Markdown body, one admin section, one choice column."""

import re

import pytest
from django.apps import apps
from django.contrib import admin

from articles.models import Article
from site_project.models import MarkdownBody, SitePage
from supplements.models import SupplementForm
from tests.factories import make_supplement_form

pytestmark = pytest.mark.django_db


def test_every_model_with_a_markdown_body_renders_it_through_the_one_base():
    with_html = {
        model
        for model in apps.get_models()
        if "body_html" in {field.name for field in model._meta.fields} and not model.__name__.startswith("Historical")
    }
    assert with_html == {Article, SupplementForm, SitePage}
    assert all(issubclass(model, MarkdownBody) for model in with_html)


def test_a_saved_body_is_sanitised_html_again_after_each_edit():
    form = make_supplement_form(body="## Dose\n\nTake <b onclick='x()'>one</b>.")
    assert '<h2 id="dose">Dose</h2>' in form.body_html and "onclick" not in form.body_html
    form.body = "## Timing\n\nWith food.<script>alert(1)</script>"
    form.save()
    form.refresh_from_db()
    assert '<h2 id="timing">Timing</h2>' in form.body_html
    assert "Dose" not in form.body_html and "<script" not in form.body_html


def test_an_article_keeps_its_table_of_contents_and_reading_time_from_the_body(django_user_model):
    article = Article.objects.create(title="T", slug="t", summary="S", body="## One\n\n" + "word " * 401)
    assert article.toc == [{"level": 2, "id": "one", "text": "One"}]
    assert article.reading_minutes == 3  # 403 words at 200 a minute
    article.body = "## Two\n\n### Three\n\nShort."
    article.save()
    article.refresh_from_db()
    assert [row["id"] for row in article.toc] == ["two", "three"] and article.reading_minutes == 1


FOLDED = re.compile(r'<fieldset class="[^"]*collapse[^"]*"[^>]*>\s*<details><summary>\s*<h2[^>]*>([^<]+)</h2>')


@pytest.mark.parametrize(
    ("url", "section", "note", "folded"),
    [
        ("/admin/supplements/foodentry/add/", "Amount", "Enter the figures as the source gives them.", ["Record"]),
        (
            "/admin/supplements/supplementform/add/",
            "Compound and magnesium content",
            "Elemental magnesium is",
            ["Record"],
        ),
        ("/admin/articles/article/add/", "Publishing", "A published article with a future time", ["Computed"]),
        ("/admin/articles/condition/add/", "Guideline callout", "Quote the recommendation exactly", []),
        ("/admin/site_project/sitepage/add/", "Publishing", "Draft: only editors can see it", []),
    ],
)
def test_admin_forms_show_each_section_with_its_note_and_fold_the_record(staff_client, url, section, note, folded):
    html = staff_client.get(url).text
    assert f'class="fieldset-heading">{section}</h2>' in html and note in html
    assert FOLDED.findall(html) == folded


def test_every_admin_fieldset_lists_fields_and_only_known_options():
    for model_admin in admin.site._registry.values():
        for title, options in model_admin.fieldsets or ():
            assert options["fields"], (model_admin, title)
            assert set(options) <= {"fields", "description", "classes"}, (model_admin, title)
            assert options.get("classes", ["collapse"]) == ["collapse"], (model_admin, title)
