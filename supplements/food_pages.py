"""Every /foods/ page: a page per food (/foods/<slug>/), the side-by-side comparison (/foods/compare/),
and the list (/foods/: featured foods or every USDA food, filtered in place) with its CSV and JSON
downloads (the foods the list's filters match).

A slug names either a featured food (FoodEntry, curated: its own figures and source) or a USDA
SR28 food (USDAFood). The two keep their own addresses: a featured food's page is at its own slug
and shows its USDA entry beside it; the USDA entry's page links back to the featured food. Both
slugs were public before these pages (the featured slugs on /foods/, the USDA slugs fixed at the
first import and never changed), one USDA food can be featured by more than one entry, and an
editor may change or remove the link: neither address depends on it."""

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from html import escape as html_escape
from types import SimpleNamespace
from urllib.parse import quote, urlencode

from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Prefetch, Window
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from site_project.lists import echo_list, fragment_or_page, showable
from site_project.models import FiguresFrom, PageDates
from site_project.templatetags.site_tags import web_url
from site_project.views import render_content
from supplements.dosing import round_mg
from supplements.forms import FoodFilterForm
from supplements.models import (
    DAILY_VALUE_MG,
    DAILY_VALUE_SOURCE,
    USDA_SR28_CITATION,
    FoodEntry,
    FoodGroup,
    USDAFood,
    USDAFoodGroup,
    grams_for_100kcal,
    plain,
    provenance_words,
    solidity_words,
    whole,
)
from supplements.models import search_text as search_words  # words as a search reads them (not search_text below)

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


def per_100kcal_text(mg_per_100g, kcal_per_100g):
    """Magnesium per 100 kcal as every page shows it (the list's source notes, the food pages, the
    comparison), or None where undefined: worked out by this site from USDA's two figures (shown beside
    it), so shown as the site shows worked-out milligrams, to 0.1 mg, halves up (dosing.round_mg), without
    a trailing ".0": "343.5", "430". The list's sort, minimum and downloads read the stored figure (to 0.01 mg)."""
    value = per_100kcal(mg_per_100g, kcal_per_100g)
    return None if value is None else plain(round_mg(value))


def usda_per_100kcal_text(usda):
    value = per_100kcal_text(usda.magnesium_per_100g, usda.kcal_per_100g)
    return "–" if value is None else f"{value} mg"


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
        energy = "–" if value is None else kcal_figure_text(usda)
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
        kcal = Figure(value, kcal_figure_text(usda), f"{citation}: {plain(usda.kcal_per_100g)} kcal per 100 g")
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


def kcal_figure_text(usda):
    """A compared food's per 100 kcal, with the weight of the food that holds 100 kcal."""
    mg = per_100kcal_text(usda.magnesium_per_100g, usda.kcal_per_100g)
    return f"{mg} mg ({grams_for_100kcal(usda.kcal_per_100g)} g hold 100 kcal)"


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


def search_text(request):
    """(text, notice) of a food search box (the comparison's, the planner's). Text the search cannot
    use (too long, a NUL) is dropped with a notice; a character no page may carry is shown as � in what
    the page repeats."""
    text = request.GET.get("q", "").strip()
    if len(text) > MAX_SEARCH_LENGTH or "\x00" in text:
        return "", f"The search text could not be used (at most {MAX_SEARCH_LENGTH} characters): ignored."
    return showable(text).strip(), None


