import json
from functools import partial

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from articles.forms import ArticleFilterForm, EvidenceFilterForm
from articles.models import Article, ArticleFinding, Condition, Finding, Topic
from articles.placement import place
from site_project.lists import fragment_or_page
from site_project.models import SITE_NAME, PageDates, schema_person
from site_project.views import absolute_url, render_content
from supplements.models import FoodEntry, SupplementForm

PER_PAGE = 10


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def article_list(request):
    form = ArticleFilterForm(request.GET)
    articles = (
        form.apply(Article.objects.published())
        .defer("body", "body_html", "toc")  # a list shows titles and summaries only
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name", "slug")))
    )
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    # Every published article's authors, reviews and newest change, as the other lists: one query, and only
    # where the full page shows the byline (an htmx fragment does not).
    context["page_dates"] = partial(PageDates.of_items, Article.objects.published())
    return render(request, fragment_or_page(request, "articles/article_list.html", "results"), context)


@require_safe
def article_detail(request, slug):
    """The article for everyone once it is public; before that, a preview for staff only."""
    articles = (
        Article.objects.visible_to(request.user)
        .select_related("author", "medical_reviewer")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("name", "slug")),
            "references",
            Prefetch("foods", queryset=FoodEntry.objects.published().select_related("group").order_by("name")),
            Prefetch("supplement_forms", queryset=SupplementForm.objects.published().order_by("name")),
            Prefetch(
                "article_findings",
                queryset=ArticleFinding.objects.filter(finding__in=Finding.objects.published()).select_related(
                    "finding__condition"
                ),
                to_attr="placed_findings",
            ),
        )
    )
    article = get_object_or_404(articles, slug=slug)
    canonical_url = absolute_url(request, article.get_absolute_url())
    segments, findings_after_text = place(article.body_html, article.placed_findings)
    context = {
        "article": article,
        "canonical_url": canonical_url,
        "structured_data": structured_data(article, canonical_url),
        "foods_url": reverse("supplements:foods"),
        "segments": segments,
        "findings_after_text": findings_after_text,
        "page_dates": PageDates.of(article),
    }
    return render_content(request, "articles/article_detail.html", context, public=article.is_public)


def structured_data(article, canonical_url):
    """schema.org MedicalWebPage as JSON-LD, safe to place inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": article.title,
        "name": article.title,
        "description": article.summary,
        "url": canonical_url,
        "mainEntityOfPage": canonical_url,
        "inLanguage": "en",
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "author": schema_person(article.author)
        if article.author
        else {"@type": "Organization", "name": f"{SITE_NAME} editors"},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "about": [{"@type": "Thing", "name": topic.name} for topic in article.topics.all()],
        "citation": [
            {
                "@type": "CreativeWork",
                "name": ref.citation,
                **({"url": ref.url} if ref.url else {}),
                **({"publisher": {"@type": "Organization", "name": ref.publisher}} if ref.publisher else {}),
                **({"datePublished": str(ref.year)} if ref.year else {}),
            }
            for ref in article.references.all()
        ]
        + [
            # The findings placed beside the text: each one's source is a citation of the page too.
            {
                "@type": "CreativeWork",
                "name": placed.finding.citation,
                "url": placed.finding.url,
                **({"datePublished": str(placed.finding.year)} if placed.finding.year else {}),
            }
            for placed in getattr(article, "placed_findings", [])
        ],
    }
    if article.reviewed_at and article.medical_reviewer:
        data["lastReviewed"] = article.reviewed_at
        data["reviewedBy"] = schema_person(article.medical_reviewer)
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Same escaping as Django's json_script: nothing in the data can close the element.
    return mark_safe(text.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}))


# --- Evidence by condition (issue 13) ----------------------------------------------------------------


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def evidence(request):
    """Every published finding, grouped by condition, most certain first; filters in place."""
    form = EvidenceFilterForm(request.GET, conditions=Condition.objects.all())
    findings = form.apply(Finding.objects.published()).strongest_first()
    sections = form.sections(findings)
    count = sum(len(section["findings"]) for section in sections)
    context = {"form": form, "sections": sections, "count": count}
    context["page_dates"] = partial(PageDates.of_items, Finding.objects.published())
    return render(request, fragment_or_page(request, "articles/evidence.html", "results"), context)


@require_safe
def condition_detail(request, slug):
    """One condition: its summary, the guideline's position and every published finding."""
    condition = get_object_or_404(Condition, slug=slug)
    findings = list(Finding.objects.published().filter(condition=condition).strongest_first())
    for finding in findings:
        finding.condition = condition
    canonical_url = absolute_url(request, condition.get_absolute_url())
    context = {"condition": condition, "findings": findings, "canonical_url": canonical_url}
    context["page_dates"] = partial(PageDates.of_items, Finding.objects.published().filter(condition=condition))
    return render(request, "articles/condition_detail.html", context)
