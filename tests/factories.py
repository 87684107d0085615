"""Plain helper functions for tests: makers of test data (each takes overrides for any field),
read_form, which reads a page's form as a browser would submit it, the readers of each list's rows,
and USDA's own SR28 lines imported as a test needs them."""

import datetime
import gzip
import importlib
import re
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from html.parser import HTMLParser
from io import StringIO
from itertools import count
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, Condition, Finding, Reference, Topic
from site_project.models import SitePage
from supplements.models import (
    FoodEntry,
    FoodGroup,
    IntakeReference,
    SupplementForm,
    SupplementReference,
    SupplementUse,
    USDAFood,
)

_seq = count(1)


def create(model, defaults, overrides):
    """A saved `model` from the maker's `defaults`, with the test's `overrides` on top."""
    return model.objects.create(**(defaults | overrides))


def make_named(model, word, overrides):
    """A saved `model` that needs only a name and a slug ("Use 7", "use-7")."""
    n = next(_seq)
    return create(model, {"name": f"{word} {n}", "slug": f"{word.lower()}-{n}"}, overrides)


# --- Foods ------------------------------------------------------------------------------------


def make_group(**overrides):
    n = next(_seq)
    return create(FoodGroup, {"name": f"Group {n}", "slug": f"group-{n}", "order": n}, overrides)


def make_food(**overrides):
    n = next(_seq)
    values = {
        "name": f"Test food {n}",
        "slug": f"test-food-{n}",
        "serving": "1 cup",
        "serving_grams": Decimal("100"),
        "magnesium_mg": Decimal("50"),
        "source": "Test source",
    }
    if "group" not in overrides:
        values["group"] = make_group()
    return create(FoodEntry, values, overrides)


# --- Supplement forms, intake references, interactions -----------------------------------------


def make_supplement_form(uses=(), references=0, **overrides):
    n = next(_seq)
    values = {
        "elemental_percent": Decimal("10.0"),
        "absorption": SupplementForm.Absorption.HIGH,
        "laxative_effect": SupplementForm.Laxative.MILD,
        "name": f"Magnesium test form {n}",
        "slug": f"magnesium-test-form-{n}",
        "compound": f"magnesium test compound {n}",
        "summary": "A test form.",
        "body": "## Notes\n\nTest body.",
    }
    form = create(SupplementForm, values, overrides)
    if uses:
        form.uses.set(uses)
    for i in range(references):
        SupplementReference.objects.create(
            form=form, citation=f"Reference {i} for {form.name}", url=f"https://example.org/{n}/{i}", order=i
        )
    return form


def make_use(**overrides):
    return make_named(SupplementUse, "Use", overrides)


def make_intake(**overrides):
    n = next(_seq)
    values = {
        "life_stage": "adults",
        "age_range": f"{n}-{n + 1} years",
        "sex": IntakeReference.Sex.FEMALE,
        "metric": IntakeReference.Metric.RDA,
        "recommended_mg": 320,
        "upper_level_mg": 350,
        "upper_level_ages": "9 years and older",
        "upper_level_note": "Does not include food magnesium",
        "upper_level_source": "Test UL source",
        "source": "Test RDA source",
        "order": n,
    }
    return create(IntakeReference, values, overrides)


def make_topic(**overrides):
    return make_named(Topic, "Topic", overrides)


def make_article(topics=(), references=0, **overrides):
    """A published article (public since yesterday) unless overrides say otherwise."""
    n = next(_seq)
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "summary": f"Summary of article {n}.",
        "body": f"Intro of article {n}.\n\n## First part\n\nText.\n\n## Second part\n\nMore text.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
        "author": make_person(name="Test editors"),
    }
    article = create(Article, values, overrides)
    if topics:
        article.topics.set(topics)
    Reference.objects.bulk_create(
        Reference(
            article=article, order=i, citation=f"Reference {i} of {article.title}.", url=f"https://example.org/{i}"
        )
        for i in range(1, references + 1)
    )
    return article


