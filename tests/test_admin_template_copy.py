"""templates/admin/edit_inline/tabular.html is Django's own with two column headers filled in (axe-core's
empty-table-header). This test fails when a Django upgrade changes Django's copy, so the override is
brought up to date rather than silently serving an old admin table."""

from pathlib import Path

import django
from django.conf import settings

DJANGO_COPY = Path(django.__file__).parent / "contrib/admin/templates/admin/edit_inline/tabular.html"
OURS = Path(settings.BASE_DIR) / "templates/admin/edit_inline/tabular.html"
CHANGES = [
    ('<th class="original"></th>', '<th class="original"><span class="visually-hidden">Saved item</span></th>'),
    (
        '{% translate "Delete?" %}{% endif %}</th>',
        '{% translate "Delete?" %}{% else %}<span class="visually-hidden">{% translate "Delete?" %}</span>'
        "{% endif %}</th>",
    ),
]


def test_the_admin_inline_table_is_djangos_own_but_for_its_two_column_headers():
    expected = DJANGO_COPY.read_text()
    for django_line, ours in CHANGES:
        assert expected.count(django_line) == 1, f"Django's template changed: {django_line}"
        expected = expected.replace(django_line, ours)
    ours = OURS.read_text()
    comment_end = ours.index("{% endcomment %}\n") + len("{% endcomment %}\n")
    assert ours[: ours.index("{% comment %}")] + ours[comment_end:] == expected
