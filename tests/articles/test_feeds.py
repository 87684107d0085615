"""The Atom feed, the sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from supplements.models import SupplementForm
from tests.factories import make_article, make_draft, make_topic

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_lists_the_latest_published_articles_only(client, django_assert_num_queries):
    now = timezone.now()
    topic = make_topic(name="Neuropathy")
    make_article(title="Older", slug="older", summary="Older summary.", published_at=now - datetime.timedelta(days=3))
    yesterday = now - datetime.timedelta(days=1)
    make_article(title="Newer", slug="newer", summary="Newer summary.", published_at=yesterday, topics=[topic])
    make_draft(title="Draft")
    make_article(title="Scheduled", published_at=now + datetime.timedelta(days=1))

    with django_assert_num_queries(2):  # the articles, their topics
        response = client.get("/feeds/articles/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer", "Older"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/articles/newer/"
    assert entries[0].findtext(f"{ATOM}summary") == "Newer summary."
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Test editors"
    assert [c.get("term") for c in entries[0].findall(f"{ATOM}category")] == ["Neuropathy"]


def test_home_list_and_article_pages_advertise_the_feed(client):
    article = make_article()
    link = '<link rel="alternate" type="application/atom+xml"'
    assert link in client.get("/").text
    assert 'href="/feeds/articles/">Follow new articles (Atom feed)</a>' in client.get("/").text
    assert link in client.get("/articles/").text
    assert link in client.get(article.get_absolute_url()).text


def test_sitemap_lists_public_pages_published_articles_and_supplement_forms(client, seeded):
    public = make_article(slug="public-one")
    make_draft(slug="secret-draft")
    make_article(slug="not-yet", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {u.findtext(f"{SITEMAP}loc"): u for u in ET.fromstring(response.content).findall(f"{SITEMAP}url")}
    base = "http://testserver"
    pages = ["/", "/articles/", "/foods/", "/supplements/", "/supplements/safety/", "/supplements/calculator/"]
    for path in [*pages, "/sources/", "/articles/public-one/"]:
        assert base + path in urls, path
    assert urls[base + "/articles/public-one/"].findtext(f"{SITEMAP}lastmod") == public.updated_at.date().isoformat()
    assert not any("secret-draft" in url or "not-yet" in url for url in urls)
    forms = SupplementForm.objects.published()
    assert forms.exists()
    for form in forms:
        assert base + form.get_absolute_url() in urls


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