def make_draft(**overrides):
    return make_article(status=Article.Status.DRAFT, published_at=None, **overrides)


# --- What an admin change form posts --------------------------------------------------------------


def admin_form(fields, **overrides):
    """What an editor posts from an admin add page: the form's `fields` as filled in, the Save
    button, and the test's `overrides` on top."""
    return {**fields, "_save": "Save", **overrides}


def refused_by_admin(client, url, data, field, message):
    """Posting `data` to the admin page `url` is refused: the form comes back (200 OK) with `message`
    on the page, among `field`'s errors. The response, for more checks."""
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert message in response.text
    return response


def admin_publishing(status):
    """The publishing fields of an admin change form: `status`, and no publication time (now)."""
    return {"status": status, "published_at_0": "", "published_at_1": ""}


def inline_management(prefix, total=0):
    """An admin inline's management form with `total` rows, none of them existing before."""
    counts = {"TOTAL_FORMS": total, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}
    return {f"{prefix}-{name}": str(value) for name, value in counts.items()}


# What an editor fills in on the article add page, with one reference in the inline.
NEW_ARTICLE = {
    "title": "Magnesium and sleep",
    "slug": "magnesium-and-sleep",
    "summary": "What is known about magnesium and sleep.",
    "body": "First version of the text.\n\n## What studies found\n\nLittle so far.",
    **admin_publishing("draft"),
    "author": "",
    "medical_reviewer": "",
    "reviewed_at": "",
    "review_interval_months": "12",
    **inline_management("references", total=1),
    "references-0-order": "1",
    "references-0-citation": "NIH Office of Dietary Supplements. Magnesium fact sheet.",
    "references-0-publisher": "NIH ODS",
    "references-0-year": "",
    "references-0-url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
    **inline_management("article_findings"),
}

# What an editor fills in on the finding add page, all but the condition (each test makes its own).
NEW_FINDING = {
    "slug": "new-finding",
    "condition_studied": "Nocturnal leg cramps",
    "condition_group": "related symptom",
    "plain_summary": "Magnesium was no better than placebo.",
    "study_type": "RCT",
    "year": "2017",
    "participants": "94",
    "intervention": "Magnesium oxide",
    "population": "Adults",
    "outcome": "Cramps per week",
    "direction": "no clear benefit",
    "certainty": "low",
    "grading_basis": "Rule R2.",
    "guideline_position": "",
    "citation": "Roguin Maor N, et al. JAMA Intern Med. 2017.",
    "url": "https://doi.org/10.1001/jamainternmed.2016.9261",
    "read_via": "",
    "accessed": "2026-11-30",
    **admin_publishing("draft"),
}

# What an editor fills in on the food add page, all but the group (each test takes its own).
NEW_FOOD = {
    "name": "Editor's seeds",
    "slug": "editors-seeds",
    "serving": "1 oz",
    "serving_grams": "28.35",
    "magnesium_mg": "100",
    "source": "A source",
    "status": "published",
}

# What an editor fills in on the site page add page.
NEW_SITE_PAGE = {
    "title": "Contact",
    "slug": "contact",
    "summary": "How to reach us.",
    "body": "Write to *us*.",
    **admin_publishing("published"),
}


# Gabapentin's timetable line as a reader reads it: what is taken when, and that its label was a non-US copy.
GABAPENTIN_TIMETABLE = (
    "gabapentin: Keep apart: take gabapentin at least 2 h after magnesium. This timing comes from a non-US label: "
    "the Gabtin (gabapentin) label, read on MIMS Thailand. Spacing for US products can differ: ask your pharmacist."
)

NEW_MEDICINE = {
    "name": "examplemycin",
    "slug": "examplemycin",
    "examples": "Examplo",
    "medicine_class": "example antibiotic",
    **admin_publishing("published"),
    "what_to_do": "Take examplemycin at least 2 hours before magnesium.",
    "hours_before": "2",
    "hours_after": "",
    "do_not_combine_with": "",
    "ask_whom": "your prescriber",
    "timing_words": "",
    "monitoring": "",
    "effect": "Magnesium binds it.",
    "severity": "moderate",
    "source": "Example prescribing information.",
    "url": "https://example.org/pi",
    "read_via": "",
    "accessed": "2026-11-30",
}