@dataclass
class FoodMatches:
    """A food search's shortlist (the comparison's, the planner's): the first SEARCH_MATCHES featured foods and
    the first SEARCH_MATCHES USDA foods, as /foods/ ranks the search, each (slug, name, kind), with how many
    each kind found in all (`featured_found`, `usda_found`: the counts /foods/ gives for the search). It reads
    as its rows; `of()` is the same search with each row made into what a page shows."""

    query: str = ""
    rows: list = field(default_factory=list)
    featured_found: int = 0
    usda_found: int = 0
    featured_cut: bool = False  # more featured foods than shown (found by the search, not already compared)
    usda_cut: bool = False
    already: int = 0  # foods found that are already compared, so not offered

    def __iter__(self):
        return iter(self.rows)

    def __bool__(self):
        return bool(self.rows)

    def of(self, rows):
        return replace(self, rows=list(rows))

    @property
    def summary(self):
        """How many foods the search found and which of them are shown, without a closing full stop (the planner
        may add to it): "3 foods found for “spin”", or where the shortlist is cut, "1 featured food and 45 USDA
        foods found for “alm”: shown, the featured food and the first 8 of the 45 USDA foods, ...", with the
        food list's address for all of them."""
        query = self.query
        if not (self.featured_cut or self.usda_cut):
            found = self.featured_found + self.usda_found
            already = f", {self.already} of them already compared" if self.already else ""
            return format_html("{} food{} found for “{}”{}", found, pluralize(found), query, already)
        found = []
        if self.featured_found:
            found.append(f"{self.featured_found} featured food{pluralize(self.featured_found)}")
        if self.usda_found:
            found.append(f"{self.usda_found:,} USDA food{pluralize(self.usda_found)}")
        shown, links = [], []
        for kind, count, cut, scope in (
            ("featured", self.featured_found, self.featured_cut, {}),
            ("USDA", self.usda_found, self.usda_cut, {"scope": "all"}),
        ):
            if cut:
                shown.append(f"the first {SEARCH_MATCHES} of the {count:,} {kind} foods")
                address = reverse("supplements:foods") + "?" + urlencode({**scope, "q": query})
                link = format_html('<a href="{}">all {} {} foods on the food list</a>', address, f"{count:,}", kind)
                links.append(link)
            elif count:
                shown.append(f"the {count} {kind} foods" if count > 1 else f"the {kind} food")
        return format_html(
            "{} found for “{}”. Shown: {}, as the food list ranks them (featured foods by most magnesium per "
            "serving; USDA foods whose names start with “{}” first, then by most magnesium per serving). Type more "
            "of the name to narrow the search, or see {}",
            " and ".join(found), query, " and ".join(shown), query, mark_safe(" and ".join(links)),
        )  # fmt: skip


def search_matches(query, exclude):
    """Featured foods with a word of their name starting with each word of the query, then USDA foods
    with such words in their description or in USDA's other names for them (common names), each ranked as
    /foods/ ranks the search (FoodFilterForm.apply, by the same queryset methods: USDA's descriptions that
    start with the query first, then most magnesium per serving), the first SEARCH_MATCHES of each not in
    `exclude`, with how many each kind found (a window count on the same rows): two queries, none for a
    query without a letter or digit. Each row is (slug, name, kind); a USDA food found by another name only
    says that name in its kind, so "spin" finding "Beef, ribeye cap steak" shows "Spinalis dorsi"."""
    words = search_words(query).split()
    if not words:
        return FoodMatches(query)
    found = Window(Count("pk"))  # every food the search finds, on each row read: no count query
    entries = FoodEntry.objects.published().matching(query).with_amounts().sorted_by()
    usda = USDAFood.objects.searched(query).with_amounts().sorted_by()
    # Read enough rows that the foods already compared (at most MAX_COMPARED) can be left out here.
    read = SEARCH_MATCHES + len(exclude)
    entries = list(entries.only("slug", "name").annotate(found=found)[:read])
    usda = list(usda.only("slug", "description", "common_names").annotate(found=found)[:read])
    kept_entries = [entry for entry in entries if entry.slug not in exclude]
    kept_usda = [food for food in usda if food.slug not in exclude]
    featured_found = entries[0].found if entries else 0
    usda_found = usda[0].found if usda else 0
    rows = [(entry.slug, entry.name, "Featured food") for entry in kept_entries[:SEARCH_MATCHES]] + [
        (food.slug, food.description, usda_kind(food, words)) for food in kept_usda[:SEARCH_MATCHES]
    ]
    return FoodMatches(
        query,
        rows,
        featured_found,
        usda_found,
        featured_cut=len(kept_entries) > SEARCH_MATCHES or featured_found > len(entries),
        usda_cut=len(kept_usda) > SEARCH_MATCHES or usda_found > len(usda),
        already=len(entries) - len(kept_entries) + len(usda) - len(kept_usda),
    )


