"""The launch article, loaded by `manage.py seed_content`.

The body is the site owner's text, word for word, in articles/data/launch_article.md (its
sections as headings). Seeding only ever adds: if an article with the launch slug exists,
nothing about it is touched, so an editor's corrections survive every later run.
"""

from pathlib import Path

from django.db import transaction

from articles.models import Article, Topic
from supplements.models import FoodEntry, SupplementForm

DATA_DIR = Path(__file__).resolve().parent / "data"

EDITORS = "Magnesium & Nerve Health editors"

TOPICS = [
    (
        "neuropathy",
        "Neuropathy",
        "Peripheral neuropathy: damage to the nerves outside the brain and spinal cord, its symptoms and causes.",
    ),
    (
        "magnesium",
        "Magnesium",
        "The mineral magnesium: what it does in the body, how much people need and where it comes from.",
    ),
    (
        "nutrition",
        "Nutrition",
        "Getting magnesium from food: which foods hold the most, per serving and per 100 g.",
    ),
    (
        "supplements",
        "Supplements",
        "Magnesium supplements: the forms on sale, how well they are absorbed, safe amounts and medicines to watch.",
    ),
]

LAUNCH_ARTICLE = {
    # The owner's title for the launch article (shared/seeds/README.md).
    "slug": "magnesium-and-peripheral-neuropathy",
    "title": "Magnesium and peripheral neuropathy",
    # The owner's own sentences, shortened to fit lists and feeds.
    "summary": (
        "Peripheral neuropathy involves damage to the nerves outside the brain and spinal cord. "
        "This article explores the connection between magnesium and nerve health, particularly concerning neuropathy."
    ),
    "author": EDITORS,
    # The owner's text stays word for word; where its statements go beyond the site's sources, say so.
    "evidence_note": (
        "The references below back what this article says about magnesium-rich foods, supplement forms and "
        "the effects of too much magnesium, with two precisions: those effects come from supplements and "
        "medicines, as magnesium from food has not been shown to cause harm; and the NIH fact sheet names "
        "aspartate, citrate, lactate and chloride as absorbed more completely than oxide, while for "
        "glycinate the human data are limited. The background on neuropathy and on magnesium's roles in "
        "nerve cells (“Understanding Neuropathy”, “Magnesium's Function in Nerve Health”) and the possible "
        "benefits described under “Magnesium as a Neuropathy Intervention” (for diabetic or "
        "chemotherapy-induced neuropathy, restless legs, pain signalling and nerve regeneration) are not yet "
        "backed by a reference on this site: treat the benefits as possibilities to discuss with your "
        "doctor, not as an established treatment."
    ),
}

# Only sources from the site's reference data (supplements/data/), each backing statements in the text.
REFERENCES = [
    {
        "citation": (
            "NIH Office of Dietary Supplements. Magnesium: Fact Sheet for Health Professionals. "
            "Food sources (Table 2); supplement forms and their absorption; interactions with medicines; "
            "the effects of too much magnesium."
        ),
        "url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
        "publisher": "National Institutes of Health, Office of Dietary Supplements",
        "year": None,
    },
    {
        "citation": (
            "Institute of Medicine. Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D, "
            "and Fluoride, magnesium chapter: adverse effects of magnesium from supplements (diarrhea, "
            "nausea, abdominal cramping) and the Upper Level for supplemental magnesium."
        ),
        "url": "https://doi.org/10.17226/5776",
        "publisher": "National Academy Press",
        "year": 1997,
    },
    {
        "citation": (
            "Schwalfenberg GK, Genuis SJ. The Importance of Magnesium in Clinical Healthcare. "
            "Scientifica 2017:4179326 (Table 6: supplement forms)."
        ),
        "url": "https://doi.org/10.1155/2017/4179326",
        "publisher": "Scientifica",
        "year": 2017,
    },
    {
        "citation": "Gröber U. Magnesium and Drugs. Int J Mol Sci 2019;20(9):2094.",
        "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC6539869/",
        "publisher": "International Journal of Molecular Sciences",
        "year": 2019,
    },
    {
        "citation": (
            "Memorial Sloan Kettering Cancer Center. About Herbs: Magnesium (who should avoid supplements "
            "without a clinician's supervision)."
        ),
        "url": "https://www.mskcc.org/cancer-care/integrative-medicine/herbs/magnesium",
        "publisher": "Memorial Sloan Kettering Cancer Center",
        "year": None,
    },
    {
        "citation": "Medscape. Hypermagnesemia: clinical presentation (symptoms by serum magnesium level).",
        "url": "https://emedicine.medscape.com/article/766604-clinical",
        "publisher": "Medscape",
        "year": None,
    },
]

# The foods the text names (spinach, almonds, cashews, pumpkin and chia seeds) and one or two
# examples of the whole grains, legumes and dark chocolate it mentions; slugs from magnesium_foods.csv.
FOOD_SLUGS = [
    "spinach-boiled-drained",
    "almonds-dry-roasted",
    "cashews-dry-roasted",
    "pumpkin-seeds-pepitas-roasted",
    "chia-seeds-dried",
    "quinoa-cooked",
    "rice-brown-medium-grain-cooked",
    "black-beans-boiled",
    "dark-chocolate-70-85-cacao-solids",
]
# The supplement forms the text names: citrate, glycinate and oxide.
SUPPLEMENT_FORM_SLUGS = ["magnesium-citrate", "magnesium-glycinate", "magnesium-oxide"]


def launch_article_body():
    return (DATA_DIR / "launch_article.md").read_text(encoding="utf-8")


@transaction.atomic
def seed_topics():
    """Create the four launch topics that do not exist yet (by slug). Returns them by slug."""
    topics = {}
    for slug, name, description in TOPICS:
        topics[slug], _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    return topics


@transaction.atomic
def seed_launch_article():
    """Create the launch article as the first published article, unless its slug exists.

    Returns the new article, or None when it was already there (and left untouched).
    """
    topics = seed_topics()
    if Article.objects.filter(slug=LAUNCH_ARTICLE["slug"]).exists():
        return None
    article = Article(**LAUNCH_ARTICLE, body=launch_article_body(), status=Article.Status.PUBLISHED)
    article._change_reason = "Loaded by seed_content"
    article.save()  # published_at: now
    article.topics.set(topics.values())
    article.foods.set(FoodEntry.objects.filter(slug__in=FOOD_SLUGS))
    article.supplement_forms.set(SupplementForm.objects.filter(slug__in=SUPPLEMENT_FORM_SLUGS))
    for order, reference in enumerate(REFERENCES, start=1):
        article.references.create(order=order, **reference)
    return article
