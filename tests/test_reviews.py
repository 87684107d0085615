"""Who wrote and reviewed each page and when (issue 17): only reviewers mark content reviewed, an edit after a
review says so until the next one, every content page shows its dates, and the admin index lists what is due."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Finding
from site_project.admin import REVIEW_REFUSED
from site_project.models import Person
from supplements.models import FoodEntry, Medicine, SupplementForm
from tests.factories import (
    make_article,
    make_condition,
    make_finding,
    make_food,
    make_intake,
    make_person,
    make_reviewer_user,
    make_supplement_form,
    read_form,
)
from tests.supplements.test_food_models import migration
from tests.supplements.test_food_pages import usda  # noqa: F401 (a fixture)
from tests.test_permissions import editor_client  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
# session, user, count, count of all, the rows (with group and reviewer), the group filter's choices
CHANGELIST_QUERIES = 6


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer_user())
    return client


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


def test_an_editor_cannot_set_the_reviewer_and_nothing_is_saved(editor_client):  # noqa: F811
    article = make_article(title="Before")
    reviewer = make_person(name="Dana Reviewer", credentials="MD")
    data = read_form(editor_client.get(change_url(article)).text, "article_form")
    data.update(title="After", medical_reviewer=str(reviewer.pk), reviewed_at=TODAY().isoformat())
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert REVIEW_REFUSED in response.text
    article.refresh_from_db()
    assert article.title == "Before" and article.medical_reviewer is None and article.reviewed_at is None


def test_an_editor_may_still_save_other_changes(editor_client):  # noqa: F811
    article = make_article(title="Before")
    data = read_form(editor_client.get(change_url(article)).text, "article_form")
    data.update(title="After")
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "After"


def test_an_editor_has_no_mark_reviewed_action_and_a_forged_one_changes_nothing(editor_client):  # noqa: F811
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


# --- Dates on every page --------------------------------------------------------------------------------------


def last_reviewed(html):
    return dd_text("Last reviewed", html)


def dd_text(term, html):
    """The words of the page's <dt>{term}</dt> entry, as a reader sees them (tags dropped, entities read)."""
    match = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else None


def written_by(html):
    return dd_text("Written by", html)


def figures_from(html):
    return dd_text("Figures from", html)


def responsible(html):
    return dd_text("Responsible for this page", html)


def last_updated(html):
    match = re.search(r'<dt>Last updated</dt><dd><time datetime="([^"]+)">', html)
    return match.group(1) if match else None


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
USDA_WORDS = {
    "figures": "USDA’s food database (SR28), as published: magnesium and energy per 100 g, and the weight in grams "
    "of each household measure",
    "worked out": "magnesium in each household measure (a food’s “serving” is USDA’s first household measure), "
    "magnesium per 100 kcal, and % Daily Value (420 mg), from USDA’s figures",
    "responsible": "the Magnesium & Nerve Health editors",
    "reviewed": "Not medically reviewed by this site",
}


def usda_byline(html):
    """What a reader sees of a USDA page's byline, in the words USDA_WORDS has (None where an entry is missing)."""
    return {
        "figures": figures_from(html),
        "worked out": dd_text("Worked out by this site", html),
        "responsible": responsible(html),
        "reviewed": last_reviewed(html),
    }


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


def people_links_in(html, term):
    match = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S)
    return re.findall(r'<a href="([^"]+)">', match.group(1))


@pytest.mark.usefixtures("usda")
def test_usda_pages_json_ld_dates_the_data_set_by_its_release_and_the_page_by_its_import(client):
    from supplements.models import USDAFood

    spinach = USDAFood.objects.get(ndb_number="11457")
    for url in ("/foods/?scope=all", f"/foods/{spinach.slug}/"):
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', client.get(url).text, re.S).group(1)
        )
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
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["lastReviewed"] == "2026-11-02"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Ana Silva", "honorificSuffix": "PharmD"}
    assert data["dateModified"] == form.updated_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    foods = client.get("/foods/").text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', foods, re.S).group(1))
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


# --- The review queue ------------------------------------------------------------------------------------------


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


# --- The migration keeps what an article's free-text fields said ------------------------------------------------


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


@pytest.mark.parametrize("count", [1, 20])
def test_the_review_column_costs_no_query_a_row(staff_client, django_assert_num_queries, count):
    reviewer = make_person(credentials="MD")
    for _ in range(count):
        make_food(reviewed_at=TODAY(), medical_reviewer=reviewer)
    staff_client.get("/admin/supplements/foodentry/")  # fills the content-type cache
    with django_assert_num_queries(CHANGELIST_QUERIES):
        html = staff_client.get("/admin/supplements/foodentry/").text
    assert html.count("by A. Smith, MD") == count
