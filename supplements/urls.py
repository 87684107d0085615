import datetime

from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from site_project.models import PageDates
from supplements import food_pages, views

app_name = "supplements"

urlpatterns = [
    path("foods/", food_pages.food_list, name="foods"),
    path("supplements/", views.form_list, name="list"),
    # The fixed pages come before the <slug> route, so no form's page can hide them.
    path("supplements/safety/", views.safety, name="safety"),
    path("supplements/calculator/", views.calculator, name="calculator"),
    path("supplements/medicines/", views.medicines, name="medicines"),
    path("supplements/<slug:slug>/", views.form_detail, name="detail"),
]

# Low magnesium (issue 13): a page of sourced facts, no database content. Its dates are those of the facts
# (articles/data/deficiency.md: "Accessed 2026-11-30"); no medical review yet.
LOW_MAGNESIUM_FACTS_CHECKED = datetime.date(2026, 11, 30)
urlpatterns.insert(
    urlpatterns.index(next(p for p in urlpatterns if p.name == "detail")),  # before the <slug> route
    path(
        "supplements/low-magnesium/",
        require_safe(
            TemplateView.as_view(
                template_name="supplements/low_magnesium.html",
                extra_context={"page_dates": PageDates(LOW_MAGNESIUM_FACTS_CHECKED)},
            )
        ),
        name="low_magnesium",
    ),
)

# Food pages and the comparison (issue 15). "compare" comes first, so no food's slug can hide it.
urlpatterns += [
    path("foods/compare/", food_pages.compare, name="compare"),
    path("foods/download.csv", food_pages.food_download_csv, name="foods_csv"),
    path("foods/download.json", food_pages.food_download_json, name="foods_json"),
    path("foods/<slug:slug>/", food_pages.food_detail, name="food"),
]
