from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.models import Article


@require_GET
def article_list(request):
    articles = Article.objects.published()
    page = Paginator(articles, 10).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@require_GET
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})