def usda_kind(food, words):
    """ "USDA SR28", and the other name a USDA food was found by when its description alone does not match."""
    other = other_name_found(food.description, food.common_names, words)
    return f"USDA SR28; USDA also calls it “{other}”" if other else "USDA SR28"


def other_name_found(description, common_names, words):
    """USDA's other names for a food (its common names) when the search `words` found it by them, its
    description alone not having a word starting with each: "" otherwise. A reader sees why
    "spin" lists "Beef, ribeye cap steak" (USDA also calls it "Spinalis dorsi")."""
    named = search_words(description).split()
    if not words or all(any(name.startswith(word) for name in named) for word in words):
        return ""
    return common_names or ""


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def compare(request):
    listed = Counter(slug.strip() for slug in request.GET.getlist("food") if slug.strip())
    requested = list(listed)  # in the order asked for, each once
    foods, unknown, extra = compared_foods(requested)
    max_words = apnumber(MAX_COMPARED)  # "four", as the page's other words say it
    notices = []
    if unknown:
        notices.append(f"We have no food {echo_list(unknown)}: ignored.")
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

    query, search_notice = search_text(request)
    notices += [search_notice] if search_notice else []
    matches = []
    if query:
        found = search_matches(query, slugs)
        matches = found.of((name, kind, entry_url(slug), compare_url([*slugs, slug])) for slug, name, kind in found)
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


# --- The food list (/foods/) ------------------------------------------------------------------------

FOODS_PER_PAGE = 25


def food_filter_form(request):
    """The /foods/ filter form: the list and its downloads read the same one."""
    # The groups as values, not model instances: half the time of reading them (when they are read).
    return FoodFilterForm(request.GET, groups=group_values(FoodGroup), usda_groups=group_values(USDAFoodGroup))


def group_values(model):
    return model.objects.values_list("pk", "slug", "name", named=True)


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def food_list(request):
    form = food_filter_form(request)
    usda_scope = form.scope == "all"
    # A USDA row's values, not USDAFood instances with their two codes: a third of the page
    # query's time went on building three model instances a row.
    read = (lambda foods: foods.values(*USDA_ROW_FIELDS, **USDA_ROW_CODES)) if usda_scope else None
    page = page_of(form.apply(), request.GET.get("page"), read)
    if usda_scope:
        page.object_list = [usda_row(SimpleNamespace(**values), form.amount_basis) for values in page.object_list]
        searched = search_words(form.value("q", "")).split()
        for food in page.object_list:
            food.other_name = other_name_found(food.description, food.common_names, searched)
    else:
        page.object_list = [featured_row(food, form.amount_basis) for food in page.object_list]
    compared = form.compared
    slugs = [slug for slug, _ in compared]
    params = filters_in_use(form, page)
    add_query = query_without(params, "compare", slugs)
    removes = {slug: (name, query_without(params, "compare", [other for other in slugs if other != slug]))
               for slug, name in compared}  # fmt: skip
    food_base = reverse("supplements:foods")
    full = len(slugs) >= FoodFilterForm.MAX_COMPARED
    add_prefix = f"?{add_query}&compare=" if add_query else "?compare="
    page.object_list = list(page.object_list)
    add_to_day = add_to_day_link()
    words = form.basis_words
    for food in page.object_list:
        finish_row(food, food_base, add_prefix, removes, full)
        food.add_to_day = add_to_day(food)
        food.row = row_html(food, words, usda_scope)
    context = {
        "form": form,
        "page": page,
        "usda_scope": usda_scope,
        "count_text": f"{page.paginator.count:,}",  # 8,050, as the site writes numbers elsewhere
        "daily_value": DAILY_VALUE_MG,
        "compare_slugs": slugs,
        "compared": [(slug, name, remove) for slug, (name, remove) in removes.items()],
        "compare_url": compare_url(slugs),
        "download_query": query_without(params, "compare", [], drop=("page",)),
        "page_dates": usda_dates if usda_scope else featured_dates,
    }
    # A change of scope or of the foods compared also changes the form (its group boxes, its "Foods
    # to compare" boxes): the rows' compare links and static/js/foods.js then ask for the form and the
    # results together (?part=listing), shown at the address without that word.
    listing = request.htmx and request.GET.get("part") == "listing"
    context["partial_name"] = "listing" if listing else "results"
    response = render(
        request, fragment_or_page(request, "supplements/food_list.html", context["partial_name"]), context
    )
    if listing and not request.htmx.history_restore_request:
        response["HX-Retarget"] = "#food-listing"
        response["HX-Push-Url"] = request.path + (
            f"?{query}" if (query := query_without(request.GET, "part", [])) else ""
        )
    return response


