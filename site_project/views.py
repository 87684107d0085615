from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from supplements.models import DAILY_VALUE_MG, DAILY_VALUE_SOURCE


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
    context = {"daily_value": DAILY_VALUE_MG, "daily_value_source": DAILY_VALUE_SOURCE}
    return render(request, "sources.html", context)
