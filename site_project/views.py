from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from articles.models import Article, Condition, Finding, Reference
from site_project.models import Person, SitePage
from supplements.models import (
    DAILY_VALUE_MG,
    DAILY_VALUE_SOURCE,
    ODS_FACT_SHEET,
    Medicine,
    SupplementForm,
    SupplementReference,
)


def absolute_url(request, path):
    """Public address of `path`: DJANGO_SITE_URL when set (behind a proxy), else this request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def render_content(request, template, context, *, public):
    """A content item's page (an article, a supplement form, a food, a site page). Before the item is
    public only staff reach it, as a preview: a shared cache never stores that, and crawlers never index it."""
    response = render(request, template, context)
    if not public:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def home(request):
    latest = Article.objects.published().only("title", "slug", "summary", "published_at")[:3]
    return render(request, "home.html", {"latest_articles": latest})


@require_safe
@never_cache
def healthz(request):
    """Liveness for load balancers: 200 only after a real database round trip."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def sources(request):
    """Where the figures come from: how the food, intake and form figures are sourced and worked out, then every
    source the site's data cites, read from it so the list cannot go stale (one query a list): published findings
    by condition, the conditions' guidelines, each published medicine's sources, the published articles' and
    supplement forms' references. A medicine's differing sources (quoted where they ask for a longer gap) are listed
    with it, and the medicines quoting the NIH ODS fact sheet are named."""
    context = {
        "daily_value": DAILY_VALUE_MG,
        "daily_value_source": DAILY_VALUE_SOURCE,
        "findings": Finding.objects.published()
        .select_related("condition")
        .only("slug", "citation", "url", "condition__name", "condition__slug", "condition__order")
        .order_by("condition__order", "condition__name", "citation"),
        "guidelines": Condition.objects.exclude(guideline_citation="").only(
            "name", "slug", "guideline_citation", "guideline_url"
        ),
        "medicines": Medicine.objects.published().only(
            "name", "slug", "source", "url", "read_via", "sources_differ_links"
        ),
        "article_references": Reference.objects.filter(article__in=Article.objects.published())
        .select_related("article")
        .only("citation", "url", "article__title", "article__slug")
        .order_by("article__title", "order", "id"),
        "form_references": SupplementReference.objects.filter(form__in=SupplementForm.objects.published())
        .values("citation", "url")
        .distinct()
        .order_by("citation", "url"),
    }
    context["quoting_ods"] = [
        medicine
        for medicine in context["medicines"]
        if any(url.startswith(ODS_FACT_SHEET) for url, _note in medicine.differing_links)
    ]
    return render(request, "sources.html", context)


@require_safe
def robots_txt(request):
    """Crawlers: everything public may be indexed, the admin may not; the sitemap lists the pages."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def site_page(request, slug):
    """About, Editorial policy, Corrections and the other site pages: public once published;
    before that, a preview for staff only (as an article is)."""
    page = get_object_or_404(SitePage.objects.visible_to(request.user), slug=slug)
    context = {"page": page, "canonical_url": absolute_url(request, page.get_absolute_url())}
    return render_content(request, "site_page.html", context, public=page.is_public)


@require_safe
def people(request):
    """Who writes and medically reviews the site's content: every byline links here (site_project.PageDates)."""
    from site_project.admin import medical_reviewer_ids  # the review queue's list of reviewed models

    reviewers = medical_reviewer_ids()
    people = list(Person.objects.all())
    for person in people:
        person.has_reviewed = person.pk in reviewers
    context = {"people": people, "reviewers": reviewers, "canonical_url": absolute_url(request, reverse("people"))}
    return render(request, "people.html", context)


@require_safe
def media(request, path):
    """An uploaded file (a person's photo) from MEDIA_ROOT, when SERVE_MEDIA says this process serves them
    (development); in production the web server does, and this answers 404."""
    if not settings.SERVE_MEDIA:
        raise Http404("Uploaded files are served by the web server.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
