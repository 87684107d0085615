"""Public article pages: the filtered list (full page and htmx fragment), the article page,
previews for staff, and the query counts that keep both pages fast."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from tests.factories import assert_all_in, make_article, make_draft, make_food, make_person, make_topic, titles

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- the list -------------------------------------------------------------------------------


def test_list_shows_published_articles_newest_first_ten_a_page(client):
    now = timezone.now()
    for day in range(12):
        make_article(title=f"Day {day}", published_at=now - datetime.timedelta(days=day + 1))
    make_draft(title="Hidden draft")
    make_article(title="Hidden scheduled", published_at=now + datetime.timedelta(days=1))

    html = client.get("/articles/").text
    assert titles(html) == [f"Day {day}" for day in range(10)]
    assert "12 articles" in html
    assert 'href="?page=2"' in html
    second = client.get("/articles/?page=2").text
    assert titles(second) == ["Day 10", "Day 11"]
    assert "Hidden" not in html + second


def test_full_page_has_a_labelled_get_form_that_works_without_javascript(client):
    make_article(topics=[make_topic(name="Neuropathy", slug="neuropathy")])
    response = client.get("/articles/")
    html = response.text
    assert response.status_code == 200
    assert_all_in(
        html,
        '<form method="get" action="/articles/"',
        '<label for="id_q">Search articles</label>',
        '<label for="id_topic">Topic</label>',
        '<option value="neuropathy">Neuropathy</option>',
        '<button type="submit">',
        '<section id="results" aria-live="polite"',
        'data-hx-target="#results"',
        'data-hx-push-url="true"',
    )
    assert response["Vary"].count("HX-Request") == 1 and "HX-History-Restore-Request" in response["Vary"]


def test_topic_filter_as_full_page_and_as_htmx_fragment(client):
    neuropathy = make_topic(name="Neuropathy", slug="neuropathy", description="Damage to the peripheral nerves.")
    nutrition = make_topic(name="Nutrition", slug="nutrition")
    make_article(title="Nerves and magnesium", topics=[neuropathy])
    make_article(title="Foods with magnesium", topics=[nutrition])

    full = client.get("/articles/?topic=neuropathy")
    assert titles(full.text) == ["Nerves and magnesium"]
    assert "<h1>Articles</h1>" in full.text
    assert '<option value="neuropathy" selected>Neuropathy</option>' in full.text
    assert "1 article on neuropathy" in full.text

    assert '<p class="topic-description">Damage to the peripheral nerves.</p>' in full.text

    fragment = client.get("/articles/?topic=neuropathy", **HTMX)
    assert fragment.text.lstrip().startswith('<section id="results"')
    assert "<html" not in fragment.text and "<h1>" not in fragment.text and "<form" not in fragment.text
    assert titles(fragment.text) == ["Nerves and magnesium"]
    assert "HX-Request" in fragment["Vary"]


def test_history_restore_request_gets_the_full_page(client):
    make_article(title="Restored")
    response = client.get("/articles/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert response.text.lstrip().startswith("<!doctype html>")
    assert "<h1>Articles</h1>" in response.text and titles(response.text) == ["Restored"]


def test_search_finds_title_summary_and_body_and_says_what_was_searched(client):
    make_article(title="Magnesium glycinate")
    make_article(title="Chia", body="Chia seeds hold magnesium; so does **glycinate** powder.")
    make_article(title="Unrelated", summary="About vitamin B12.", body="Nothing here.")
    html = client.get("/articles/?q=glycinate").text
    assert sorted(titles(html)) == ["Chia", "Magnesium glycinate"]
    assert "2 articles matching “glycinate”" in html
    assert 'value="glycinate"' in html


def test_no_match_shows_an_empty_state_with_a_clear_filters_link(client):
    make_article(title="Something")
    html = client.get("/articles/?q=zzzz-no-such-word", **HTMX).text
    assert titles(html) == []
    assert "No articles match “zzzz-no-such-word”." in html
    assert '<a href="/articles/">clear the filters and see all articles</a>' in html


def test_empty_site_says_no_articles_yet(client):
    html = client.get("/articles/").text
    assert "No articles are published yet." in html
    assert "clear the filters" not in html


def test_ignored_filters_are_reported_to_the_reader(client):
    make_article(title="Still listed")
    html = client.get("/articles/?topic=no-such-topic&q=" + "x" * 300).text
    assert "Some filters were ignored" in html
    assert "There is no topic “no-such-topic”, so all topics are shown." in html
    assert "The search text was too long" in html
    assert titles(html) == ["Still listed"]
    html = client.get("/articles/?q=mag%00nesium").text
    assert "The search text contained characters that cannot be searched, so it was ignored." in html
    assert titles(html) == ["Still listed"]


def test_page_links_keep_the_filters(client):
    topic = make_topic(slug="magnesium", name="Magnesium")
    for n in range(11):
        make_article(title=f"Magnesium note {n}", topics=[topic])
    html = client.get("/articles/?topic=magnesium&q=note", **HTMX).text
    assert 'href="?topic=magnesium&amp;q=note&amp;page=2"' in html
    assert 'data-hx-get="?topic=magnesium&amp;q=note&amp;page=2"' in html


def test_draft_topics_are_not_offered_in_the_filter(client):
    make_draft(topics=[make_topic(name="Secret plans", slug="secret")])
    make_article(topics=[make_topic(name="Public", slug="public")])
    html = client.get("/articles/").text
    assert "Secret plans" not in html and ">Public</option>" in html


# --- the article page -----------------------------------------------------------------------


def test_article_page_shows_everything_a_reader_needs(client):
    topic = make_topic(name="Neuropathy", slug="neuropathy")
    food = make_food(name="Almonds, dry roasted", slug="almonds-dry-roasted", serving="1 oz")
    article = make_article(
        title="Magnesium and nerves",
        summary="How magnesium relates to nerve health.",
        body="Intro.\n\n## Understanding neuropathy\n\nText.\n\n## Getting magnesium\n\nMore.",
        author=make_person(name="Site editors"),
        medical_reviewer=make_person(credentials="MD, neurologist"),
        reviewed_at=datetime.date(2026, 3, 2),
        topics=[topic],
        references=3,
    )
    article.foods.add(food)
    html = client.get(article.get_absolute_url()).text

    assert '<h1 id="article-title">Magnesium and nerves</h1>' in html
    assert "How magnesium relates to nerve health." in html
    assert "Site editors" in html
    assert re.search(
        r'<dt>Last reviewed</dt><dd>\s*<time datetime="2026-03-02">2 March 2026</time> by '
        r'<a href="/people/#person-\d+">A. Smith, MD, neurologist</a>',
        html,
    )
    assert "<dt>Last updated</dt>" in html
    assert f"{article.reading_minutes} min" in html
    # Table of contents with anchors that exist in the body.
    assert '<a href="#understanding-neuropathy">Understanding neuropathy</a>' in html
    assert '<h2 id="understanding-neuropathy">Understanding neuropathy</h2>' in html
    # Numbered references, in order.
    refs = re.findall(r'<li id="reference-(\d)">\s*Reference (\d) of', html)
    assert refs == [("1", "1"), ("2", "2"), ("3", "3")]
    # Cards linking to what the article names.
    assert '<a href="/foods/?q=Almonds%2C%20dry%20roasted">Almonds, dry roasted</a>' in html
    assert '<span class="visually-hidden"> of the figure for Almonds, dry roasted</span></summary>' in html
    assert "<p>Test source</p>" in html  # every figure shown with where it comes from
    assert "Educational information, not medical advice." in html
    assert 'href="/articles/?topic=neuropathy"' in html


def test_article_page_head_has_canonical_description_open_graph_and_json_ld(client):
    article = make_article(title="Magnesium & you", summary="Short <summary>.", references=2)
    response = client.get(article.get_absolute_url())
    head = response.text.split("</head>")[0]
    url = f"http://testserver/articles/{article.slug}/"
    assert f'<link rel="canonical" href="{url}">' in head
    assert '<meta name="description" content="Short &lt;summary&gt;.">' in head
    assert '<meta property="og:title" content="Magnesium &amp; you">' in head
    assert f'<meta property="og:url" content="{url}">' in head
    assert '<meta property="og:type" content="article">' in head

    # A JSON-LD data block is never run, so the CSP's script-src does not apply to it: no nonce.
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert "nonce" not in response["Content-Security-Policy"]
    data = json.loads(match.group(1))
    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == "Magnesium & you"
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert "dateModified" in data
    assert [c["name"] for c in data["citation"]] == [f"Reference {i} of Magnesium & you." for i in (1, 2)]
    assert "<summary>" not in match.group(1)  # escaped so the data can never end the script element


def test_json_ld_has_last_reviewed_only_when_reviewed(client):
    reviewed = make_article(medical_reviewer=make_person(credentials="MD"), reviewed_at=datetime.date(2026, 1, 5))
    unreviewed = make_article()
    html = client.get(reviewed.get_absolute_url()).text
    data = json.loads(re.search(r"ld\+json[^>]*>(.*?)</script>", html).group(1))
    assert data["lastReviewed"] == "2026-01-05"
    assert data["reviewedBy"] == {"@type": "Person", "name": "A. Smith", "honorificSuffix": "MD"}
    assert data["author"]["name"] == "Test editors"
    html = client.get(unreviewed.get_absolute_url()).text
    assert "lastReviewed" not in html
    assert "Not yet medically reviewed" in html


def test_site_url_setting_makes_the_canonical_address(client, settings):
    settings.SITE_URL = "https://magnesium.example"
    article = make_article()
    html = client.get(article.get_absolute_url()).text
    assert f'<link rel="canonical" href="https://magnesium.example/articles/{article.slug}/">' in html


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_articles_are_404_for_the_public_and_a_preview_for_staff(staff_client, kind):
    if kind == "draft":
        article = make_draft(title="Work in progress")
    else:
        article = make_article(title="Work in progress", published_at=timezone.now() + datetime.timedelta(days=3))

    public = Client().get(article.get_absolute_url())  # staff_client is the `client` fixture, logged in
    assert public.status_code == 404
    assert "Work in progress" not in public.text

    preview = staff_client.get(article.get_absolute_url())
    assert preview.status_code == 200
    assert "Work in progress" in preview.text
    banner = "Draft — not published." if kind == "draft" else "Scheduled — not published yet."
    assert banner in preview.text
    assert '<meta name="robots" content="noindex">' in preview.text
    assert "no-cache" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert f'href="/admin/articles/article/{article.pk}/change/"' in preview.text
    # Never listed, not even for staff.
    assert "Work in progress" not in staff_client.get("/articles/").text


def test_published_article_has_no_preview_banner(staff_client):
    article = make_article()
    html = staff_client.get(article.get_absolute_url()).text
    assert "not published" not in html and "noindex" not in html


def test_unknown_article_is_404(client):
    assert client.get("/articles/no-such-article/").status_code == 404


# --- query counts ---------------------------------------------------------------------------


def make_many(count):
    """`count` articles, each with 10 references and 5 topics, 2 foods."""
    topics = [make_topic() for _ in range(5)]
    foods = [make_food() for _ in range(2)]
    articles = [make_article(topics=topics, references=10) for _ in range(count)]
    for article in articles:
        article.foods.set(foods)
    return articles


@pytest.mark.parametrize("count", [1, 50])
def test_list_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    make_many(count)
    # count, one page of articles, their topics, the topics offered in the filter, the byline's dates (every
    # published article's authors, reviews and newest change: one query)
    with django_assert_num_queries(5):
        response = client.get("/articles/")
    assert len(titles(response.text)) == min(count, 10)
    slug = Article.objects.first().topics.first().slug
    # the fragment: the topic looked up, count, page, topics (no form to render)
    with django_assert_num_queries(4):
        response = client.get(f"/articles/?topic={slug}&page=2", **HTMX)
    # page 2 of 50 has ten; with one article, an out-of-range page shows the last page
    assert len(titles(response.text)) == (10 if count == 50 else 1)


@pytest.mark.parametrize("count", [1, 50])
def test_article_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, count):
    article = make_many(count)[-1]
    # the article, its topics, references, foods, supplement forms, findings placed beside the text
    with django_assert_num_queries(6):
        response = client.get(article.get_absolute_url())
    assert response.text.count('<li id="reference-') == 10