def supplement_form_fields(form=None, **overrides):
    """What the supplement form admin's change form posts, for `form` (or a new one), with the
    references inline empty."""
    data = {
        "name": form.name if form else "Magnesium example",
        "slug": form.slug if form else "magnesium-example",
        "status": "published",
        "compound": form.compound if form else "magnesium example, anhydrous",
        "formula": form.formula if form else "MgX",
        "molar_mass": form.molar_mass if form and form.molar_mass else "",
        "elemental_percent": form.elemental_percent if form else "20.5",
        "example_compound_mg": form.example_compound_mg if form else 500,
        "absorption": form.absorption if form else "high",
        "absorption_note": form.absorption_note if form else "",
        "laxative_effect": form.laxative_effect if form else "mild",
        "summary": form.summary if form else "An example form.",
        "body": form.body if form else "## Notes\n\nFrom the source.",
        "cautions": "",
        "uses": [use.pk for use in form.uses.all()] if form and form.pk else [],
        **inline_management("references"),
    }
    data.update(overrides)
    return data


# --- Checking a page's text --------------------------------------------------------------------


def assert_all_in(text, *parts):
    """Every one of `parts` is in `text`; a failure lists each part that is missing."""
    missing = [part for part in parts if part not in text]
    assert not missing, f"missing: {missing}"


def assert_no_control_characters(html):
    """No character a page may not carry (the HTML standard's control characters other than white
    space): what a page repeats of a reader's %00 or %1b leaves them out."""
    found = re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]", html)
    assert not found, f"{found.group(0)!r} in {html[max(0, found.start() - 80) : found.end()]!r}"


# --- What every htmx-filtered list answers ----------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def results_fragment(response):
    """The text of an htmx request's answer, checked to be the results section alone (no page,
    no form), 200 OK."""
    html = response.text
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "<form" not in html
    return html


def notices(html):
    """What a list says it ignored: the items of its "Some filters were ignored" box
    (includes/filter_notices.html), in order; [] when there is none."""
    heading = r'<div class="notice" role="status">\s*<p><strong>Some filters were ignored:</strong></p>'
    box = re.search(heading + r"(.*?)</div>", html, re.S)
    return re.findall(r"<li>([^<]+)</li>", box.group(1)) if box else []


