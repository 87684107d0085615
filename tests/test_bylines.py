"""Who stands behind every content page (issue 17): each names who wrote it and, once reviewed, who medically
reviewed it and when, from the data behind the page; each name links to the person's entry on /people/; the
JSON-LD carries the same people; the intake figures behind the safety page and calculator are reviewed like any
content. A page costs the same number of queries however many people it names."""

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
from supplements.models import FoodEntry, IntakeReference, Medicine, SupplementForm
from tests.factories import (
    make_article,
    make_condition,
    make_finding,
    make_food,
    make_intake,
    make_person,
    make_supplement_form,
    read_form,
)
from tests.supplements.test_food_models import migration
from tests.supplements.test_food_pages import usda  # noqa: F401 (a fixture)
from tests.test_permissions import editor_client  # noqa: F401 (a fixture)
from tests.test_reviews import (  # noqa: F401 (reviewer_client: a fixture)
    FIGURES_PAGES,
    PAGES,
    USDA_WORDS,
    change_url,
    dd_text,
    last_reviewed,
    mark_reviewed_by_me,
    messages_in,
    reviewer_client,
    written_by,
)

pytestmark = pytest.mark.django_db

REVIEWED_ON = datetime.date(2026, 11, 2)
CONTENT_MODELS = [Article, Finding, FoodEntry, SupplementForm, Medicine, IntakeReference]
# Pages with no data behind them: written by the site's editors, never reviewed.
NO_DATA = {"/supplements/low-magnesium/"}


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def people_links(html, term):
    """The (address, name) of each link in the page's <dt>{term}</dt> entry."""
    entry = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S).group(1)
    return [(href, unescape(name)) for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', entry)]


@pytest.fixture
def writer():
    return make_person(name="Lee Writer", credentials="MSc", role="Health writer")


@pytest.fixture
def reviewer():
    return make_person(name="Ana Silva", credentials="PharmD", role="Medical reviewer")


def give_everything(**fields):
    for model in CONTENT_MODELS:
        model.objects.update(**fields)


# --- Every page type --------------------------------------------------------------------------------------


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


def test_a_list_names_everyone_who_wrote_what_it_lists(client, writer):
    make_food(name="By Lee", author=writer)
    make_food(name="By Bo", author=make_person(name="Bo Chen", credentials="RD"))
    make_food(name="Nobody's")
    assert (
        written_by(client.get("/foods/").text)
        == "Bo Chen, RD, Lee Writer, MSc and the Magnesium & Nerve Health editors"
    )


# --- The reviewer only once reviewed -------------------------------------------------------------------------


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


# --- Constant queries --------------------------------------------------------------------------------------


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


# --- The people page -----------------------------------------------------------------------------------------


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


# --- Intake figures: reviewed like content -----------------------------------------------------------------------


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


def test_intake_admin_has_the_review_fields_filter_and_history(reviewer_client):  # noqa: F811
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


def test_an_editor_cannot_mark_intake_figures_reviewed(editor_client):  # noqa: F811
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
