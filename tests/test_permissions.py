"""Who may do what: Editors curate content only; other staff see nothing; the public never
reaches the admin or a draft, by any route."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Reference
from supplements.models import FoodEntry, SupplementForm

pytestmark = pytest.mark.django_db


def test_the_editors_group_is_created_by_the_migrations():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    for model in ("article", "topic", "foodentry", "foodgroup", "supplementform", "medicine", "intakereference"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= codenames
    assert "delete_article" not in codenames and "delete_foodentry" not in codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/supplements/foodentry/",
        "/admin/supplements/foodentry/import/",
        "/admin/supplements/supplementform/",
        "/admin/supplements/medicine/",
        "/admin/supplements/intakereference/",
    ],
)
def test_editors_reach_every_content_admin(editor_client, seeded, url):
    assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"])
def test_editors_cannot_touch_users_groups_or_permissions(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_editors_can_edit_and_restore_but_not_delete_a_food(editor_client, seeded):
    food = FoodEntry.objects.get(slug="almonds-dry-roasted")
    assert editor_client.get(f"/admin/supplements/foodentry/{food.pk}/delete/").status_code == 403
    history = editor_client.get(f"/admin/supplements/foodentry/{food.pk}/history/")
    assert history.status_code == 200
    version = food.history.earliest()
    assert (
        editor_client.get(f"/admin/supplements/foodentry/{food.pk}/history/{version.history_id}/").status_code == 200
    )


def test_staff_without_the_group_see_no_content(client, django_user_model, seeded):
    client.force_login(django_user_model.objects.create_user("temp", "t@example.org", "x", is_staff=True))
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "You don’t have permission to view or edit anything" in index.text
    for url in ("/admin/articles/article/", "/admin/supplements/foodentry/", "/admin/auth/user/"):
        assert client.get(url).status_code == 403


def test_visitors_and_non_staff_never_reach_admin_pages(client, django_user_model, seeded):
    for url in ("/admin/", "/admin/supplements/foodentry/", "/admin/articles/article/add/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("reader", "r@example.org", "x"))
    response = client.get("/admin/supplements/foodentry/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def make_hidden_articles():
    draft = Article.objects.create(
        title="Secret draft zebra", slug="secret-draft", summary="draft zebra", body="## Zebra\n\nzebra text"
    )
    scheduled = Article.objects.create(
        title="Scheduled zebra",
        slug="scheduled-zebra",
        summary="scheduled zebra",
        body="zebra",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=3),
    )
    return draft, scheduled


def test_drafts_and_scheduled_articles_are_invisible_to_the_public_by_every_route(client, seeded):
    draft, scheduled = make_hidden_articles()
    for article in (draft, scheduled):
        assert client.get(f"/articles/{article.slug}/").status_code == 404
    responses = [
        client.get("/"),
        client.get("/articles/"),
        client.get("/articles/", {"q": "zebra"}),
        client.get("/articles/", {"q": "zebra"}, HTTP_HX_REQUEST="true"),
        client.get("/feeds/articles/"),
        client.get("/sitemap.xml"),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Secret draft" not in body and "Scheduled zebra" not in body and "secret-draft" not in body


def test_public_pages_show_no_unpublished_food_or_form(client, seeded):
    FoodEntry.objects.filter(slug="almonds-dry-roasted").update(status="draft")
    from supplements.models import SupplementForm

    form = SupplementForm.objects.get(slug="magnesium-oxide")
    form.status = "draft"
    form.save()
    assert "Almonds, dry roasted" not in client.get("/foods/", {"q": "almond"}).text
    assert "Almonds, dry roasted" not in client.get("/foods/", {"q": "almond"}, HTTP_HX_REQUEST="true").text
    listing = client.get("/supplements/").text
    assert not re.search(r">\s*Magnesium oxide\s*<", listing, re.I)
    assert client.get("/supplements/magnesium-oxide/").status_code == 404
    assert "/supplements/magnesium-oxide/" not in client.get("/sitemap.xml").text


@pytest.mark.parametrize(
    ("url", "model", "action", "published"),
    [
        ("/admin/supplements/foodentry/", FoodEntry, "return_to_draft", lambda food: food.status == "published"),
        (
            "/admin/articles/article/",
            Article,
            "return_to_draft",
            lambda article: article.status == Article.Status.PUBLISHED,
        ),
    ],
)
def test_staff_who_may_only_view_cannot_publish_or_unpublish(
    client, django_user_model, seeded, url, model, action, published
):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("vera", "vera@example.org", "x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename=f"view_{model._meta.model_name}"))
    client.force_login(viewer)
    changelist = client.get(url)
    assert changelist.status_code == 200
    assert f'value="{action}"' not in changelist.text, "the action is not offered"
    item = model.objects.filter(pk__in=[obj.pk for obj in model.objects.all() if published(obj)]).first()
    client.post(url, {"action": action, "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert published(item), "a view-only account changed what the public sees"


@pytest.mark.parametrize(
    ("model", "field"),
    [(FoodEntry, "notes"), (SupplementForm, "summary"), (Reference, "citation")],
)
def test_staff_who_may_only_view_cannot_revert_to_an_old_version(client, django_user_model, seeded, model, field):
    # simple-history hides the Revert button from them; the POST itself must be refused too.
    from django.contrib.auth.models import Permission

    item = model.objects.first()
    before = getattr(item, field)
    setattr(item, field, "Changed after the first version.")
    item.save()
    oldest = item.history.earliest()
    viewer = django_user_model.objects.create_user("vera", "vera@example.org", "x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename=f"view_{model._meta.model_name}"))
    client.force_login(viewer)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{item.pk}/history/{oldest.history_id}/"
    assert client.get(url).status_code == 200, "they may still look at the version"

    response = client.post(url, {field: before, "_save": "Revert"})

    assert response.status_code == 403
    item.refresh_from_db()
    assert getattr(item, field) == "Changed after the first version."
