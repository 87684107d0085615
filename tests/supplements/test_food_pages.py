"""/foods/<slug>/ and /foods/compare/: USDA's figures equal to the files, a featured food beside
its USDA entry with both sources, the comparison with 1, 2, 4 and 5 foods, unknown slugs,
htmx fragment vs full page vs history restore, Vary headers, constant query counts, and the
admin's "feature this USDA food"."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from supplements.models import FoodEntry, USDACode, USDAFood, USDAMeasure
from tests.factories import make_food, seed_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
COMPARE = "/foods/compare/"
PUMPKIN = "12016"  # Seeds, pumpkin and squash seed kernels, roasted, without salt: 550 mg, 574 kcal
SPINACH = "11457"  # Spinach, raw: 79 mg, 23 kcal
BOILED_SPINACH = "11458"
WATER = "14411"  # Beverages, water, tap, drinking: 0 kcal
KIWI = "09520"


def get(client, url, params=None, **headers):
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return response


def text(html):
    """The page's words without tags, spaces collapsed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def notices(html):
    """The items of the page's notice box, as a reader sees them."""
    box = re.search(r'<div class="notice" role="status">(.*?)</div>', html, re.S)
    return [text(item).strip() for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.S)] if box else []


def measure_rows(html):
    body = re.search(r'<table class="measures">.*?</table>', html, re.S).group(0)
    return [text(row).split() for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", body, re.S)]


# --- A USDA food's page -------------------------------------------------------------------------


def test_usda_food_page_figures_equal_the_files(client, usda):
    spinach = usda[SPINACH]
    html = get(client, f"/foods/{spinach.slug}/").text
    words = text(html)
    assert "Spinach, raw" in words and "Vegetables and Vegetable Products" in words
    assert "Per 100 g 79 mg" in words
    worked_out = "worked out by this site, 79 mg ÷ 23 kcal × 100, to 0.1 mg"
    assert f"Per 100 kcal 343.5 mg (23 kcal per 100 g; {worked_out})" in words
    # Every household measure of WEIGHT.txt, with mg = 79 x grams / 100 and %DV against 420 mg.
    assert measure_rows(html) == [
        ["1", "cup", "30", "24", "6%"],
        ["1", "bunch", "340", "269", "64%"],
        ["1", "leaf", "10", "8", "2%"],
        ["1", "package", "(10", "oz)", "284", "224", "53%"],
    ]
    assert USDAMeasure.objects.filter(food=spinach).count() == 4
    # How solid: USDA's number of analyses, standard error and source description.
    assert "Measured: 7 analyses, standard error 4.794 mg" in words
    assert "Source: Analytical or derived from analytical" in words
    # The citation, the release date, the Daily Value's source.
    assert "USDA SR28, NDB 11457." in words and "USDA National Nutrient Database for Standard Reference" in words
    assert "released September 2015" in words
    assert "420 mg label Daily Value" in words and "81 FR 33742" in words
    assert "kidneys" in words
    # Links: to the featured food that uses it, to the list and to the comparison.
    assert 'href="/foods/spinach-raw/"' in html
    assert 'href="/foods/"' in html and f'href="/foods/compare/?food={spinach.slug}"' in html


def test_pumpkin_seeds_per_100g_and_per_100kcal(client, usda):
    words = text(get(client, f"/foods/{usda[PUMPKIN].slug}/").text)
    assert "Per 100 g 550 mg" in words and "Per 100 kcal 95.8 mg (574 kcal per 100 g; worked out" in words
    assert "Measured: 2 analyses" in words and "standard error" not in words.split("Measured: 2 analyses")[1][:30]
    assert "derivation: Analytical data" in words


def test_per_100kcal_is_a_dash_where_energy_is_zero(client, usda):
    words = text(get(client, f"/foods/{usda[WATER].slug}/").text)
    assert "Per 100 kcal – (0 kcal per 100 g: per 100 kcal is undefined)" in words


def test_a_calculated_value_says_so(client, usda):
    food = usda[KIWI]
    calculated = USDACode.objects.get(kind="source", code="4")  # SRC_CD 4: Calculated or imputed
    USDAFood.objects.filter(pk=food.pk).update(
        analyses=0, standard_error=None, reference_ndb_number="09148", source_code=calculated
    )
    words = text(get(client, f"/foods/{food.slug}/").text)
    assert "No count of analyses: calculated or imputed (USDA's source code 4) (worked out from NDB 09148)" in words


def test_no_count_of_analyses_is_not_called_calculated_when_usda_says_analytical(client, usda):
    """USDA counts no analyses behind some analytical values (cottage cheese, 01016): source code 1."""
    food = usda[KIWI]
    analytical = USDACode.objects.get(kind="source", code="1")
    USDAFood.objects.filter(pk=food.pk).update(analyses=0, standard_error=None, source_code=analytical)
    words = text(get(client, f"/foods/{food.slug}/").text)
    assert "No count of analyses: analytical, analyses not counted (USDA's source code 1)" in words
    assert "alculated" not in words.split("How solid")[-1].split("Source")[0]


def test_unknown_slug_is_a_404(client, usda):
    assert client.get("/foods/no-such-food-12345/").status_code == 404


# --- A featured food's page ---------------------------------------------------------------------


def test_featured_food_page_shows_both_figures_both_sources_and_links(client, usda):
    entry = FoodEntry.objects.get(slug="pumpkin-seeds-pepitas-roasted")
    html = get(client, "/foods/pumpkin-seeds-pepitas-roasted/").text
    words = text(html)
    curated = text(re.search(r'<tr class="figure-curated">.*?</tr>', html, re.S).group(0))
    usda_row = text(re.search(r'<tr class="figure-usda">.*?</tr>', html, re.S).group(0))
    assert "156 mg in 1 oz (28.35 g)" in curated and "550 mg" in curated
    assert "NIH ODS Magnesium Fact Sheet" in curated  # the curated figure's own source
    assert f"Last updated {entry.updated_at:%-d %B %Y}" in curated
    assert f'<time datetime="{entry.updated_at:%Y-%m-%d}">' in html  # a valid HTML date (no microseconds)
    assert "USDA SR28" in usda_row and "550 mg" in usda_row and "USDA SR28, NDB 12016" in usda_row
    assert "released September 2015" in usda_row
    assert f'href="/foods/{usda[PUMPKIN].slug}/"' in html  # to the USDA entry's own page
    # USDA's entry below with every measure: 1 oz = 28.35 g, 156 mg (the NIH figure too), 37% DV.
    assert measure_rows(html) == [["1", "cup", "118", "649", "155%"], ["1", "oz", "28.35", "156", "37%"]]
    assert "Per 100 kcal 95.8 mg" in words
    # And the USDA entry's page links back.
    assert 'href="/foods/pumpkin-seeds-pepitas-roasted/"' in get(client, f"/foods/{usda[PUMPKIN].slug}/").text


def test_featured_food_without_usda_link(client, usda):
    html = get(client, "/foods/chia-seeds-dried/").text
    assert "not linked to a USDA SR28 entry" in html and 'class="measures"' not in html


def test_a_draft_featured_food_is_hidden_from_visitors_and_previewed_by_staff(staff_client, usda):
    FoodEntry.objects.filter(slug="spinach-raw").update(status="draft")
    client = Client()
    assert client.get("/foods/spinach-raw/").status_code == 404
    response = staff_client.get("/foods/spinach-raw/")
    assert response.status_code == 200 and "Not published" in response.text
    assert response["X-Robots-Tag"] == "noindex" and "no-cache" in response["Cache-Control"]
    # The draft is not named on its USDA entry's public page.
    assert "/foods/spinach-raw/" not in get(client, f"/foods/{usda[SPINACH].slug}/").text


def add_measures(food, n):
    USDAMeasure.objects.filter(food=food).delete()
    USDAMeasure.objects.bulk_create(
        USDAMeasure(food=food, sequence=i, amount=1, description=f"piece {i}", grams=Decimal(i))
        for i in range(1, n + 1)
    )


@pytest.mark.parametrize("n", [1, 30])
def test_food_page_query_count_is_constant_however_many_measures(client, usda, django_assert_num_queries, n):
    """Featured page: the entry with its USDA food (one join) and the measures. USDA page: no entry
    (one query), the USDA food, its measures, its published featured entries."""
    add_measures(usda[PUMPKIN], n)
    with django_assert_num_queries(2):
        html = get(client, "/foods/pumpkin-seeds-pepitas-roasted/").text
    assert len(measure_rows(html)) == n
    with django_assert_num_queries(4):
        html = get(client, f"/foods/{usda[PUMPKIN].slug}/").text
    assert len(measure_rows(html)) == n


# --- The comparison ------------------------------------------------------------------------------


def columns(html):
    return [text(name).strip() for name in re.findall(r'<li class="compare-column">\s*<h3>(.*?)</h3>', html, re.S)]


def bars(html):
    return re.findall(r'<span class="compare-bar" aria-hidden="true"><span class="w-(\d+)"></span>', html)


def test_compare_two_foods_side_by_side_with_sources_and_bars(client, usda):
    spinach, pumpkin = usda[SPINACH], usda[PUMPKIN]
    html = get(client, COMPARE, {"food": [pumpkin.slug, spinach.slug]}).text
    assert columns(html) == ["Seeds, pumpkin and squash seed kernels, roasted, without salt", "Spinach, raw"]
    words = text(html)
    # Per 100 g, per serving (USDA's first measure) and per 100 kcal, each with its source.
    assert "Per 100 g 550 mg Source: USDA SR28, NDB 12016" in words
    assert "Per 100 g 79 mg Source: USDA SR28, NDB 11457" in words
    assert "Per serving 649 mg in 1 cup (118 g)" in words and "Per serving 24 mg in 1 cup (30 g)" in words
    assert "Per 100 kcal 95.8 mg (17 g hold 100 kcal) Source: USDA SR28, NDB 12016: 574 kcal per 100 g" in words
    assert "Per 100 kcal 343.5 mg (435 g hold 100 kcal)" in words  # 10,000 / 23 kcal per 100 g
    # Servings of different sizes side by side: the page says so and points to per 100 g.
    assert "Servings differ in size from food to food" in words and "per 100 g compares like with like" in words
    # Each basis scaled to its largest: 550 vs 79 (14%), 649 vs 24 (4%), 95.8 vs 343.5 (28%).
    assert bars(html) == ["100", "100", "28", "14", "4", "100"]
    assert "style=" not in html
    # Each column's remove link keeps the other food.
    assert f'href="/foods/compare/?food={spinach.slug}"' in html
    assert f'href="/foods/compare/?food={pumpkin.slug}"' in html
    assert "notice" not in html.split('id="results"')[1].split("compare-columns")[0]


def test_compare_a_featured_food_with_its_own_figures_and_sources(client, usda):
    html = get(client, COMPARE, {"food": ["pumpkin-seeds-pepitas-roasted", usda[WATER].slug]}).text
    words = text(html)
    assert "Per serving 156 mg in 1 oz (28.35 g) Source: NIH ODS Magnesium Fact Sheet" in words
    source = "Source: USDA SR28, NDB 12016: 550 mg magnesium and 574 kcal per 100 g"
    assert f"Per 100 kcal 95.8 mg (17 g hold 100 kcal) {source}" in words
    # Water: 0 kcal, so per 100 kcal is a dash with its reason, and an empty bar.
    assert "Per 100 kcal – Source: USDA SR28, NDB 14411: the energy is 0 kcal" in words
    # The byline names both kinds of figures: USDA's, and a featured food's own source.
    curated = "USDA’s food database (SR28) and, for featured foods, each one’s own named source"
    assert f"Figures from {curated}" in words
    usda_only = text(get(client, COMPARE, {"food": [usda[WATER].slug, usda[SPINACH].slug]}).text)
    assert "Figures from USDA’s food database (SR28), as published" in usda_only and curated not in usda_only


def test_compare_a_featured_food_whose_source_gives_no_per_100g_figure(client, usda):
    """An editor's food with only a per-serving figure: the site works it out and says so."""
    food = make_food(
        name="Oat bran, cooked",
        slug="oat-bran-cooked",
        magnesium_mg=Decimal("88"),
        serving_grams=Decimal("219"),
        magnesium_per_100g=None,
    )
    words = text(get(client, COMPARE, {"food": [food.slug, usda[SPINACH].slug]}).text)
    assert "Per 100 g 40 mg Source: Worked out by this site from the serving (88 mg in 219 g)." in words


def test_compare_one_food_asks_for_another(client, usda):
    html = get(client, COMPARE, {"food": usda[SPINACH].slug}).text
    assert columns(html) == ["Spinach, raw"]
    assert "Add one more food to compare it with Spinach, raw: search for one below." in text(html)
    assert 'name="q"' in html and f'<input type="hidden" name="food" value="{usda[SPINACH].slug}">' in html


def test_compare_no_food(client, usda):
    html = get(client, COMPARE).text
    assert columns(html) == [] and "Choose two to four foods to compare" in html
    assert "Magnesium in two to four foods side by side, per 100 g" in html  # the lead, in the same words


def test_compare_a_food_listed_twice_shows_it_once_with_a_notice(client, usda):
    spinach, pumpkin = usda[SPINACH].slug, usda[PUMPKIN].slug
    for headers in ({}, HTMX):
        html = get(client, COMPARE, {"food": [spinach, pumpkin, spinach]}, **headers).text
        assert columns(html) == ["Spinach, raw", "Seeds, pumpkin and squash seed kernels, roasted, without salt"]
        assert notices(html) == ["“Spinach, raw” was listed twice: shown once."]
    html = get(client, COMPARE, {"food": [pumpkin, spinach, pumpkin, pumpkin]}).text
    assert notices(html) == [
        "“Seeds, pumpkin and squash seed kernels, roasted, without salt” was listed three times: shown once."
    ]
    # The other food's "Remove" link keeps it once.
    assert f'href="/foods/compare/?food={pumpkin}" data-hx-get' in html


def test_compare_four_and_five_foods(client, usda):
    slugs = [usda[ndb].slug for ndb in (PUMPKIN, SPINACH, BOILED_SPINACH, WATER, KIWI)]
    html = get(client, COMPARE, {"food": slugs[:4]}).text
    assert len(columns(html)) == 4 and "Up to four" not in html
    assert "Four foods is the most this page compares: remove one to add another." in html
    html = get(client, COMPARE, {"food": slugs}).text
    assert len(columns(html)) == 4
    assert (
        "Up to four foods can be compared at once: showing the first four; left out: Kiwifruit, ZESPRI SunGold, raw."
        in text(html)
    )


def test_unknown_and_malformed_slugs_are_dropped_with_a_notice(client, usda):
    for headers in ({}, HTMX):
        response = client.get(
            COMPARE, {"food": ["nope", usda[SPINACH].slug, "<script>x</script>", usda[PUMPKIN].slug]}, **headers
        )
        assert response.status_code == 200
        assert columns(response.text) == [
            "Spinach, raw",
            "Seeds, pumpkin and squash seed kernels, roasted, without salt",
        ]
        assert "We have no food “nope”, “&lt;script&gt;x&lt;/script&gt;”: ignored." in response.text
        assert "<script>x" not in response.text


def test_search_offers_add_links_that_keep_the_foods(client, usda):
    spinach = usda[SPINACH]
    html = get(client, COMPARE, {"food": spinach.slug, "q": "spin"}).text
    # Featured foods first, then USDA's; the food already compared is not offered again.
    added = re.findall(
        r'<a href="(/foods/compare/\?[^"]+)" data-hx-get="[^"]+">Add<span class="visually-hidden"> ([^<]+)<', html
    )
    names = [name for _, name in added]
    assert names == ["Spinach, boiled, drained", "Spinach, raw", "Spinach, cooked, boiled, drained, without salt"]
    url = added[0][0].replace("&amp;", "&")
    assert url == f"/foods/compare/?food={spinach.slug}&food=spinach-boiled-drained"
    assert columns(get(client, url).text) == ["Spinach, raw", "Spinach, boiled, drained"]
    assert "No food matches “zzzz”" in get(client, COMPARE, {"q": "zzzz"}).text


def test_bad_search_text_is_ignored_with_a_notice(client, usda):
    for q in ("x" * 500, "sp\x00in"):
        response = client.get(COMPARE, {"food": usda[SPINACH].slug, "q": q})
        assert response.status_code == 200 and "The search text could not be used" in response.text


def test_htmx_fragment_full_page_and_history_restore(client, usda):
    params = {"food": [usda[SPINACH].slug, usda[PUMPKIN].slug]}
    fragment = get(client, COMPARE, params, **HTMX)
    assert fragment.text.lstrip().startswith('<section id="results"') and "<html" not in fragment.text
    assert len(columns(fragment.text)) == 2
    restore = get(client, COMPARE, params, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.text and len(columns(restore.text)) == 2
    for response in (fragment, restore, get(client, COMPARE, params)):
        assert "HX-Request" in response["Vary"] and "HX-History-Restore-Request" in response["Vary"]


@pytest.mark.parametrize("n", [2, 4])
def test_compare_query_count_is_constant(client, usda, django_assert_num_queries, n):
    """Featured foods (with their USDA entry joined), then USDA foods; a search adds two."""
    slugs = ["pumpkin-seeds-pepitas-roasted", *(usda[ndb].slug for ndb in (SPINACH, WATER, KIWI))][:n]
    with django_assert_num_queries(2):
        assert len(columns(get(client, COMPARE, {"food": slugs}).text)) == n
    with django_assert_num_queries(4):
        assert len(columns(get(client, COMPARE, {"food": slugs, "q": "spinach"}, **HTMX).text)) == n


# --- Admin: feature a USDA food ----------------------------------------------------------------------


def test_admin_features_a_usda_food_as_a_draft_with_the_chosen_measure(staff_client, usda):
    kiwi = usda[KIWI]
    before = USDAFood.objects.filter(pk=kiwi.pk).values().get()
    change_page = staff_client.get(f"/admin/supplements/usdafood/{kiwi.pk}/change/").text
    assert f'href="/admin/supplements/usdafood/{kiwi.pk}/feature/"' in change_page
    url = f"/admin/supplements/usdafood/{kiwi.pk}/feature/"
    form = staff_client.get(url).text
    measure = kiwi.measures.get(sequence=1)
    assert f"{measure.text} = {measure.grams_text} g" in form
    group = FoodEntry.objects.get(slug="spinach-raw").group
    response = staff_client.post(url, {"name": "Kiwifruit, gold", "group": group.pk, "measure": measure.pk})
    entry = FoodEntry.objects.get(slug="kiwifruit-gold")
    assert response.status_code == 302 and response["Location"] == f"/admin/supplements/foodentry/{entry.pk}/change/"
    assert entry.status == "draft" and not entry.is_public and entry.usda_food == kiwi
    assert entry.serving == measure.text and entry.serving_grams == measure.grams
    assert entry.magnesium_mg == (kiwi.magnesium_per_100g * measure.grams / 100).quantize(Decimal("0.1"))
    assert entry.magnesium_per_100g == kiwi.magnesium_per_100g
    assert entry.source.startswith("USDA SR28, NDB 09520") and "Standard Reference, Release 28" in entry.source
    assert USDAFood.objects.filter(pk=kiwi.pk).values().get() == before  # USDA's row unchanged
    # The draft is not public until the editor publishes it.
    assert staff_client.get("/foods/kiwifruit-gold/").status_code == 200
    staff_client.logout()
    assert staff_client.get("/foods/kiwifruit-gold/").status_code == 404
    staff_client.force_login(staff_client.user)
    # Featuring it again with the same name in the same group is refused with the reason.
    again = staff_client.post(url, {"name": "Kiwifruit, gold", "group": group.pk, "measure": measure.pk})
    assert again.status_code == 200 and "This group already has a food with that name." in again.text


def test_the_feature_form_labels_read_as_labels(staff_client, usda):
    form = staff_client.get(f"/admin/supplements/usdafood/{usda[KIWI].pk}/feature/").text
    labels = re.findall(r'<label for="id_(\w+)"[^>]*>([^<]+)</label>', form)
    assert dict(labels)["name"] == "Name:" and dict(labels)["group"] == "Food group on the site:"
    assert re.search(r"<legend>Serving</legend>", form)


def test_feature_needs_permission_to_add_foods(client, django_user_model, usda):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(f"/admin/supplements/usdafood/{usda[KIWI].pk}/feature/").status_code == 403


def test_the_main_menu_marks_foods_as_the_current_section(client, usda):
    for url in ("/foods/spinach-raw/", COMPARE, "/foods/"):
        html = get(client, url).text
        assert re.search(r'href="/foods/" aria-current="page">Foods<', html), url
        assert 'href="/supplements/" aria-current="page"' not in html, url
    assert 'href="/supplements/" aria-current="page"' in get(client, "/supplements/").text


def test_no_featured_food_slug_can_hide_a_page(seeded):
    """/foods/compare/ comes before /foods/<slug>/, and a featured food's slug wins over a USDA
    food's: USDA slugs end in their 5-digit NDB number, featured ones must not look like that."""
    slugs = list(FoodEntry.objects.values_list("slug", flat=True))
    assert len(slugs) == len(seed_data("magnesium_foods.csv"))  # every featured food the seed read
    assert "compare" not in slugs
    assert not [slug for slug in slugs if re.search(r"(^|-)\d{5}$", slug)]


def test_the_changelist_action_features_one_selected_food(staff_client, usda):
    kiwi = usda[KIWI]
    changelist = "/admin/supplements/usdafood/"
    assert "Feature the selected USDA food on the site" in staff_client.get(changelist).text
    response = staff_client.post(changelist, {"action": "feature_selected", "_selected_action": [kiwi.pk]})
    assert response.status_code == 302 and response["Location"] == f"/admin/supplements/usdafood/{kiwi.pk}/feature/"
    two = [kiwi.pk, usda[SPINACH].pk]
    response = staff_client.post(changelist, {"action": "feature_selected", "_selected_action": two}, follow=True)
    assert "Select one food to feature" in response.text and not FoodEntry.objects.filter(usda_food=kiwi).exists()


def test_a_food_page_says_what_kidney_disease_changes(client, usda):
    html = text(client.get(f"/foods/{usda[SPINACH].slug}/").text)
    assert "With kidney disease, ask your doctor before taking any magnesium supplement, antacid or laxative" in html
    assert "do not work well" not in html


def test_every_food_page_is_in_the_sitemap_with_its_last_change(client, usda):
    FoodEntry.objects.filter(slug="almonds-dry-roasted").update(status=FoodEntry.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    for food in usda.values():
        assert f"/foods/{food.slug}/</loc>" in xml
    assert "/foods/pumpkin-seeds-pepitas-roasted/</loc>" in xml
    assert "/foods/almonds-dry-roasted/</loc>" not in xml  # a draft stays out
    assert "/planner/</loc>" in xml
    spinach = usda[SPINACH]
    entry = re.search(rf"<url><loc>[^<]*/foods/{spinach.slug}/</loc><lastmod>([^<]+)</lastmod>", xml)
    assert entry and entry.group(1) == spinach.imported_at.date().isoformat()


# --- The food search (the comparison's and the planner's): the start of a word, as /foods/ ---------


@pytest.fixture
def usda_named(tmp_path, seeded):
    """The sample, almonds and salmon, and a beef cut USDA also calls "Spinalis dorsi, URMIS #2069"."""
    from tests.factories import ALMONDS, SALMON, SAMPLE, import_usda

    return import_usda(tmp_path / "sr28", [*SAMPLE, ALMONDS, SALMON, RIBEYE_CAP])


RIBEYE_CAP = "23267"  # Beef, ribeye cap steak, ..., choice, cooked, grilled; ComName "Spinalis dorsi, URMIS #2069"


def compare_matches(html):
    """The offered foods as a reader reads them: 'name (kind; its page)'."""
    block = re.search(r'<ul class="compare-matches".*?</ul>', html, re.S)
    items = re.findall(r"<li>(.*?)</li>", block.group(0), re.S) if block else []
    return [re.sub(r" \)", ")", text(item)).replace("Add ", "", 1).strip() for item in items]


def test_compare_search_is_the_start_of_a_word_for_featured_and_usda_foods(client, usda_named):
    found = compare_matches(get(client, COMPARE, {"q": "alm"}).text)
    assert not [name for name in found if "Salmon" in name], found
    assert found[0].startswith("Almonds, dry roasted Almonds, dry roasted (Featured food;")
    assert any(name.startswith("Nuts, almonds") for name in found)
    # "whole-wheat": a hyphen starts a word, as in USDA's search.
    wheat = compare_matches(get(client, COMPARE, {"q": "wheat"}).text)
    assert any(name.startswith("Bread, whole-wheat") for name in wheat)


def test_compare_search_ranks_description_matches_first_and_names_the_other_name(client, usda_named):
    found = compare_matches(get(client, COMPARE, {"q": "spin"}).text)
    usda = [name for name in found if "USDA SR28" in name]
    first = [name.split(" Spinach")[0] for name in usda[:2]]
    assert first == ["Spinach, cooked, boiled, drained, without salt", "Spinach, raw"]
    assert usda[0].endswith("(USDA SR28; its page)")
    assert usda[-1].startswith("Beef, ribeye cap steak")
    assert usda[-1].endswith("(USDA SR28; USDA also calls it “Spinalis dorsi, URMIS #2069”; its page)")
    assert get(client, COMPARE, {"q": "(("}).text.count("No food matches “((”") == 1


# --- Per 100 kcal: worked out by this site, shown to 0.1 mg everywhere -------------------------------


def test_per_100kcal_text_is_to_a_tenth_of_a_mg_halves_up_without_a_trailing_zero():
    from supplements.food_pages import per_100kcal_text

    assert per_100kcal_text(Decimal("79"), Decimal("23")) == "343.5"  # 343.478...
    assert per_100kcal_text(Decimal("430"), Decimal("100")) == "430"  # not "430.00" nor "430.0"
    assert per_100kcal_text(Decimal("12.25"), Decimal("100")) == "12.3"  # halves up, as the site rounds mg
    assert per_100kcal_text(Decimal("5"), Decimal("0")) is None and per_100kcal_text(Decimal("5"), None) is None


def test_a_whole_per_100kcal_figure_reads_the_same_on_the_list_the_food_page_and_the_comparison(client, usda):
    pumpkin = usda[PUMPKIN]  # featured as "Pumpkin seeds (pepitas), roasted"
    USDAFood.objects.filter(pk=pumpkin.pk).update(
        magnesium_per_100g=Decimal("430"), kcal_per_100g=Decimal("100"), mg_per_100kcal=Decimal("430.00")
    )
    featured = text(get(client, "/foods/", {"basis": "100kcal"}).text)
    usda_list = text(get(client, "/foods/", {"basis": "100kcal", "scope": "all"}).text)
    page = text(get(client, f"/foods/{pumpkin.slug}/").text)
    compared = text(get(client, COMPARE, {"food": ["pumpkin-seeds-pepitas-roasted", pumpkin.slug]}).text)
    assert "Per 100 kcal: 430 mg, from its USDA entry" in featured
    assert "Per 100 kcal: 430 mg (430 mg ÷ 100 kcal × 100, to 0.1 mg)." in usda_list
    assert "Per 100 kcal 430 mg (100 kcal per 100 g; worked out by this site" in page
    assert compared.count("430 mg (100 g hold 100 kcal)") == 2
    assert "shown to 0.1 mg" in compared
    for html in (featured, usda_list, page, compared):
        assert "430.0" not in html
