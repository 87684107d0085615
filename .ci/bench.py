"""`make bench`: load-test the production server on a throwaway copy of the site.

Builds a fresh SQLite database in a temporary folder (migrations, the seed content and
2,000 obviously synthetic food entries), collects the static files there, starts gunicorn
from gunicorn.conf.py in production mode with 2 sync workers on a free loopback port, and
drives it with wrk: each page for --duration seconds at --connections connections, then
every page in turn at 64 connections for 30 seconds to count errors. Then the typing workload:
the reader typing into the search box over `/foods/?scope=all` (every USDA food), an htmx request
for each letter ("l", "le", "len", "lent"...: word starts from USDA's own descriptions), every
request a search not asked for before, so none is a page-cache hit: p50, p99 and errors at
--connections (target p99 under 50 ms at 16) and errors at 64 connections. It prints a table
(requests per second, p50 and p99 latency, errors, throughput as a share of /healthz in the
same run) and writes it to bench-results/. The developer database, static folder, cache
and Redis are never touched.

    make bench                          # page cache on
    make bench BENCH_ARGS=--no-cache    # page cache off: every request renders
    make bench BENCH_ARGS="--workloads typing"   # only the typing workload over scope=all
    .venv/bin/python .ci/bench.py --help

It lives in .ci/ beside the CI script because, like it, it drives the project from outside
(it starts servers and load generators) and is never imported by the site.
"""

import argparse
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench-results"
SYNTHETIC_FOODS = 2000
HTMX = {"HX-Request": "true"}
# Every request asks for a compressed response, as browsers do, so the bench pays for gzip too.
BROWSER = {"Accept-Encoding": "gzip"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-cache", action="store_true", help="turn the page cache off (DJANGO_PAGE_CACHE=false)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="connections per page (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--error-check", type=int, default=30, metavar="SECONDS", help="64-connection error check (0 skips it)"
    )
    parser.add_argument(
        "--workloads",
        default="pages,typing",
        help="comma-separated: pages (each bench page in turn), typing (searches over scope=all); default both",
    )
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(workdir, page_cache):
    """A production environment pointing only at the throwaway folder."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="site_project.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_PAGE_CACHE_STAMP=str(workdir / "page-cache.stamp"),
        DJANGO_PAGE_CACHE="true" if page_cache else "false",
        # wrk speaks plain http to loopback; a TLS proxy would sit in front in production.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def prepare_site(env, synthetic_foods=0):
    """Set Django up in this process with `env`, then migrate, seed, import USDA SR28, add `synthetic_foods`
    generated foods and collect static files. Shared with .ci/lighthouse.py."""
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from supplements.models import FoodEntry, FoodGroup

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("seed_content", verbosity=0, stdout=quiet)
    # USDA's 8,050 foods, as `make run` loads them (their pages and the comparison need them).
    call_command("import_usda_sr28", str(ROOT / "supplements/data/usda-sr28"), verbosity=0, stdout=quiet)
    groups = list(FoodGroup.objects.order_by("order", "name"))
    rng = Random(2000)
    FoodEntry.objects.bulk_create(
        FoodEntry(
            name=f"Synthetic bench food {n:04d}",
            slug=f"synthetic-bench-food-{n:04d}",
            group=groups[n % len(groups)],
            serving="100 g (synthetic)",
            serving_grams=Decimal(100),
            magnesium_mg=Decimal(rng.randint(5, 400)),
            source="Synthetic entry made by .ci/bench.py for load testing: not a real food, not a real figure.",
        )
        for n in range(1, synthetic_foods + 1)
    )
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)


def build_site(env):
    """The throwaway site with the synthetic foods; return the pages to load."""
    prepare_site(env, SYNTHETIC_FOODS)
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article
    from supplements.models import FoodEntry, SupplementForm

    pages = [("/healthz", "/healthz", {}), ("home", "/", {})]
    launch = Article.objects.published().order_by("published_at").first()
    pages.append(
        (f"article: {launch.slug}", launch.get_absolute_url(), {}) if launch else ("launch article", None, {})
    )
    foods_filtered = "/foods/?group=nuts&group=seeds&sort=name"
    pages += [
        ("/foods/", "/foods/", {}),
        ("foods filtered, full page", foods_filtered, {}),
        ("foods filtered, htmx fragment", foods_filtered, HTMX),
        ("/supplements/", "/supplements/", {}),
    ]
    try:
        form = SupplementForm.objects.published().order_by("name").first()
        query = f"?form={form.slug}&amount_mg=500&pills=2&per_day=1" if form else ""
        pages.append(("calculator: 500 mg x 2", reverse("supplements:calculator") + query, {}))
    except NoReverseMatch:
        pages.append(("calculator", None, {}))
    counts = f"{FoodEntry.objects.count()} foods ({SYNTHETIC_FOODS} synthetic), {Article.objects.count()} article(s)"
    return pages, counts


def start_server(env, port, workers, log):
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer /healthz within 30 s:\n{log_tail(log)}")


def log_tail(log):
    log.flush()
    return Path(log.name).read_text()[-3000:]


def throwaway_site(prefix, contents):
    """A temporary folder for a throwaway site (and bench-results/ for the report), with the
    gunicorn log open for writing: (workdir, log). clean_up() removes it."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    RESULTS.mkdir(exist_ok=True)
    print(f"Building a throwaway site in {workdir} ({contents})...")
    return workdir, open(workdir / "gunicorn.log", "w")  # noqa: SIM115


