"""Site pages (issue 17): About, Editorial policy, Corrections, Funding, Privacy, Contact.

Seeded published with honest starting text, one address each, drafts hidden from the public,
Markdown sanitised, linked from every page's footer, in the sitemap, edited in the admin with
validation and history."""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from site_project.models import SITE_PAGES, SitePage
from site_project.seed import seed_site_pages
from tests.factories import NEW_SITE_PAGE, data_migration, make_site_page, read_form

pytestmark = pytest.mark.django_db

URLS = {
    "about": "/about/",
    "editorial-policy": "/editorial-policy/",
    "corrections": "/corrections/",
    "funding": "/funding/",
    "privacy": "/privacy/",
    "contact": "/contact/",
}


def text_of(response):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


class FooterLinks(HTMLParser):
    """The links inside the footer's <nav aria-label="About this site">."""

    def __init__(self):
        super().__init__()
        self.inside, self.links, self.navs = False, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "About this site":
            self.inside, self.navs = True, self.navs + 1
        elif tag == "a" and self.inside:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False


def footer_links(html):
    parser = FooterLinks()
    parser.feed(html)
    assert parser.navs == 1, "one footer nav named 'About this site'"
    return parser.links


# --- Seeded --------------------------------------------------------------------------------------


def test_the_seed_publishes_the_six_pages_each_at_its_address(client, seeded):
    assert sorted(SitePage.objects.published().values_list("slug", flat=True)) == sorted(URLS)
    for slug, title in SITE_PAGES:
        response = client.get(URLS[slug])
        assert response.status_code == 200, slug
        html = response.content.decode()
        assert f'<h1 id="page-title">{title}</h1>' in html
        assert f"<title>{title} · Magnesium &amp; Nerve Health</title>" in html
        page = SitePage.objects.get(slug=slug)
        assert f'<meta name="description" content="{escape(page.summary)}">' in html
        assert 'name="robots"' not in html  # published pages may be indexed


def test_the_seeded_text_states_what_only_the_owner_can_fill_in(client, seeded):
    assert "The owner has not yet published a contact address." in text_of(client.get("/contact/"))
    funding = text_of(client.get("/funding/"))
    assert "no advertising" in funding and "no affiliate links" in funding
    assert "The owner has not yet published who funds the site." in funding
    about = text_of(client.get("/about/"))
    assert "has not yet published their name" in about


def test_the_corrections_log_lists_the_sites_real_corrections_with_dates(client, seeded):
    text = text_of(client.get("/corrections/"))
    assert text.index("30 November 2026") < text.index("25 November 2026")  # newest first
    for words in [
        "Magnesium 400 mg (as glycinate)",  # the calculator's label trap
        "56.4 mg",
        "353 patients",  # chemotherapy: the evidence beside the article's claim
        "20.2 % magnesium, not 20.1 %",
        "chia seeds, potato, broccoli, yogurt, peanut butter and chicken",  # per 100 g, worked out
        "% DV in 100 g",
        "almonds 279 mg per 100 g",
    ]:
        assert words in text, words


def test_the_privacy_page_says_what_is_stored_for_readers_and_for_editors(client, seeded):
    text = text_of(client.get("/privacy/"))
    for words in [
        "No tracking.",
        "no analytics",
        "No cookies.",
        "cannot sign up",
        "kept only in the page’s address",  # the Markdown's smart quotes
        "never kept in this cache",
        "records the address (path)",
        "account",
        "session",
        "history of every edit",
    ]:
        assert words in text, words


def test_readers_get_no_cookie_on_any_public_page_as_the_privacy_page_says(client, seeded):
    for url in sitemap_urls(client) + ["/supplements/calculator/?label=elemental&amount_mg=400"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, list(response.cookies))


def test_the_seed_never_overwrites_an_editors_change(seeded):
    page = SitePage.objects.get(slug="contact")
    page.body = "Write to the editors at the address on the About page."
    page.save()
    SitePage.objects.filter(slug="funding").update(status=SitePage.Status.DRAFT)

    assert seed_site_pages() == 0

    assert SitePage.objects.get(slug="contact").body == "Write to the editors at the address on the About page."
    assert SitePage.objects.get(slug="funding").status == SitePage.Status.DRAFT


