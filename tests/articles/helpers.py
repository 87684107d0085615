"""Plain helper functions that make article test data. Each takes overrides for any field."""

import datetime
from html.parser import HTMLParser
from itertools import count

from django.utils import timezone

from articles.models import Article, Reference, Topic

_seq = count(1)


def make_topic(**overrides):
    n = next(_seq)
    values = {"name": f"Topic {n}", "slug": f"topic-{n}"}
    values.update(overrides)
    return Topic.objects.create(**values)


def make_article(topics=(), references=0, **overrides):
    """A published article (public since yesterday) unless overrides say otherwise."""
    n = next(_seq)
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "summary": f"Summary of article {n}.",
        "body": f"Intro of article {n}.\n\n## First part\n\nText.\n\n## Second part\n\nMore text.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
        "author": "Test editors",
    }
    values.update(overrides)
    article = Article.objects.create(**values)
    if topics:
        article.topics.set(topics)
    Reference.objects.bulk_create(
        Reference(
            article=article, order=i, citation=f"Reference {i} of {article.title}.", url=f"https://example.org/{i}"
        )
        for i in range(1, references + 1)
    )
    return article


def make_draft(**overrides):
    return make_article(status=Article.Status.DRAFT, published_at=None, **overrides)


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the first <form> with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self._textarea = self._select = None
        self._select_multiple_seen = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.data.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def read_form(html, form_id):
    """The form's fields as a browser would post them: {name: value or [values]}."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.data:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data
