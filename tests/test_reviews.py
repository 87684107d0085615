"""Who wrote and reviewed each page and when (issue 17).

Every content page names who wrote it and, once reviewed, who medically reviewed it and when, from the data behind
the page; each name links to the person's entry on /people/, and the JSON-LD carries the same people. Only reviewers
mark content reviewed, an edit after a review says so until the next one, every content page shows its dates, the
intake figures behind the safety page and calculator are reviewed like any content, and the admin index lists what
is due. A page costs the same number of queries however many people it names."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Condition, Finding
from site_project.admin import REVIEW_REFUSED
from site_project.models import Person
from supplements.models import FoodEntry, IntakeReference, Medicine, SupplementForm
from tests.factories import (
    make_article,
    make_condition,
    make_finding,
    make_food,
    make_intake,
    make_person,
    make_reviewer_user,
    make_supplement_form,
    migration,
    read_form,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
REVIEWED_ON = datetime.date(2026, 11, 2)
CONTENT_MODELS = [Article, Finding, FoodEntry, SupplementForm, Medicine, IntakeReference]
# session, user, count, count of all, the rows (with group and reviewer), the group filter's choices
CHANGELIST_QUERIES = 6

PAGES = [
    "/foods/",
    "/supplements/",
    "/supplements/magnesium-citrate/",
    "/supplements/safety/",
    "/supplements/calculator/",
    "/supplements/low-magnesium/",
    "/supplements/medicines/",
    "/evidence/",
    "/evidence/chemotherapy-neuropathy/",
    "/articles/magnesium-and-peripheral-neuropathy/",
    "/foods/pumpkin-seeds-pepitas-roasted/",  # a featured food's page
    "/articles/",
    "/foods/compare/?food=pumpkin-seeds-pepitas-roasted&food=almonds-dry-roasted",  # two featured foods
    "/foods/?scope=all",  # USDA's foods
]


# Pages of USDA's figures as published: the editors' page, dated by SR28's release and its import, never reviewed.
FIGURES_PAGES = {"/foods/?scope=all"}


# Pages with no data behind them: written by the site's editors, never reviewed.
NO_DATA = {"/supplements/low-magnesium/"}


USDA_WORDS = {
    "figures": "USDA’s food database (SR28), as published: magnesium and energy per 100 g, and the weight in grams "
    "of each household measure",
    "worked out": "magnesium in each household measure (a food’s “serving” is USDA’s first household measure), "
    "magnesium per 100 kcal, and % Daily Value (420 mg), from USDA’s figures",
    "responsible": "the Magnesium & Nerve Health editors",
    "reviewed": "Not medically reviewed by this site",
}


# --- Who is logged in, who is named -------------------------------------------------------------------------


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer_user())
    return client


@pytest.fixture
def writer():
    return make_person(name="Lee Writer", credentials="MSc", role="Health writer")


@pytest.fixture
def reviewer():
    return make_person(name="Ana Silva", credentials="PharmD", role="Medical reviewer")


def give_everything(**fields):
    for model in CONTENT_MODELS:
        model.objects.update(**fields)


# --- What a reader sees of a byline -------------------------------------------------------------------------


def dd_text(term, html):
    """The words of the page's <dt>{term}</dt> entry, as a reader sees them (tags dropped, entities read)."""
    match = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else None


def last_reviewed(html):
    return dd_text("Last reviewed", html)


def written_by(html):
    return dd_text("Written by", html)


def figures_from(html):
    return dd_text("Figures from", html)


def responsible(html):
    return dd_text("Responsible for this page", html)


def last_updated(html):
    match = re.search(r'<dt>Last updated</dt><dd><time datetime="([^"]+)">', html)
    return match.group(1) if match else None


def usda_byline(html):
    """What a reader sees of a USDA page's byline, in the words USDA_WORDS has (None where an entry is missing)."""
    return {
        "figures": figures_from(html),
        "worked out": dd_text("Worked out by this site", html),
        "responsible": responsible(html),
        "reviewed": last_reviewed(html),
    }


def people_links(html, term):
    """The (address, name) of each link in the page's <dt>{term}</dt> entry."""
    entry = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S).group(1)
    return [(href, unescape(name)) for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', entry)]


def people_links_in(html, term):
    """The address of each link in the page's <dt>{term}</dt> entry."""
    return [href for href, _name in people_links(html, term)]


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


# --- What an editor does in the admin -----------------------------------------------------------------------


def change_url(item):
    opts = item._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{item.pk}/change/"


def mark_reviewed_by_me(client, changelist_url, item):
    """The changelist's "Mark reviewed by me today" action on one item, as a reviewer's click sends it."""
    data = {"action": "mark_reviewed_by_me", "index": 0, "_selected_action": [item.pk]}
    return client.post(changelist_url, data, follow=True)


def messages_in(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- Groups and permissions ---------------------------------------------------------------------------------


def test_reviewers_group_may_mark_reviewed_and_editors_may_not():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True))
    assert "mark_reviewed" not in editors
    assert {"add_person", "change_person", "view_person"} <= editors  # editors keep the people list
    assert {"mark_reviewed", "change_article", "change_foodentry", "change_finding", "change_medicine"} <= reviewers


