"""The production server on SQLite: readers under load while an editor saves see no
"database is locked" error, and every write lands. Real gunicorn, real files, real processes."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
WRITES = 40

WRITER = """
import django
django.setup()
from supplements.models import FoodEntry
food = FoodEntry.objects.get(slug="almonds-dry-roasted")
for i in range({writes}):
    food.notes = f"edit {{i}}"
    food.save()  # one transaction each, with its history row, as an admin save does
"""

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the SQLite production setup")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readers_and_a_writer_in_parallel_on_sqlite(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"},
        # The production settings, less the static manifest (tests/settings.py), so no collectstatic.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_SECRET_KEY": "concurrency-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_PAGE_CACHE": "false",  # every read goes to the database
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["seed_content"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        statuses, stop = [], threading.Event()

        def read():
            while not stop.is_set():
                for path in ("/foods/?q=almond", "/healthz", "/supplements/"):
                    try:
                        statuses.append(urllib.request.urlopen(base + path, timeout=10).status)
                    except urllib.error.HTTPError as error:
                        statuses.append(error.code)

        readers = [threading.Thread(target=read) for _ in range(6)]
        for thread in readers:
            thread.start()
        writer = subprocess.run(
            [sys.executable, "-c", WRITER.format(writes=WRITES)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        stop.set()
        for thread in readers:
            thread.join()
    finally:
        server.terminate()
        _, server_log = server.communicate(timeout=30)

    assert writer.returncode == 0, writer.stderr
    assert len(statuses) > 50
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    assert b"database is locked" not in server_log
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from supplements.models import FoodEntry as F; "
            "f = F.objects.get(slug='almonds-dry-roasted'); print(f.notes, f.history.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    # Every write is present: the last value, and one history row per save (plus the seed's).
    assert check.stdout.split() == ["edit", str(WRITES - 1), str(WRITES + 1)]
