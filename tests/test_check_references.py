"""manage.py check_references against a local HTTP server the test starts (never the internet),
the "Link checks" admin, superseded references and the article admin's reading grade."""

import datetime
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from articles.models import Reference
from site_project.links import linked_models
from site_project.models import LinkCheck
from tests.factories import make_article, make_food, make_supplement_form

pytestmark = pytest.mark.django_db

SLOW_SECONDS = 2
# Session, user, the article, its topics, foods and forms, the article again (edit check), its
# references, their link checks, the findings placed beside the text, the admin's content type:
# none per reference.
QUERIES_ARTICLE_CHANGE_PAGE = 13  # with the people listed for the author and medical reviewer choices


class Handler(BaseHTTPRequestHandler):
    def answer(self, body):
        if self.path == "/ok":
            self.reply(200)
        elif self.path == "/old":
            self.reply(301, Location="/moved-once")
        elif self.path == "/moved-once":
            self.reply(302, Location="/ok")
        elif self.path == "/missing":
            self.reply(404)
        elif self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.reply(200)
        elif self.path == "/no-head":
            self.reply(405 if self.command == "HEAD" else 200)
        else:
            self.reply(500)
        if body and self.command == "GET":
            self.wfile.write(b"hello")

    def reply(self, status, **headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.server.seen.append((self.command, self.path, self.headers.get("User-Agent")))

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def run(*args):
    out = StringIO()
    call_command("check_references", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def cited(server):
    """One article citing every case, one supplement form and one food citing some of them again."""
    _, base = server
    urls = {
        "ok": f"{base}/ok",
        "redirect": f"{base}/old",
        "missing": f"{base}/missing",
        "slow": f"{base}/slow",
        "no_head": f"{base}/no-head",
        "refused": f"http://127.0.0.1:{closed_port()}/ok",
        "tls": base.replace("http://", "https://") + "/ok",
    }
    article = make_article(title="Magnesium and nerves")
    for order, url in enumerate(urls.values()):
        Reference.objects.create(article=article, order=order, citation=f"Source {order}", url=url)
    form = make_supplement_form(name="Magnesium glycinate")
    form.references.create(citation="Same missing source", url=urls["missing"])
    food = make_food(name="Almonds", source_url=urls["ok"], source=f"USDA item, also at {urls['ok']}.")
    return urls, article, form, food


def test_every_outcome_is_stored_with_status_final_address_redirects_and_error(server, cited):
    httpd, base = server
    urls, *_ = cited
    before = timezone.now()
    output = run("--timeout", "0.5", "--workers", "4")
    checks = {check.url: check for check in LinkCheck.objects.all()}
    assert set(checks) == set(urls.values())  # each address once, however many pages cite it

    ok = checks[urls["ok"]]
    assert (ok.outcome, ok.status_code, ok.final_url, ok.redirect_chain, ok.error, ok.method) == (
        "ok", 200, urls["ok"], [], "", "HEAD",
    )  # fmt: skip
    assert before <= ok.checked_at <= timezone.now()

    moved = checks[urls["redirect"]]
    assert moved.outcome == "redirected" and moved.status_code == 200
    assert moved.final_url == f"{base}/ok"
    assert moved.redirect_chain == [
        {"url": f"{base}/old", "status": 301, "location": f"{base}/moved-once"},
        {"url": f"{base}/moved-once", "status": 302, "location": f"{base}/ok"},
    ]

    missing = checks[urls["missing"]]
    assert (missing.outcome, missing.status_code, missing.error) == ("broken", 404, "")

    slow = checks[urls["slow"]]
    assert slow.outcome == "broken" and slow.status_code is None
    assert slow.error == "Timed out (no answer within 0.5 s)"

    no_head = checks[urls["no_head"]]
    assert (no_head.outcome, no_head.status_code, no_head.method) == ("ok", 200, "GET")
    assert ("HEAD", "/no-head") in [(method, path) for method, path, _ in httpd.seen]

    refused = checks[urls["refused"]]
    assert (refused.outcome, refused.status_code, refused.error) == ("broken", None, "Connection refused")

    tls = checks[urls["tls"]]
    assert tls.outcome == "broken" and tls.status_code is None
    assert tls.error.startswith("TLS error: "), tls.error

    assert {agent for *_, agent in httpd.seen} == {
        "MagnesiumSiteLinkChecker/1.0 (reference checker; checks that cited sources still resolve)"
    }
    assert "OK: 2, redirected: 1, broken: 4" in output
    broken_lines = output.split("Broken:\n", 1)[1].splitlines()
    assert sorted(line.split()[0] for line in broken_lines) == sorted(
        urls[k] for k in ("missing", "slow", "refused", "tls")
    )
    assert f"{urls['missing']}  404" in output


def test_a_dns_failure_is_named(monkeypatch):
    from site_project.links import visit

    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # the lookup fails as a resolver's would, offline
    result = visit("http://no-such-host.invalid/", timeout=2)
    assert result.outcome == "broken"
    assert result.error == "DNS lookup failed: Name or service not known", result.error


def test_only_stale_revisits_only_addresses_checked_long_ago(server, cited):
    urls, *_ = cited
    run("--timeout", "0.5")
    old = timezone.now() - datetime.timedelta(days=40)
    LinkCheck.objects.filter(url=urls["missing"]).update(checked_at=old)
    recent = LinkCheck.objects.get(url=urls["ok"]).checked_at
    output = run("--only-stale", "30", "--timeout", "0.5")
    assert "Checking 1 address " in output and "(6 checked recently, skipped)" in output
    assert LinkCheck.objects.get(url=urls["missing"]).checked_at > old
    assert LinkCheck.objects.get(url=urls["ok"]).checked_at == recent


def test_an_address_no_longer_cited_is_forgotten(server, cited):
    urls, article, *_ = cited
    run("--timeout", "0.5")
    article.references.filter(url=urls["tls"]).delete()
    run("--timeout", "0.5")
    assert not LinkCheck.objects.filter(url=urls["tls"]).exists()


@pytest.mark.parametrize("args", [["--workers", "0"], ["--timeout", "-1"], ["--only-stale", "x"], ["--workers", "99"]])
def test_bad_options_are_refused_with_a_message(args):
    with pytest.raises(CommandError):
        run(*args)


def test_every_address_field_on_a_content_model_is_checked():
    """A new model with a URLField joins the checker by naming it in `link_check_fields`."""
    declared = {(model, f.name) for model, fields in linked_models() for f in fields}
    for model in apps.get_models():
        if model._meta.app_label in ("admin", "auth", "contenttypes", "sessions", "axes", "site_project"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.URLField):
                assert (model, f.name) in declared, f"{model.__name__}.{f.name} is not in link_check_fields"


def test_text_fields_are_searched_for_addresses(db):
    from tests.factories import make_food

    make_food(
        source="NIH ODS fact sheet (https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/).\n"
        "Second, https://example.org/b; and no link here",
    )
    from site_project.links import all_urls

    assert all_urls() == ["https://example.org/b", "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"]


# --- the admin -----------------------------------------------------------------------------------


def listed_urls(response):
    return re.findall(r'<th class="field-url"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_admin_lists_broken_first_with_where_each_address_is_cited(staff_client, server, cited):
    urls, article, form, food = cited
    run("--timeout", "0.5")
    response = staff_client.get("/admin/site_project/linkcheck/")
    assert response.status_code == 200
    rows = listed_urls(response)
    outcomes = [LinkCheck.objects.get(url=url).outcome for url in rows]
    assert outcomes == ["broken"] * 4 + ["redirected"] + ["ok"] * 2
    html = response.content.decode()
    # The missing source: cited by the article and the form, each linked to its change page.
    assert f'href="/admin/articles/article/{article.pk}/change/"' in html
    assert f'href="/admin/supplements/supplementform/{form.pk}/change/"' in html
    assert html.count(f'href="/admin/supplements/foodentry/{food.pk}/change/"') == 1  # its link and its source text
    assert "Broken: 404" in html and "Broken: Connection refused" in html

    broken = staff_client.get("/admin/site_project/linkcheck/?outcome=broken")
    assert sorted(listed_urls(broken)) == sorted(urls[k] for k in ("missing", "slow", "refused", "tls"))
    found = staff_client.get("/admin/site_project/linkcheck/", {"q": "/no-head"})
    assert listed_urls(found) == [urls["no_head"]]

    detail = staff_client.get(
        f"/admin/site_project/linkcheck/{LinkCheck.objects.get(url=urls['redirect']).pk}/change/"
    )
    body = detail.content.decode()
    assert "301" in body and "/moved-once" in body and 'name="_save"' not in body  # read-only


@pytest.mark.parametrize("rows", [1, 30])
def test_admin_list_query_count_does_not_grow_with_rows(staff_client, django_assert_num_queries, rows):
    article = make_article()
    now = timezone.now()
    for n in range(rows):
        url = f"https://example.org/page-{n}"
        Reference.objects.create(article=article, order=n, citation=f"R{n}", url=url)
        LinkCheck.objects.create(url=url, outcome="broken", status_code=404, checked_at=now)
    # Session, user, the two counts, the page of checks; then where they are cited: one query
    # per model that declares links (a new one adds one), not one per row.
    with django_assert_num_queries(5 + len(linked_models())):
        response = staff_client.get("/admin/site_project/linkcheck/")
    assert len(listed_urls(response)) == rows


def test_reference_inlines_show_each_reference_s_last_check(staff_client):
    article = make_article(references=2)
    form = make_supplement_form(references=1)
    LinkCheck.objects.create(url="https://example.org/1", outcome="broken", status_code=404, checked_at=timezone.now())
    LinkCheck.objects.create(url=form.references.get().url, outcome="ok", status_code=200, checked_at=timezone.now())
    page = staff_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Broken: 404" in page and "Not checked yet" in page
    page = staff_client.get(f"/admin/supplements/supplementform/{form.pk}/change/").content.decode()
    assert "OK (200)" in page


# --- superseded references -----------------------------------------------------------------------


def test_a_reference_cannot_supersede_itself_or_one_of_another_article():
    article, other = make_article(references=2), make_article(references=1)
    first, second = article.references.all()
    first.superseded_by = first
    with pytest.raises(ValidationError) as error:
        first.full_clean()
    assert error.value.message_dict["superseded_by"] == [
        "A reference cannot supersede itself. Choose a newer reference."
    ]
    first.superseded_by = other.references.get()
    with pytest.raises(ValidationError) as error:
        first.full_clean()
    assert "Choose a reference of the same article" in error.value.message_dict["superseded_by"][0]
    first.superseded_by = second
    first.full_clean()

    form, other_form = make_supplement_form(references=1), make_supplement_form(references=1)
    reference = form.references.get()
    reference.superseded_by = other_form.references.get()
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "Choose a reference of the same supplement form" in error.value.message_dict["superseded_by"][0]


def test_the_admin_offers_only_the_same_article_s_references(staff_client):
    article, other = make_article(references=2), make_article(references=1)
    page = staff_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Reference 2 of " + article.title in page
    assert "Reference 1 of " + other.title not in page


def reference_items(html, section_heading):
    section = html.split(f">{section_heading}</h2>", 1)[1].split("</ol>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in section.split("<li")[1:]]


def test_the_article_page_lists_the_newer_reference_first_and_marks_the_older(client):
    article = make_article(references=3)
    old, middle, new = article.references.all()
    old.superseded_by = new
    old.save()
    items = reference_items(client.get(article.get_absolute_url()).content.decode(), "References")
    assert len(items) == 3
    assert items[0].startswith(f'id="reference-1"> Reference 3 of {article.title}.')
    assert items[1].startswith(f'id="reference-2"> Reference 1 of {article.title}.')
    assert items[1].endswith("(superseded by [1])")
    assert "superseded" not in items[0] and "superseded" not in items[2]


def test_the_form_page_lists_the_newer_source_first_and_marks_the_older(client):
    form = make_supplement_form(references=2)
    old, new = form.references.all()
    old.superseded_by = new
    old.save()
    items = reference_items(client.get(form.get_absolute_url()).content.decode(), "Sources")
    assert new.citation in items[0] and "superseded" not in items[0]
    assert old.citation in items[1] and items[1].endswith("(superseded by [1])")


# --- reading grade -------------------------------------------------------------------------------


def test_the_article_admin_shows_the_reading_grade_with_a_note_above_grade_8(staff_client):
    hard = make_article(
        body="## Pathophysiology\n\nPeripheral neuropathy encompasses heterogeneous pathophysiological "
        "mechanisms, including demyelination, axonal degeneration and microvascular compromise, "
        "necessitating individualised multidisciplinary evaluation."
    )
    page = staff_client.get(f"/admin/articles/article/{hard.pk}/change/").content.decode()
    grade = float(re.search(r"Grade (\d+\.\d) \(Flesch-Kincaid", page).group(1))
    assert grade > 8
    assert "Above grade 8:" in page

    easy = make_article(body="## Food\n\nNuts have magnesium. So do beans. Eat them with a meal.")
    page = staff_client.get(f"/admin/articles/article/{easy.pk}/change/").content.decode()
    grade = float(re.search(r"Grade (-?\d+\.\d) \(Flesch-Kincaid", page).group(1))
    assert grade <= 8
    assert "At or below grade 8." in page and "Above grade 8" not in page


def test_the_reading_grade_ignores_markdown_markup():
    from articles.readability import plain_text
    from site_project.markdown import render_markdown

    html, _ = render_markdown("## Heading\n\nSome **bold** and a [link](https://example.org).\n\n- one\n- two")
    assert plain_text(html) == "Heading. Some bold and a link. one. two."


def test_reverting_to_a_version_whose_newer_reference_was_deleted_leaves_the_older_one_standing():
    from articles.history import ReferenceRestore

    article = make_article(title="Magnesium and nerves")
    old = article.references.create(order=1, citation="Old review", url="https://example.org/old")
    new = article.references.create(order=2, citation="New review", url="https://example.org/new")
    old.superseded_by = new
    old.save()
    article.save()  # the version to go back to
    new.delete()  # clears "superseded by" in the database, without a history row
    restore = ReferenceRestore(article.history.first())
    restore.apply(reason="test")  # before the fix: an IntegrityError (a link to a deleted row)
    old.refresh_from_db()
    assert old.superseded_by is None
    assert list(article.references.values_list("citation", flat=True)) == ["Old review"]


def test_editors_can_view_the_link_checks_but_not_change_them(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    check = LinkCheck.objects.create(
        url="https://example.org/x", outcome="broken", status_code=404, checked_at=timezone.now()
    )
    assert client.get("/admin/site_project/linkcheck/").status_code == 200
    page = client.get(f"/admin/site_project/linkcheck/{check.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/site_project/linkcheck/{check.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_list_shortens_a_long_where_cited_list_and_the_address_page_gives_it_all(staff_client):
    url = "https://example.org/shared"
    for _ in range(7):
        make_article().references.create(citation="Shared source", url=url)
    check = LinkCheck.objects.create(url=url, outcome="ok", status_code=200, checked_at=timezone.now())
    listing = staff_client.get("/admin/site_project/linkcheck/").content.decode()
    assert listing.count("(reference “Shared source”)") == 5 and "and 2 more" in listing
    page = staff_client.get(f"/admin/site_project/linkcheck/{check.pk}/change/").content.decode()
    assert page.count("(reference “Shared source”)") == 7


@pytest.mark.parametrize("references", [1, 12])
def test_the_article_change_page_query_count_does_not_grow_with_references(
    staff_client, django_assert_num_queries, references
):
    from django.contrib.contenttypes.models import ContentType

    article = make_article(references=references)
    ContentType.objects.clear_cache()  # the same count whichever test ran first
    with django_assert_num_queries(QUERIES_ARTICLE_CHANGE_PAGE):
        page = staff_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert page.content.decode().count("Not checked yet") == references


def test_an_editor_marks_a_reference_superseded_in_the_article_admin(staff_client):
    from tests.factories import read_form

    article, other = make_article(references=2), make_article(references=1)
    old, new = article.references.all()
    url = f"/admin/articles/article/{article.pk}/change/"
    data = read_form(staff_client.get(url).text, "article_form")
    data.update({"references-0-superseded_by": str(other.references.get().pk), "_save": "Save"})
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    data["references-0-superseded_by"] = str(new.pk)
    assert staff_client.post(url, data).status_code == 302
    old.refresh_from_db()
    assert old.superseded_by == new