def test_an_editor_cannot_set_the_reviewer_and_nothing_is_saved(editor_client):
    article = make_article(title="Before")
    reviewer = make_person(name="Dana Reviewer", credentials="MD")
    data = read_form(editor_client.get(change_url(article)).text, "article_form")
    data.update(title="After", medical_reviewer=str(reviewer.pk), reviewed_at=TODAY().isoformat())
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert REVIEW_REFUSED in response.text
    article.refresh_from_db()
    assert article.title == "Before" and article.medical_reviewer is None and article.reviewed_at is None


def test_an_editor_may_still_save_other_changes(editor_client):
    article = make_article(title="Before")
    data = read_form(editor_client.get(change_url(article)).text, "article_form")
    data.update(title="After")
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "After"


def test_an_editor_has_no_mark_reviewed_action_and_a_forged_one_changes_nothing(editor_client):
    food = make_food()
    page = editor_client.get("/admin/supplements/foodentry/").text
    assert "mark_reviewed_by_me" not in page
    response = editor_client.post(
        "/admin/supplements/foodentry/",
        {"action": "mark_reviewed_by_me", "index": 0, "_selected_action": [food.pk]},
        follow=True,
    )
    assert response.status_code == 200
    food.refresh_from_db()
    assert food.reviewed_at is None


def test_a_reviewer_marks_reviewed_through_the_form(reviewer_client):
    article = make_article()
    reviewer = Person.objects.get(name="Dana Reviewer")
    data = read_form(reviewer_client.get(change_url(article)).text, "article_form")
    data.update(medical_reviewer=str(reviewer.pk), reviewed_at=TODAY().isoformat())
    assert reviewer_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.medical_reviewer == reviewer and article.reviewed_at == TODAY()
    assert not article.updated_since_review
    page = reviewer_client.get(article.get_absolute_url()).text
    assert last_reviewed(page) == f"{TODAY():%-d %B %Y} by Dana Reviewer, MD, neurologist"


@pytest.mark.parametrize(
    ("url", "maker"),
    [
        ("/admin/articles/article/", make_article),
        ("/admin/supplements/foodentry/", make_food),
        ("/admin/supplements/supplementform/", make_supplement_form),
        ("/admin/supplements/intakereference/", make_intake),
    ],
)
def test_a_reviewer_marks_reviewed_by_me_today_from_the_list(reviewer_client, url, maker):
    item = maker()
    response = mark_reviewed_by_me(reviewer_client, url, item)
    assert any("reviewed by Dana Reviewer, MD, neurologist today" in m for m in messages_in(response))
    item.refresh_from_db()
    assert item.reviewed_at == TODAY() and item.medical_reviewer.name == "Dana Reviewer"
    assert item.history.first().history_change_reason == "Marked reviewed"


