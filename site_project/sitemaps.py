"""/sitemap.xml: the site's fixed pages and every published content page, from both apps.

One place, because every content sitemap follows one rule (the model's published() items, each
with its last change), so a new kind of content adds one line to SITEMAPS, not a module."""

from django.contrib.sitemaps import Sitemap
from django.db import models
from django.urls import reverse

from articles.models import Article, Condition, Finding
from site_project.models import SitePage
from supplements.models import FoodEntry, SupplementForm, USDAFood


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
            "supplements:low_magnesium",
            "articles:evidence",
            "sources",
            "people",
            "planner",
        ]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    """One page per published item of a Publishable model with get_absolute_url() and updated_at."""

    changefreq = "monthly"

    def __init__(self, model, priority, ordering=()):
        self.model, self.priority, self.ordering = model, priority, ordering

    def items(self):
        items = self.model.objects.published().only("slug", "updated_at")
        return items.order_by(*self.ordering) if self.ordering else items

    def lastmod(self, item):
        return item.updated_at


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


class FoodPageSitemap(Sitemap):
    """One page per food (/foods/<slug>/): the published featured foods, then every USDA SR28 food,
    last modified when an editor changed the featured food or an import changed USDA's figures."""

    changefreq = "monthly"
    priority = 0.5

    def __init__(self, foods):
        self.foods = foods

    def items(self):
        return self.foods()

    def location(self, item):
        return reverse("supplements:food", args=[item["slug"]])

    def lastmod(self, item):
        return item["changed"]


SITEMAPS = {
    "pages": PageSitemap,
    "articles": PublishedSitemap(Article, priority=0.8),  # newest first (Article's own ordering)
    "supplement-forms": PublishedSitemap(SupplementForm, priority=0.6, ordering=["name"]),
    "conditions": ConditionSitemap,
    "site-pages": PublishedSitemap(SitePage, priority=0.3, ordering=["slug"]),  # About, Privacy, ...
    "featured-foods": FoodPageSitemap(
        lambda: FoodEntry.objects.published().order_by("name").values("slug", changed=models.F("updated_at"))
    ),
    # 8,050 addresses: Django splits a sitemap into pages of 50,000, so this is one page.
    "usda-foods": FoodPageSitemap(
        lambda: USDAFood.objects.order_by("description", "id").values("slug", changed=models.F("imported_at"))
    ),
}