def page_of(foods, number, read=None):
    """Page `number` of `foods` (a Paginator's get_page), its rows read as a list, through `read` (a
    queryset to a queryset: .values()) if given. The first page is read before anything is counted:
    fewer rows than a page are the count itself, so a list that fits on one page (three searches in
    four as a reader types over every USDA food) costs one query rather than two. Any other page, and
    a full first page, is counted as Django's Paginator counts."""
    read = read or (lambda rows: rows)
    paginator = Paginator(foods, FOODS_PER_PAGE)
    first = None
    if number in (None, "", "1"):
        first = list(read(foods[:FOODS_PER_PAGE]))
        if len(first) < FOODS_PER_PAGE:
            paginator.count = len(first)  # Paginator.count is a cached_property: no count query
    page = paginator.get_page(number)
    page.object_list = first if first is not None else list(read(page.object_list))
    return page


# Stand-ins for a food's slug and name: unchanged by the partial's urlencode and escape, found nowhere else.
ROW_SLUG, ROW_NAME = "rowslug7f3e9c", "rowname7f3e9c"


def add_to_day_link():
    """A function giving a food's "Add to my day" link (the planner's partial,
    supplements/includes/add_to_day.html, with kind="food" value="<slug>:1" name=<name>): the partial is
    rendered with stand-ins, then each row's slug and name are written in as the partial would
    write them (urlencoded, escaped). Including it in each row cost about 80 us a row, 2 ms a page."""
    html = add_to_day_partial()
    return lambda food: mark_safe(  # noqa: S308 (the partial's own HTML; the food's values escaped here)
        html.replace(ROW_SLUG, esc(quote(food.slug, safe=":"))).replace(ROW_NAME, esc(food.name))
    )


@cache
def add_to_day_partial():
    """The partial with stand-ins, rendered once a process: it reads nothing of the request (its one
    address is the planner's), and rendering it cost about 0.5 ms a search."""
    return render_to_string(
        "supplements/includes/add_to_day.html", {"kind": "food", "value": f"{ROW_SLUG}:1", "name": ROW_NAME}
    )


def finish_row(food, food_base, add_prefix, removes, full):
    """What a row shows, worked out here once rather than by template tags in every row: its figures as text
    (mg, %DV bar width, %DV), the food page's address, the source link (http(s) only) and
    the compare cell. The compare cell is this
    address with the food added (or removed, if chosen; "4 chosen" once four are)."""
    food.href = f"{food_base}{food.slug}/"
    if food.amount is not None:  # the figures as text: a template would localize each number again
        dv_whole = food.dv_whole
        food.mg_shown, food.bar_shown, food.dv_shown = str(food.amount_whole), str(min(dv_whole, 100)), str(dv_whole)
    if not hasattr(food, "solidity"):  # a featured food: its USDA entry's, if it has one, named as USDA's
        food.solidity = (
            ""
            if food.usda_analyses is None
            else f"USDA's own entry (NDB {food.usda_ndb}: {plain(food.usda_mg_per_100g)} mg per 100 g): "
            f"{solidity_words(food.usda_analyses, food.usda_source)}"
        )
    food.source_link = web_url(getattr(food, "source_url", ""))
    if food.slug in removes:
        name, remove = removes[food.slug]
        food.compare_cell = format_html(
            '<a id="compare-{}" class="compare-toggle" href="?{}" data-hx-get="?{}{}part=listing">Remove'
            '<span class="visually-hidden"> {}</span> from comparison</a>',
            food.slug, remove, remove, mark_safe("&amp;") if remove else "", name,
        )  # fmt: skip
    elif full:
        food.compare_cell = mark_safe('<span class="meta">4 chosen</span>')
    else:  # every row but the chosen ones: format_html's checks cost 10 us a row, esc() the same escaping
        add = esc(add_prefix + food.slug)
        food.compare_cell = mark_safe(  # noqa: S308 (each value escaped)
            f'<a id="compare-{esc(food.slug)}" class="compare-toggle" href="{add}" '
            f'data-hx-get="{add}&amp;part=listing">Compare<span class="visually-hidden"> {esc(food.name)}</span></a>'
        )
    return food