def test_the_seed_adds_a_missing_page_only():
    make_site_page(slug="about", title="Our own about page")
    assert seed_site_pages() == 5
    assert SitePage.objects.get(slug="about").title == "Our own about page"
    privacy = SitePage.objects.get(slug="privacy")
    assert privacy.is_public
    assert privacy.history.get().history_change_reason == "Loaded by seed_content"


# --- Drafts, previews, Markdown ------------------------------------------------------------------


def test_a_draft_is_404_to_the_public_and_a_preview_for_staff(staff_client):
    make_site_page(slug="privacy", title="Privacy draft", status=SitePage.Status.DRAFT, published_at=None)
    assert Client().get("/privacy/").status_code == 404

    response = staff_client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Privacy draft" in html
    assert "Draft — not published." in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert reverse("admin:site_project_sitepage_change", args=[SitePage.objects.get().pk]) in html


def test_a_scheduled_page_is_404_until_its_time(staff_client):
    later = timezone.now() + timezone.timedelta(days=1)
    make_site_page(slug="funding", title="Funding", published_at=later)
    assert Client().get("/funding/").status_code == 404
    assert "Scheduled — not published yet." in staff_client.get("/funding/").content.decode()


def test_a_missing_page_is_404_and_other_addresses_are_not_site_pages(client):
    assert client.get("/about/").status_code == 404  # not created yet
    assert client.get("/team/").status_code == 404


def test_markdown_is_rendered_and_sanitised_at_save(client):
    page = make_site_page(
        body=(
            "## Who we are\n\nPlain *words*.\n\n<script>alert('x')</script>\n\n"
            '<img src=x onerror="alert(1)">\n\n[a link](javascript:alert(1))'
        )
    )
    assert '<h2 id="who-we-are">Who we are</h2>' in page.body_html
    html = client.get("/about/").content.decode()
    assert "<em>words</em>" in html
    assert "alert(" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


# --- Footer, sitemap, queries, page cache --------------------------------------------------------


def sitemap_urls(client):
    xml = client.get("/sitemap.xml").content.decode()
    return [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]


def test_every_page_links_to_the_six_site_pages_from_its_footer(client, seeded):
    urls = sitemap_urls(client) + ["/no-such-page/"]
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert footer_links(response.content.decode()) == list(URLS.values()), url


def test_the_sitemap_lists_the_published_site_pages_with_their_last_change(client):
    for slug in ("about", "privacy"):
        make_site_page(slug=slug, title=slug)
    make_site_page(slug="contact", title="Contact", status=SitePage.Status.DRAFT, published_at=None)
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/about/</loc>" in xml
    assert "http://testserver/privacy/</loc>" in xml
    assert "/contact/" not in xml
    about = SitePage.objects.get(slug="about")
    entry = re.search(r"<url><loc>http://testserver/about/</loc><lastmod>([^<]+)</lastmod>", xml)
    assert entry and entry.group(1) == about.updated_at.date().isoformat()


def test_a_site_page_costs_one_query(client, django_assert_num_queries):
    make_site_page(body="A long page.\n\n" * 200)
    with django_assert_num_queries(1):  # the page itself; the footer's links are fixed addresses
        assert client.get("/about/").status_code == 200


def test_saving_a_site_page_clears_the_page_cache(client, django_capture_on_commit_callbacks):
    page = make_site_page(title="Before")
    assert "Before" in client.get("/about/").content.decode()  # now kept in the page cache
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "After"
        page.save()
    assert "After" in client.get("/about/").content.decode()


# --- Admin ---------------------------------------------------------------------------------------

ADD_URL = "/admin/site_project/sitepage/add/"


def test_the_admin_adds_a_page_and_refuses_a_second_page_at_the_same_address(staff_client):
    form = read_form(staff_client.get(ADD_URL).content.decode(), "sitepage_form")
    form.update(NEW_SITE_PAGE)
    response = staff_client.post(ADD_URL, form)
    assert response.status_code == 302
    page = SitePage.objects.get(slug="contact")
    assert page.body_html == "<p>Write to <em>us</em>.</p>"
    assert page.is_public
    assert "Write to <em>us</em>." in Client().get("/contact/").content.decode()

    form.update(title="Contact again")
    response = staff_client.post(ADD_URL, form)
    assert response.status_code == 200
    assert "That page already exists: open it from the list and edit it instead." in response.content.decode()
    assert SitePage.objects.count() == 1


