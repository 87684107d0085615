from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article, Topic

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """Atom feed of the latest published articles (never drafts or scheduled ones)."""

    feed_type = Atom1Feed
    title = "Magnesium & Nerve Health: latest articles"
    subtitle = "Sourced articles on magnesium and peripheral neuropathy."
    author_name = "Magnesium & Nerve Health editors"

    def link(self):
        return reverse("articles:list")

    def feed_url(self):
        return reverse("article_feed")

    def items(self):
        return (
            Article.objects.published()
            .select_related("author")
            .only("title", "slug", "summary", "author__name", "published_at", "updated_at")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("name")))[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.author.name if item.author else self.author_name

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
