"""/supplements/ (comparison with filters) and /supplements/<slug>/ (one form)."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import assert_all_in, form_row_names, make_supplement_form, make_use

pytestmark = pytest.mark.django_db

LIST_URL = "/supplements/"
HTMX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def three_forms():
    laxative = make_use(name="Laxative and constipation", slug="laxative")
    oxide = make_supplement_form(
        name="Magnesium oxide", slug="magnesium-oxide", elemental_percent=Decimal("60.3"),
        absorption="low", laxative_effect="strong", uses=[laxative],
    )  # fmt: skip
    citrate = make_supplement_form(
        name="Magnesium citrate", slug="magnesium-citrate", elemental_percent=Decimal("16.2"),
        absorption="high", laxative_effect="moderate", uses=[laxative],
    )  # fmt: skip
    glycinate = make_supplement_form(
        name="Magnesium glycinate", slug="magnesium-glycinate", elemental_percent=Decimal("14.1"),
        absorption="moderate", absorption_note="moderate to high (limited human data)", laxative_effect="mild",
    )  # fmt: skip
    return oxide, citrate, glycinate


# --- The comparison page -----------------------------------------------------------------------


def test_full_page_lists_published_forms_highest_elemental_first_with_chart_and_links(client, three_forms):
    make_supplement_form(name="Hidden form", status="draft")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert form_row_names(response.text) == ["Magnesium oxide", "Magnesium citrate", "Magnesium glycinate"]
    assert "Hidden form" not in html
    assert "3 forms compared" in html
    # The chart: a bar per form, as wide as its mg per 100 mg, with the number as text.
    assert re.findall(r'class="bar-fill (w-\d+)"', html) == ["w-60", "w-16", "w-14"]
    assert '<span class="bar-value">60.3 mg</span>' in html
    # The source's own wording beside the category.
    assert "moderate to high (limited human data)" in html
    assert 'href="/supplements/safety/"' in html and 'href="/supplements/calculator/"' in html
    assert '<form class="filters" method="get" action="/supplements/"' in html
    assert "<!doctype html>" in html


def test_filters_combine_and_the_form_remembers_them(client, three_forms):
    response = client.get(LIST_URL, {"absorption": ["low", "high"], "use": "laxative", "laxative": "moderate"})
    assert form_row_names(response.text) == ["Magnesium citrate"]
    html = response.content.decode()
    assert "1 form matches your filters" in html
    assert re.search(r'<input type="checkbox" name="absorption" value="low"[^>]*checked', html)
    assert re.search(r'<option value="laxative" selected>', html)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("elemental", ["Magnesium oxide", "Magnesium citrate", "Magnesium glycinate"]),
        ("absorption", ["Magnesium citrate", "Magnesium glycinate", "Magnesium oxide"]),
        ("name", ["Magnesium citrate", "Magnesium glycinate", "Magnesium oxide"]),
    ],
)
def test_sort_orders(client, three_forms, sort, expected):
    assert form_row_names(client.get(LIST_URL, {"sort": sort}).text) == expected


def test_htmx_request_gets_only_the_results_fragment_and_vary_header(client, three_forms):
    response = client.get(LIST_URL, {"laxative": "strong"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results" aria-live="polite"')
    assert "<html" not in html and 'class="filters"' not in html
    assert form_row_names(response.text) == ["Magnesium oxide"]
    assert 'data-hx-push-url="true"' in html
    vary = response.headers["Vary"]
    assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


def test_history_restore_gets_the_full_page(client, three_forms):
    response = client.get(LIST_URL, {"laxative": "strong"}, headers=HISTORY_RESTORE)
    html = response.content.decode()
    assert "<!doctype html>" in html and 'class="filters"' in html
    assert form_row_names(response.text) == ["Magnesium oxide"]


def test_a_bad_value_is_dropped_but_the_good_ones_still_filter(client, three_forms):
    response = client.get(LIST_URL, {"absorption": ["high", "amazing"]})
    assert form_row_names(response.text) == ["Magnesium citrate"]


def test_no_match_offers_to_clear_the_filters(client, three_forms):
    response = client.get(LIST_URL, {"absorption": "not_established"})
    html = response.content.decode()
    assert "No supplement form matches these filters." in html
    assert 'href="/supplements/">Clear filters' in html


def test_list_query_count_is_constant_however_many_forms(client, django_assert_num_queries):
    uses = [make_use() for _ in range(5)]
    for _ in range(40):
        make_supplement_form(uses=uses, references=3)
    # Uses for the filter, the use asked for, the forms, their uses (prefetched), and the page's
    # "Last reviewed / Last updated" dates (one aggregate over the published forms).
    with django_assert_num_queries(5):
        response = client.get(LIST_URL, {"use": uses[0].slug, "absorption": "high", "sort": "name"})
    assert len(form_row_names(response.text)) == 40
    # The fragment has no filter form, so no query for its choices, nor dates (they sit outside it).
    with django_assert_num_queries(3):
        client.get(LIST_URL, {"use": uses[1].slug}, headers=HTMX)


# --- One form's page ---------------------------------------------------------------------------


def test_detail_shows_facts_worked_example_sources_and_safety_link(client):
    form = make_supplement_form(
        name="Magnesium oxide", slug="magnesium-oxide", compound="magnesium oxide", formula="MgO",
        elemental_percent=Decimal("60.3"), example_compound_mg=500, uses=[make_use(name="Antacid", slug="antacid")],
        cautions="Strong laxative effect.", body="## Notes from the sources\n\nPoorly soluble.", references=2,
    )  # fmt: skip
    response = client.get(form.get_absolute_url())
    assert form.get_absolute_url() == "/supplements/magnesium-oxide/"
    assert response.status_code == 200
    html = response.content.decode()
    assert_all_in(
        html,
        '<h1 id="form-title">Magnesium oxide</h1>',
        "60.3 %",
        "500 mg × 60.3 % = 301.5 mg",  # the worked example: 500 mg x 60.3 % = 301.5 mg
        'href="/supplements/calculator/?form=magnesium-oxide&amp;amount_mg=500"',
        '<h2 id="notes-from-the-sources">Notes from the sources</h2>',
        "Strong laxative effect.",
    )
    assert html.count('href="https://example.org/') == 2
    assert 'href="/supplements/safety/"' in html
    assert 'href="/supplements/?use=antacid"' in html


def test_a_whole_number_elemental_percent_keeps_the_references_one_decimal(client):
    # The reference gives chloride hexahydrate and anhydrous lactate as 12.0 %; the pages must not drop the zero.
    chloride = make_supplement_form(
        name="Magnesium chloride",
        slug="magnesium-chloride",
        elemental_percent=Decimal("12.0"),
        example_compound_mg=500,
    )
    list_html = client.get(LIST_URL).content.decode()
    assert '<span class="bar-value">12.0 mg</span>' in list_html
    assert 'data-label="Elemental magnesium">12.0 %</td>' in list_html
    detail_html = client.get(chloride.get_absolute_url()).content.decode()
    assert "<strong>12.0 %</strong>: 12.0 mg of magnesium in every 100 mg of the compound" in detail_html
    assert "500 mg × 12.0 % = 60 mg" in detail_html
    assert "12 %" not in list_html + detail_html
    calculator_html = client.get("/supplements/calculator/", {"form": chloride.slug, "amount_mg": "500"})
    assert "500 mg of magnesium chloride × 12.0 % magnesium = 60.0 mg per serving" in calculator_html.content.decode()
    assert "Magnesium chloride (12.0 %)</option>" in calculator_html.content.decode()  # the form list to pick from


def test_detail_lists_only_published_articles_that_mention_the_form(client):
    from articles.models import Article

    form = make_supplement_form()
    public = Article.objects.create(title="Public piece", slug="public", summary="s", body="b", status="published")
    draft = Article.objects.create(title="Draft piece", slug="draft", summary="s", body="b")
    public.supplement_forms.add(form)
    draft.supplement_forms.add(form)
    html = client.get(form.get_absolute_url()).content.decode()
    assert "Public piece" in html and 'href="/articles/public/"' in html
    assert "Draft piece" not in html


def test_unpublished_form_is_404_for_visitors_and_a_preview_for_editors(staff_client):
    form = make_supplement_form(status="draft")
    assert Client().get(form.get_absolute_url()).status_code == 404
    response = staff_client.get(form.get_absolute_url())
    assert response.status_code == 200
    assert "Not published." in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_unknown_slug_is_404(client):
    assert client.get("/supplements/no-such-form/").status_code == 404


def test_safety_and_calculator_addresses_are_not_taken_by_the_slug_route():
    assert reverse("supplements:safety") == "/supplements/safety/"
    assert reverse("supplements:calculator") == "/supplements/calculator/"
    from django.urls import resolve

    assert resolve("/supplements/safety/").url_name == "safety"
    assert resolve("/supplements/calculator/").url_name == "calculator"


def test_detail_query_count_is_constant_however_many_references_and_articles(client, django_assert_num_queries):
    from articles.models import Article

    form = make_supplement_form(uses=[make_use() for _ in range(4)], references=25)
    for n in range(12):
        article = Article.objects.create(title=f"A{n}", slug=f"a{n}", summary="s", body="b", status="published")
        article.supplement_forms.add(form)
    # The form, its uses, its references, its published articles.
    with django_assert_num_queries(4):
        response = client.get(form.get_absolute_url())
    assert response.content.decode().count('href="/articles/a') == 12


def test_detail_never_renders_markdown_per_request(client, monkeypatch):
    form = make_supplement_form(body="## Heading\n\nText")

    def fail(*args, **kwargs):
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr("site_project.models.render_markdown", fail)  # where MarkdownBody renders on save
    assert client.get(form.get_absolute_url()).status_code == 200
