"""Findings placed beside the paragraph of an article they relate to.

An editor names the paragraph (or section heading) by copying a few of its words; the
article's HTML (already sanitised when it was saved) is cut into its top-level blocks, and
the findings follow the first paragraph or heading whose text holds those words. Words
that no longer match (the text was edited) put the finding after the article text, never
nowhere.
"""

import re
from html import unescape
from html.parser import HTMLParser

from django.utils.safestring import mark_safe

VOID_TAGS = {"br", "hr", "img", "wbr", "input", "col", "area", "base", "embed", "link", "meta", "source"}
PLACEABLE = {"p", "h2", "h3", "h4", "h5", "h6"}  # a finding can follow a paragraph or a section heading
TAG_RE = re.compile(r"<[^>]+>")
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def plain(text):
    """Text as a reader sees it, for matching: no tags, straight quotes, single spaces, lower case."""
    text = unescape(TAG_RE.sub(" ", text)).translate(QUOTES)
    return " ".join(text.split()).casefold()


class _TopLevel(HTMLParser):
    """Finds where each top-level element ends, so the HTML can be cut between them unchanged."""

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.depth = 0
        self.tag = None
        self.cuts = []  # (tag, end offset) of each top-level element

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            if self.depth == 0:
                self.cuts.append((tag, self.position() + len(self.get_starttag_text())))
            return
        if self.depth == 0:
            self.tag = tag
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.cuts.append((tag, self.position() + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.html.index(">", self.position()) + 1
            self.cuts.append((self.tag, end))


def blocks(body_html):
    """The article's top-level HTML blocks, in order, as (tag, html) pairs. Joined, they give
    back the HTML exactly: nothing is dropped, whatever the markup."""
    parser = _TopLevel(body_html)
    parser.feed(body_html)
    parser.close()
    result, start = [], 0
    for tag, end in parser.cuts:
        result.append((tag, body_html[start:end]))
        start = end
    if body_html[start:].strip():
        result.append(("", body_html[start:]))
    return result


def paragraph_index(body_html, words):
    """Index (among `blocks`) of the first paragraph or heading containing `words`, or None."""
    wanted = plain(words)
    if not wanted:
        return None
    for index, (tag, html) in enumerate(blocks(body_html)):
        if tag in PLACEABLE and wanted in plain(html):
            return index
    return None


def matching_paragraphs(body_html, words):
    """How many paragraphs and headings contain `words` (for the editor's validation message)."""
    wanted = plain(words)
    return sum(1 for tag, html in blocks(body_html) if tag in PLACEABLE and wanted in plain(html))


def place(body_html, attachments):
    """Cut the article into segments: each is a dict with the block's safe `html` and the
    `attachments` (ArticleFinding rows, in their order) to show after it. Returns the segments
    and the attachments that belong after the text (no paragraph named, or none matched)."""
    segments = [{"html": mark_safe(html), "attachments": []} for _tag, html in blocks(body_html)]
    after_text = []
    for attachment in attachments:
        index = paragraph_index(body_html, attachment.paragraph) if attachment.paragraph else None
        if index is None:
            after_text.append(attachment)
        else:
            segments[index]["attachments"].append(attachment)
    return segments, after_text
