from django.shortcuts import render
from django.views.decorators.http import require_GET

from supplements.models import FoodEntry, SupplementForm


@require_GET
def food_list(request):
    foods = FoodEntry.objects.published().select_related("group")
    return render(request, "supplements/food_list.html", {"foods": foods})


@require_GET
def form_list(request):
    forms = SupplementForm.objects.published()
    return render(request, "supplements/form_list.html", {"forms": forms})