def test_a_reviewer_without_a_person_is_told_and_nothing_changes(client, django_user_model):
    user = django_user_model.objects.create_user("rita", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    client.force_login(user)
    article = make_article()
    response = mark_reviewed_by_me(client, "/admin/articles/article/", article)
    assert any("not linked to a person" in m for m in messages_in(response))
    article.refresh_from_db()
    assert article.reviewed_at is None


# --- Updated since review -----------------------------------------------------------------------------------


def test_updated_since_review_shows_after_an_edit_and_goes_with_the_next_review(reviewer_client, client):
    article = make_article()
    reviewer = Person.objects.get(name="Dana Reviewer")
    article.mark_reviewed(reviewer)
    assert "Updated since review" not in client.get(article.get_absolute_url()).text

    data = read_form(reviewer_client.get(change_url(article)).text, "article_form")
    data.update(summary="A clearer summary.")
    assert reviewer_client.post(change_url(article), data).status_code == 302
    assert "Updated since review" in client.get(article.get_absolute_url()).text
    assert "Updated since review" in reviewer_client.get("/admin/articles/article/").text
    listed = reviewer_client.get("/admin/articles/article/", {"review": "updated"}).text
    assert f">{article.title}</a></th>" in listed

    reviewer_client.post(
        "/admin/articles/article/", {"action": "mark_reviewed_by_me", "index": 0, "_selected_action": [article.pk]}
    )
    assert "Updated since review" not in client.get(article.get_absolute_url()).text


# --- Dates on every page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_content_page_shows_last_reviewed_and_last_updated(client, seeded, url):
    html = client.get(url).text
    if url in FIGURES_PAGES:
        assert usda_byline(html) == USDA_WORDS
        assert dd_text("Last updated", html).startswith("USDA SR28, released September 2015")
        return
    assert last_reviewed(html).startswith("Not yet medically reviewed")  # nothing seeded is reviewed
    assert last_updated(html)


@pytest.mark.usefixtures("usda")
def test_the_usda_list_and_each_usda_food_page_give_the_same_byline(client):
    from supplements.models import USDAFood

    imported = USDAFood.objects.latest("imported_at").imported_at
    spinach = USDAFood.objects.get(ndb_number="11457")
    for url in ("/foods/?scope=all", f"/foods/{spinach.slug}/"):
        html = client.get(url).text
        assert usda_byline(html) == USDA_WORDS, url
        assert written_by(html) is None  # no "Written by" over USDA's figures
        assert people_links_in(html, "Responsible for this page") == ["/people/#editors"]
        # Each date says what it is: USDA's release, then this site's import (never "updated" alone).
        assert dd_text("Last updated", html) == (
            f"USDA SR28, released September 2015; imported into this site {imported:%-d %B %Y}"
        ), url
        assert '<time datetime="2015-09">September 2015</time>' in html


@pytest.mark.usefixtures("usda")
def test_usda_pages_json_ld_dates_the_data_set_by_its_release_and_the_page_by_its_import(client):
    from supplements.models import USDAFood

    spinach = USDAFood.objects.get(ndb_number="11457")
    for url in ("/foods/?scope=all", f"/foods/{spinach.slug}/"):
        data = json_ld(client.get(url).text)
        assert data["isBasedOn"] == {
            "@type": "Dataset",
            "name": "USDA National Nutrient Database for Standard Reference, Release 28 (SR28)",
            "datePublished": "2015-09",
            "publisher": {
                "@type": "Organization",
                "name": "U.S. Department of Agriculture, Agricultural Research Service",
            },
        }
        assert data["dateModified"].startswith(f"{spinach.imported_at:%Y-%m-%d}")  # the page changed when imported
        assert data["author"] == {"@type": "Organization", "name": "Magnesium & Nerve Health editors"}
        assert "lastReviewed" not in data and "reviewedBy" not in data


@pytest.mark.usefixtures("usda")
def test_compare_page_byline_names_whose_figures_and_who_wrote_the_featured_ones(client):
    from supplements.models import USDAFood

    writer = make_person(name="Lee Writer", credentials="MSc")
    FoodEntry.objects.filter(slug="pumpkin-seeds-pepitas-roasted").update(author=writer)
    spinach = USDAFood.objects.get(ndb_number="11457")
    html = client.get(f"/foods/compare/?food=pumpkin-seeds-pepitas-roasted&food={spinach.slug}").text
    # USDA's figures, and a featured food's own source for its per serving and per 100 g figures.
    assert figures_from(html) == USDA_WORDS["figures"].replace(
        "USDA’s food database (SR28)",
        "USDA’s food database (SR28) and, for featured foods, each one’s own named source (shown beside its figures)",
    )
    assert responsible(html) == "Lee Writer, MSc and the Magnesium & Nerve Health editors"
    assert last_reviewed(html) == "Not yet medically reviewed"
    entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    imported = USDAFood.objects.filter(slug__in=[spinach.slug, entry.usda_food.slug]).latest("imported_at")
    assert dd_text("Last updated", html) == (
        f"this site’s own figures {timezone.localtime(entry.updated_at):%-d %B %Y}; USDA SR28, released "
        f"September 2015; imported into this site {imported.imported_at:%-d %B %Y}"
    )


def test_the_low_magnesium_page_gives_the_date_its_facts_were_checked(client):
    html = client.get("/supplements/low-magnesium/").text
    assert last_updated(html) == "2026-11-30"  # articles/data/deficiency.md: "Accessed 2026-11-30"


def test_a_reviewed_item_names_its_reviewer_and_the_date(client, seeded):
    form = SupplementForm.objects.get(slug="magnesium-citrate")
    form.mark_reviewed(make_person(name="Ana Silva", credentials="PharmD"), datetime.date(2026, 11, 2))
    assert last_reviewed(client.get("/supplements/magnesium-citrate/").text) == "2 November 2026 by Ana Silva, PharmD"


def test_a_list_page_gives_the_oldest_review_once_every_item_is_reviewed(client):
    reviewer = make_person(credentials="MD")
    make_food(name="Old", reviewed_at=datetime.date(2026, 1, 5), medical_reviewer=reviewer)
    make_food(name="New", reviewed_at=datetime.date(2026, 6, 1), medical_reviewer=reviewer)
    unreviewed = make_food(name="Never")
    assert last_reviewed(client.get("/foods/").text) == (
        "Not yet medically reviewed (1 of the 3 items on this page; the others reviewed by A. Smith, MD)"
    )
    unreviewed.mark_reviewed(reviewer, datetime.date(2026, 7, 1))
    html = client.get("/foods/").text
    assert last_reviewed(html) == "5 January 2026 by A. Smith, MD (the oldest review of the 3 items on this page)"
    newest = FoodEntry.objects.latest("updated_at").updated_at.replace(microsecond=0)
    assert last_updated(html) == newest.isoformat()


def test_the_condition_page_dates_come_from_its_own_findings(client):
    condition, other = make_condition(), make_condition()
    make_finding(condition, slug="mine", reviewed_at=datetime.date(2026, 2, 3), medical_reviewer=make_person())
    make_finding(other, slug="theirs")  # never reviewed, on another condition's page
    assert last_reviewed(client.get(condition.get_absolute_url()).text).startswith("3 February 2026")


def test_other_pages_carry_their_dates_in_json_ld(client, seeded):
    form = SupplementForm.objects.get(slug="magnesium-citrate")
    form.mark_reviewed(make_person(name="Ana Silva", credentials="PharmD"), datetime.date(2026, 11, 2))
    html = client.get("/supplements/magnesium-citrate/").text
    data = json_ld(html)
    assert data["lastReviewed"] == "2026-11-02"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Ana Silva", "honorificSuffix": "PharmD"}
    assert data["dateModified"] == form.updated_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    foods = client.get("/foods/").text
    data = json_ld(foods)
    assert "dateModified" in data and "lastReviewed" not in data  # no food is reviewed yet
    article = client.get("/articles/magnesium-and-peripheral-neuropathy/").text
    assert article.count("application/ld+json") == 1  # the article's own, full JSON-LD only


def test_article_json_ld_names_author_and_reviewer_as_people(client):
    article = make_article(author=make_person(name="Lee Writer", role="Health writer"))
    article.mark_reviewed(make_person(name="Ana Silva", credentials="PharmD"), datetime.date(2026, 11, 2))
    html = client.get(article.get_absolute_url()).text
    assert '"author": {"@type": "Person", "name": "Lee Writer", "jobTitle": "Health writer"}' in html
    assert '"lastReviewed": "2026-11-02"' in html
    assert '"reviewedBy": {"@type": "Person", "name": "Ana Silva", "honorificSuffix": "PharmD"}' in html


# --- Who wrote and reviewed it, on every page type ----------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_content_page_names_its_author_and_links_to_them(client, seeded, writer, url):
    give_everything(author=writer)
    html = client.get(url).text
    if url in NO_DATA:
        assert written_by(html) == "the Magnesium & Nerve Health editors"
        return
    if url in FIGURES_PAGES:  # USDA's figures: no one on the site wrote them; the page is the editors'
        assert written_by(html) is None
        assert people_links(html, "Responsible for this page") == [
            ("/people/#editors", "the Magnesium & Nerve Health editors")
        ]
        return
    assert written_by(html) == "Lee Writer, MSc"
    assert people_links(html, "Written by") == [(f"/people/#person-{writer.pk}", "Lee Writer, MSc")]
    assert last_reviewed(html).startswith("Not yet medically reviewed")  # a writer is not a reviewer


@pytest.mark.parametrize("url", PAGES)
def test_every_reviewed_page_names_its_reviewer_and_the_date(client, seeded, writer, reviewer, url):
    give_everything(author=writer, medical_reviewer=reviewer, reviewed_at=REVIEWED_ON)
    html = client.get(url).text
    if url in NO_DATA:
        assert last_reviewed(html) == "Not yet medically reviewed"
        return
    if url in FIGURES_PAGES:  # reviewing the site's content reviews nothing of USDA's figures
        assert last_reviewed(html) == USDA_WORDS["reviewed"]
        return
    assert re.match(r"2 November 2026 by Ana Silva, PharmD( \(the oldest review of the \d+ items on this page\))?$",
                    last_reviewed(html))  # fmt: skip
    assert people_links(html, "Last reviewed") == [(f"/people/#person-{reviewer.pk}", "Ana Silva, PharmD")]
    if "application/ld+json" in html:
        data = json_ld(html)
        assert data["author"] == {"@type": "Person", "name": "Lee Writer", "honorificSuffix": "MSc",
                                  "jobTitle": "Health writer"}  # fmt: skip
        assert data["reviewedBy"]["name"] == "Ana Silva" and data["lastReviewed"] == "2026-11-02"


def test_unauthored_content_is_the_editors_and_the_link_explains_who_they_are(client, seeded):
    html = client.get("/supplements/").text
    assert people_links(html, "Written by") == [("/people/#editors", "the Magnesium & Nerve Health editors")]
    assert 'id="editors"' in client.get("/people/").text
    assert json_ld(html)["author"] == {"@type": "Organization", "name": "Magnesium & Nerve Health editors"}


def test_the_launch_article_names_the_editors_as_a_group_as_every_other_page_does(client, seeded):
    html = client.get("/articles/magnesium-and-peripheral-neuropathy/").text
    assert people_links(html, "Written by") == [("/people/#editors", "the Magnesium & Nerve Health editors")]
    assert json_ld(html)["author"] == {"@type": "Organization", "name": "Magnesium & Nerve Health editors"}
    assert json_ld(client.get("/evidence/").text)["author"] == json_ld(html)["author"]
    assert "<h2>Magnesium &amp; Nerve Health editors</h2>" not in client.get("/people/").text  # not a person


def test_a_named_author_stays_a_person_in_the_json_ld(client):
    article = make_article(author=make_person(name="Lee Writer", credentials="MSc"))
    assert json_ld(client.get(article.get_absolute_url()).text)["author"] == {
        "@type": "Person",
        "name": "Lee Writer",
        "honorificSuffix": "MSc",
    }


def test_a_list_names_everyone_who_wrote_what_it_lists(client, writer):
    make_food(name="By Lee", author=writer)
    make_food(name="By Bo", author=make_person(name="Bo Chen", credentials="RD"))
    make_food(name="Nobody's")
    assert (
        written_by(client.get("/foods/").text)
        == "Bo Chen, RD, Lee Writer, MSc and the Magnesium & Nerve Health editors"
    )


@pytest.mark.usefixtures("usda")
def test_a_usda_food_page_credits_usda_and_invents_no_author_or_reviewer(client):
    from supplements.models import USDAFood

    html = client.get(f"/foods/{USDAFood.objects.get(ndb_number='11457').slug}/").text
    assert written_by(html) is None  # the figures are USDA's: no one here "wrote" them
    assert people_links(html, "Responsible for this page") == [
        ("/people/#editors", "the Magnesium & Nerve Health editors")
    ]  # the page and what it works out are the editors', a group: never a named person invented
    data = json_ld(html)
    assert data["author"] == {"@type": "Organization", "name": "Magnesium & Nerve Health editors"}
    assert "reviewedBy" not in data and "lastReviewed" not in data
    assert data["isBasedOn"]["name"] == "USDA National Nutrient Database for Standard Reference, Release 28 (SR28)"


# --- The reviewer only once reviewed ------------------------------------------------------------------------


def test_a_reviewer_named_without_a_review_date_is_not_shown(client, reviewer):
    # Only a stray row could hold one (the admin refuses it); the page still never names an unfinished review.
    form = make_supplement_form(slug="half-done")
    SupplementForm.objects.filter(pk=form.pk).update(medical_reviewer=reviewer)
    html = client.get("/supplements/half-done/").text
    assert last_reviewed(html) == "Not yet medically reviewed" and "Ana Silva" not in html
    assert "reviewedBy" not in json_ld(html)


def test_a_list_is_honest_while_only_some_items_are_reviewed(client, reviewer):
    make_food(name="Checked", reviewed_at=REVIEWED_ON, medical_reviewer=reviewer)
    make_food(name="Unchecked")
    html = client.get("/foods/").text
    assert (
        last_reviewed(html)
        == "Not yet medically reviewed (1 of the 2 items on this page; the others reviewed by Ana Silva, PharmD)"
    )
    data = json_ld(html)
    assert "reviewedBy" not in data and "lastReviewed" not in data  # the page as a whole is not reviewed


def test_a_list_reviewed_by_two_names_both(client, reviewer):
    other = make_person(name="Bo Chen", credentials="MD")
    make_food(name="One", reviewed_at=REVIEWED_ON, medical_reviewer=reviewer)
    make_food(name="Two", reviewed_at=datetime.date(2026, 10, 1), medical_reviewer=other)
    html = client.get("/foods/").text
    assert last_reviewed(html) == (
        "1 October 2026 by Ana Silva, PharmD and Bo Chen, MD (the oldest review of the 2 items on this page)"
    )
    assert [person["name"] for person in json_ld(html)["reviewedBy"]] == ["Ana Silva", "Bo Chen"]


# --- The people page ----------------------------------------------------------------------------------------


def test_people_page_lists_credentials_role_bio_and_conflicts(client, writer, django_assert_num_queries):
    writer.bio = "Ten years writing about nutrition."
    writer.conflicts_of_interest = "None"
    writer.save()
    make_person(name="Bo Chen")  # nothing declared yet: said so
    with django_assert_num_queries(2):  # the people, and who has reviewed anything
        html = client.get("/people/").text
    entry = html.split(f'id="person-{writer.pk}"')[1].split("</li>")[0]
    for text in ("Lee Writer", "MSc", "Health writer", "Ten years writing about nutrition.", "None"):
        assert text in entry
    assert "Not declared yet" in html
    assert "/people/" in client.get("/sitemap.xml").text
    assert 'href="/people/"' in client.get("/").text  # the footer


def test_people_page_says_plainly_whether_anyone_has_medically_reviewed(client, writer, reviewer):
    html = client.get("/people/").text
    assert "No medical reviewer has reviewed any page yet." in html
    assert "Has medically reviewed pages" not in html
    make_food(author=writer, medical_reviewer=reviewer, reviewed_at=REVIEWED_ON)
    html = client.get("/people/").text
    assert "No medical reviewer has reviewed any page yet." not in html
    entry = html.split(f'id="person-{reviewer.pk}"')[1].split("</li>")[0]
    assert "Has medically reviewed pages on this site" in entry
    assert "Has not medically reviewed any page yet" in html.split(f'id="person-{writer.pk}"')[1].split("</li>")[0]


# --- Intake figures: reviewed like content ------------------------------------------------------------------


def test_safety_page_and_calculator_are_dated_by_the_intake_figures(client, seeded, writer, reviewer):
    IntakeReference.objects.update(author=writer, medical_reviewer=reviewer, reviewed_at=REVIEWED_ON)
    safety = client.get("/supplements/safety/").text
    count = IntakeReference.objects.count()
    assert (
        last_reviewed(safety)
        == f"2 November 2026 by Ana Silva, PharmD (the oldest review of the {count} items on this page)"
    )
    assert written_by(safety) == "Lee Writer, MSc"
    newest = IntakeReference.objects.latest("updated_at").updated_at.replace(microsecond=0)
    assert dd_text("Last updated", safety) == f"{newest:%-d %B %Y}"
    calculator = client.get("/supplements/calculator/").text  # forms (never reviewed) and intake figures
    forms = SupplementForm.objects.published().count()
    assert last_reviewed(calculator) == (
        f"Not yet medically reviewed ({forms} of the {forms + count} items on this page; "
        "the others reviewed by Ana Silva, PharmD)"
    )


def test_intake_admin_has_the_review_fields_filter_and_history(reviewer_client):
    intake = make_intake()
    html = reviewer_client.get(change_url(intake)).text
    for field in ("id_author", "id_medical_reviewer", "id_reviewed_at", "id_review_interval_months"):
        assert f'id="{field}"' in html
    listing = reviewer_client.get("/admin/supplements/intakereference/").text
    assert "Not yet medically reviewed" in listing and "Never reviewed" in listing  # column and filter
    response = mark_reviewed_by_me(reviewer_client, "/admin/supplements/intakereference/", intake)
    assert any("reviewed by Dana Reviewer, MD, neurologist today" in m for m in messages_in(response))
    intake.refresh_from_db()
    assert intake.reviewed_at == timezone.localdate() and intake.review_due is not None
    history = reviewer_client.get(change_url(intake).replace("/change/", "/history/")).text
    assert "Marked reviewed" in history and "Dana Reviewer" in history
    current = reviewer_client.get("/admin/supplements/intakereference/", {"review": "current"})
    assert current.context["cl"].result_count == 1
    assert "change_intakereference" in Group.objects.get(name="Reviewers").permissions.values_list(
        "codename", flat=True
    )


def test_an_editor_cannot_mark_intake_figures_reviewed(editor_client):
    intake = make_intake(recommended_mg=320)
    data = read_form(editor_client.get(change_url(intake)).text, "intakereference_form")
    data.update(medical_reviewer=str(make_person(name="Ana Silva").pk), reviewed_at=timezone.localdate().isoformat())
    response = editor_client.post(change_url(intake), data)
    assert REVIEW_REFUSED in response.text
    intake.refresh_from_db()
    assert intake.reviewed_at is None


def test_intake_figures_appear_in_the_review_queue(staff_client):
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    make_intake(
        life_stage="adults", age_range="19-30 years", sex="male", reviewed_at=long_ago, medical_reviewer=make_person()
    )
    queue = staff_client.get("/admin/").text.split('aria-labelledby="review-queue-title"')[1].split("</section>")[0]
    intakes = queue.split("<h3>Intake references</h3>")[1].split("<h3>")[0]
    assert "adults, 19-30 years, male" in intakes


# --- The review queue ---------------------------------------------------------------------------------------


def test_admin_index_lists_overdue_and_due_items_with_counts(staff_client, django_assert_num_queries):
    reviewer = make_person(credentials="MD")
    today = TODAY()
    make_article(title="Stale article", reviewed_at=today - datetime.timedelta(days=400), medical_reviewer=reviewer)
    make_food(name="Soon food", reviewed_at=today - datetime.timedelta(days=350), medical_reviewer=reviewer)
    make_food(name="Fresh food", reviewed_at=today, medical_reviewer=reviewer)
    make_food(name="Unreviewed food")
    staff_client.get("/admin/")  # fills the content-type cache
    # session, user, one query a reviewed model (6) for the queue, the "Recent actions" box
    with django_assert_num_queries(9):
        html = staff_client.get("/admin/").text
    queue = html.split('aria-labelledby="review-queue-title"')[1].split("</section>")[0]
    articles = queue.split("<h3>Articles</h3>")[1].split("<h3>")[0]
    foods = queue.split("<h3>Food entries</h3>")[1].split("<h3>")[0]
    assert "Overdue: <strong>1</strong>" in articles and "Stale article" in articles
    assert "Overdue: <strong>0</strong>" in foods and "Due for review (within 30 days): <strong>1</strong>" in foods
    assert "Soon food" in foods and "Fresh food" not in foods
    assert '?review=never">1</a>' in foods


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/admin/articles/article/", Article),
        ("/admin/supplements/foodentry/", FoodEntry),
        ("/admin/supplements/supplementform/", SupplementForm),
        ("/admin/supplements/medicine/", Medicine),
        ("/admin/articles/finding/", Finding),
    ],
)
def test_every_content_admin_filters_by_review_state(staff_client, seeded, url, model):
    html = staff_client.get(url).text
    for choice in ("Overdue", "Due within 30 days", "Never reviewed", "Updated since review", "Up to date"):
        assert choice in html
    item = model.objects.published().first()
    item.mark_reviewed(make_person(), TODAY() - datetime.timedelta(days=500))
    overdue = staff_client.get(url, {"review": "overdue"})
    assert overdue.context["cl"].result_count == 1
    current = staff_client.get(url, {"review": "current"})
    assert current.context["cl"].result_count == 0
    never = staff_client.get(url, {"review": "never"})
    assert never.context["cl"].result_count == model.objects.count() - 1


