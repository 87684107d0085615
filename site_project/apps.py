from django.apps import AppConfig
from django.db.models import signals


class SiteProjectConfig(AppConfig):
    """The project package as an app, so the page cache hears content changes in every
    process: app servers, management commands (seed_content) and the shell alike."""

    name = "site_project"
    verbose_name = "Site"

    def ready(self):
        from site_project import cache

        signals.post_save.connect(cache.content_changed, dispatch_uid="page-cache-save")
        signals.post_delete.connect(cache.content_changed, dispatch_uid="page-cache-delete")
        signals.m2m_changed.connect(cache.m2m_changed, dispatch_uid="page-cache-m2m")
        # migrate (a deploy) and flush (between browser tests) change content without model signals.
        signals.post_migrate.connect(cache.bump_after_commit, dispatch_uid="page-cache-migrate")

        from site_project.editors import sync_editors_group, sync_reviewers_group

        # New content models get their Editors permissions on the next migrate.
        signals.post_migrate.connect(sync_editors_group, sender=self, dispatch_uid="editors-group")
        signals.post_migrate.connect(sync_reviewers_group, sender=self, dispatch_uid="reviewers-group")
