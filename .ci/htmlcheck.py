"""`make htmlcheck`: the Nu HTML Checker (vnu) over the public pages of a throwaway site.

Builds a fresh SQLite database in a temporary folder (migrations, the seed content, collected
static files; the helpers are .ci/bench.py's), renders every page listed in /sitemap.xml
plus filtered lists, the calculator with a dose, a page with ignored parameters and the 404
page with Django's test client in production mode, and checks them all in one run of vnu.jar
(the `vnu-jar` npm package, installed into .vnu/ on first use; it needs Java, Debian's
`default-jre-headless`). Fails on any error, except the ARIA roles documented as a
trade-off (ALLOWED below); warnings are printed, not fatal.

    make htmlcheck
    .venv/bin/python .ci/htmlcheck.py --help
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import production_env

ROOT = Path(__file__).resolve().parents[1]
VNU_VERSION = "26.9.27"
VNU_DIR = ROOT / ".vnu"
VNU_JAR = VNU_DIR / "node_modules/vnu-jar/build/dist/vnu.jar"

# Messages that are a documented choice, not a mistake (README, "Checked with outside tools"):
# the foods table and the supplement forms table carry explicit ARIA table roles because on
# phones their rows become cards (CSS display: block), which makes some browsers drop the
# table semantics (see the comment in both templates). The checker calls a role on a cell of
# a real <table> an error, and one that repeats the element's own role a warning. Each entry:
# page path, message and the start of the markup it points at (all regular expressions).
LIST_PAGES = r"^/(foods|supplements)/(\?|$)"
TABLE_PARTS = r"(table|thead|tbody|tr|th|td)"
ALLOWED = [
    (
        LIST_PAGES,
        rf"^The “role” attribute must not be used on a “{TABLE_PARTS}” element which has a “table” ancestor "
        r"with no “role” attribute, or with a “role” attribute whose value is “table”, “grid”, or “treegrid”\.$",
        r'role="(row|rowheader|columnheader|cell)"',
    ),
    (
        LIST_PAGES,
        rf"^The “(table|rowgroup|row|rowheader|columnheader|cell)” role is unnecessary for element “{TABLE_PARTS}”\.$",
        r'role="(table|rowgroup|row|rowheader|columnheader|cell)"',
    ),
]

# Pages beyond the sitemap: lists with filters, notices for ignored parameters, a dose, 404.
EXTRA_PAGES = [
    "/articles/?q=magnesium",
    "/foods/?group=nuts&group=seeds&sort=name&basis=100g&min_mg=50",
    "/foods/?q=zzzz-nothing",
    "/foods/?sort=typo&group=typo&min_mg=-1",
    "/foods/?min_mg=abc&basis=typo&page=999",
    "/supplements/?absorption=high&sort=name",
    "/supplements/?absorption=typo&use=typo&sort=typo",
    "/supplements/calculator/?form=magnesium-citrate&amount_mg=500&pills=2&per_day=1",
    "/supplements/calculator/?form=magnesium-oxide&amount_mg=abc&pills=1.5&per_day=x",
    "/supplements/calculator/?form=percent&percent=abc&amount_mg=500",
    "/supplements/medicines/?medicine=gabapentin&medicine=raltegravir&medicine=typo",
    "/evidence/?condition=chemotherapy-neuropathy&certainty=moderate&direction=typo",
    "/foods/pumpkin-seeds-pepitas-roasted/",
    "/foods/spinach-raw-11457/",
    "/foods/compare/?food=pumpkin-seeds-pepitas-roasted&food=spinach-raw-11457&food=typo",
    "/planner/",
    "/planner/?stage=adults-31-50-years-female&food=pumpkin-seeds-pepitas-roasted:1:1&food=spinach-raw-11457:2"
    "&supplement=label:400:1&supplement=magnesium-glycinate:500:2&q=spin",
    "/planner/?stage=typo&food=typo:1&food=spinach-raw-11457:abc&supplement=label:0:1",
    "/no-such-page/",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the rendered pages (their folder is printed)")
    return parser.parse_args()


def ensure_vnu():
    """Install the pinned vnu-jar package into .vnu/ unless that version is there."""
    package = VNU_DIR / "node_modules/vnu-jar/package.json"
    if package.exists() and json.loads(package.read_text())["version"] == VNU_VERSION and VNU_JAR.exists():
        return
    if shutil.which("npm") is None:
        raise SystemExit("make htmlcheck needs npm (Node.js) to install the vnu-jar package.")
    print(f"Installing vnu-jar@{VNU_VERSION} into .vnu/ ...", flush=True)
    # --ignore-scripts: the package's postinstall would download a Java; Debian's is used instead.
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(VNU_DIR),
            f"vnu-jar@{VNU_VERSION}",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
        ],
        check=True,
    )


def java():
    path = shutil.which("java")
    if path is None:
        raise SystemExit("make htmlcheck needs Java: apt-get install default-jre-headless")
    return path


def render_pages(workdir):
    """Build the throwaway site and render its pages; return {path: file}."""
    from bench import prepare_site

    prepare_site(production_env(workdir, page_cache=False))
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    sitemap = client.get("/sitemap.xml")
    if sitemap.status_code != 200:
        raise SystemExit(f"/sitemap.xml answered {sitemap.status_code}: no list of pages to check")
    paths = [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.text)]
    paths += [path for path in EXTRA_PAGES if path not in paths]
    pages = {}
    folder = workdir / "pages"
    folder.mkdir()
    for number, path in enumerate(paths):
        response = client.get(path)
        expected = 404 if path == "/no-such-page/" else 200
        if response.status_code != expected:
            raise SystemExit(f"{path} answered {response.status_code}, expected {expected}")
        file = folder / f"{number:03d}.html"
        file.write_bytes(response.content)
        pages[file.resolve().as_uri()] = path
    return pages


def check(pages):
    """Run vnu once over every page; return its messages as (path, message dict)."""
    files = [urlsplit(uri).path for uri in pages]
    done = subprocess.run(
        [java(), "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"vnu failed ({done.returncode}): {done.stderr[-2000:]}")
    by_path = {urlsplit(uri).path: path for uri, path in pages.items()}
    return [
        (by_path.get(urlsplit(m.get("url", "")).path, m.get("url")), m) for m in json.loads(done.stdout)["messages"]
    ]


def allowed(path, message):
    return any(
        re.search(page, path) and re.search(text, message["message"]) and re.search(markup, message.get("extract", ""))
        for page, text, markup in ALLOWED
    )


def describe(path, message):
    where = f"line {message['lastLine']}" if "lastLine" in message else "document"
    extract = " ".join(message.get("extract", "").split())[:160]
    return f"  {path} ({where}): {message['message']}\n      {extract}"


def main():
    args = parse_args()
    started = time.monotonic()
    ensure_vnu()
    java()
    workdir = Path(tempfile.mkdtemp(prefix="htmlcheck-"))
    try:
        pages = render_pages(workdir)
        rendered = time.monotonic()
        messages = check(pages)
    finally:
        if args.keep:
            print(f"Rendered pages kept in {workdir / 'pages'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    tradeoffs = [(p, m) for p, m in messages if allowed(p, m)]
    messages = [(p, m) for p, m in messages if not allowed(p, m)]
    errors = [(p, m) for p, m in messages if m["type"] in ("error", "non-document-error")]
    warnings = [(p, m) for p, m in messages if m["type"] == "info" and m.get("subType") == "warning"]
    for title, found in [("Warnings", warnings), ("Errors", errors)]:
        if found:
            print(f"{title} ({len(found)}):")
            print("\n".join(describe(p, m) for p, m in found))
    if tradeoffs:
        kinds = sorted({m["message"] for _, m in tradeoffs})
        pages_with = sorted({p for p, _ in tradeoffs})
        print(
            f"Allowed, the documented ARIA-role trade-off: {len(tradeoffs)} message(s) "
            f"of {len(kinds)} kind(s) on {len(pages_with)} page(s) ({', '.join(pages_with)})."
        )
    print(
        f"Nu HTML Checker {VNU_VERSION}: {len(pages)} pages, {len(errors)} error(s), {len(warnings)} warning(s) "
        f"(site and rendering {rendered - started:.0f} s, vnu {time.monotonic() - rendered:.0f} s)."
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
