"""What every htmx-filtered list does alike, checked on each (the pages' own tests check their rows)."""

import pytest

from tests.factories import HTMX, history_restore

pytestmark = pytest.mark.django_db

LISTS = ["/foods/", "/evidence/", "/supplements/medicines/", "/supplements/", "/articles/"]


@pytest.mark.parametrize("url", LISTS)
def test_every_response_varies_on_the_htmx_headers(client, seeded, url):
    for headers in ({}, HTMX):
        vary = client.get(url, **headers)["Vary"]
        assert "HX-Request" in vary and "HX-History-Restore-Request" in vary


@pytest.mark.parametrize(
    ("url", "query"),
    [("/foods/", {"q": "almond"}), ("/evidence/", {"condition": "nerve-pain"}), ("/supplements/", {"sort": "name"})],
)
def test_history_restore_request_gets_the_full_page(client, seeded, url, query):
    history_restore(client, url, query)