# --- Constant queries ---------------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # caches warmed (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def make_items(kind, start, n):
    condition = (Condition.objects.filter(slug="the-condition").first() or make_condition(slug="the-condition")
                 if kind == "finding" else None)  # fmt: skip
    for i in range(start, start + n):
        people = {
            "author": make_person(name=f"Writer {kind} {i}"),
            "medical_reviewer": make_person(name=f"Reviewer {kind} {i}"),
            "reviewed_at": REVIEWED_ON,
        }
        if kind == "food":
            make_food(**people)
        elif kind == "form":
            make_supplement_form(**people)
        elif kind == "intake":
            make_intake(**people)
        elif kind == "article":
            make_article(slug=f"article-{i}", **people)
        else:
            make_finding(condition, slug=f"finding-{i}", **people)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/foods/", "food"),
        ("/supplements/", "form"),
        ("/supplements/safety/", "intake"),
        ("/supplements/calculator/", "intake"),
        ("/evidence/", "finding"),
        ("/evidence/the-condition/", "finding"),
        ("/articles/", "article"),
    ],
)
def test_naming_more_people_costs_no_more_queries(client, url, kind):
    make_items(kind, 0, 2)
    few = count_queries(client, url)
    make_items(kind, 2, 10)
    assert count_queries(client, url) == few
    assert len(people_links(client.get(url).text, "Written by")) >= 12  # all of them named, none dropped


