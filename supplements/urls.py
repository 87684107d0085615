from django.urls import path

from supplements import views

app_name = "supplements"

urlpatterns = [
    path("foods/", views.food_list, name="foods"),
    path("supplements/", views.form_list, name="list"),
    # The fixed pages come before the <slug> route, so no form's page can hide them.
    path("supplements/safety/", views.safety, name="safety"),
    path("supplements/calculator/", views.calculator, name="calculator"),
    path("supplements/medicines/", views.medicines, name="medicines"),
    path("supplements/<slug:slug>/", views.form_detail, name="detail"),
]
