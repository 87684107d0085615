"""Faults an operator will meet: Redis stopping under load, a gunicorn worker killed mid-load.

Each test starts what it breaks (its own redis-server, its own gunicorn) on a free loopback
port. Without redis-server the Redis test is skipped with the reason, unless REQUIRE_REDIS=1
(CI sets it), which makes it fail instead.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from articles.models import Article
from site_project import cache as page_cache

ROOT = Path(__file__).resolve().parents[1]

# The server helpers `make bench` uses (.ci/bench.py imports nothing of the site at import time).
sys.path.insert(0, str(ROOT / ".ci"))
from bench import free_port, stop_server  # noqa: E402


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {what}")


# --- Redis stopped under load ------------------------------------------------------------------


class RedisServer:
    def __init__(self, binary, port, folder):
        self.binary, self.port, self.folder, self.process = binary, port, folder, None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, 10, f"redis-server answering on port {self.port}")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(message + " (REQUIRE_REDIS=1)")
        pytest.skip(message)
    server = RedisServer(binary, free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


def is_hit(response):
    return response.get("X-Page-Cache") == "hit"


PAGES = ["/", "/foods/", "/supplements/", "/articles/", "/foods/?group=nuts&sort=name"]


def load(requests_per_client=8, clients=4):
    """Anonymous visitors on several threads at once; the responses, in no particular order."""

    def visitor(n):
        client = Client()
        try:
            return [client.get(PAGES[(n + i) % len(PAGES)]) for i in range(requests_per_client)]
        finally:
            connections.close_all()  # this thread's own database connection

    with ThreadPoolExecutor(clients) as pool:
        return [response for batch in pool.map(visitor, range(clients)) for response in batch]


def use_redis(settings, server):
    """The cache the settings make of REDIS_URL (with their options), on this test's server."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.PAGE_CACHE = True


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_under_load_pages_come_from_the_database_and_the_cache_recovers(
    redis_server, settings, tmp_path, caplog
):
    use_redis(settings, redis_server)
    call_command("seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert page_cache.cache_is_shared()
    page_cache.bump_generation()
    before = load()
    assert all(r.status_code == 200 for r in before)
    assert any(is_hit(r) for r in before), "Redis serves pages while it runs"

    redis_server.stop()
    started = time.monotonic()
    during = load()
    assert [r.status_code for r in during] == [200] * len(during)
    assert not any(is_hit(r) for r in during)
    assert "Magnesium-rich foods" in Client().get("/foods/").text
    assert time.monotonic() - started < 30
    assert "Page cache unavailable" in caplog.text
    # An editor's save still goes through (the cache cannot be cleared: the log says so).
    article = Article.objects.get()
    article.title = "Saved while Redis was down"
    article.save()
    assert "Saved while Redis was down" in Client().get("/").text

    redis_server.start()  # empty: Redis keeps nothing here, as the README advises for the cache
    client = Client()
    wait_until(lambda: is_hit(client.get("/foods/")), 10, "pages served from Redis again")
    after = load()
    assert all(r.status_code == 200 for r in after)
    assert any(is_hit(r) for r in after)
    assert "Saved while Redis was down" in Client().get("/").text


@pytest.mark.django_db(transaction=True)
def test_with_redis_hung_a_page_waits_half_a_second_not_five(redis_server, settings, caplog):
    """A Redis that stops answering (SIGSTOP: connections open, no reply) is not a Redis that is
    down: without the settings' socket timeouts each page waited redis-py's default 5 s."""
    use_redis(settings, redis_server)
    call_command("seed_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.get("/foods/")
    assert is_hit(client.get("/foods/"))
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = Client().get("/foods/")
        waited = time.monotonic() - started
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)
    assert response.status_code == 200 and not is_hit(response)
    assert "Magnesium-rich foods" in response.text
    assert waited < 3, f"{waited:.1f} s"
    assert "Page cache unavailable" in caplog.text


# --- A gunicorn worker killed mid-load ---------------------------------------------------------


def children(pid):
    """The process ids whose parent is pid (read from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None  # connection reset: the request in flight on the killed worker


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find gunicorn's workers")
def test_a_killed_gunicorn_worker_is_replaced_and_the_next_requests_are_answered(tmp_path):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_SECRET_KEY="fault-test-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_PAGE_CACHE_STAMP=str(tmp_path / "stamp"),
    )
    log = (tmp_path / "gunicorn.log").open("w")
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "2"]
    server = subprocess.Popen([*command, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/healthz"  # a real database round trip
    try:
        wait_until(lambda: status(url) == 200, 30, "gunicorn answering /healthz")
        wait_until(lambda: len(children(server.pid)) == 2, 10, "two workers")
        workers = children(server.pid)

        with ThreadPoolExecutor(4) as pool:
            stream = [pool.submit(status, url) for _ in range(200)]
            time.sleep(0.05)
            victim = min(workers)
            os.kill(victim, signal.SIGKILL)
            answers = [future.result() for future in stream]
        # Sync workers take one request at a time: at most the one in flight is lost.
        assert answers.count(None) <= 1, answers
        assert set(answers) <= {200, None}

        wait_until(lambda: len(children(server.pid) - {victim}) == 2, 15, "a new worker in place of the killed one")
        assert victim not in children(server.pid)
        assert [status(url) for _ in range(20)] == [200] * 20
        assert server.poll() is None, "the master keeps running"
    finally:
        stop_server(server)
        log.close()
