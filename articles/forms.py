from functools import cached_property

from django import forms

from articles.models import Article, Certainty, Direction, Topic
from site_project.lists import FilterForm, echo, filter_field, repeatable_filter


class ArticleFilterForm(FilterForm):
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

    @cached_property
    def values(self):
        """The usable filter values: what the list shows and the page's title and count say."""
        return {name: value for name in self.fields if (value := self.value(name))}

    def invalid_notice(self, name):
        if name == "topic":
            return f"There is no topic “{echo(self.data.get('topic', ''), 80)}”, so all topics are shown."
        if any(error.code == "max_length" for error in self.errors.as_data()["q"]):
            return "The search text was too long (200 characters at most), so it was ignored."
        return "The search text contained characters that cannot be searched, so it was ignored."

    def apply(self, articles):
        values = self.values
        if topic := values.get("topic"):
            articles = articles.filter(topics=topic)
        if query := values.get("q"):
            articles = articles.search(query)
        return articles


class EvidenceFilterForm(FilterForm):
    """The /evidence/ filters. The URL contract (condition, repeatable; certainty; direction) is
    public: links and bookmarks depend on these names. A value the server cannot use is dropped
    with a notice, never an error page: unknown condition slugs one by one, so
    ?condition=leg-cramps&condition=typo keeps leg cramps."""

    condition = repeatable_filter("Condition", "Unknown condition {names}: ignored.")
    certainty = filter_field(
        forms.ChoiceField,
        "Certainty",
        "Certainty can be high, moderate, low or very low: showing every certainty.",
        choices=[("", "Any certainty"), *Certainty.choices],
    )
    direction = filter_field(
        forms.ChoiceField,
        "What the study found",
        "A result can be benefit, no clear benefit, harm or mixed: showing every result.",
        choices=[("", "Any result"), *Direction.choices],
    )

    def __init__(self, data, conditions):
        self.conditions = list(conditions)
        super().__init__(data, {"condition": [(condition.slug, condition.name) for condition in self.conditions]})

    @property
    def chosen_conditions(self):
        return self.value("condition", [])

    def apply(self, findings):
        if slugs := self.chosen_conditions:
            findings = findings.filter(condition__in=[c for c in self.conditions if c.slug in slugs])
        if certainty := self.value("certainty"):
            findings = findings.filter(certainty=certainty)
        if direction := self.value("direction"):
            findings = findings.filter(direction=direction)
        return findings

    def sections(self, findings):
        """The conditions to show, in order, each with its findings (already sorted): a condition
        with no matching finding is left out, unless the reader chose it."""
        by_condition = {condition.pk: [] for condition in self.conditions}
        for finding in findings:
            by_condition[finding.condition_id].append(finding)
        chosen = self.chosen_conditions
        sections = []
        for condition in self.conditions:
            rows = by_condition[condition.pk]
            for finding in rows:
                finding.condition = condition  # no query per finding for its link
            if rows or condition.slug in chosen:
                sections.append({"condition": condition, "findings": rows})
        return sections
