"""The "Editors" group: people who curate content, and nothing else.

Editors can add, change and view every content model of the articles and supplements apps,
and restore an earlier version from the history (which needs only "change"). They can
delete the small rows edited inline (references, use tags) but not whole articles, foods or
forms: those are unpublished instead, so nothing an editor does is irreversible. Users,
groups and permissions stay with superusers.

The group is created by a migration (site_project/migrations) and kept in step with new
content models after every `migrate` (post_migrate, see site_project/apps.py).
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions

GROUP_NAME = "Editors"
# Inline rows an editor may remove while editing their parent.
DELETABLE = {"reference", "supplementreference", "supplementuse", "topic"}


def editor_codenames(app_models):
    codenames = []
    for model_name in app_models:
        if model_name.startswith("historical"):
            continue  # history is browsed and restored through the parent's admin
        actions = ["add", "change", "view"] + (["delete"] if model_name in DELETABLE else [])
        codenames.extend(f"{action}_{model_name}" for action in actions)
    return codenames


def sync_editors_group(apps=global_apps, verbosity=0, **kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = []
    for label in settings.CONTENT_APPS:
        config = apps.get_app_config(label)
        # On a fresh database permissions are made after all migrations; make them now.
        # (A migration's app registry has no models module; create_permissions needs one set.)
        config.models_module = getattr(config, "models_module", None) or True
        create_permissions(config, verbosity=verbosity, apps=apps)
        model_names = [model._meta.model_name for model in config.get_models()]
        wanted += list(
            Permission.objects.filter(
                content_type__app_label=label, codename__in=editor_codenames(model_names)
            ).values_list("pk", flat=True)
        )
    # What `manage.py check_references` found, so editors can fix broken links (view only).
    try:
        apps.get_model("site_project", "LinkCheck")
    except LookupError:
        pass  # during the migrations, before the table exists; post_migrate adds it
    else:
        config = apps.get_app_config("site_project")
        config.models_module = getattr(config, "models_module", None) or True
        create_permissions(config, verbosity=verbosity, apps=apps)
        # And the site pages (About, Privacy, ...), edited as any content is (site pages are never deleted).
        codenames = ["view_linkcheck", "add_sitepage", "change_sitepage", "view_sitepage"]
        wanted += list(
            Permission.objects.filter(content_type__app_label="site_project", codename__in=codenames).values_list(
                "pk", flat=True
            )
        )
    # People (authors and reviewers) are edited by editors too; marking content reviewed is not theirs.
    wanted += site_project_permissions(apps, verbosity, ["add_person", "change_person", "view_person"])
    group.permissions.add(*wanted)
    return group


def site_project_permissions(apps, verbosity, codenames):
    """Primary keys of site_project permissions, made first if need be; empty before the model exists."""
    Permission = apps.get_model("auth", "Permission")
    try:
        apps.get_model("site_project", "Person")
    except LookupError:
        return []  # during the migrations, before the table exists; post_migrate adds it
    config = apps.get_app_config("site_project")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, verbosity=verbosity, apps=apps)
    return list(
        Permission.objects.filter(content_type__app_label="site_project", codename__in=codenames).values_list(
            "pk", flat=True
        )
    )


REVIEWERS_GROUP = "Reviewers"
# What a medical reviewer opens and marks reviewed (each model takes site_project.models.Reviewable).
REVIEWED_MODELS = {
    "articles": ["article", "finding"],
    "supplements": ["foodentry", "supplementform", "medicine", "intakereference"],
}


def sync_reviewers_group(apps=global_apps, verbosity=0, **kwargs):
    """The "Reviewers" group: may mark content medically reviewed (site_project.mark_reviewed), and view and
    change the reviewed content (an admin action needs "change"). Give an editor who is also a qualified
    reviewer both groups."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    wanted = site_project_permissions(apps, verbosity, ["mark_reviewed", "view_person"])
    for label, model_names in REVIEWED_MODELS.items():
        codenames = [f"{action}_{name}" for name in model_names for action in ("view", "change")]
        wanted += list(
            Permission.objects.filter(content_type__app_label=label, codename__in=codenames).values_list(
                "pk", flat=True
            )
        )
    group.permissions.add(*wanted)
    return group