# --- A row of the table, as HTML --------------------------------------------------------------------
# Written here rather than by the template: the template language cost about 200 us a row (some 35
# variables, each looked up and escaped, and a dozen {% if %}), a third of a search's time; these
# format strings cost about 20. Each value is escaped here (`esc`: the standard library's html.escape,
# which Django's escape() wraps, without its lazy-string check) as the template would; the prepared
# cells (compare_cell, add_to_day) are already safe HTML. The template shows `food.row`.
ROW_START = (
    '\n        <tr role="row">\n'
    '          <th scope="row" role="rowheader"><a href="{href}">{name}</a>{also}</th>\n          '
)
ROW_NO_FIGURE = (
    '\n          <td role="cell" class="num" data-label="Magnesium (mg)"><span aria-hidden="true">–</span>'
    '<span class="visually-hidden">no figure</span></td>\n'
    '          <td role="cell" class="dv" data-label="{dv}">{dash_reason}</td>\n          '
)
ROW_FIGURE = (
    '\n          <td role="cell" class="num" data-label="Magnesium (mg)">{mg}</td>\n'
    '          <td role="cell" class="dv" data-label="{dv}"><span class="dv-bar" aria-hidden="true">'
    '<span class="w-{bar}"></span></span> {dv_shown}%</td>\n          '
)
ROW_MIDDLE = (
    '\n          <td role="cell" data-label="{amount_label}">{amount}</td>\n'
    '          <td role="cell" data-label="Group">{group}</td>\n'
    '          <td role="cell">\n            {solidity}\n'
    '            <details class="source">\n'
    '              <summary>Source<span class="visually-hidden"> for {name}</span></summary>\n              '
)
ROW_USDA_SOURCE = (
    "\n              <p>{citation} ({description}), {group}.</p>\n"
    '              <p class="meta">Per 100 g: {mg_text} mg magnesium{kcal}. {serving} {per_100kcal}</p>\n'
    '              <p class="meta">How the value was obtained: {provenance}.</p>\n              '
)
ROW_FEATURED_SOURCE = (
    '\n              <p>{source}</p>\n              <p class="meta">{note}</p>\n              {link}\n              '
)
ROW_END = (
    '\n            </details>\n          </td>\n          <td role="cell">{compare}</td>\n'
    '          <td role="cell">{add_to_day}</td>\n        </tr>\n        '
)


def esc(value):
    """What the template writes for a value: Django's escape() is this, wrapped for lazy strings."""
    return html_escape(str(value))


