from django.contrib.sitemaps import Sitemap
from django.db import models
from django.urls import reverse

from articles.models import Article, Condition, Finding
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


class EvidencePageSitemap(Sitemap):
    """The evidence list and the low-magnesium page (issue 13)."""

    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return ["articles:evidence", "supplements:low_magnesium"]

    def location(self, item):
        return reverse(item)


class ConditionSitemap(Sitemap):
    """One evidence page per condition, last modified when one of its published findings was."""

    changefreq = "monthly"
    priority = 0.7

    def items(self):
        published = Finding.objects.published().filter(condition=models.OuterRef("pk"))
        return Condition.objects.annotate(
            last_finding=models.Subquery(published.order_by("-updated_at").values("updated_at")[:1])
        ).order_by("order", "name")

    def lastmod(self, item):
        return item.last_finding


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "supplement-forms": SupplementFormSitemap,
    "evidence": EvidencePageSitemap,
    "conditions": ConditionSitemap,
}