def test_the_compare_page_names_its_foods_people_without_a_query_of_their_own(client, django_assert_num_queries):
    """One query (the featured foods with their people and USDA entry joined; USDA foods only when a slug is not
    a featured food's), whoever wrote or reviewed the foods compared."""
    slugs = []
    for i in range(4):
        food = make_food(
            name=f"Food {i}",
            author=make_person(name=f"Writer {i}"),
            medical_reviewer=make_person(name=f"Reviewer {i}"),
            reviewed_at=REVIEWED_ON,
        )
        slugs.append(food.slug)
    with django_assert_num_queries(1):
        html = client.get("/foods/compare/", {"food": slugs}).text
    assert [name for _href, name in people_links(html, "Written by")] == [f"Writer {i}" for i in range(4)]
    assert last_reviewed(html) == (
        "2 November 2026 by Reviewer 0, Reviewer 1, Reviewer 2 and Reviewer 3 (the oldest review of the 4 items "
        "on this page)"
    )


@pytest.mark.parametrize("count", [1, 20])
def test_the_review_column_costs_no_query_a_row(staff_client, django_assert_num_queries, count):
    reviewer = make_person(credentials="MD")
    for _ in range(count):
        make_food(reviewed_at=TODAY(), medical_reviewer=reviewer)
    staff_client.get("/admin/supplements/foodentry/")  # fills the content-type cache
    with django_assert_num_queries(CHANGELIST_QUERIES):
        html = staff_client.get("/admin/supplements/foodentry/").text
    assert html.count("by A. Smith, MD") == count


