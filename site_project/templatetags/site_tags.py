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
