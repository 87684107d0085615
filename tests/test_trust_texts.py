"""What the site's own pages say about its limits and its sources, as a reader reads them (issue 17):
the Upper Level holds in pregnancy and breastfeeding (NIH ODS, Table 3: 350 mg a day from supplements and
medicines, as for everyone from age 9; pregnancy and lactation have their own recommended intakes, Table 1), and
the pages that describe where the figures come from name USDA's full list and what the site works out from it."""

import re
from html import unescape

import pytest

from site_project.models import SitePage
from tests.factories import data_migration, migration

pytestmark = pytest.mark.django_db

SITE_PAGES = ["/about/", "/editorial-policy/", "/corrections/", "/funding/", "/privacy/", "/contact/"]
MIGRATION = "0006_site_pages_pregnancy_upper_level_and_usda_foods"


def words(html):
    """The page's main text without tags, spaces collapsed, entities read: what a reader sees."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def sentences(text):
    return re.split(r"(?<=[.;:])\s+", text)


def says_pregnancy_is_outside_the_upper_level(text):
    """A sentence (or clause) that puts pregnancy among those for whom the limit does not hold, and not to
    correct that (the corrections log quotes the old wording to say that it does hold)."""
    return [
        sentence
        for sentence in sentences(text)
        if re.search(r"pregnan", sentence, re.I)
        and re.search(r"does not hold|do not hold|not for pregnan", sentence, re.I)
        and "It does hold" not in sentence
        and "named pregnant women among" not in sentence  # the corrections entry, quoting the old policy
    ]


def test_the_editorial_policy_says_what_the_reference_says_about_pregnancy(client, seeded):
    text = words(client.get("/editorial-policy/").text)
    assert "people with kidney disease, children, infants and pregnant women" not in text
    assert (
        "pregnancy and breastfeeding, which have their own recommended intakes, while the same Upper Level of "
        "350 mg a day from supplements and medicines still applies (NIH Office of Dietary Supplements, Tables 1 "
        "and 3; Institute of Medicine 1997)"
    ) in text
    # Each group's figure as intake_reference.csv gives it (Table 3): lower for children 1-8, none for infants.
    assert "children aged 1 to 8 years, whose Upper Levels are lower (65 mg a day at 1-3 years, 110 mg at 4-8" in text
    assert "infants, for whom no Upper Level is set" in text
    assert "for whom the Upper Level does not hold (it is set for healthy people)" in text  # kidney disease


@pytest.mark.parametrize("url", SITE_PAGES)
def test_no_seeded_site_page_puts_pregnancy_outside_the_upper_level(client, seeded, url):
    assert says_pregnancy_is_outside_the_upper_level(words(client.get(url).text)) == []


def test_the_corrections_log_lists_the_pregnancy_correction(client, seeded):
    text = words(client.get("/corrections/").text)
    entry = text.split("Editorial policy: pregnancy.")[1].split(" 25 November 2026")[0]
    assert "It does hold: in pregnancy and breastfeeding the Upper Level is the same 350 mg a day" in entry
    assert text.index("Editorial policy: pregnancy.") > text.index("30 November 2026")


def test_the_planner_says_the_upper_level_is_the_same_in_pregnancy(client, seeded):
    html = client.get("/planner/?stage=adults-31-50-years-female&supplement=label:200:1").text
    summary = unescape(re.search(r'<textarea id="plan-summary-text"[^>]*>(.*?)</textarea>', html, re.S).group(1))
    assert "Children, infants and pregnancy have their own figures" not in summary
    assert "pregnancy and breastfeeding have their own recommended intakes, and the same Upper Level." in summary
    assert "which have their own recommended intakes and the same Upper Level" in words(html)


# --- Where the figures come from: USDA's full list ------------------------------------------------------------


def test_the_sources_page_says_what_the_site_works_out_for_usdas_foods(client):
    html = client.get("/sources/").text
    text = words(html)
    assert "for USDA's 8,050 foods, the magnesium per household measure, per 100 kcal and % Daily Value)" in text
    assert "a food's “serving” is USDA's first household measure" in text
    assert "magnesium per 100 kcal (mg per 100 g ÷ kcal per 100 g × 100; a dash where the energy is 0)" in text
    assert '<a href="/foods/?scope=all">All 8,050 foods with a magnesium figure in USDA SR28</a>' in html


def test_the_home_page_links_the_full_usda_list_without_new_images_or_scripts(client, seeded):
    html = client.get("/").text
    assert '<a href="/foods/?scope=all">all 8,050 foods USDA lists with a magnesium figure</a>' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<img" not in main and "<script" not in main and "<svg" not in main


def test_the_about_page_names_the_full_usda_list(client, seeded):
    html = client.get("/about/").text
    assert (
        "The food table also lists all 8,050 foods with a magnesium figure in USDA’s food database (SR28, "
        "September 2015): USDA’s figures per 100 g as published, and the magnesium per household measure, per "
        "100 kcal and % Daily Value worked out by this site from them."
    ) in words(html)
    assert '<a href="/foods/?scope=all" rel="noopener noreferrer">all 8,050 foods' in html


# --- The same corrections for a site seeded before them -----------------------------------------------------------

OLD_POLICY = (
    "## Written\n\n"
    '- The site never calls an amount of magnesium "safe". Where it judges an amount, it compares it with the '
    "official Upper Level and names the people for whom that limit does not hold: people with kidney disease, "
    "children, infants and pregnant women.\n"
)
OLD_CORRECTIONS = "Errors this site has corrected.\n\n## 30 November 2026\n\n- **Earlier.** An earlier entry.\n"
OLD_ABOUT = (
    "## Where the figures come from\n\nEvery figure comes from a named public source. A few figures are worked "
    "out from a source's figures, and the page says so where it does. [Where our figures come from](/sources/)."
)


@pytest.mark.django_db(transaction=True)
def test_the_migration_corrects_pages_seeded_before_and_leaves_an_editors_words_alone():
    with migration(MIGRATION, app="site_project") as (old, migrate):
        Page = old.get_model("site_project", "SitePage")
        Page.objects.all().delete()
        common = {"summary": "s", "status": "published"}
        Page.objects.create(slug="editorial-policy", title="Editorial policy", body=OLD_POLICY, **common)
        Page.objects.create(slug="corrections", title="Corrections", body=OLD_CORRECTIONS, **common)
        Page.objects.create(slug="about", title="About", body=OLD_ABOUT, **common)
        edited = "An editor's own privacy text: pregnant women are welcome to write to us."
        Page.objects.create(slug="privacy", title="Privacy", body=edited, **common)
        before = {page.slug: page.updated_at for page in Page.objects.all()}
        migrate()
        pages = {page.slug: page for page in SitePage.objects.all()}
        policy = pages["editorial-policy"]
        assert "pregnant women" not in policy.body and "still applies" in policy.body_html
        assert policy.updated_at > before["editorial-policy"]  # its "Last updated" says the words changed
        corrections = pages["corrections"].body
        assert corrections.index("Editorial policy: pregnancy.") < corrections.index("**Earlier.**")
        assert "all 8,050 foods with a magnesium figure" in pages["about"].body
        assert 'href="/foods/?scope=all"' in pages["about"].body_html
        assert pages["privacy"].body == edited and pages["privacy"].updated_at == before["privacy"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_changes_nothing_an_editor_already_reworded():
    with migration(MIGRATION, app="site_project") as (old, migrate):
        Page = old.get_model("site_project", "SitePage")
        Page.objects.all().delete()
        policy = "Our own policy, reworded by an editor."
        Page.objects.create(slug="editorial-policy", title="Editorial policy", body=policy, summary="s")
        Page.objects.create(slug="corrections", title="Corrections", body="No dated headings.", summary="s")
        migrate()
        assert dict(SitePage.objects.values_list("slug", "body")) == {
            "editorial-policy": policy,
            "corrections": "No dated headings.",
        }


# --- The README's /foods/ URL contract ------------------------------------------------------------------------------


def test_the_readme_gives_every_foods_parameter_and_value_the_form_accepts():
    from pathlib import Path

    from supplements.forms import FoodFilterForm

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    foods = readme.split("- **Foods** (`/foods/`)", 1)[1].split("\n- **", 1)[0]
    for name in [*FoodFilterForm.base_fields, "page"]:
        assert f"`{name}" in foods, name
    for name, choices in (
        ("scope", FoodFilterForm.SCOPE_CHOICES),
        ("basis", FoodFilterForm.BASIS_CHOICES),
        ("sort", FoodFilterForm.SORT_CHOICES),
    ):
        assert f"`{name}={'|'.join(value for value, _label in choices)}`" in foods, name


# --- "Every figure and health statement": true of what the site adds; the owner's article as written ---------------

SOURCES_CLAIM_MIGRATION = "0007_site_pages_sources_claim_and_the_owners_article"


@pytest.mark.parametrize("url", ["/about/", "/editorial-policy/"])
def test_the_sources_claim_is_about_what_the_site_adds_and_names_the_owners_article(client, seeded, url):
    """The launch article's own note says its background "is not yet backed by a reference on this site"; the
    pages that describe the site's sourcing must not claim every statement on the site has a source."""
    text = words(client.get(url).text)
    assert not re.search(r"Every figure and (every )?health statement (on the site )?comes from", text)
    assert re.search(
        r"Every figure and (every )?health statement the site itself adds comes from a named public", text
    )
    assert (
        "The site owner’s article is shown as written, with the evidence beside it: where the article goes further "
        "than the site’s sources, its evidence note says so and names what no reference on this site backs yet."
    ) in text
    note = words(client.get("/articles/magnesium-and-peripheral-neuropathy/").text)
    assert "is not yet backed by a reference on this site" in note  # what the pages now point to


