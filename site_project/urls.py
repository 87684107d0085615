import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles.feeds import LatestArticlesFeed
from site_project import views
from site_project.models import SITE_PAGES
from site_project.sitemaps import SITEMAPS
from supplements import planner

admin.site.site_header = "Magnesium & Nerve Health: editors"
admin.site.site_title = "Magnesium & Nerve Health admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("sources/", views.sources, name="sources"),
    path("people/", views.people, name="people"),  # who writes and reviews: every byline links here
    path("", include("articles.urls")),
    path("feeds/articles/", LatestArticlesFeed(), name="article_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include("supplements.urls")),
    path("planner/", planner.planner, name="planner"),  # My magnesium day (issue 16): supplements/planner.py
    # About, Editorial policy, Corrections, Funding, Privacy, Contact: /about/ and so on.
    re_path(rf"^(?P<slug>{'|'.join(slug for slug, _title in SITE_PAGES)})/$", views.site_page, name="site_page"),
]

# Uploaded photos, when this process serves them (SERVE_MEDIA: on under `make run`); checked per request.
urlpatterns.append(re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", views.media, name="media"))
