"""A reading-grade estimate of an article's text for editors (issue 17), from textstat.

textstat counts English syllables with the CMU Pronouncing Dictionary, which it fetches through
NLTK from GitHub the first time it is needed (no network here or on a locked-down server) and
which takes about 70 MB in every process that loads it. It falls back to Pyphen's hyphenation
dictionary for any word the CMU dictionary lacks; this module makes it use that fallback for
every word, so the estimate never touches the network and stays light. Figures can differ from
the CMU count by a fraction of a grade.
"""

import html
import re

# Above this grade the admin adds a note (the target issue 17 sets for the site's text).
TARGET_GRADE = 8

BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|blockquote|pre|dt|dd)>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def plain_text(body_html):
    """The text a reader reads, from the rendered Markdown: no markup, one sentence per heading,
    list item or cell (so a heading without a full stop does not run into the next sentence)."""
    pieces = []
    for block in BLOCK_END.split(body_html)[::2]:
        text = html.unescape(TAG.sub("", LINE_BREAK.sub(" ", block)))
        text = " ".join(text.split())
        if text:
            pieces.append(text if text[-1] in ".!?:;" else text + ".")
    return " ".join(pieces)


def reading_grade(body_html):
    """The Flesch-Kincaid grade of the text (US school grade), or None when there is no text."""
    text = plain_text(body_html)
    if not text:
        return None
    import textstat  # imported on first use: it loads NLTK, which only the admin needs
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = _no_cmudict
    return textstat.flesch_kincaid_grade(text)


def _no_cmudict(lang):
    return None  # textstat then counts every word's syllables with Pyphen
