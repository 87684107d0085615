"""The page cache for anonymous visitors (site_project/cache.py).

These tests use real transactions (`transaction=True`): inside the usual per-test transaction
the page cache stands aside, because what is rendered there is rolled back afterwards. With
REDIS_URL set, the same tests run against Redis, the multi-server setup.
"""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path
from django.utils import text

from articles.models import Article
from site_project import cache as page_cache
from supplements.models import FoodEntry, SupplementForm, SupplementUse

ROOT = Path(__file__).resolve().parents[1]
HTMX = {"HX-Request": "true"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_page_cache(settings, tmp_path):
    settings.PAGE_CACHE = True
    # A stamp file of this test's own: other test runs on this machine bump the shared one.
    settings.PAGE_CACHE_STAMP = str(tmp_path / "page-cache.stamp")
    page_cache.page_cache().clear()
    page_cache.bump_generation()


def launch_url():
    return Article.objects.get().get_absolute_url()


def is_hit(response):
    return response.get("X-Page-Cache") == "hit"


def test_anonymous_visitor_gets_the_cached_copy_without_touching_the_database(
    client, seeded, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200 and not is_hit(first)

    with django_assert_num_queries(0):
        again = client.get("/")
    assert is_hit(again)
    assert again.content == first.content
    assert Article.objects.get().title in again.text
    # Cached responses carry no cookie and still have the security headers of the original.
    assert not again.cookies
    for header in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"):
        assert again[header] == first[header]


def test_htmx_fragment_and_full_page_are_cached_apart(client, seeded):
    url = "/foods/?group=nuts&group=seeds&sort=name"
    fragment = client.get(url, headers=HTMX)
    full = client.get(url)
    restore = client.get(url, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" not in fragment.text and 'id="results"' in fragment.text
    assert "<html" in full.text and "<html" in restore.text
    assert not any(is_hit(r) for r in (fragment, full, restore))

    fragment_again = client.get(url, headers=HTMX)
    full_again = client.get(url)
    restore_again = client.get(url, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert all(is_hit(r) for r in (fragment_again, full_again, restore_again))
    assert fragment_again.content == fragment.content
    assert full_again.content == full.content
    assert "<html" not in fragment_again.text and "<html" in full_again.text and "<html" in restore_again.text
    assert "HX-Request" in full_again["Vary"]


def test_an_editors_save_is_seen_at_once(client, seeded):
    article = Article.objects.get()
    assert article.title in client.get("/").text
    assert is_hit(client.get("/"))
    assert article.title in client.get(article.get_absolute_url()).text

    article.title = "Magnesium and the nerves of the feet: an updated review"
    article.save()

    home = client.get("/")
    assert not is_hit(home)
    assert "an updated review" in home.text
    assert "an updated review" in client.get(article.get_absolute_url()).text


def test_a_deleted_food_disappears_from_the_cached_table_at_once(client, seeded):
    food = FoodEntry.objects.published().get(slug="almonds-dry-roasted")
    assert food.name in client.get("/foods/?q=almonds").text
    assert is_hit(client.get("/foods/?q=almonds"))

    food.delete()

    assert food.name not in client.get("/foods/?q=almonds").text


def test_a_restored_backup_is_seen_at_once(client, seeded, tmp_path):
    # loaddata saves "raw"; the cache must still hear of it, or visitors keep the pre-restore page.
    backup = tmp_path / "content.json"
    call_command("export_content", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    food = FoodEntry.objects.published().get(slug="almonds-dry-roasted")
    food.name = "Almonds, renamed after the backup"
    food.save()
    assert "renamed after the backup" in client.get("/foods/?q=almonds").text
    assert is_hit(client.get("/foods/?q=almonds"))

    # Without --replace nothing is deleted: only loaddata's own saves can tell the cache.
    call_command("import_content", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115

    page = client.get("/foods/?q=almonds")
    assert not is_hit(page)
    assert "Almonds, dry roasted" in page.text and "renamed after the backup" not in page.text


def test_many_to_many_changes_start_a_new_generation(seeded):
    form = SupplementForm.objects.first()
    use = SupplementUse.objects.create(name="Leg cramps (tested)", slug="leg-cramps-tested")
    before = page_cache.lookup("any")[0]
    form.uses.add(use)
    assert page_cache.lookup("any")[0] != before


def test_another_process_invalidates_this_ones_pages(client, seeded, settings):
    """What a second gunicorn worker or a management command does: change the generation
    from another process. Without Redis it goes through the stamp file; with it, through Redis."""
    client.get("/")
    assert is_hit(client.get("/"))
    code = "import django; django.setup(); from site_project.cache import bump_generation; bump_generation()"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_PAGE_CACHE_STAMP": settings.PAGE_CACHE_STAMP,
    }
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    assert not is_hit(client.get("/"))


def test_staff_never_get_a_cached_page_and_their_pages_are_never_stored(staff_client, seeded):
    client = Client()
    client.get("/")
    assert is_hit(client.get("/"))
    assert not is_hit(staff_client.get("/"))
    assert not is_hit(staff_client.get("/"))

    staff_view = staff_client.get("/sources/")
    assert staff_view.status_code == 200 and not is_hit(staff_view)
    assert not is_hit(client.get("/sources/")), "the staff page must not have been stored for visitors"


@pytest.mark.parametrize("url", ["/admin/", "/admin/articles/article/", "/admin/login/"])
def test_admin_is_never_cached(staff_client, seeded, url):
    for _ in range(2):
        assert not is_hit(staff_client.get(url))
    for _ in range(2):
        assert not is_hit(Client().get(url))


def test_health_check_is_never_cached(client):
    client.get("/healthz")
    assert not is_hit(client.get("/healthz"))


def test_visitor_with_a_session_or_pending_message_is_not_served_from_cache(client, seeded):
    client.get("/")
    assert is_hit(client.get("/"))
    assert not is_hit(Client(headers={"Cookie": "sessionid=abc"}).get("/"))
    assert not is_hit(Client(headers={"Cookie": "messages=abc"}).get("/"))


def csrf_view(request):
    return HttpResponse(f"form token {get_token(request)}")


def nonce_view(request):
    # A page that asks for a CSP nonce for an inline script: the policy grants none.
    return HttpResponse(f'<p>{"padding " * 40}</p><script nonce="{request._csp_nonce}">let x = 1;</script>')


urlpatterns = [path("with-token/", csrf_view), path("with-nonce/", nonce_view)]


def test_a_page_with_a_csrf_token_is_never_cached(client, settings):
    settings.ROOT_URLCONF = __name__
    first = client.get("/with-token/")
    second = Client().get("/with-token/")
    assert not is_hit(second)
    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies
    assert first.text != second.text, "two visitors must never share a CSRF token"


@pytest.mark.parametrize("headers", [{}, {"Accept-Encoding": "gzip"}])
def test_public_pages_get_no_csp_nonce_so_every_visitor_may_share_one_cached_copy(settings, headers):
    """No public page has an inline script, so the public policy has no nonce: a template that
    asked for one would get a script the browser refuses, and a cached copy (gzipped once) holds
    nothing that belongs to one response."""
    settings.ROOT_URLCONF = __name__
    responses = [Client(headers=headers).get("/with-nonce/") for _ in range(3)]
    assert [is_hit(r) for r in responses] == [False, True, True]
    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "nonce" not in policy and "script-src 'self';" in policy
        assert response["Content-Security-Policy"] == responses[0]["Content-Security-Policy"]
    bodies = [gzip.decompress(r.content) if r.get("Content-Encoding") == "gzip" else r.content for r in responses]
    assert bodies[1] == bodies[2] == bodies[0]
    if headers:
        assert [r.get("Content-Encoding") for r in responses] == ["gzip"] * 3


def test_a_hit_is_served_from_a_copy_compressed_once(client, seeded, monkeypatch):
    gzip_ok = {"Accept-Encoding": "gzip"}
    url = launch_url()
    first = client.get(url, headers=gzip_ok)
    plain = Client().get(url)
    assert is_hit(plain) and plain.get("Content-Encoding") is None  # a client without gzip: plain text

    compressions = []  # Django's gzip helper, used by the GZip middleware and the page cache alike
    real_compress = text.gzip_compress
    monkeypatch.setattr(text, "gzip_compress", lambda *a, **k: compressions.append(1) or real_compress(*a, **k))
    hit = client.get(url, headers=gzip_ok)

    assert is_hit(hit) and hit["Content-Encoding"] == "gzip" and compressions == []
    assert gzip.decompress(hit.content) == gzip.decompress(first.content) == plain.content
    assert "Accept-Encoding" in hit["Vary"] and hit["Content-Length"] == str(len(hit.content))
    assert client.get(url, headers={**gzip_ok, "If-None-Match": hit["ETag"]}).status_code == 304


def test_the_response_that_stores_a_page_is_compressed_once_and_sent_as_a_hit_will_be(client, seeded, monkeypatch):
    """A search asked for once is stored and never asked for again: compressing it twice (the page
    cache's copy, then the GZip middleware) cost about a twentieth of its time."""
    compressions = []
    real_compress = text.gzip_compress
    monkeypatch.setattr(text, "gzip_compress", lambda *a, **k: compressions.append(1) or real_compress(*a, **k))
    gzip_ok = {"Accept-Encoding": "gzip"}
    first = client.get("/foods/?q=alm", headers={**gzip_ok, **HTMX})
    assert not is_hit(first) and first["Content-Encoding"] == "gzip" and compressions == [1]
    hit = client.get("/foods/?q=alm", headers={**gzip_ok, **HTMX})
    assert is_hit(hit) and hit.content == first.content and "almonds" in gzip.decompress(hit.content).decode()
    assert first["Content-Length"] == str(len(first.content)) and first["ETag"] == hit["ETag"]
    assert first["Vary"] == hit["Vary"] == "HX-Request, HX-History-Restore-Request, Accept-Encoding"
    # A client without gzip gets the page as rendered, uncompressed.
    plain = Client().get("/foods/?q=spin", headers=HTMX)
    assert not is_hit(plain) and plain.get("Content-Encoding") is None and "spinach" in plain.text.lower()


def test_conditional_get_answers_304_from_the_cache(client, seeded):
    first = client.get("/")
    etag = first["ETag"]
    not_modified = client.get("/", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    article = Article.objects.get()
    article.title = "A new title"
    article.save()
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "A new title" in changed.text


def test_a_cached_page_is_gzipped_and_revalidates_with_its_weak_etag(client, seeded):
    gzip_ok = {"Accept-Encoding": "gzip"}
    client.get("/foods/", headers=gzip_ok)
    hit = client.get("/foods/", headers=gzip_ok)
    assert is_hit(hit) and hit["Content-Encoding"] == "gzip"
    assert "Magnesium-rich foods" in gzip.decompress(hit.content).decode()
    assert hit["ETag"].startswith('W/"'), "a gzipped body gets a weak ETag"
    not_modified = client.get("/foods/", headers={**gzip_ok, "If-None-Match": hit["ETag"]})
    assert not_modified.status_code == 304


def test_switched_off_with_the_setting(client, settings, seeded):
    settings.PAGE_CACHE = False
    client.get("/")
    assert not is_hit(client.get("/"))


@pytest.mark.django_db(transaction=False)
def test_pages_rendered_inside_an_open_transaction_are_not_cached(client):
    client.get("/")
    assert not is_hit(client.get("/"))


def test_with_a_shared_cache_the_generation_lives_in_the_cache(client, seeded, settings, tmp_path):
    """The several-servers path (Redis in production) with a cache every process can read:
    here files, so the test needs no Redis server. With REDIS_URL set, the tests above run on Redis."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "c")}
    }
    assert page_cache.cache_is_shared()
    client.get("/")
    assert is_hit(client.get("/"))

    # Another server's change arrives through the cache alone, not the stamp file.
    other_server = caches.create_connection("default")
    other_server.set(page_cache.GENERATION_KEY, "set-by-another-server", timeout=None)
    assert not is_hit(client.get("/"))
    assert is_hit(client.get("/"))

    # If the cache lost the generation (evicted), pages are rendered again, not served stale.
    other_server.delete(page_cache.GENERATION_KEY)
    assert not is_hit(client.get("/"))
    assert is_hit(client.get("/"))


def test_an_unusable_cache_never_breaks_a_page(client, seeded, settings, caplog):
    # One server without Redis, whose stamp file cannot be written.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_STAMP = "/nonexistent-folder/page-cache.stamp"
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200 and not is_hit(response)
    article = Article.objects.get()
    article.title = "Saved while the cache is down"
    article.save()  # the editor's save goes through; the log says the cache could not be cleared
    assert "Saved while the cache is down" in client.get("/").text
    assert "could not be cleared" in caplog.text


def test_a_failing_cache_is_left_alone_for_a_few_seconds_and_said_once(client, seeded, monkeypatch, caplog):
    """While Redis is down (or hangs: 0.5 s a try), each page would wait for it and log a traceback:
    after a failure pages render without it, and the log says so once, until it is tried again."""
    tries = []

    def unreachable(key):
        tries.append(key)
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(page_cache, "lookup", unreachable)
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    for _ in range(3):
        response = client.get("/foods/")
        assert response.status_code == 200 and "Magnesium-rich foods" in response.text
    assert len(tries) == 1
    assert caplog.text.count("Page cache unavailable") == 1
    assert "tried again" in caplog.text
    now[0] += page_cache.PageCacheMiddleware.RETRY_SECONDS + 0.1
    assert client.get("/foods/").status_code == 200
    assert len(tries) == 2 and caplog.text.count("Page cache unavailable") == 2


def test_a_strangers_post_to_the_admin_does_not_empty_the_cache(client, seeded):
    client.get("/foods/")
    assert is_hit(client.get("/foods/"))
    # A login attempt without a CSRF token (403), and one with a wrong password (200).
    Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x", "password": "y"})
    Client().post("/admin/login/", {"username": "x", "password": "y"})
    assert is_hit(client.get("/foods/"))


def test_an_editors_admin_post_empties_the_cache(staff_client, seeded):
    visitor = Client()
    visitor.get("/foods/")
    assert is_hit(visitor.get("/foods/"))
    food = FoodEntry.objects.get(slug="almonds-dry-roasted")
    staff_client.post("/admin/supplements/foodentry/", {"action": "return_to_draft", "_selected_action": [food.pk]})
    assert not is_hit(visitor.get("/foods/"))


def test_very_large_pages_are_not_kept(client, settings, seeded):
    big = HttpResponse("x" * (page_cache.MAX_ENTRY_BYTES + 1))
    small = HttpResponse("x" * 100)
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    assert not page_cache.response_is_cacheable(request, big)
    assert page_cache.response_is_cacheable(request, small)
