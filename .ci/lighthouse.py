"""`make lighthouse`: Lighthouse scores for the main pages of a throwaway production site.

Builds a fresh SQLite database in a temporary folder (migrations and the seed content, no
synthetic rows), collects the static files there, starts gunicorn in production mode with 2
sync workers on a free loopback port (the server helpers are .ci/bench.py's), and runs
Lighthouse with Debian's Chromium on each page, desktop and mobile, three times each (scores
vary from run to run). It prints a table of the median runs (the four category scores, the
range of performance scores, LCP, TBT, CLS and bytes transferred) and writes it to
bench-results/lighthouse-latest.md; audits that cost a page points are listed below it.

The lighthouse npm package is installed into .lighthouse/ (git-ignored) on first use.
Lighthouse sometimes fails with NO_NAVSTART or another runtime error; each such run is
retried once.

    make lighthouse
    make lighthouse LIGHTHOUSE_ARGS="--page foods --form-factor mobile --runs 5"
    .venv/bin/python .ci/lighthouse.py --help
"""

import argparse
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import clean_up, free_port, machine, prepare_site, production_env, start_server, throwaway_site

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench-results"
LIGHTHOUSE_VERSION = "12.8.2"  # 13.x needs Node >= 22; the machines have Node 20
LIGHTHOUSE_DIR = ROOT / ".lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules/.bin/lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FORM_FACTORS = ["desktop", "mobile"]
CALCULATOR = "/supplements/calculator/?form=magnesium-citrate&amount_mg=500"
PLANNER = (
    "/planner/?stage=adults-31-50-years-female&food=pumpkin-seeds-pepitas-roasted:1&food=spinach-raw-11457:2"
    "&supplement=magnesium-glycinate:500:2"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per page and form factor; the median run is reported (default 3)"
    )
    parser.add_argument(
        "--page", action="append", metavar="LABEL", help="only this page (home, foods, ...), repeatable"
    )
    parser.add_argument("--form-factor", choices=FORM_FACTORS, help="only desktop or only mobile")
    return parser.parse_args()


def ensure_lighthouse():
    """Install the pinned lighthouse package into .lighthouse/ unless that version is there."""
    package = LIGHTHOUSE_DIR / "node_modules/lighthouse/package.json"
    if package.exists() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    if shutil.which("npm") is None:
        raise SystemExit("make lighthouse needs Node.js and npm (Node 20 or later).")
    print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into .lighthouse/ ...")
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            f"lighthouse@{LIGHTHOUSE_VERSION}",
            "--no-audit",
            "--no-fund",
        ],
        check=True,
    )


def build_site(env):
    """The seed content only (no synthetic foods); return the pages to audit as (label, path)."""
    prepare_site(env)
    from articles.models import Article

    launch = Article.objects.published().order_by("published_at").first()
    if launch is None:
        raise SystemExit("seed_content published no article: there is no launch article to audit.")
    return [
        ("home", "/"),
        ("foods", "/foods/"),
        ("all foods", "/foods/?scope=all&q=lent&basis=100kcal"),
        ("launch article", launch.get_absolute_url()),
        ("supplements", "/supplements/"),
        ("calculator", CALCULATOR),
        ("safety", "/supplements/safety/"),
        ("medicines", "/supplements/medicines/?medicine=gabapentin&medicine=ciprofloxacin"),
        ("evidence", "/evidence/"),
        ("condition", "/evidence/chemotherapy-neuropathy/"),
        ("low magnesium", "/supplements/low-magnesium/"),
        ("food page", "/foods/spinach-raw-11457/"),
        ("compare", "/foods/compare/?food=pumpkin-seeds-pepitas-roasted&food=spinach-raw-11457"),
        ("planner", PLANNER),
    ]


