from django.urls import path

from articles.views import article_detail, article_list, condition_detail, evidence

app_name = "articles"

urlpatterns = [
    path("articles/", article_list, name="list"),
    path("articles/<slug:slug>/", article_detail, name="detail"),
    path("evidence/", evidence, name="evidence"),
    path("evidence/<slug:slug>/", condition_detail, name="condition"),
]