# --- The foods list's dates: worked out once per content change ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_foods_list_works_its_dates_out_once_per_content_change(client, settings, tmp_path):
    """Outside a transaction (as in production) /foods/ aggregates every published food once, then reuses the
    result until content or a person changes: a saved food or a renamed person shows on the next request."""
    settings.PAGE_CACHE = False  # the page itself is rendered each time; only its dates are kept
    settings.PAGE_CACHE_STAMP = str(tmp_path / "page-cache.stamp")
    writer = make_person(name="Lee Writer", credentials="MSc")
    make_food(name="By Lee", author=writer)
    first = count_queries(client, "/foods/")  # the second request of two: the dates are kept by then
    with CaptureQueriesContext(connection) as queries:
        client.get("/foods/")
    assert len(queries) == first and not any("MAX(" in query["sql"] for query in queries)
    assert written_by(client.get("/foods/").text) == "Lee Writer, MSc"

    make_food(name="Nobody's")  # a content save starts a new generation
    assert written_by(client.get("/foods/").text) == "Lee Writer, MSc and the Magnesium & Nerve Health editors"
    writer.name = "Lee Writer-Smith"
    writer.save()
    assert written_by(client.get("/foods/").text) == ("Lee Writer-Smith, MSc and the Magnesium & Nerve Health editors")
    settings.PAGE_CACHE_SECONDS = 0  # and never kept longer than a cached page (a scheduled food appears)
    make_food(name="Kept for no time")
    client.get("/foods/")
    FoodEntry.objects.filter(author=None).update(author=writer)  # no signal: only the time bound shows it
    assert written_by(client.get("/foods/").text) == "Lee Writer-Smith, MSc"


