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
    if not hasattr(value, "hour"):
        return value.isoformat()  # a date: "2026-11-30"
    return value.replace(microsecond=0).isoformat()


@register.simple_tag
def review_queue():
    """The admin index's "Due for review" and "Overdue" lists (site_project.admin.review_queue)."""
    from site_project.admin import review_queue as queue

    return queue()


@register.simple_tag
def page_json_ld(dates):
    """A minimal schema.org MedicalWebPage data block with the page's dates, for pages without their own
    JSON-LD (an article has a full one). A data block is never run: the CSP's script-src does not apply."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    from site_project.models import SITE_NAME, schema_person

    data = {"@context": "https://schema.org", "@type": "MedicalWebPage"}
    if modified := dates.modified:  # the page's own newest change, or its figures' import into this site
        data["dateModified"] = modified.replace(microsecond=0) if hasattr(modified, "hour") else modified
    if dates.authors or dates.by_editors:
        authors = [schema_person(person) for person in dates.authors]
        if dates.by_editors:
            authors.append({"@type": "Organization", "name": f"{SITE_NAME} editors"})
        data["author"] = authors[0] if len(authors) == 1 else authors
    if dates.figures_from:
        figures = dates.figures_from  # dated by its own release, never by this site's import
        data["isBasedOn"] = {
            "@type": "Dataset",
            "name": figures.dataset,
            "datePublished": figures.released,
            "publisher": {"@type": "Organization", "name": figures.publisher},
        }
    if dates.reviewed_at:
        data["lastReviewed"] = dates.reviewed_at
        if dates.reviewers:
            reviewers = [schema_person(person) for person in dates.reviewers]
            data["reviewedBy"] = reviewers[0] if len(reviewers) == 1 else reviewers
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # As Django's json_script escapes: nothing in the data can close the element.
    text = text.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"})
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
