"""Every <time datetime="..."> is a valid HTML date or datetime (the Nu HTML Checker rejected
"2026-11-30T03:04:47.058572+00:00": HTML allows at most three fraction digits)."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db

TIME_ATTR = re.compile(r'<time datetime="([^"]*)"')
# HTML's valid date string, or valid global date and time string (seconds and up to 3 fraction digits optional).
VALID = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?")


def time_values(response):
    assert response.status_code == 200
    return TIME_ATTR.findall(response.text)


def test_published_times_with_microseconds_are_written_to_the_second(client, staff_client):
    published = timezone.now().replace(microsecond=58572) - datetime.timedelta(days=1)
    article = make_article(
        slug="with-microseconds",
        published_at=published,
        reviewed_at=datetime.date(2026, 11, 1),
        medical_reviewer=make_person(),
    )
    scheduled = make_article(
        slug="scheduled", published_at=timezone.now().replace(microsecond=123456) + datetime.timedelta(days=3)
    )
    expected = published.replace(microsecond=0).isoformat()
    pages = {
        "/": time_values(client.get("/")),
        "/articles/": time_values(client.get("/articles/")),
        "article": time_values(client.get(article.get_absolute_url())),
        "scheduled preview": time_values(staff_client.get(scheduled.get_absolute_url())),
    }
    for page, values in pages.items():
        assert values, page
        for value in values:
            assert VALID.fullmatch(value), (page, value)
    for page in ("/", "/articles/", "article"):
        assert expected in pages[page], page
    assert "2026-11-01" in pages["article"]
    assert scheduled.published_at.replace(microsecond=0).isoformat() in pages["scheduled preview"]