def row_html(food, words, usda_scope):
    """A row of the table (`food` prepared by usda_row or featured_row, then finish_row), as safe HTML."""
    name = esc(food.name)
    other = getattr(food, "other_name", "")  # the name a search found a USDA food by, if not its description
    also = f' <span class="meta">(USDA also calls it “{esc(other)}”)</span>' if other else ""
    html = ROW_START.format(href=esc(food.href), name=name, also=also)
    if food.amount is None:
        html += ROW_NO_FIGURE.format(dv=esc(words["dv"]), dash_reason=esc(getattr(food, "dash_reason", "")))
    else:
        html += ROW_FIGURE.format(
            mg=esc(food.mg_shown), dv=esc(words["dv"]), bar=food.bar_shown, dv_shown=food.dv_shown
        )  # the last two: str() of whole numbers (finish_row)
    if words["unit"]:
        amount = esc(words["unit"])
        if words["kcal"] and (grams := getattr(food, "grams_100kcal", None)):
            amount += f' <span class="meta">({grams} g)</span>'  # how much food holds 100 kcal
    elif usda_scope and not food.grams_text:
        amount = "–"
    else:
        amount = f'{esc(food.serving)} <span class="meta">({esc(food.grams_text)} g)</span>'
    solidity = f'<p class="solidity">{esc(food.solidity)}</p>' if food.solidity else ""
    group = esc(food.group_name)
    html += ROW_MIDDLE.format(
        amount_label=esc(words["amount"]), amount=amount, group=group, solidity=solidity, name=name
    )
    if usda_scope:
        mg_text, kcal_text = esc(food.mg_text), esc(food.kcal_text) if food.kcal_text is not None else None
        if food.serving_mg_text:
            serving = (
                f"Per serving ({esc(food.serving)}, {esc(food.grams_text)} g, USDA's first household measure): "
                f"{esc(food.serving_mg_text)} mg."
            )
        else:
            serving = "No household measure."
        if food.per_100kcal_text:
            per_100kcal = (
                f"Per 100 kcal: {esc(food.per_100kcal_text)} mg ({mg_text} mg ÷ {kcal_text} kcal × 100, to 0.1 mg)."
            )
        else:
            per_100kcal = f"Per 100 kcal: undefined ({'no energy figure' if kcal_text is None else '0 kcal'})."
        html += ROW_USDA_SOURCE.format(
            citation=esc(food.citation),
            description=esc(food.description),
            group=group,
            mg_text=mg_text,
            kcal="" if kcal_text is None else f", {kcal_text} kcal",
            serving=serving,
            per_100kcal=per_100kcal,
            provenance=esc(food.provenance_text),
        )
    else:
        link = food.source_link and f'<p><a href="{esc(food.source_link)}" rel="noopener">Open the source</a></p>'
        html += ROW_FEATURED_SOURCE.format(source=esc(food.source), note=esc(food.note), link=link)
    # Already safe HTML (finish_row, add_to_day_link).
    html += ROW_END.format(compare=food.compare_cell, add_to_day=food.add_to_day)
    return mark_safe(html)  # noqa: S308 (every value escaped above)


def filters_in_use(form, page):
    """The list's parameters as its rows' links carry them: the values in use only, so a dropped
    one (a 10,000-character search) is not repeated in every row, and the page shown."""
    params = QueryDict(mutable=True)
    form.is_valid()
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if name in form.errors or value is None or value in ("", []):
            continue
        # The cleaned value, so min_mg=000...0 (10,000 characters) is written "0".
        value = plain(value) if isinstance(value, Decimal) else value
        params.setlist(name, value if isinstance(value, list) else [value])
    if page.number > 1:
        params["page"] = str(page.number)
    return params


def query_without(params, name, values, drop=()):
    """`params` as a query string with `name` set to `values` and the names in `drop` left out."""
    query = params.copy()
    query.setlist(name, values)
    query.pop("part", None)
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def featured_row(food, basis):
    """A featured row's source note (`note`: its figures as its source gives them, written once here rather
    than by a dozen template lookups a row) and, per 100 kcal, its USDA entry's figures as USDA gives them,
    or why there is none (`dash_reason`)."""
    note = f"Per serving ({food.serving}, {food.grams_text} g): {food.mg_text} mg. Per 100 g: {food.per_100g_text}."
    if basis == "100kcal":
        food.grams_100kcal = grams_for_100kcal(food.usda_kcal_per_100g)
        if food.usda_ndb is None:
            food.dash_reason = "no USDA entry"
            note += " Per 100 kcal: none (this food is not linked to a USDA entry, whose energy figure it would use)."
        elif food.usda_kcal_per_100g is None or food.amount is None:
            food.dash_reason = "no energy figure" if food.usda_kcal_per_100g is None else "0 kcal: undefined"
            gives = "no energy figure" if food.usda_kcal_per_100g is None else "0 kcal"
            note += f" Per 100 kcal: undefined (USDA SR28, NDB {food.usda_ndb}, gives {gives})."
        else:
            food.dash_reason = "0 kcal: undefined"
            note += (
                f" Per 100 kcal: {per_100kcal_text(food.usda_mg_per_100g, food.usda_kcal_per_100g)} mg, from its USDA "
                f"entry (USDA SR28, NDB {food.usda_ndb}: {plain(food.usda_mg_per_100g)} mg magnesium and "
                f"{plain(food.usda_kcal_per_100g)} kcal per 100 g, to 0.1 mg)."
            )
    food.note = note
    return food


