"""Whom the label Daily Value is for (supplements/includes/daily_value_caveat.html: not for infants or children
under 4, not a personal target), said right beside the first % Daily Value a page shows, not at its foot: a
featured food's opening line, a USDA food's household measures, the food list, an article's food cards
(a clinician's review, 30 November 2026)."""

import re
from html import unescape

import pytest

from articles.models import Article
from supplements.models import FoodEntry

pytestmark = pytest.mark.django_db

CAVEAT = (
    "The Daily Value is a label figure for adults and children 4 years and older, not for infants or children "
    "under 4, and not a personal target: recommended intakes differ by age, by sex and in pregnancy and "
    "breastfeeding (intake figures by life stage)."
)
SPINACH = "11457"  # Spinach, raw: four household measures


def text(html):
    """The page's words without tags, spaces collapsed: what a reader sees."""
    words = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    return words.replace(" .", ".").replace(" )", ")").replace("( ", "(")


def main(html):
    return html[html.index("<main") : html.index("</main>")]


def test_a_featured_food_says_whom_the_daily_value_is_for_right_after_its_percent(client, usda):
    entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    words = text(main(client.get(f"/foods/{entry.slug}/").text))
    figure = "156 mg of magnesium in 1 oz (28.35 g), 37% of the Daily Value. "
    assert figure + CAVEAT in words  # the opening line, then the caveat
    assert words.count(CAVEAT) == 1  # not again at the foot


def test_a_featured_food_without_usda_measures_says_it_too(client, usda):
    words = text(main(client.get("/foods/chia-seeds-dried/").text))
    assert re.search(r"\d+% of the Daily Value\. " + re.escape(CAVEAT), words)
    assert words.count(CAVEAT) == 1


def test_a_usda_food_says_it_right_after_its_household_measures(client, usda):
    html = main(client.get(f"/foods/{usda[SPINACH].slug}/").text)
    after_table = text(html[html.index("</table>") :]).strip()
    assert after_table.startswith("% Daily Value is against the 420 mg label Daily Value (US FDA, 2016). " + CAVEAT), (
        after_table[:200]
    )
    assert text(html).count(CAVEAT) == 1
    assert text(html).index(CAVEAT) < text(html).index("Sources")  # beside the figures, not at the foot


def test_the_food_list_says_it_beside_its_daily_value(client, seeded):
    words = text(main(client.get("/foods/").text))
    assert "% Daily Value is against the 420 mg label Daily Value (US FDA, 2016). " + CAVEAT in words


def test_an_articles_food_cards_say_it_beside_their_percent_of_the_daily_value(client, seeded):
    article = Article.objects.get(slug="magnesium-and-peripheral-neuropathy")
    html = main(client.get(article.get_absolute_url()).text)
    section = html[html.index('<section class="mentioned"') :]
    section = section[: section.index("</section>")]
    words = text(section)
    first_figure = re.search(r"\d+% of the Daily Value\)", words)
    assert first_figure, words[:300]
    caveat = words.index(CAVEAT)
    # The caveat comes just before the first card's figure: only the first food's name and amount between.
    between = words[caveat + len(CAVEAT) : first_figure.start()]
    first = re.search(r'<li class="card">.*?</li>', section, re.S).group(0)
    assert text(first).strip().startswith(between.strip()) and len(between) < 120, between
    assert text(html).count(CAVEAT) == 1
