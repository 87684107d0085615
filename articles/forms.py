from django import forms

from articles.models import Article, Topic


class ArticleFilterForm(forms.Form):
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
        self.is_valid()
        values, notices = {}, []
        messages = {
            "q": "The search text was too long (200 characters at most), so it was ignored.",
            "topic": "There is no topic “{value}”, so all topics are shown.",
        }
        for name in self.fields:
            if name in self.errors:
                notices.append(messages[name].format(value=self.data.get(name, "")))
            elif self.cleaned_data.get(name):
                values[name] = self.cleaned_data[name]
        return values, notices

    def apply(self, articles):
        self.values, self.notices = self.cleaned_or_dropped()
        values = self.values
        if topic := values.get("topic"):
            articles = articles.filter(topics=topic)
        if query := values.get("q"):
            articles = articles.search(query)
        return articles