def test_the_admin_changes_a_page_and_keeps_each_version(staff_client):
    page = make_site_page(title="About", body="First text.")
    url = reverse("admin:site_project_sitepage_change", args=[page.pk])
    form = read_form(staff_client.get(url).content.decode(), "sitepage_form")
    assert form["edit_token"]  # no lost edits, as every content admin
    form.update(body="Second text.")
    assert staff_client.post(url, form).status_code == 302
    assert "Second text." in Client().get("/about/").content.decode()

    history = staff_client.get(reverse("admin:site_project_sitepage_history", args=[page.pk]))
    assert history.status_code == 200
    assert page.history.count() == 2
    assert list(page.history.values_list("body", flat=True)) == ["Second text.", "First text."]


def test_the_admin_refuses_a_save_over_someone_elses_newer_save(staff_client):
    page = make_site_page()
    url = reverse("admin:site_project_sitepage_change", args=[page.pk])
    form = read_form(staff_client.get(url).content.decode(), "sitepage_form")
    SitePage.objects.filter(pk=page.pk).update(title="Someone else's title")
    form.update(body="Mine.")
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "Someone else saved this item after you opened it" in response.content.decode()
    assert SitePage.objects.get().body == "Some *text*."


def test_the_admin_list_and_its_publication_filter(staff_client):
    make_site_page(slug="about", title="About this site")
    make_site_page(slug="contact", title="Contact", status=SitePage.Status.DRAFT, published_at=None)
    html = staff_client.get("/admin/site_project/sitepage/?publication=draft").content.decode()
    assert "Contact" in html and "About this site" not in html
    html = staff_client.get("/admin/site_project/sitepage/").content.decode()
    assert "/about/" in html and "/contact/" in html


def test_editors_can_add_and_change_site_pages_but_not_delete_them(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw-for-tests", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page = make_site_page()
    assert editor.has_perm("site_project.change_sitepage")
    assert editor.has_perm("site_project.add_sitepage")
    assert not editor.has_perm("site_project.delete_sitepage")
    client.force_login(editor)
    assert client.get(reverse("admin:site_project_sitepage_change", args=[page.pk])).status_code == 200


# --- Entries added to an existing site's corrections log by a data migration -------------------------------------


@pytest.mark.parametrize(
    ("migration", "title"),
    [
        ("0008_corrections_medicine_timing_changes", "Medicines: who takes what when"),
        ("0009_corrections_evidence_upper_level_notes", "Evidence: doses above the Upper Level"),
    ],
)
def test_a_correction_reaches_an_existing_sites_unedited_corrections_page_once(seeded, migration, title):
    module, log = data_migration("site_project", migration)
    seeded_file = (Path(settings.BASE_DIR) / "site_project/data/site_pages/corrections.md").read_text(encoding="utf-8")
    assert module.ENTRY + "\n" in seeded_file  # a fresh site gets the same words, under the same date
    assert seeded_file.index(module.HEADING) < seeded_file.index(module.ENTRY) < seeded_file.index("## 25 November")
    corrections = SitePage.objects.get(slug="corrections")
    SitePage.objects.filter(pk=corrections.pk).update(body=corrections.body.replace(module.ENTRY + "\n", ""))
    log()
    corrections.refresh_from_db()
    assert corrections.body.count(module.ENTRY) == 1
    assert corrections.body.index(module.HEADING) < corrections.body.index(module.ENTRY)
    assert title in corrections.body_html
    log()  # a second run adds nothing
    assert SitePage.objects.get(slug="corrections").body.count(module.ENTRY) == 1
    # A page an editor rewrote (no 30 November heading) is left as it is.
    SitePage.objects.filter(pk=corrections.pk).update(body="An editor's own log.")
    log()
    assert SitePage.objects.get(slug="corrections").body == "An editor's own log."


def test_the_corrections_log_says_the_supervision_sentence_was_withdrawn(client, seeded):
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", client.get("/corrections/").text)))
    entry = text.index("Evidence: doses above the Upper Level.")
    assert text.index("30 November 2026") < entry < text.index("25 November 2026")
    assert "said that it was studied under supervision. No source says so" in text[entry:]
    assert "A back-pain trial’s oral magnesium (245 mg twice a day) now carries the note too" in text[entry:]
