"""One page per food (/foods/<slug>/) and the side-by-side comparison (/foods/compare/).

A slug names either a featured food (FoodEntry, curated: its own figures and source) or a USDA
SR28 food (USDAFood). The two keep their own addresses: a featured food's page is at its own slug
and shows its USDA entry beside it; the USDA entry's page links back to the featured food. Both
slugs were public before these pages (the featured slugs on /foods/, the USDA slugs fixed at the
first import and never changed), one USDA food can be featured by more than one entry, and an
editor may change or remove the link: neither address depends on it."""

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import apnumber
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from site_project.lists import fragment_or_page
from site_project.models import FiguresFrom, PageDates
from site_project.views import render_content
from supplements.models import (
    DAILY_VALUE_MG,
    DAILY_VALUE_SOURCE,
    USDA_SR28_CITATION,
    FoodEntry,
    USDAFood,
    grams_for_100kcal,
    plain,
    whole,
)

MAX_COMPARED = 4
MAX_SEARCH_LENGTH = 100
SEARCH_MATCHES = 8
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,160}")
# SR28's release, as USDA dates it (supplements/data/usda-sr28/README.md).
USDA_RELEASE = "USDA SR28, released September 2015"
# Whose a USDA food page's (and the USDA list's) figures are, and what this site works out from them: the byline.
USDA_FIGURES = FiguresFrom(
    name="USDA’s food database (SR28)",
    short_name="USDA SR28",
    as_published="magnesium and energy per 100 g, and the weight in grams of each household measure",
    worked_out=(
        "magnesium in each household measure (a food’s “serving” is USDA’s first household measure), "
        "magnesium per 100 kcal, and % Daily Value (420 mg), from USDA’s figures"
    ),
    released="2015-09",
    released_text="September 2015",
    dataset="USDA National Nutrient Database for Standard Reference, Release 28 (SR28)",
    publisher="U.S. Department of Agriculture, Agricultural Research Service",
)


# On the comparison, beside featured foods: their per serving and per 100 g figures are their own sources'.
USDA_WITH_CURATED = replace(
    USDA_FIGURES,
    name="USDA’s food database (SR28) and, for featured foods, each one’s own named source (shown beside its figures)",
)


def usda_page_dates(imported):
    """A USDA food page's or the USDA list's byline: USDA's figures, imported into this site at `imported`,
    the page the editors', never reviewed by this site."""
    return PageDates(None, figures_from=USDA_FIGURES, imported=imported)


def per_100kcal(mg_per_100g, kcal_per_100g):
    """Magnesium per 100 kcal, or None where the energy is 0 or not given (undefined)."""
    if not kcal_per_100g:
        return None
    return mg_per_100g * 100 / kcal_per_100g


def usda_per_100kcal_text(usda):
    value = per_100kcal(usda.magnesium_per_100g, usda.kcal_per_100g)
    return "–" if value is None else f"{value:.1f} mg"


@dataclass
class MeasureRow:
    text: str
    grams: str
    mg: int
    dv: int


def measure_rows(usda):
    """Every household measure of a USDA food with its magnesium (USDA's mg per 100 g x grams / 100)."""
    rows = []
    for measure in usda.measures.all():
        mg = measure.magnesium_mg(usda)
        rows.append(MeasureRow(measure.text, measure.grams_text, whole(mg), whole(mg * 100 / DAILY_VALUE_MG)))
    return rows


def usda_provenance(usda):
    """How solid USDA's magnesium value is, in plain words."""
    if usda.analyses:
        solid = f"Measured: {usda.analyses} analys{'is' if usda.analyses == 1 else 'es'}"
        if usda.standard_error is not None:
            solid += f", standard error {plain(usda.standard_error)} mg"
    else:
        solid = f"No count of analyses: {usda.solidity} (USDA's source code {usda.source_code.code})"
        if usda.reference_ndb_number:
            solid += f" (worked out from NDB {usda.reference_ndb_number})"
    return solid


# --- The food page ----------------------------------------------------------------------------------


def usda_foods():
    return USDAFood.objects.select_related("group", "source_code", "derivation_code")


