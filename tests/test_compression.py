"""Pages and htmx fragments reach browsers gzipped (Lighthouse's "compressed HTML").

Static files are compressed ahead of time by WhiteNoise; these tests are about the HTML
Django renders. The page cache's side of it (a cached page gzipped, 304s with the weak
ETag) is in tests/test_page_cache.py.
"""

import gzip

import pytest

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/", "Magnesium"),
        ("/foods/", "Magnesium-rich foods"),
        ("/supplements/", "Magnesium citrate"),
        ("/articles/magnesium-and-peripheral-neuropathy/", "peripheral neuropathy"),
    ],
)
def test_pages_are_gzipped_for_browsers_that_accept_it(client, seeded, url, text):
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert text in html
    assert len(response.content) < len(html.encode()) / 2, "compression should at least halve a page"


def test_htmx_fragment_is_gzipped_and_still_a_fragment(client, seeded):
    response = client.get("/foods/?group=nuts", headers={**GZIP, "HX-Request": "true"})
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert 'id="results"' in html and "<html" not in html


def test_clients_that_do_not_ask_get_plain_html(client, seeded):
    response = client.get("/foods/")
    assert not response.has_header("Content-Encoding")
    assert "Magnesium-rich foods" in response.text