def featured_dates():
    """The featured list's dates: its authors, reviewers and review state, kept until content changes."""
    return PageDates.of_items_once("foods:featured", FoodEntry.objects.published())


def usda_dates():
    """A USDA food list's byline, as each USDA food page's: USDA's figures (released September 2015), when an
    import last changed them, what the site works out from them, the editors' page, never "reviewed"."""
    return usda_page_dates(USDAFood.objects.aggregate(latest=Max("imported_at"))["latest"])


# What a USDA row reads: USDAFood's fields and the list's annotations (listed(), with_amounts()), and
# its value's source and derivation codes (USDAFood.provenance_text's words).
USDA_ROW_FIELDS = [
    "slug", "description", "ndb_number", "group_name", "amount", "magnesium_per_100g", "kcal_per_100g",
    "mg_per_100kcal", "serving_text", "serving_grams", "analyses", "standard_error", "reference_ndb_number",
    "common_names",
]  # fmt: skip
USDA_ROW_CODES = {
    "source_code_text": F("source_code__code"),
    "source": F("source_code__description"),
    "derivation": F("derivation_code__description"),
}


def usda_row(food, basis):
    """A USDA food (its values: USDA_ROW_FIELDS, USDA_ROW_CODES) as a row of the list, with the names
    the featured rows have (name, serving, amount_whole, ...) and the exact figures for its source note;
    its citation, solidity and provenance as USDAFood words them."""
    food.name = food.description
    food.serving = food.serving_text
    food.grams_text = plain(food.serving_grams) if food.serving_grams is not None else ""
    food.citation = USDAFood.citation.fget(food)  # "USDA SR28, NDB 12016", from the values alone
    food.solidity = solidity_words(food.analyses, food.source_code_text)
    food.provenance_text = provenance_words(
        food.analyses, food.standard_error, food.source_code_text, food.source, food.derivation,
        food.reference_ndb_number,
    )  # fmt: skip
    food.mg_text = plain(food.magnesium_per_100g)
    food.kcal_text = plain(food.kcal_per_100g) if food.kcal_per_100g is not None else None
    # The serving's magnesium exactly (USDA's mg per 100 g x grams / 100: a finite decimal).
    food.serving_mg_text = plain(food.magnesium_per_100g * food.serving_grams / 100) if food.grams_text else None
    food.per_100kcal_text = per_100kcal_text(food.magnesium_per_100g, food.kcal_per_100g)
    food.grams_100kcal = grams_for_100kcal(food.kcal_per_100g) if basis == "100kcal" else None
    food.dash_reason = {
        "serving": "no household measure",
        "100kcal": "no energy figure" if food.kcal_text is None else "0 kcal: undefined",
    }.get(basis)
    if food.amount is not None:
        food.amount_whole = whole(food.amount)
        food.dv_whole = whole(food.amount * 100 / DAILY_VALUE_MG)
        food.dv_bar = min(food.dv_whole, 100)
    return food


# --- Downloads: every food the list's filters match, in the list's order ------------------------------