def clean_up(server, log, workdir):
    """Stop the server if it started, close its log and remove the throwaway site."""
    if server is not None:
        stop_server(server)
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)


def stop_server(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def probe(base, path, headers):
    """Status and body of one request, to skip pages that do not exist yet and check the htmx row."""
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def run_wrk(base, path, headers, seconds, connections, threads, script=None, script_args=()):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in {**BROWSER, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    command.append(base + path)
    if script_args:
        command += ["--", *map(str, script_args)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if len(latency) < 2:
        raise SystemExit(f"Could not read wrk's latency distribution for {path}:\n{output}")
    errors = int(re.search(r"Non-2xx or 3xx responses: (\d+)", output).group(1)) if "Non-2xx" in output else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    total = int(re.search(r"(\d+) requests in", output).group(1))
    repeated = re.search(r"^Repeated searches: (\d+)$", output, re.MULTILINE)  # the typing script's own count
    return {
        "rps": rps,
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": errors,
        "total": total,
        "repeated": int(repeated.group(1)) if repeated else 0,
    }


def error_check_script(workdir, pages):
    """A wrk Lua script that asks for every page in turn (the htmx one with its header)."""
    lines = ["local requests = {}"]
    for _, path, headers in pages:
        # wrk.format() does not add the -H headers to a table of its own, so they are listed here.
        header_table = ", ".join(f'["{k}"] = "{v}"' for k, v in {**BROWSER, **headers}.items())
        lines.append(f'table.insert(requests, wrk.format("GET", "{path}", {{{header_table}}}))')
    lines += ["local i = 0", "request = function()", "  i = i % #requests + 1", "  return requests[i]", "end"]
    script = workdir / "all-pages.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


# --- The typing workload: searches over every USDA food --------------------------------------------

TYPING_PATH = "/foods/?scope=all&q="
TYPING_TARGET_P99_MS = 50


def typing_prefixes(seed=2026):
    """What readers type into the search box, letter by letter ("l", "le", "len", "lent"), for the
    words of USDA's own descriptions (the imported SR28 FOOD_DES, supplements/data/usda-sr28/), the
    words in a fixed shuffled order and each prefix once, so no search is asked for twice."""
    from supplements.models import USDAFood

    descriptions = USDAFood.objects.values_list("description", flat=True)
    words = sorted({word for text in descriptions for word in re.findall(r"[a-z]+", text.lower()) if len(word) > 2})
    Random(seed).shuffle(words)
    seen, prefixes = set(), []
    for word in words:
        for end in range(1, len(word) + 1):
            if word[:end] not in seen:
                seen.add(word[:end])
                prefixes.append(word[:end])
    return prefixes


def typing_script(workdir, prefixes):
    """A wrk Lua script that asks for TYPING_PATH + each prefix in turn, as htmx requests (the search
    box's own). Its arguments: wrk's thread count and how many prefixes earlier runs used; each thread
    takes every n-th prefix from there, so no two requests repeat a search until the list runs out
    (then it wraps round, and `done` prints how many repeated)."""
    headers = ", ".join(f'["{k}"] = "{v}"' for k, v in {**BROWSER, **HTMX}.items())
    queries = ", ".join(f'"{prefix}"' for prefix in prefixes)
    script = workdir / "typing.lua"
    script.write_text(
        f"""local queries = {{{queries}}}
local headers = {{{headers}}}
local threads, next_id = {{}}, 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  stride, offset, sent = tonumber(args[1]), tonumber(args[2]), 0
end
function request()
  local n = offset + id + sent * stride
  sent = sent + 1
  return wrk.format("GET", "{TYPING_PATH}" .. queries[n % #queries + 1], headers)
end
function done(summary, latency, requests)
  local repeated = 0
  for _, thread in ipairs(threads) do
    local first = thread:get("offset") + thread:get("id")
    local fresh = math.max(0, math.ceil((#queries - first) / thread:get("stride")))
    repeated = repeated + math.max(0, thread:get("sent") - fresh)
  end
  io.write(string.format("Repeated searches: %d\\n", repeated))
end
"""
    )
    return script


def result_count(base, path):
    """The number of foods the page says it lists ("8,050 foods"), or None."""
    status, body = probe(base, path, {})
    match = re.search(r'id="result-count"[^>]*>\s*([\d,]+) food', body) if status == 200 else None
    return int(match.group(1).replace(",", "")) if match else None


def typing_workload(args, base, workdir):
    """The typing workload at --connections, then at 64 connections for errors: report lines."""
    prefixes = typing_prefixes()
    script = typing_script(workdir, prefixes)
    every, featured = result_count(base, "/foods/?scope=all"), result_count(base, "/foods/")
    if every is not None and every == featured:
        scope = (
            f"**scope=all is not honoured by this build** (it lists {every:,} foods, as the featured list does): "
            "these figures are searches over the featured list, measured before scope=all landed."
        )
    else:
        scope = f"scope=all lists {every} foods, the featured list {featured}."
    print(f"\nTyping workload: {len(prefixes):,} distinct searches over {TYPING_PATH}...; {scope}")
    used, runs = 0, []
    for seconds, connections in ((2, args.connections), (args.duration, args.connections), (args.error_check, 64)):
        if seconds <= 0:
            continue
        result = run_wrk(base, "/", {}, seconds, connections, args.threads, script, (args.threads, used))
        used += result["total"]
        runs.append((seconds, connections, result))
    table_header = "| connections | seconds | requests | req/s | p50 ms | p99 ms | errors | repeated searches |"
    lines = [
        "",
        f"### Typing over `scope=all`: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}.  ",
        f"Server: gunicorn, {args.workers} sync workers, production settings, SQLite, page cache "
        f"{'off' if args.no_cache else 'on'}; USDA SR28 imported.  ",
        f"Command: `make bench{f' BENCH_ARGS="{shlex.join(sys.argv[1:])}"' if sys.argv[1:] else ''}`",
        "",
        f"Each request an htmx search `{TYPING_PATH}<prefix>` for a word start not asked for before "
        f"('l', 'le', 'len'...: {len(prefixes):,} prefixes of the words in USDA's own descriptions, "
        "supplements/data/usda-sr28/), so none is a page-cache hit. The first 2 s warm up and are not counted. "
        f"{scope}",
        "",
        table_header,
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for seconds, connections, result in runs[1:]:
        lines.append(
            f"| {connections} | {seconds} | {result['total']:,} | {result['rps']:,.0f} | {result['p50']:.2f} "
            f"| {result['p99']:.2f} | {result['errors']} | {result['repeated']} |"
        )
    measured = [result for _, connections, result in runs[1:] if connections == args.connections]
    if measured:
        p99 = measured[0]["p99"]
        verdict = "met" if p99 < TYPING_TARGET_P99_MS else "NOT met"
        lines += [
            "",
            f"Target p99 under {TYPING_TARGET_P99_MS} ms at {args.connections} connections: {verdict} ({p99:.2f} ms).",
        ]
    print("\n".join(lines[lines.index(table_header) :]))
    return lines


def machine():
    """CPU model and core count, as /proc/cpuinfo says."""
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text() if cpuinfo.exists() else "").splitlines()
        if line.startswith("model name")
    ]
    cpu = models[0] if models else platform.machine()
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def pages_workload(args, base, workdir, pages, counts, mode, started):
    """Each bench page in turn, then every page at 64 connections: report lines."""
    rows, measured = [], []
    for label, path, headers in pages:
        if path is None:
            rows.append((label, "-", None, "skipped: no such page in the URLconf yet"))
            continue
        status, body = probe(base, path, headers)
        if status != 200:
            rows.append((label, path, None, f"skipped: {path} answers {status}"))
            continue
        if headers == HTMX and "<html" in body:
            rows.append((label, path, None, "skipped: the htmx request got a full page, not a fragment"))
            continue
        run_wrk(base, path, headers, 2, args.connections, args.threads)  # warm up both workers
        result = run_wrk(base, path, headers, args.duration, args.connections, args.threads)
        rows.append((label, path, result, ""))
        measured.append((label, path, headers))
        print(f"  {label:<32} {result['rps']:>8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms")

    # /healthz again at the end: the ratios use the mean of both, so a machine that got
    # busier or quieter during the run skews them less. Both figures go in the notes.
    healthz_again = run_wrk(base, "/healthz", {}, args.duration, args.connections, args.threads)
    healthz_runs = [rows[0][2]["rps"], healthz_again["rps"]]
    healthz = sum(healthz_runs) / 2
    header = [
        f"## Page cache {mode}: {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine()}.  ",
        f"Server: gunicorn, {args.workers} sync workers, production settings, SQLite; {counts}.  ",
        f"Load: wrk, {args.connections} connections, {args.threads} threads, {args.duration} s per page "
        "after a 2 s warm-up, on the same machine as the server; every request sends "
        "`Accept-Encoding: gzip`, as browsers do.  ",
        f"Command: `make bench{' BENCH_ARGS=--no-cache' if args.no_cache else ''}`",
        "",
        "| page | req/s | p50 ms | p99 ms | errors | vs /healthz |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    table = []
    for label, path, result, note in rows:
        name = f"{label} `{path}`" if path not in (None, "-", label) else label
        if result is None:
            table.append(f"| {name} | | | | | {note} |")
            continue
        ratio = f"{result['rps'] / healthz:.0%}"
        table.append(
            f"| {name} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} "
            f"| {result['errors']} | {ratio} |"
        )

    footer = [
        "",
        f"/healthz before and after the pages: {healthz_runs[0]:,.0f} and {healthz_runs[1]:,.0f} req/s; "
        f"the ratios use their mean, {healthz:,.0f}.",
    ]
    if args.error_check and measured:
        print(f"\nError check: every page in turn, 64 connections, {args.error_check} s...")
        script = error_check_script(workdir, measured)
        check = run_wrk(base, "/", {}, args.error_check, 64, args.threads, script=script)
        footer += [
            "",
            f"Error check, all pages above in turn at 64 connections for {args.error_check} s: "
            f"{check['total']:,} requests, {check['errors']} errors, {check['rps']:,.0f} req/s, "
            f"p50 {check['p50']:.2f} ms, p99 {check['p99']:.2f} ms.",
        ]

    return header + table + footer


def main():
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk, the HTTP load generator: apt-get install wrk")
    workloads = set(args.workloads.split(","))
    if not workloads or workloads - {"pages", "typing"}:
        raise SystemExit(f"--workloads takes pages, typing or both (comma-separated), not {args.workloads!r}")
    page_cache = not args.no_cache
    started = datetime.now(UTC)
    workdir, log = throwaway_site("site-bench-", f"seed content + {SYNTHETIC_FOODS} synthetic foods")
    server = None
    try:
        env = production_env(workdir, page_cache)
        pages, counts = build_site(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, args.workers, log)
        mode = "on" if page_cache else "off"
        print(f"gunicorn: {args.workers} sync workers on {base}, page cache {mode}; {counts}")
        print(f"wrk: {args.connections} connections, {args.threads} threads, {args.duration} s per page\n")
        report = pages_workload(args, base, workdir, pages, counts, mode, started) if "pages" in workloads else []
        if "typing" in workloads:
            report += typing_workload(args, base, workdir)

        report = "\n".join(report) + "\n"
        print("\n" + report)
        # A typing-only run keeps its own files, so the page table's stay.
        kind = "bench" if "pages" in workloads else "typing"
        name, latest = f"{kind}-cache-{mode}-{started:%Y%m%d-%H%M%S}.md", f"latest-{kind}-cache-{mode}.md"
        if kind == "bench":
            latest = f"latest-cache-{mode}.md"
        (RESULTS / name).write_text(report)
        (RESULTS / latest).write_text(report)
        print(f"Written to bench-results/{name} and bench-results/{latest}")
    finally:
        clean_up(server, log, workdir)


if __name__ == "__main__":
    main()