def run_lighthouse(url, form_factor, output):
    """One Lighthouse run; the report (a dict) or None with the reason when it failed."""
    command = [
        str(LIGHTHOUSE_BIN),
        url,
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    if done.returncode != 0 or not output.exists():
        return None, f"lighthouse exited with {done.returncode}: {done.stderr.strip()[-500:]}"
    report = json.loads(output.read_text())
    error = report.get("runtimeError")
    if error:
        return None, f"{error.get('code')}: {error.get('message')}"
    return report, ""


def audit(url, form_factor, output):
    """Run Lighthouse, and once more if the first run failed (NO_NAVSTART and the like)."""
    report, reason = run_lighthouse(url, form_factor, output)
    if report is None:
        print(f"    {form_factor}: {reason}; running it again")
        output.unlink(missing_ok=True)
        report, reason = run_lighthouse(url, form_factor, output)
    return report, reason


def median_run(reports):
    """The run with the median performance score (ties: the median Total Blocking Time).
    Lighthouse scores vary from run to run on a shared machine; its authors advise the median
    of several runs over any single one."""
    ranked = sorted(
        reports,
        key=lambda r: (r["categories"]["performance"]["score"], -r["audits"]["total-blocking-time"]["numericValue"]),
    )
    return ranked[len(ranked) // 2]


def summary(report):
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = report["audits"]
    return {
        **scores,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


def lost_points(report):
    """The audits that cost points in a category scored below 100: (category, audit id, title)."""
    found = []
    for name in CATEGORIES:
        category = report["categories"][name]
        if category["score"] == 1:
            continue
        for ref in category["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] > 0 and result["score"] is not None and result["score"] < 1:
                found.append((name, ref["id"], result["title"], result.get("displayValue", "")))
    return found


def main():
    args = parse_args()
    if not Path(CHROME_PATH).exists():
        raise SystemExit(f"make lighthouse needs Debian's Chromium at {CHROME_PATH}: apt-get install chromium")
    ensure_lighthouse()
    started = datetime.now(UTC)
    workdir, log = throwaway_site("site-lighthouse-", "seed content")
    server = None
    try:
        env = production_env(workdir, page_cache=True)
        # Plain http on loopback: no secure-only cookies, no HSTS for 127.0.0.1 in this Chromium profile.
        env.update(DJANGO_SECURE_COOKIES="false", DJANGO_HSTS_SECONDS="0")
        pages = [(label, path) for label, path in build_site(env) if not args.page or label in args.page]
        form_factors = [args.form_factor] if args.form_factor else FORM_FACTORS
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, args.workers, log)
        print(f"gunicorn: {args.workers} sync workers on {base}; Lighthouse {LIGHTHOUSE_VERSION}, {CHROME_PATH}\n")

        rows, lost, failures = [], [], []
        for label, path in pages:
            print(f"  {label} {path}")
            for form_factor in form_factors:
                slug = f"{label.replace(' ', '-')}-{form_factor}"
                reports = []
                for run in range(args.runs):
                    report, reason = audit(base + path, form_factor, workdir / f"{slug}-{run}.json")
                    if report is None:
                        failures.append(f"{label} ({form_factor}), run {run + 1}: {reason}")
                    else:
                        reports.append(report)
                if not reports:
                    rows.append((label, path, form_factor, None))
                    continue
                report = median_run(reports)
                result = summary(report)
                scores = sorted(round(r["categories"]["performance"]["score"] * 100) for r in reports)
                result["range"] = f"{scores[0]}-{scores[-1]}" if scores[0] != scores[-1] else f"{scores[0]}"
                rows.append((label, path, form_factor, result))
                lost += [(label, form_factor, *item) for item in lost_points(report)]

        header = [
            f"## Lighthouse: {started:%Y-%m-%d %H:%M} UTC",
            "",
            f"Machine: {machine()}.  ",
            f"Lighthouse {LIGHTHOUSE_VERSION} with Debian's Chromium ({CHROME_PATH}, headless); gunicorn, "
            f"{args.workers} sync workers, production settings, SQLite with the seed content, page cache on, "
            "plain http on loopback.  ",
            f"Each page and form factor was run {args.runs} times; the table shows the median run "
            "(by performance score) and the range of the performance scores.  ",
            "Command: `make lighthouse`",
            "",
            "| page | form factor | performance | (range) | accessibility | best practices | SEO "
            "| LCP s | TBT ms | CLS | KiB |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        table = []
        for label, path, form_factor, result in rows:
            name = f"{label} `{path}`"
            if result is None:
                table.append(f"| {name} | {form_factor} | every run failed | | | | | | | | |")
                continue
            table.append(
                f"| {name} | {form_factor} | {result['performance']} | {result['range']} | {result['accessibility']} "
                f"| {result['best-practices']} | {result['seo']} | {result['lcp']:.2f} | {result['tbt']:.0f} "
                f"| {result['cls']:.3f} | {result['bytes'] / 1024:.0f} |"
            )
        footer = []
        if lost:
            footer += ["", "Audits that cost points in the median runs:", ""]
            footer += [
                f"- {label} ({form_factor}), {category}: `{audit_id}` {title}" + (f" ({value})" if value else "")
                for label, form_factor, category, audit_id, title, value in lost
            ]
        else:
            footer += ["", "Every category scored 100 in the median run of every page measured."]
        if failures:
            footer += ["", "Failed runs (each after one retry):", ""] + [f"- {item}" for item in failures]

        report = "\n".join(header + table + footer) + "\n"
        print("\n" + report)
        # A partial run (--page, --form-factor) never replaces the full table the README quotes.
        name = "lighthouse-partial.md" if args.page or args.form_factor else "lighthouse-latest.md"
        (RESULTS / name).write_text(report)
        print(f"Written to bench-results/{name}")
        if any(result is None for *_, result in rows):
            raise SystemExit(1)
    finally:
        clean_up(server, log, workdir)


if __name__ == "__main__":
    main()
