"""Both lists mark the sort in use as the selected option, on the plain page and after any
sort parameter, so assistive technology always has a value for the "Sort by" select (pa11y
found none on /supplements/)."""

import re

import pytest

pytestmark = pytest.mark.django_db

SELECT = re.compile(r'<select name="sort" id="id_sort">(.*?)</select>', re.S)
PAGES = {
    "/foods/": ("mg", ["mg", "name", "group"]),
    "/supplements/": ("elemental", ["elemental", "absorption", "name"]),
}


def selected_sort(client, url):
    response = client.get(url)
    assert response.status_code == 200
    (options,) = SELECT.findall(response.text)
    return re.findall(r'<option value="([^"]*)" selected>', options)


@pytest.mark.parametrize("page", PAGES)
def test_the_sort_in_use_is_the_selected_option(client, seeded, page):
    default, sorts = PAGES[page]
    assert selected_sort(client, page) == [default]
    for sort in sorts:
        assert selected_sort(client, f"{page}?sort={sort}") == [sort]
    # An unknown sort is dropped with a notice and the list is in the default order, as the select says.
    assert selected_sort(client, f"{page}?sort=typo") == [default]
