"""The launch article loaded by `manage.py seed_content`: the owner's words, sourced, linked."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.seed import LAUNCH_ARTICLE

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = (ROOT / "articles/data/launch_article_original.txt").read_text(encoding="utf-8")
HEADINGS = [
    "Understanding Neuropathy",
    "Magnesium’s Function in Nerve Health",
    "Magnesium as a Neuropathy Intervention",
    "Obtaining Magnesium Safely",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def launch(seeded):
    return Article.objects.get(slug=LAUNCH_ARTICLE["slug"])


def test_launch_article_is_the_first_published_article(launch):
    assert list(Article.objects.published()) == [launch]
    assert launch.author is None  # the site's editors, a group (shown as such), not a Person


def test_body_is_the_owners_text_word_for_word_with_its_sections_as_headings(launch):
    paragraphs = [line.strip() for line in ORIGINAL.splitlines() if line.strip() and line.strip() not in HEADINGS]
    assert len(paragraphs) == 9
    for paragraph in paragraphs:
        assert paragraph in launch.body
        assert f"<p>{paragraph}</p>" in launch.body_html
    # Nothing added to the owner's text but the heading marks.
    assert re.sub(r"^## ", "", launch.body, flags=re.M).split() == ORIGINAL.split()
    assert [entry["text"] for entry in launch.toc] == HEADINGS
    assert launch.body.startswith("Peripheral neuropathy involves damage")


def test_topics_have_descriptions(launch):
    topics = {topic.slug: topic for topic in launch.topics.all()}
    assert sorted(topics) == ["magnesium", "neuropathy", "nutrition", "supplements"]
    assert all(topic.description for topic in topics.values())


def test_references_come_only_from_the_sites_reference_data(launch):
    files = [p for p in (ROOT / "supplements/data").iterdir() if p.is_file()]  # not usda-sr28/
    reference_text = "".join(p.read_text(encoding="utf-8") for p in files)
    references = list(launch.references.all())
    assert len(references) >= 4
    assert [r.order for r in references] == list(range(1, len(references) + 1))
    for reference in references:
        assert reference.url and reference.url in reference_text, reference.url
    citations = " ".join(r.citation for r in references)
    for source in ("Fact Sheet for Health Professionals", "Institute of Medicine", "Gröber", "Schwalfenberg"):
        assert source in citations


def test_links_the_foods_and_supplement_forms_it_names(launch):
    foods = set(launch.foods.values_list("slug", flat=True))
    for slug in (
        "spinach-boiled-drained",
        "almonds-dry-roasted",
        "cashews-dry-roasted",
        "pumpkin-seeds-pepitas-roasted",
        "chia-seeds-dried",
        "dark-chocolate-70-85-cacao-solids",
    ):
        assert slug in foods
    forms = set(launch.supplement_forms.values_list("slug", flat=True))
    assert forms == {"magnesium-citrate", "magnesium-glycinate", "magnesium-oxide"}


def test_no_invented_medical_reviewer_and_the_page_says_so(launch, client):
    assert launch.medical_reviewer is None and launch.reviewed_at is None
    html = client.get(launch.get_absolute_url()).text
    assert "Not yet medically reviewed" in html
    assert "lastReviewed" not in html


def test_seeding_again_never_overwrites_an_editors_changes(launch):
    launch.title = "Edited by an editor"
    launch.save()
    launch.references.last().delete()
    remaining = launch.references.count()
    launch.topics.remove(launch.topics.get(slug="nutrition"))

    out = StringIO()
    call_command("seed_content", stdout=out)
    assert "Launch article: already there, left unchanged." in out.getvalue()
    launch.refresh_from_db()
    assert launch.title == "Edited by an editor"
    assert launch.references.count() == remaining
    assert not launch.topics.filter(slug="nutrition").exists()
    assert Article.objects.count() == 1


def test_launch_article_page_renders_with_its_cards(launch, client):
    html = client.get(launch.get_absolute_url()).text
    assert '<a href="/foods/?q=Almonds%2C%20dry%20roasted">Almonds, dry roasted</a>' in html
    # Each food card leads to that food's row in the foods table.
    for food in launch.foods.all():
        link = re.search(rf'<a href="(/foods/\?q=[^"]+)">{re.escape(food.name)}</a>', html).group(1)
        table = client.get(link.replace("&amp;", "&")).text
        assert food.name in table.split('id="results"')[1], food.name
    assert 'href="#magnesiums-function-in-nerve-health"' in html
    for form in launch.supplement_forms.all():
        assert f'<a href="{form.get_absolute_url()}">{form.name}</a>' in html


def test_launch_article_says_which_statements_its_references_do_not_back(launch, client):
    html = client.get(launch.get_absolute_url()).text
    assert "Evidence note" in html
    assert "not yet backed by a reference on this site" in html
    # Where the owner's text is broader than its references, the note says what they do say.
    assert "magnesium from food has not been shown to cause harm" in html
    assert "for glycinate the human data are limited" in html
