"""Reverting an article to an earlier version (admin: History, a version, "Revert") restores its
references as they were in that version, through normal saves and deletes that the references'
own history records; an ordinary edit of the article leaves its references alone."""

import re
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from articles.models import Article, Reference
from tests.factories import make_article, read_form

pytestmark = pytest.mark.django_db

QUERIES_REVERT_PAGE = 17  # 15, and the people listed for the author and medical reviewer choices

ORIGINAL = [
    "Gröber U, Schmidt J, Kisters K. Magnesium in prevention and therapy. Nutrients. 2015;7(9):8199-8226.",
    "NIH Office of Dietary Supplements. Magnesium: fact sheet for health professionals.",
]
CORRECTED = "Gröber U et al. Magnesium in prevention and therapy (corrected citation)."
ADDED = "A press release about magnesium and sleep, added later."


def article_with_two_references(**overrides):
    """A published article, then its two references saved one by one (as the admin's inline does)."""
    article = make_article(title="Magnesium and nerves", body="First version of the text.", **overrides)
    for order, citation in enumerate(ORIGINAL, start=1):
        article.references.create(order=order, citation=citation, url=f"https://example.org/{order}")
    return article


def edit_in_admin(client, article, **changes):
    """Open the change page, change what `changes` says, press Save."""
    url = f"/admin/articles/article/{article.pk}/change/"
    data = read_form(client.get(url).text, "article_form")
    data.update(changes, _save="Save")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return response


def edit_text_and_references(client, article):
    """The edit to undo: new text, the first citation corrected, the second reference deleted,
    a third one added (in the inline's empty row)."""
    edit_in_admin(
        client,
        article,
        body="Second version of the text.",
        **{
            "references-0-citation": CORRECTED,
            "references-1-DELETE": "on",
            "references-2-order": "3",
            "references-2-citation": ADDED,
        },
    )


def version_url(article, version):
    return f"/admin/articles/article/{article.pk}/history/{version.history_id}/"


def first_version(article):
    return article.history.earliest()


def revert(client, article, version, **extra):
    url = version_url(article, version)
    data = read_form(client.get(url).text, "historicalarticle_form")
    data.update(extra, _save="Revert")
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.context["errors"]
    return response


def page_text(response):
    """The page's text as an editor reads it: tags dropped, entities and spacing as shown."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.text)))


def messages_in(response):
    return [str(message) for message in response.context["messages"]]


def public_citations(article):
    """The numbered references as a reader sees them on the article page, in order."""
    html = Client().get(article.get_absolute_url()).text
    return [unescape(c) for c in re.findall(r'<li id="reference-\d+">\s*(.+?)\s*(?:<a |</li>)', html, re.S)]


def history_of(reference_id):
    """The reference's history, oldest first: (type, citation, change reason)."""
    records = Reference.history.filter(id=reference_id).order_by("history_date", "history_id")
    return [(r.history_type, r.citation, r.history_change_reason) for r in records]


def test_reverting_an_article_restores_the_references_of_that_version(staff_client):
    article = article_with_two_references()
    first_id, second_id = article.references.values_list("pk", flat=True)
    edit_text_and_references(staff_client, article)
    assert public_citations(article) == [CORRECTED, ADDED]
    added_id = article.references.get(citation=ADDED).pk

    # Before saving, the version's page says what "Revert" does to the references, and lists them.
    page = staff_client.get(version_url(article, first_version(article)))
    text = page_text(page)
    assert (
        "Reverting also restores this version's 2 references, as listed below: 1 changed back, 1 brought back, "
        "1 removed (added since)."
    ) in text
    listed = re.search(r'id="version-references-heading".*?<ol>(.*?)</ol>', page.text, re.S).group(1)
    assert [unescape(c) for c in re.findall(r"<li>(.*?)</li>", listed)] == ORIGINAL

    response = revert(staff_client, article, first_version(article))
    assert "Restored this version's 2 references: 1 changed back, 1 brought back, 1 removed (added since)." in (
        messages_in(response)
    )

    # Readers see exactly the two original citations again, in order; not the one added since.
    assert public_citations(article) == ORIGINAL
    article.refresh_from_db()
    assert article.body == "First version of the text."
    assert list(article.references.values_list("pk", flat=True)) == [first_id, second_id]  # the same references

    # Each reference's own history records the restore, by the editor who reverted.
    reason = history_of(first_id)[-1][2]
    assert reason.startswith("Restored with the article's version of ")
    assert history_of(first_id) == [("+", ORIGINAL[0], None), ("~", CORRECTED, None), ("~", ORIGINAL[0], reason)]
    assert history_of(second_id) == [("+", ORIGINAL[1], None), ("-", ORIGINAL[1], None), ("+", ORIGINAL[1], reason)]
    assert history_of(added_id) == [("+", ADDED, None), ("-", ADDED, reason)]
    assert {r.history_user for r in Reference.history.filter(history_change_reason=reason)} == {staff_client.user}
    assert article.history.first().history_change_reason.startswith("Restored the version of ")


def test_reverting_to_the_edited_version_brings_the_edit_back(staff_client):
    """Each version keeps the references it had when the next one was saved, so a revert can be undone."""
    article = article_with_two_references()
    edit_text_and_references(staff_client, article)
    edited = article.history.latest()
    revert(staff_client, article, first_version(article))
    assert public_citations(article) == ORIGINAL

    response = revert(staff_client, article, edited)
    assert public_citations(article) == [CORRECTED, ADDED]
    assert "Restored this version's 2 references: 1 changed back, 1 brought back, 1 removed (added since)." in (
        messages_in(response)
    )


