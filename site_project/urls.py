from django.contrib import admin
from django.urls import include, path

from site_project import views

admin.site.site_header = "Magnesium & Nerve Health: editors"
admin.site.site_title = "Magnesium & Nerve Health admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("sources/", views.sources, name="sources"),
    path("", include("articles.urls")),
    path("", include("supplements.urls")),
]