@require_safe
def food_detail(request, slug):
    """A featured food's page (its figures beside USDA's), else a USDA food's page."""
    entry = (
        FoodEntry.objects.visible_to(request.user)
        .select_related(
            "group",
            "author",
            "medical_reviewer",
            "usda_food__group",
            "usda_food__source_code",
            "usda_food__derivation_code",
        )
        .prefetch_related("usda_food__measures")
        .filter(slug=slug)
        .first()
    )
    if entry is not None:
        usda, featured = entry.usda_food, []
    else:
        published = FoodEntry.objects.published().only("name", "slug", "usda_food_id").order_by("name")
        usda = (
            usda_foods()
            .prefetch_related("measures", Prefetch("featured_entries", queryset=published, to_attr="featured"))
            .filter(slug=slug)
            .first()
        )
        if usda is None:
            raise Http404("No food has this address.")
        featured = usda.featured
    context = {
        # A featured food's own author, review and change; a USDA food's figures are USDA's as published (dated
        # by SR28's release and their import), the page and what it works out from them the editors'.
        "page_dates": PageDates.of(entry) if entry else usda_page_dates(usda.imported_at),
        "entry": entry,
        "usda": usda,
        "featured": featured,
        "measures": measure_rows(usda) if usda else [],
        "usda_per_100kcal": usda_per_100kcal_text(usda) if usda else "",
        "usda_provenance": usda_provenance(usda) if usda else "",
        "usda_citation": USDA_SR28_CITATION,
        "usda_release": USDA_RELEASE,
        "daily_value": DAILY_VALUE_MG,
        "daily_value_source": DAILY_VALUE_SOURCE,
        "compare_url": compare_url([slug]),
        # Rounded as the food list rounds (half up), not by a template filter.
        "entry_dv": whole(entry.serving_percent_dv) if entry else None,
        # The source's own figure as it gives it; a figure worked out from the serving, rounded as the list does.
        "entry_per_100g": (whole if entry.mg_per_100g_worked_out else plain)(entry.mg_per_100g) if entry else None,
    }
    public = entry is None or entry.is_public  # a USDA food's own page is always public
    return render_content(request, "supplements/food_detail.html", context, public=public)


# --- The comparison ---------------------------------------------------------------------------------


def compare_url(slugs):
    query = urlencode([("food", slug) for slug in slugs])
    return reverse("supplements:compare") + (f"?{query}" if query else "")


@dataclass
class Figure:
    """One figure of a compared food, with its source; `bar` (0-100) is set against the largest."""

    mg: Decimal | None
    text: str
    source: str
    bar: int = 0


@dataclass
class ComparedFood:
    slug: str
    name: str
    kind: str  # "Featured food" or "USDA SR28"
    url: str
    per_100g: Figure
    per_serving: Figure
    per_100kcal: Figure
    remove_url: str = ""
    entry: FoodEntry | None = None  # a featured food, with its author and reviewer (the page's byline)
    imported: object = None  # when its USDA figures were imported into this site, if it has any

    @property
    def figures(self):
        return [("Per 100 g", self.per_100g), ("Per serving", self.per_serving), ("Per 100 kcal", self.per_100kcal)]


def compared_entry(entry):
    """A featured food: its own curated figures and source; per 100 kcal from its USDA entry."""
    usda = entry.usda_food
    if entry.magnesium_per_100g is not None:
        per_100g = Figure(entry.magnesium_per_100g, f"{plain(entry.magnesium_per_100g)} mg", entry.source)
    else:
        worked_out = entry.mg_per_100g  # stored at save: worked out from the serving (FoodEntry.fill_per_100g)
        serving = f"{entry.mg_text} mg in {entry.grams_text} g"
        source = f"Worked out by this site from the serving ({serving}). {entry.source}"
        per_100g = Figure(worked_out, f"{whole(worked_out)} mg", source)
    per_serving = Figure(
        entry.magnesium_mg, f"{plain(entry.magnesium_mg)} mg in {entry.serving} ({entry.grams_text} g)", entry.source
    )
    if usda is not None:
        value = per_100kcal(usda.magnesium_per_100g, usda.kcal_per_100g)
        energy = "–" if value is None else f"{value:.1f} mg ({grams_for_100kcal(usda.kcal_per_100g)} g hold 100 kcal)"
        source = (
            f"{usda.citation}: {plain(usda.magnesium_per_100g)} mg magnesium and "
            f"{plain(usda.kcal_per_100g) if usda.kcal_per_100g is not None else 'no'} kcal per 100 g"
        )
        kcal = Figure(value, energy, source)
    else:
        kcal = Figure(None, "–", "No energy figure: this food is not linked to a USDA entry.")
    return ComparedFood(
        entry.slug,
        entry.name,
        "Featured food",
        entry_url(entry.slug),
        per_100g,
        per_serving,
        kcal,
        entry=entry,
        imported=usda.imported_at if usda is not None else None,
    )


def compared_usda(usda):
    """A USDA food: USDA's figures; its serving is USDA's first household measure."""
    citation = usda.citation
    per_100g = Figure(usda.magnesium_per_100g, f"{plain(usda.magnesium_per_100g)} mg", citation)
    if usda.serving_grams is not None:
        mg = usda.magnesium_per_100g * usda.serving_grams / 100
        text = f"{whole(mg)} mg in {usda.serving_text} ({plain(usda.serving_grams)} g)"
        source = f"{citation}, USDA's first household measure ({usda.serving_text} = {plain(usda.serving_grams)} g)"
        per_serving = Figure(mg, text, source)
    else:
        per_serving = Figure(None, "–", f"{citation} gives no household measure for this food.")
    value = per_100kcal(usda.magnesium_per_100g, usda.kcal_per_100g)
    if value is None:
        kcal = Figure(None, "–", f"{citation}: the energy is 0 kcal, so per 100 kcal is undefined.")
    else:
        text = f"{value:.1f} mg ({grams_for_100kcal(usda.kcal_per_100g)} g hold 100 kcal)"
        kcal = Figure(value, text, f"{citation}: {plain(usda.kcal_per_100g)} kcal per 100 g")
    return ComparedFood(
        usda.slug,
        usda.description,
        "USDA SR28",
        entry_url(usda.slug),
        per_100g,
        per_serving,
        kcal,
        imported=usda.imported_at,
    )


