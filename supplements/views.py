"""The supplement pages (/supplements/: the forms, each form's page, safety, the dose calculator,
medicines). The /foods/ pages (the list, its downloads, a page per food, the comparison) are in
supplements/food_pages.py."""

from functools import partial

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from articles.models import Article
from site_project.lists import fragment_or_page
from site_project.models import PageDates
from site_project.views import render_content
from supplements.forms import DoseCalculatorForm, MedicineFilterForm, SupplementFilterForm
from supplements.models import (
    DAILY_VALUE_MG,
    IntakeReference,
    Medicine,
    SupplementForm,
    SupplementUse,
    upper_levels_by_age,
)
from supplements.planner import CarriedPlan, carries_plan, medicines_url, plan_only

# Use tags with the condition whose evidence page a health-claim tag links to (one join, no extra query).
USES_WITH_EVIDENCE = Prefetch("uses", queryset=SupplementUse.objects.select_related("condition"))


# --- Supplement forms: comparison, form pages, safety page, dose calculator (issue 5) ---------------


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def form_list(request):
    form = SupplementFilterForm(request.GET)
    supplement_forms = list(form.apply(SupplementForm.objects.published()).prefetch_related(USES_WITH_EVIDENCE))
    context = {"form": form, "supplement_forms": supplement_forms}
    context["page_dates"] = partial(PageDates.of_items, SupplementForm.objects.published())
    return render(request, fragment_or_page(request, "supplements/form_list.html", "results"), context)


@require_safe
def form_detail(request, slug):
    articles = Article.objects.published().only("title", "slug", "summary", "published_at")
    supplement = get_object_or_404(
        SupplementForm.objects.visible_to(request.user)
        .select_related("author", "medical_reviewer")
        .prefetch_related(
            USES_WITH_EVIDENCE, "references", Prefetch("articles", queryset=articles, to_attr="public_articles")
        ),
        slug=slug,
    )
    context = {"supplement": supplement, "page_dates": PageDates.of(supplement)}
    return render_content(request, "supplements/form_detail.html", context, public=supplement.is_public)


@require_safe
def safety(request):
    intakes = list(IntakeReference.objects.all())
    context = {
        "intakes": intakes,
        "upper_levels": upper_levels_by_age(intakes),
        # The intake figures the page shows: their authors, reviews and changes.
        "page_dates": partial(PageDates.of_items, IntakeReference.objects.all()),
    }
    return render(request, "supplements/safety.html", context)


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def calculator(request):
    supplement_forms = (
        SupplementForm.objects.published().order_by(Lower("name")).only("name", "slug", "elemental_percent", "summary")
    )
    form = DoseCalculatorForm(
        request.GET, supplement_forms=list(supplement_forms), stages=IntakeReference.objects.all()
    )
    context = {"form": form, "dose": form.dose(), "daily_value": DAILY_VALUE_MG}
    # The forms it works with and the intake figures it compares the dose with.
    context["page_dates"] = partial(
        PageDates.of_items, SupplementForm.objects.published(), IntakeReference.objects.all()
    )
    response = render(request, fragment_or_page(request, "supplements/calculator.html", "live"), context)
    if request.GET:
        # A reader's doses, like their medicines, live only in their address bar: no shared cache keeps them.
        patch_cache_control(response, private=True, no_store=True)
    return response


# --- Medicines: each with its own spacing from magnesium (issue 12) ---------------------------------


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def medicines(request):
    """All published medicines in one query: the checkboxes and the cards come from the same list."""
    form = MedicineFilterForm(request.GET, Medicine.objects.published())
    chosen = form.apply()
    # A plan from the planner ("Check your medicines"): read for the whole page only, where its box and the
    # form's copy of it are; the results an htmx request swaps in show none of it.
    has_plan = carries_plan(request.GET)
    whole_page = not (request.htmx and not request.htmx.history_restore_request)
    carried = CarriedPlan(request.GET) if has_plan and whole_page else None
    groups = [
        (key, label, [medicine for medicine in chosen if medicine.group == key]) for key, label in Medicine.GROUPS
    ]
    context = {
        "form": form,
        # The timetable goes by what to do: "do not combine" first, then hours apart, blood test, ask.
        "chosen": sorted(chosen, key=lambda medicine: medicine.group_rank) if form.chosen else [],
        "groups": [group for group in groups if group[2]],
        "page_dates": partial(PageDates.of_items, Medicine.objects.published()),
        "carried": carried,
        # "Show all medicines" keeps the plan (in an htmx request, as the form sent it: the plan's valid items).
        "all_medicines_url": medicines_url(carried.query if carried else plan_only(request.GET).urlencode(safe=":|")),
    }
    response = render(request, fragment_or_page(request, "supplements/medicines.html", "results"), context)
    if form.chosen or has_plan:
        # A reader's medicines and plan live only in their address bar: no shared cache keeps the page.
        patch_cache_control(response, private=True, no_store=True)
    return response