def history_restore(client, url, query):
    """A history restore asks for the whole page (htmx 2 sends both headers): return its text,
    checked to be the page with its form."""
    response = client.get(url, query, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.text and "<form" in response.text
    return response.text


# --- Reading a list's rows --------------------------------------------------------------------


def count_text(html):
    return re.search(r'id="result-count"[^>]*>([^<]+)<', html).group(1).strip()


def food_row_names(html):
    """The rows' food names on /foods/; each links to its page (/foods/<slug>/)."""
    return [name for _, name in row_links(html)]


def row_links(html):
    # A USDA row found by another name USDA gives it says that name after the link.
    other_name = r"(?: <span [^>]*>[^<]*</span>)?"
    return re.findall(rf'<th scope="row"[^>]*><a href="/foods/([^"/]+)/">([^<]+)</a>{other_name}</th>', html)


def form_row_names(html):
    """Form names on /supplements/ in table order, as a reader scans the first column."""
    return re.findall(r'<th scope="row"[^>]*><a href="/supplements/[^"]+/">([^<]+)</a>', html)


def titles(html):
    return re.findall(r'<h2><a href="/articles/[^"]+/">([^<]+)</a></h2>', html)


def finding_ids(html):
    return re.findall(r'<article class="finding" id="finding-([^"]+)"', html)


def card_names(html):
    return re.findall(r'<li class="card medicine-card[^"]*" id="medicine-[^"]+">\s*<h3>([^<]+)</h3>', html)


# --- Reading a page's form --------------------------------------------------------------------


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the first <form> with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._textarea = self._select = None
        self._select_multiple_seen = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.data.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def read_form(html, form_id):
    """The form's fields as a browser would post them: {name: value or [values]}."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.data:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data


# --- The seed's data files -------------------------------------------------------------------


def seed_data(name):
    """The rows of one of the seed's data files (supplements/data/NAME), so a test about the seed
    counts what the file holds instead of a number that goes stale when the file grows."""
    from supplements.seed import read_csv

    return read_csv(name)


SEED_FOODS = seed_data("magnesium_foods.csv")


# --- Evidence by condition --------------------------------------------------------------------


def make_condition(**overrides):
    n = next(_seq)
    return create(
        Condition,
        {"name": f"Condition {n}", "slug": f"condition-{n}", "summary": f"Summary of condition {n}.", "order": n},
        overrides,
    )


def finding_values(condition, **overrides):
    n = next(_seq)
    values = {
        "condition": condition,
        "slug": f"finding-{n}",
        "condition_studied": f"Studied condition {n}",
        "condition_group": "neuropathy",
        "intervention": "Oral magnesium 300 mg a day for 12 weeks vs placebo",
        "population": "Adults",
        "outcome": "Pain score",
        "study_type": "RCT",
        "participants": 40 + n,
        "direction": "no clear benefit",
        "certainty": "low",
        "grading_basis": "Rule R2.",
        "plain_summary": f"Finding {n} in plain words.",
        "year": 2000 + n % 25,
        "citation": f"Author A. Trial {n}. J Test. 2010;1:1. doi:10.1000/test.{n}.",
        "url": f"https://doi.org/10.1000/test.{n}",
        "accessed": datetime.date(2026, 11, 30),
        "status": Finding.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
    }
    values.update(overrides)
    return values


def make_finding(condition=None, **overrides):
    return Finding.objects.create(**finding_values(condition or make_condition(), **overrides))


def make_many_findings(n, conditions):
    """`n` published findings spread over `conditions`, every certainty and direction among them."""
    certainties = ["high", "moderate", "low", "very low"]
    directions = ["benefit", "no clear benefit", "harm", "mixed"]
    Finding.objects.bulk_create(
        Finding(
            **finding_values(
                conditions[i % len(conditions)],
                slug=f"bulk-finding-{i}",
                certainty=certainties[i % 4],
                direction=directions[(i // 4) % 4],
            )
        )
        for i in range(n)
    )


# --- Site pages (About, Privacy, ...) -------------------------------------------------------------


def make_site_page(**overrides):
    """A published About page unless told otherwise."""
    values = {"slug": "about", "title": "About this site", "summary": "What the site is.", "body": "Some *text*."}
    return SitePage.objects.create(**{"status": SitePage.Status.PUBLISHED, **values, **overrides})


# --- People -----------------------------------------------------------------------------------


def make_person(**overrides):
    """An author or reviewer; the same name gives the same person."""
    from site_project.models import Person

    values = {"name": "A. Smith", "credentials": ""}
    values.update(overrides)
    person, _created = Person.objects.get_or_create(name=values.pop("name"), defaults=values)
    return person


def make_reviewer_user(username="reviewer", person_name="Dana Reviewer", credentials="MD, neurologist"):
    """A staff account in the Reviewers group, linked to its Person."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"), Group.objects.get(name="Editors"))
    make_person(name=person_name, credentials=credentials, account=user)
    return user


# --- A reader's own figures stay in their address bar -----------------------------------------------


def assert_readers_figures_not_kept(client, caplog, settings, tmp_path, url, params, secret):
    """With the page cache on, a page showing a reader's own figures (`secret` in it) is marked
    private, no-store, is never served from the cache, sets no cookie and is not logged."""
    from supplements import seed

    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_STAMP = str(tmp_path / "page-cache.stamp")
    seed.seed_supplement_forms()
    seed.seed_intake_references()
    with caplog.at_level("DEBUG"):
        first = client.get(url, params)
        again = client.get(url, params)
    assert secret in first.text
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert again.get("X-Page-Cache") != "hit" and not first.cookies
    assert secret not in caplog.text