def entry_url(slug):
    return reverse("supplements:food", args=[slug])


def set_bars(foods):
    """Each basis's bars as a share of the largest figure of that basis (0-100, for the w-N classes)."""
    for name in ("per_100g", "per_serving", "per_100kcal"):
        figures = [getattr(food, name) for food in foods]
        largest = max((figure.mg for figure in figures if figure.mg is not None), default=0)
        for figure in figures:
            if figure.mg is not None and largest > 0:
                figure.bar = whole(figure.mg * 100 / largest)


def quoted(slugs):
    names = ", ".join(f"“{slug[:40]}”" for slug in slugs[:5])
    return names + (f" and {len(slugs) - 5} more" if len(slugs) > 5 else "")


def compared_foods(requested):
    """(foods in the order asked for, unknown slugs, slugs past the fourth): two queries at most."""
    wanted = [slug for slug in requested if SLUG.fullmatch(slug)][: MAX_COMPARED * 5]
    entries = {
        entry.slug: entry
        for entry in FoodEntry.objects.published()
        .select_related("usda_food", "author", "medical_reviewer")  # the byline's people: no query of their own
        .filter(slug__in=wanted)
    }
    others = [slug for slug in wanted if slug not in entries]
    usda = {food.slug: food for food in USDAFood.objects.filter(slug__in=others)} if others else {}
    foods, unknown = [], []
    for slug in requested:
        if slug in entries:
            foods.append(compared_entry(entries[slug]))
        elif slug in usda:
            foods.append(compared_usda(usda[slug]))
        else:
            unknown.append(slug)
    return foods[:MAX_COMPARED], unknown, foods[MAX_COMPARED:]


def search_matches(query, exclude):
    """Featured foods whose name holds the query, then USDA foods with words starting so: two queries."""
    entries = FoodEntry.objects.published().exclude(slug__in=exclude).order_by("name")
    for word in query.split():
        entries = entries.filter(name__icontains=word)
    usda = USDAFood.objects.matching(query).exclude(slug__in=exclude).order_by("description")
    entries = entries.only("slug", "name")[:SEARCH_MATCHES]
    usda = usda.only("slug", "description")[:SEARCH_MATCHES]
    return [(entry.slug, entry.name, "Featured food") for entry in entries] + [
        (food.slug, food.description, "USDA SR28") for food in usda
    ]


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def compare(request):
    listed = Counter(slug.strip() for slug in request.GET.getlist("food") if slug.strip())
    requested = list(listed)  # in the order asked for, each once
    foods, unknown, extra = compared_foods(requested)
    max_words = apnumber(MAX_COMPARED)  # "four", as the page's other words say it
    notices = []
    if unknown:
        notices.append(f"We have no food {quoted(unknown)}: ignored.")
    for food in foods:
        if listed[food.slug] > 1:
            times = "twice" if listed[food.slug] == 2 else f"{apnumber(listed[food.slug])} times"
            notices.append(f"“{food.name}” was listed {times}: shown once.")
    if extra:
        notices.append(
            f"Up to {max_words} foods can be compared at once: showing the first {max_words}; "
            f"left out: {', '.join(food.name for food in extra)}."
        )
    slugs = [food.slug for food in foods]
    for food in foods:
        food.remove_url = compare_url([slug for slug in slugs if slug != food.slug])
    set_bars(foods)
    entries = [food.entry for food in foods if food.entry is not None]
    imports = [food.imported for food in foods if food.imported is not None]

    query = request.GET.get("q", "").strip()
    matches = []
    if len(query) > MAX_SEARCH_LENGTH or "\x00" in query:
        notices.append(f"The search text could not be used (at most {MAX_SEARCH_LENGTH} characters): ignored.")
        query = ""
    elif query:
        matches = [
            (name, kind, entry_url(slug), compare_url([*slugs, slug]))
            for slug, name, kind in search_matches(query, slugs)
        ]
    context = {
        "foods": foods,
        "slugs": slugs,
        "notices": notices,
        "needs_more": len(foods) < 2,
        "is_full": len(foods) >= MAX_COMPARED,
        "query": query,
        "matches": matches,
        "max_compared": max_words,
        # The byline, from the foods compared (already loaded): the featured foods' authors and reviews, the
        # USDA foods the editors' and never reviewed here; USDA's figures (a USDA food's, or a featured food's
        # per 100 kcal) dated by SR28's release and their import.
        "page_dates": PageDates.of_loaded(
            entries,
            others=len(foods) - len(entries),
            figures_from=(USDA_WITH_CURATED if entries else USDA_FIGURES) if imports else None,
            imported=max(imports, default=None),
        ),
    }
    return render(request, fragment_or_page(request, "supplements/food_compare.html", "results"), context)