def test_reference_rows_posted_with_the_revert_cannot_undo_it(staff_client):
    """The revert page has no reference rows; any posted anyway (an old tab, a crafted request) are ignored."""
    article = article_with_two_references()
    change_page = staff_client.get(f"/admin/articles/article/{article.pk}/change/").text
    inline_rows = {k: v for k, v in read_form(change_page, "article_form").items() if k.startswith("references-")}
    edit_text_and_references(staff_client, article)

    inline_rows.update(
        {"references-0-citation": "Tampered citation.", "references-1-DELETE": "on", "references-2-citation": ADDED}
    )
    revert(staff_client, article, first_version(article), **inline_rows)
    assert public_citations(article) == ORIGINAL


def test_a_normal_edit_of_the_article_keeps_its_references(staff_client):
    """Saving on the change page (after an edit of the references, with earlier versions about)
    keeps today's references: only "Revert" restores a version's."""
    article = article_with_two_references()
    edit_text_and_references(staff_client, article)
    records = Reference.history.count()
    url = f"/admin/articles/article/{article.pk}/change/"
    data = read_form(staff_client.get(url).text, "article_form")
    response = staff_client.post(url, {**data, "body": "Edited text, same sources.", "_save": "Save"}, follow=True)

    assert not any("references" in m.lower() for m in messages_in(response))
    assert public_citations(article) == [CORRECTED, ADDED]
    assert Reference.history.count() == records  # no reference was saved or deleted
    article.refresh_from_db()
    assert article.body == "Edited text, same sources."


def test_references_with_no_recorded_history_are_left_and_named(staff_client):
    """A reference made in bulk (outside the admin) has no history saying when it came: it
    stays, and the editor is told to check it."""
    article = make_article(title="Bulk-made", references=1)  # bulk_create: no history
    bulk = article.references.get().citation
    article.body = "Second version."
    article.save()
    article.references.create(order=2, citation=ADDED)
    first = first_version(article)

    text = page_text(staff_client.get(version_url(article, first)))
    assert "1 reference left as found: the history does not say when it was added" in text
    response = revert(staff_client, article, first)
    assert "Restored this version's 0 references: 1 removed (added since)." in messages_in(response)
    assert any(
        f"“{bulk}”" in m and "Check whether it belongs with the restored text." in m for m in messages_in(response)
    )
    assert public_citations(article) == [bulk]


def test_a_reference_moved_to_another_article_since_is_copied_back_not_taken(staff_client):
    article = article_with_two_references()
    other = make_article(title="Other article")
    article.body = "Second version."
    article.save()
    moved = article.references.get(order=2)
    moved.article = other
    moved.save()

    revert(staff_client, article, first_version(article))
    assert public_citations(article) == ORIGINAL
    assert list(other.references.values_list("pk", flat=True)) == [moved.pk]  # the other article keeps it
    assert article.references.get(order=2).pk != moved.pk


def test_restoring_a_deleted_article_brings_its_references_back(staff_client):
    """Deleting an article deletes its references just before it; restoring its last version
    (from the History page, which stays reachable) brings both back."""
    article = article_with_two_references()
    ids = list(article.references.values_list("pk", flat=True))
    last = article.history.latest()
    article.delete()
    article.pk = last.id  # delete() clears it; the History page's address still has it

    response = revert(staff_client, article, last)
    assert "Restored this version's 2 references: 2 brought back." in messages_in(response)
    assert public_citations(article) == ORIGINAL
    assert list(Reference.objects.values_list("pk", flat=True)) == ids


def test_the_version_before_a_backup_restore_keeps_its_references(staff_client, tmp_path):
    """import_content --replace deletes everything (references first), then loads the backup:
    the last version before that had the references the backup brought back."""
    article = article_with_two_references()
    before_restore = article.history.latest()
    backup = tmp_path / "backup.json"
    call_command("export_content", str(backup), stdout=StringIO())
    call_command("import_content", str(backup), "--replace", stdout=StringIO())

    response = revert(staff_client, article, before_restore)
    assert "References unchanged: this version's 2 references were already the article's." in messages_in(response)
    assert public_citations(article) == ORIGINAL


def test_a_view_only_account_cannot_post_a_revert(client, django_user_model):
    article = article_with_two_references()
    article.body = "Second version of the text."
    article.save()
    article.references.filter(order=2).delete()
    user = django_user_model.objects.create_user("viewer", "viewer@example.org", "x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    url = version_url(article, first_version(article))
    page = client.get(url)
    assert page.status_code == 200
    assert ORIGINAL[1] in unescape(page.text) and "Reverting also restores" not in page_text(page)

    data = read_form(page.text, "historicalarticle_form")
    assert client.post(url, {**data, "body": "Changed by a viewer.", "_save": "Revert"}).status_code == 403
    assert public_citations(article) == ORIGINAL[:1]
    assert Article.objects.get().body == "Second version of the text."


@pytest.mark.parametrize("count", [2, 12])
def test_the_revert_page_query_count_does_not_grow_with_references(staff_client, django_assert_num_queries, count):
    article = make_article()
    for order in range(1, count + 1):
        article.references.create(order=order, citation=f"Reference {order}.")
    article.body = "Second version."
    article.save()
    article.references.filter(order=1).delete()
    article.references.create(order=count + 1, citation="Added since.")
    url = version_url(article, first_version(article))
    staff_client.get(url)  # the first request also fills the content-type cache
    # session, user, the version, the topics, foods and forms chosen (autocomplete) and the
    # version's links to them, the article's edit token; then for the references: the next version's
    # time, the references then and now, which of those gone have their id taken, which were added since
    with django_assert_num_queries(QUERIES_REVERT_PAGE):
        response = staff_client.get(url)
    assert page_text(response).count("Reference ") >= count
