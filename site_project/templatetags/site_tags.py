from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def web_url(value):
    """The URL if it is an http(s) link, else "". Admin forms and imports already refuse other
    schemes; this keeps a javascript: or data: URL written some other way (shell, fixture)
    from ever becoming a link."""
    value = str(value or "").strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in ("http", "https") else ""


@register.filter(expects_localtime=True)
def html_datetime(value):
    """A datetime for <time datetime="...">: ISO 8601 to the second, with its offset
    ("2026-11-30T03:04:47+00:00"). The `c` date format keeps microseconds, and HTML allows at
    most three fraction digits (the Nu HTML Checker rejects six)."""
    if not value:
        return ""
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def review_queue():
    """The admin index's "Due for review" and "Overdue" lists (site_project.admin.review_queue)."""
    from site_project.admin import review_queue as queue

    return queue()
