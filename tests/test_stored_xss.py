"""Stored XSS: classic payloads in every text field an editor can fill, and in Markdown
bodies, render inert on every public page. (tests/browser/test_stored_xss.py loads such
pages in Chromium and checks that no script runs.)"""

from html.parser import HTMLParser

import pytest

from articles.models import Article
from supplements.models import SupplementForm
from tests.stored_xss import PAYLOADS, poison_everything

pytestmark = pytest.mark.django_db

SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")


class ScriptFinder(HTMLParser):
    """Collects what a browser would run or load: script elements other than the site's own,
    event-handler attributes, javascript:/data: links, and embedding elements."""

    OWN_SCRIPTS = ("/static/js/htmx.min.js", "/static/js/site.js", "/static/js/foods.js")

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") != "application/ld+json" and attrs.get("src") not in self.OWN_SCRIPTS:
            self.found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "svg", "math", "style", "base"):
            self.found.append(f"<{tag}>")
        if tag == "form" and attrs.get("action", "/").startswith(("http", "javascript", "data")):
            self.found.append(f"<form action={attrs['action']}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            scheme = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction", "data") and scheme.startswith(SCRIPT_SCHEMES):
                self.found.append(f"{tag} {name}={value}")


def runnable_markup(html):
    finder = ScriptFinder()
    finder.feed(html)
    return finder.found


def public_urls():
    article = Article.objects.published().first()
    form = SupplementForm.objects.published().first()
    return [
        "/",
        "/articles/",
        "/articles/?q=alert",
        article.get_absolute_url(),
        "/foods/",
        "/foods/?q=script",
        "/supplements/",
        form.get_absolute_url(),
        "/supplements/safety/",
        "/supplements/medicines/",
        "/supplements/medicines/?medicine=alendronate&medicine=<script>alert(1)</script>",
        f"/supplements/calculator/?form={form.slug}&amount_mg=500",
        "/feeds/articles/",
        "/sitemap.xml",
        "/about/",
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_render_inert_on_every_public_page(client, seeded, payload):
    poison_everything(payload)
    for url in public_urls():
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, **headers)
            assert response.status_code == 200, url
            body = response.content.decode()
            found = runnable_markup(body)
            assert not found, f"{url} contains {found}"
            # JSON-LD must not be closable by a title: its <script> holds no "</script>" text.
            assert body.count("</script>") == body.count("<script"), url
