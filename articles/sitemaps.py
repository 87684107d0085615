from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from supplements.models import SupplementForm


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    """The site's fixed public pages."""

    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "articles:list",
            "supplements:foods",
            "supplements:list",
            "supplements:safety",
            "supplements:calculator",
            "supplements:medicines",
            "sources",
        ]

    def location(self, item):
        return reverse(item)


class SupplementFormSitemap(Sitemap):
    """One page per published supplement form (supplements:detail)."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return SupplementForm.objects.published().only("slug", "updated_at").order_by("name")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "supplement-forms": SupplementFormSitemap}