def test_the_corrections_log_lists_the_sources_claim_correction(client, seeded):
    text = words(client.get("/corrections/").text)
    assert text.index("Editorial policy: the owner’s article.") > text.index("30 November 2026")
    assert "Both pages now say that the rule holds for every figure and health statement the site itself adds" in text


def test_the_sources_claim_migration_corrects_seeded_pages_and_leaves_an_editors_words(seeded):
    module, correct_site_pages = data_migration("site_project", SOURCES_CLAIM_MIGRATION)
    pages = {page.slug: page for page in SitePage.objects.filter(slug__in=["about", "editorial-policy"])}
    SitePage.objects.filter(slug="about").update(
        body=pages["about"].body.replace(module.ABOUT_AFTER, module.ABOUT_BEFORE)
    )
    SitePage.objects.filter(slug="editorial-policy").update(body="An editor's own policy: every figure has a source.")
    corrections = SitePage.objects.get(slug="corrections")
    SitePage.objects.filter(slug="corrections").update(body=corrections.body.replace(module.CORRECTION + "\n", ""))
    correct_site_pages()
    about = SitePage.objects.get(slug="about")
    assert module.ABOUT_AFTER in about.body and "the site itself adds" in about.body_html
    assert SitePage.objects.get(slug="editorial-policy").body == "An editor's own policy: every figure has a source."
    assert SitePage.objects.get(slug="corrections").body.count(module.CORRECTION) == 1
    correct_site_pages()  # a second run adds nothing
    assert SitePage.objects.get(slug="corrections").body.count(module.CORRECTION) == 1
