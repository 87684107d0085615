"""What the changelists built from site_project/admin.py show: the count columns (count_column) and
the filters whose options are queryset methods (QuerySetFilter)."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import make_condition, make_finding, make_food, make_group, make_supplement_form, make_use

pytestmark = pytest.mark.django_db


def column(html, name):
    """The cells of one changelist column, in the order the rows are listed."""
    return re.findall(rf'<td class="field-{name}">([^<]*)</td>', html)


def link_texts(html, name):
    """The first column's links (the items' names), in the order the rows are listed."""
    return re.findall(rf'<th class="field-{name}"><a href="[^"]*">([^<]*)</a></th>', html)


def test_condition_list_counts_each_conditions_findings_and_sorts_by_the_count(staff_client):
    three, _none, one = make_condition(name="Three"), make_condition(name="None"), make_condition(name="One")
    for _ in range(3):
        make_finding(three)
    make_finding(one)
    url = "/admin/articles/condition/"
    html = staff_client.get(url).text
    assert re.search(r'<th scope="col" class="sortable column-finding_count">.*?>Findings</a>', html, re.S)
    by_count = staff_client.get(url, {"o": "5"}).text  # finding_count is the 5th column
    assert link_texts(by_count, "name") == ["None", "One", "Three"]
    assert column(by_count, "finding_count") == ["0", "1", "3"]
    assert column(staff_client.get(url, {"o": "-5"}).text, "finding_count") == ["3", "1", "0"]


def groups_with(counts):
    for n in counts:
        group = make_group(name=f"Item {n}")
        for _ in range(n):
            make_food(group=group)


def uses_with(counts):
    for n in counts:
        use = make_use(name=f"Item {n}")
        for _ in range(n):
            make_supplement_form(uses=[use])


def forms_with(counts):
    for n in counts:
        make_supplement_form(name=f"Item {n}", references=n)


@pytest.mark.parametrize(
    ("url", "make", "position", "header"),
    [
        ("/admin/supplements/foodgroup/", groups_with, 4, "Foods"),
        ("/admin/supplements/supplementuse/", uses_with, 4, "Forms"),
        ("/admin/supplements/supplementform/", forms_with, 6, "References"),
    ],
)
def test_supplement_lists_count_and_sort_by_the_count(staff_client, url, make, position, header):
    make([2, 0, 1])
    html = staff_client.get(url, {"o": str(position)}).text
    assert re.search(rf'class="sortable column-\w+_count sorted ascending">.*?>{header}</a>', html, re.S)
    items = [name for name in link_texts(html, "name") if name.startswith("Item ")]
    assert items == ["Item 0", "Item 1", "Item 2"]
    descending = staff_client.get(url, {"o": f"-{position}"}).text
    assert [name for name in link_texts(descending, "name") if name.startswith("Item ")] == items[::-1]
    assert re.findall(r'<td class="field-\w+_count">(\d+)</td>', descending)[:3] == ["2", "1", "0"]


def test_review_filter_offers_each_question_and_keeps_what_it_asks(staff_client):
    today = timezone.localdate()
    condition = make_condition()
    make_finding(condition, slug="never-reviewed")
    for slug, reviewed in (("due-soon", today - datetime.timedelta(days=350)), ("up-to-date", today)):
        finding = make_finding(condition, slug=slug)
        type(finding).objects.filter(pk=finding.pk).update(
            reviewed_at=reviewed, review_due=reviewed + datetime.timedelta(days=365)
        )
    url = "/admin/articles/finding/"
    html = staff_client.get(url).text
    for label in ["Overdue", "Due within 30 days", "Never reviewed", "Updated since review", "Up to date"]:
        assert f">{label}</a>" in html, label
    for value, kept in (("due", ["due-soon"]), ("never", ["never-reviewed"]), ("current", ["up-to-date"])):
        assert link_texts(staff_client.get(url, {"review": value}).text, "slug") == kept, value
    assert len(link_texts(staff_client.get(url, {"review": "nonsense"}).text, "slug")) == 3


def test_publication_filter_offers_its_three_states(staff_client):
    html = staff_client.get("/admin/articles/finding/").text
    for label in ["Draft", "Scheduled (published, time still to come)", "Public now"]:
        assert f">{label}</a>" in html, label
