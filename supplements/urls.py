from django.urls import path

from supplements import views

app_name = "supplements"

urlpatterns = [
    path("foods/", views.food_list, name="foods"),
    path("supplements/", views.form_list, name="list"),
]
