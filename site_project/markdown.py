"""Markdown to safe HTML, done once when content is saved (never per request)."""

from html import unescape

import markdown
import nh3
from django.utils.text import slugify

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _heading_id(value, separator):
    return slugify(value) or "section"


def _flatten_toc(toc_tokens):
    """Flatten python-markdown's nested TOC tokens into (level, id, text) rows."""
    rows = []
    for token in toc_tokens:
        rows.append({"level": token["level"], "id": token["id"], "text": unescape(token["name"])})
        rows.extend(_flatten_toc(token["children"]))
    return rows


def render_markdown(text):
    """Return (safe_html, toc) for editor-written Markdown.

    Headings get stable ids derived from their text (duplicates get a numeric suffix), so
    links to a section survive edits elsewhere in the body. `toc` lists the h2/h3 headings
    as dicts with level, id and text. Raw HTML in the source is sanitized away by nh3,
    including script, event-handler attributes and javascript:/data: URLs.
    """
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "smarty"],
        extension_configs={"toc": {"slugify": _heading_id, "toc_depth": "2-3"}},
        output_format="html",
    )
    html = md.convert(text or "")
    safe_html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    toc = [row for row in _flatten_toc(md.toc_tokens) if row["level"] in (2, 3)]
    return safe_html, toc