# --- USDA's SR28 files, imported as a test needs them -----------------------------------------------

REPO_COPY = Path(settings.BASE_DIR) / "supplements" / "data" / "usda-sr28"
NAMES = ["FD_GROUP", "SRC_CD", "DERIV_CD", "NUTR_DEF", "FOOD_DES", "NUT_DATA", "WEIGHT"]
# Pumpkin seeds, raw and boiled spinach, tap water (0 kcal), a KASHI meal (a measure "Entrée",
# Latin-1 é), a kiwifruit (Windows-1252 curly quotes in its scientific name).
SAMPLE = ["12016", "11457", "11458", "14411", "22996", "09520"]
# The import's sample, plus almonds and salmon ("alm" finds one, not the other), lentils (raw and
# cooked) and a lentil soup: "lent" finds all three, the foods starting with "Lentils" first.
LENTILS, COOKED_LENTILS, LENTIL_SOUP, ALMONDS, SALMON = "16069", "16070", "06037", "12061", "15076"
NDBS = [*SAMPLE, LENTILS, COOKED_LENTILS, LENTIL_SOUP, ALMONDS, SALMON]


def usda_bytes(name):
    return gzip.decompress((REPO_COPY / f"{name}.txt.gz").read_bytes())


def write_sr28(folder, ndbs=SAMPLE, edit=None):
    """A small SR28 folder made of USDA's own lines (plain .txt): the sample foods' records of
    FOOD_DES, NUT_DATA and WEIGHT, and every line of the code files. `edit(name, bytes)` may change
    a file's bytes."""
    folder.mkdir(exist_ok=True)
    prefixes = tuple(f"~{ndb}~^".encode() for ndb in ndbs)
    for name in NAMES:
        data = usda_bytes(name)
        if name in ("FOOD_DES", "NUT_DATA", "WEIGHT"):
            data = b"".join(line for line in data.splitlines(keepends=True) if line.startswith(prefixes))
        if edit:
            data = edit(name, data)
        (folder / f"{name}.txt").write_bytes(data)
    return folder


def run(folder, *args):
    """`manage.py import_usda_sr28 folder *args`: what it printed."""
    out = StringIO()
    call_command("import_usda_sr28", str(folder), *args, stdout=out)
    return out.getvalue()


def import_usda(folder, ndbs=SAMPLE):
    """Import the SR28 lines of the foods `ndbs` (written to `folder`): {ndb: USDAFood}."""
    run(write_sr28(folder, ndbs=ndbs))
    return {food.ndb_number: food for food in USDAFood.objects.all()}


# --- Running one migration --------------------------------------------------------------------


def data_migration(app, name):
    """(the module of data migration `name` of `app`, a function that runs its RunPython code on today's models, as
    `migrate` does on a site whose schema is current): to check what it changes in rows a test set up."""
    module = importlib.import_module(f"{app}.migrations.{name}")
    code = next(op.code for op in module.Migration.operations if isinstance(op, migrations.RunPython))
    return module, partial(code, django_apps, None)


@contextmanager
def migration(name, app="supplements"):
    """The app (supplements unless named) migrated back to just before migration `name`: yields (the models as
    they were then, a function that runs `name` and returns the models as they are after it).
    Migrates forward to the latest state at the end, whatever happened."""

    def run():
        executor = MigrationExecutor(connection)
        executor.migrate([(app, name)])
        return executor.loader.project_state([(app, name)]).apps

    executor = MigrationExecutor(connection)
    before = executor.loader.graph.node_map[(app, name)].parents
    executor.migrate([parent.key for parent in before])
    try:
        yield executor.loader.project_state([parent.key for parent in before]).apps, run
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