# (column, the queryset value it reads): the list's own queryset (FoodFilterForm.apply) read with .values().
# HOW_SOLID is the list's words for how solid USDA's value is (solidity_words), worked out from the
# row's analyses and source code: "7 analyses", or where USDA counts none, how it obtained the value.
HOW_SOLID = object()
SOLIDITY_FIELDS = {
    "all": ("analyses", "source_code__code"),
    "featured": ("usda_food__analyses", "usda_food__source_code__code"),
}
FEATURED_DOWNLOAD = [
    ("name", "name"),
    ("slug", "slug"),
    ("group", "group_name"),
    ("serving", "serving"),
    ("serving_grams", "serving_grams"),
    ("magnesium_mg_per_serving", "magnesium_mg"),
    ("magnesium_mg_per_100g", "mg_per_100g"),
    ("per_100g_worked_out_by_this_site", "mg_per_100g_worked_out"),
    ("source", "source"),
    ("source_url", "source_url"),
    ("usda_ndb_number", "usda_food__ndb_number"),
    ("usda_magnesium_mg_per_100g", "usda_food__magnesium_per_100g"),
    ("usda_kcal_per_100g", "usda_food__kcal_per_100g"),
    ("usda_magnesium_mg_per_100kcal", "usda_food__mg_per_100kcal"),
    ("usda_analyses", "usda_food__analyses"),
    ("usda_how_solid", HOW_SOLID),
]
USDA_DOWNLOAD = [
    ("ndb_number", "ndb_number"),
    ("description", "description"),
    ("slug", "slug"),
    ("group", "group_name"),
    ("magnesium_mg_per_100g", "magnesium_per_100g"),
    ("kcal_per_100g", "kcal_per_100g"),
    ("magnesium_mg_per_100kcal", "mg_per_100kcal"),
    ("serving", "serving_text"),
    ("serving_grams", "serving_grams"),
    ("magnesium_mg_per_serving", "mg_per_serving"),
    ("analyses", "analyses"),
    ("how_solid", HOW_SOLID),
    ("standard_error", "standard_error"),
    ("source", "source_code__description"),
    ("derivation", "derivation_code__description"),
    ("calculated_from_ndb_number", "reference_ndb_number"),
]
DOWNLOAD_NOTE = {
    "featured": "Featured foods with their curated figures and sources; usda_* columns are the linked USDA SR28 "
    "entry's figures (per 100 kcal = USDA magnesium / USDA energy x 100, to 0.01 mg).",
    "all": f"{USDA_SR28_CITATION} Per 100 g figures as USDA gives them; per serving (USDA's first household "
    "measure) and per 100 kcal worked out to 0.01 mg; analyses 0 = none counted, and how_solid says how USDA "
    "obtained the value instead (source code 1 with 0 analyses: analytical, analyses not counted).",
}


def download_rows(request):
    """(form, column names, rows as tuples): every food matching the list's filters, in its order,
    read in chunks by one query (not a page, not model objects)."""
    form = food_filter_form(request)
    columns = USDA_DOWNLOAD if form.scope == "all" else FEATURED_DOWNLOAD
    fields = [field for _, field in columns if field is not HOW_SOLID]
    foods = form.apply().values_list(*fields, SOLIDITY_FIELDS[form.scope][1])
    analyses_at = fields.index(SOLIDITY_FIELDS[form.scope][0])
    at = [field for _, field in columns].index(HOW_SOLID)

    def rows():
        for *values, source_code in foods.iterator(chunk_size=2000):
            analyses = values[analyses_at]  # None: a featured food without a USDA entry
            values.insert(at, "" if analyses is None else solidity_words(analyses, source_code))
            yield values

    return form, [name for name, _ in columns], rows()


def exact_text(value):
    """A figure as text, exactly as stored (79.000 -> "79", 4.794 -> "4.794"); "" for none."""
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else str(value)


def exact_json(value):
    """A figure as a JSON value: a number written exactly (79, 4.794: no float digits added)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Echo:
    def write(self, value):
        return value


def download_headers(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def food_download_csv(request):
    form, names, rows = download_rows(request)
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow(names)
        for row in rows:
            yield writer.writerow([exact_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return download_headers(response, f"magnesium-foods-{form.scope}.csv")


@require_safe
def food_download_json(request):
    form, names, rows = download_rows(request)

    def chunks():
        head = json.dumps({"note": DOWNLOAD_NOTE[form.scope], "notices": form.notices}, ensure_ascii=False)
        yield head[:-1] + ', "foods": ['  # the object stays open for the foods
        for number, row in enumerate(rows):
            food = dict(zip(names, (exact_json(value) for value in row), strict=True))
            yield ("," if number else "") + "\n" + json.dumps(food, ensure_ascii=False)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    return download_headers(response, f"magnesium-foods-{form.scope}.json")