# --- The migrations keep what the data said -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_author_and_reviewer_text_into_people():
    with migration("0010_people_and_review", app="articles") as (old, migrate):
        OldArticle = old.get_model("articles", "Article")
        common = {"summary": "s", "body": "b", "status": "published", "published_at": timezone.now()}
        OldArticle.objects.create(
            slug="reviewed",
            title="Reviewed",
            author="Site editors",
            reviewed_by="A. Smith, MD, neurologist",
            last_reviewed=datetime.date(2026, 3, 2),
            **common,
        )
        OldArticle.objects.create(slug="plain", title="Plain", author="Site editors", **common)
        OldArticle.objects.create(slug="anonymous", title="Anonymous", author="", **common)
        new = migrate()
        Article_ = new.get_model("articles", "Article")
        reviewed = Article_.objects.get(slug="reviewed")
        assert reviewed.author.name == "Site editors"
        assert (reviewed.medical_reviewer.name, reviewed.medical_reviewer.credentials) == (
            "A. Smith",
            "MD, neurologist",
        )
        assert reviewed.reviewed_at == datetime.date(2026, 3, 2)
        assert reviewed.review_due == datetime.date(2027, 3, 2)
        assert reviewed.review_stamp == reviewed.updated_at  # reviewed as stored, not "updated since"
        assert Article_.objects.get(slug="plain").author_id == reviewed.author_id  # one person per name
        assert Article_.objects.get(slug="anonymous").author is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_the_editors_byline_the_group_and_keeps_real_people():
    with migration("0011_the_editors_are_a_group_not_a_person", app="articles") as (old, migrate):
        Person = old.get_model("site_project", "Person")
        Article = old.get_model("articles", "Article")
        editors = Person.objects.create(name="Magnesium & Nerve Health editors", role="Editorial team")
        writer = Person.objects.create(name="Lee Writer")
        common = {"summary": "s", "body": "b", "status": "published"}
        launch = Article.objects.create(title="Launch", slug="launch", author=editors, **common)
        other = Article.objects.create(title="Other", slug="other", author=writer, **common)
        updated = Article.objects.get(pk=launch.pk).updated_at
        # A Person an editor filled in is theirs to keep, even under that name.
        kept = Person.objects.create(name="Magnesium & Nerve Health editors", bio="Our team of three.")
        Article.objects.create(title="Third", slug="third", author=kept, **common)
        new = migrate()
        Article = new.get_model("articles", "Article")
        assert Article.objects.get(pk=launch.pk).author_id is None
        assert Article.objects.get(pk=launch.pk).updated_at == updated
        assert Article.objects.get(pk=other.pk).author_id == writer.pk
        assert Article.objects.get(slug="third").author_id is None
        assert list(new.get_model("site_project", "Person").objects.order_by("name").values_list("pk", flat=True)) == [
            writer.pk,
            kept.pk,
        ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_intake_row_unreviewed():
    with migration("0017_intake_reference_review") as (old, migrate):
        Old = old.get_model("supplements", "IntakeReference")
        before = Old.objects.count()
        Old.objects.create(life_stage="adults", age_range="99 years", sex="all", recommended_mg=1, source="s")
        new = migrate().get_model("supplements", "IntakeReference")
        assert new.objects.count() == before + 1
        row = new.objects.get(age_range="99 years")
        assert row.recommended_mg == 1 and row.reviewed_at is None and row.updated_at is not None
        assert row.review_interval_months == 12
