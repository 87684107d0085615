from django import forms

from articles.models import Article, Topic
from site_project.lists import CleanedValueMixin


class ArticleFilterForm(CleanedValueMixin, forms.Form):
    """The GET form above the article list. A value the server cannot use is dropped with a
    notice for the reader, never turned into an error page."""

    q = forms.CharField(label="Search articles", required=False, max_length=200, strip=True)
    topic = forms.ModelChoiceField(
        label="Topic",
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All topics",
    )

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["q"].widget.input_type = "search"
        # Only topics a reader can find articles under right now.
        self.fields["topic"].queryset = Topic.objects.filter(articles__in=Article.objects.published()).distinct()

    def cleaned_or_dropped(self):
        """The usable filter values, and a notice for each one that was ignored."""
        values = {name: value for name in self.fields if (value := self.value(name))}
        return values, [self.notice(name) for name in self.fields if name in self.errors]

    def notice(self, name):
        if name == "topic":
            return f"There is no topic “{self.data.get('topic', '')[:80]}”, so all topics are shown."
        if any(error.code == "max_length" for error in self.errors.as_data()["q"]):
            return "The search text was too long (200 characters at most), so it was ignored."
        return "The search text contained characters that cannot be searched, so it was ignored."

    def apply(self, articles):
        self.values, self.notices = self.cleaned_or_dropped()
        values = self.values
        if topic := values.get("topic"):
            articles = articles.filter(topics=topic)
        if query := values.get("q"):
            articles = articles.search(query)
        return articles
