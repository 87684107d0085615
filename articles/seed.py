"""The launch article, loaded by `manage.py seed_content`.

The body is the site owner's text, word for word, in articles/data/launch_article.md (its
sections as headings). Seeding only ever adds: if an article with the launch slug exists,
nothing about it is touched, so an editor's corrections survive every later run.
"""

import csv
import datetime
import re
from pathlib import Path

from django.db import transaction

from articles.models import Article, ArticleFinding, Condition, Finding, Topic
from supplements.models import FoodEntry, SupplementForm

DATA_DIR = Path(__file__).resolve().parent / "data"

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

# The launch article's evidence note as first seeded. Migration 0007_launch_article_evidence_note
# replaces it with EVIDENCE_NOTE_OF_0007 in databases where no editor has changed it.
EVIDENCE_NOTE_2026_11_25 = (
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
)
# The note as migration 0007 left it. Migration 0012_launch_article_note_children_infants_pregnancy replaces it
# with EVIDENCE_NOTE where no editor has changed it.
EVIDENCE_NOTE_OF_0007 = (
    "The references below back what this article says about magnesium-rich foods, supplement forms and "
    "the effects of too much magnesium, with two precisions: those effects come from supplements and "
    "medicines, as magnesium from food has not been shown to cause harm; and the NIH fact sheet names "
    "aspartate, citrate, lactate and chloride as absorbed more completely than oxide, while for "
    "glycinate the human data are limited. The background on neuropathy and on magnesium's roles in "
    "nerve cells (“Understanding Neuropathy”, “Magnesium's Function in Nerve Health”) is not yet backed "
    "by a reference on this site.\n"
    "The possible benefits under “Magnesium as a Neuropathy Intervention” go further than the studies "
    "shown beside those paragraphs. Chemotherapy-induced neuropathy: the largest trial (353 patients) "
    "found no benefit from calcium and magnesium drips, and ASCO's guideline says clinicians should not "
    "offer calcium/magnesium to prevent it. Diabetic neuropathy: there are small trials only, and the "
    "American Diabetes Association finds no benefit from supplements for people with diabetes who have "
    "no deficiency. Restless legs: a review could not say whether magnesium helps. Nerve pain: a review "
    "of nine small trials could not say either, and in a small trial oral magnesium did no better than a "
    "dummy capsule. Nerve regeneration and blood flow to nerves: no study on this site tests them. Treat "
    "the benefits as possibilities to discuss with your doctor, not as an established treatment.\n"
    "The Upper Level for magnesium (350 mg a day from supplements and medicines, from age 9) is set for "
    "healthy people in the general population. With kidney disease, take no magnesium supplement, antacid "
    "or laxative unless your prescriber advises it."
)

# The owner's text stays word for word; where its statements go beyond the site's sources, say so.
# Every statement here comes from articles/data/evidence.csv (the findings shown beside the text)
# or articles/data/deficiency.md (kidney disease and the Upper Level, section 5); the Upper Levels of children,
# infants and pregnancy from supplements/data/intake_reference.csv (NIH ODS Tables 1 and 3; IOM 1997).
UPPER_LEVEL_FOR_WHOM = (
    "It is lower for children: 65 mg a day at 1-3 years and 110 mg at 4-8 years. No Upper Level is set for infants: "
    "their magnesium should come from breast milk, formula and food, so give an infant no magnesium supplement, "
    "antacid or laxative unless a clinician prescribes it. In pregnancy and breastfeeding the same Upper Level of "
    "350 mg a day applies; they have their own recommended intakes. (NIH Office of Dietary Supplements, Tables 1 "
    "and 3; Institute of Medicine 1997.) "
)
EVIDENCE_NOTE = EVIDENCE_NOTE_OF_0007.replace("With kidney disease,", UPPER_LEVEL_FOR_WHOM + "With kidney disease,")

LAUNCH_ARTICLE = {
    # The owner's title for the launch article (shared/seeds/README.md).
    "slug": "magnesium-and-peripheral-neuropathy",
    "title": "Magnesium and peripheral neuropathy",
    # The owner's own sentences, shortened to fit lists and feeds.
    "summary": (
        "Peripheral neuropathy involves damage to the nerves outside the brain and spinal cord. "
        "This article explores the connection between magnesium and nerve health, particularly concerning neuropathy."
    ),
    "evidence_note": EVIDENCE_NOTE,
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
    # No author: the site's editors, a group (the byline links to /people/#editors, the JSON-LD names an
    # Organization), as on every page whose content names no one; a Person is someone named.
    article = Article(**LAUNCH_ARTICLE, body=launch_article_body(), status=Article.Status.PUBLISHED)
    article._change_reason = "Loaded by seed_content"
    article.save()  # published_at: now
    article.topics.set(topics.values())
    article.foods.set(FoodEntry.objects.filter(slug__in=FOOD_SLUGS))
    article.supplement_forms.set(SupplementForm.objects.filter(slug__in=SUPPLEMENT_FORM_SLUGS))
    for order, reference in enumerate(REFERENCES, start=1):
        article.references.create(order=order, **reference)
    return article


# --- Evidence by condition (issue 13): articles/data/evidence.csv and its README -----------------------

# The six conditions, in the order the evidence page lists them. Each summary says only what the
# findings under it say (evidence.csv); the guideline callouts quote guideline_position verbatim.
CONDITIONS = [
    {
        "slug": "diabetic-neuropathy",
        "name": "Diabetic neuropathy",
        "summary": (
            "The studies of magnesium for nerve damage in diabetes listed here are small or observational. In "
            "people with type 1 diabetes and low magnesium, one trial of 110 people found less worsening over "
            "five years with 300 mg a day, but it had no dummy pill; in type 2 diabetes, lower blood magnesium "
            "went with weaker nerve signals, which shows a link, not that pills help. The American Diabetes "
            "Association says supplements have not been shown to help people with diabetes who have no "
            "deficiency."
        ),
        "guideline_body": "American Diabetes Association (ADA), Nutrition Therapy Recommendations",
        "guideline_year": 2013,
        "guideline_recommendation": (
            "“There is no clear evidence of benefit from vitamin or mineral supplementation in people with "
            "diabetes who do not have underlying deficiencies.” Grade C"
        ),
        "guideline_citation": (
            "ADA Nutrition Therapy Recommendations 2013, as quoted in: Academy of Nutrition and Dietetics Evidence "
            "Analysis Library, DM: Vitamin, Mineral and/or Herbal Supplementation (2015). The current ADA Standards "
            "of Care, quoted on diabetes.org: “Without underlying deficiency, there is no benefits from herbal or "
            "nonherbal (i.e., vitamin or mineral) supplementation for people with diabetes.”"
        ),
        "guideline_url": "https://www.andeal.org/template.cfm?template=guide_summary&key=4427",
        "guideline_link_text": "Read the ADA statement on supplements in diabetes",
    },
    {
        "slug": "chemotherapy-neuropathy",
        "name": "Chemotherapy neuropathy",
        "summary": (
            "Calcium and magnesium drips given around oxaliplatin chemotherapy were tested to prevent nerve "
            "damage. A small trial that stopped early, and an older pooled analysis of small trials, suggested "
            "fewer lasting nerve problems, but the largest trial (353 patients) found no benefit over a dummy "
            "drip. The American Society of Clinical Oncology found no treatment that prevents chemotherapy nerve "
            "damage and says clinicians should not offer calcium-magnesium to prevent it."
        ),
        "guideline_body": (
            "American Society of Clinical Oncology (ASCO), guideline update on chemotherapy-induced peripheral "
            "neuropathy (CIPN), Recommendation 1.4"
        ),
        "guideline_year": 2020,
        "guideline_recommendation": (
            "“Clinicians should NOT offer the following agents for the prevention of CIPN to cancer patients "
            "undergoing treatment with neurotoxic agents: ... Calcium magnesium ...”"
        ),
        "guideline_citation": (
            "Loprinzi CL, Lacchetti C, Bleeker J, et al. Prevention and management of chemotherapy-induced "
            "peripheral neuropathy in survivors of adult cancers: ASCO guideline update. J Clin Oncol. 2020;38. "
            "doi:10.1200/JCO.20.01399. PMID 32663120."
        ),
        "guideline_url": "https://doi.org/10.1200/JCO.20.01399",
    },
    {
        "slug": "restless-legs",
        "name": "Restless legs",
        "summary": (
            "A 2019 review found only one small placebo-controlled trial, which showed no clear benefit, and "
            "could not say whether magnesium helps restless legs. Two small studies without a comparison group "
            "(10 and 12 people) saw symptoms improve, and a 2024 review of supplement trials reported benefit "
            "from magnesium oxide, but half of its trials had a high risk of bias."
        ),
    },
    {
        "slug": "leg-cramps",
        "name": "Leg cramps",
        "summary": (
            "For ordinary night cramps in older adults, a Cochrane review found that magnesium probably makes "
            "little or no difference, and a trial of 94 people found magnesium oxide no better than a dummy pill. "
            "For leg cramps in pregnancy the trials disagree, and the evidence is of low or very low certainty."
        ),
    },
    {
        "slug": "nerve-pain",
        "name": "Nerve pain",
        "summary": (
            "A review of nine small trials could not say whether magnesium helps long-lasting pain, including "
            "nerve pain. In a trial of 45 people with nerve pain, a month of oral magnesium did no better than a "
            "dummy capsule; one trial of 80 people with nerve-related back pain found less pain after magnesium "
            "drips followed by capsules, a result not yet confirmed."
        ),
    },
    {
        "slug": "magnesium-deficiency",
        "name": "Magnesium deficiency",
        "summary": (
            "One study here looked at magnesium deficiency itself, by experiment. When two older men were fed "
            "a magnesium-free diet for months, one developed tremor, twitching and other nerve-muscle "
            "signs that went away when magnesium was given back; the abstract did not mention numbness or "
            "tingling."
        ),
    },
]

# Each evidence.csv row (by slug) -> the condition it is listed under. A row missing here is a data
# error, said loudly.
FINDING_CONDITIONS = {
    "cipn-oxaliplatin-iv-camg-n08cb": "chemotherapy-neuropathy",
    "cipn-oxaliplatin-iv-camg-n04c7": "chemotherapy-neuropathy",
    "cipn-oxaliplatin-iv-camg-meta-2012": "chemotherapy-neuropathy",
    "cipn-asco-guideline-2014": "chemotherapy-neuropathy",
    "cipn-asco-guideline-2020": "chemotherapy-neuropathy",
    "dpn-t1dm-oral-mg-300mg-5yr": "diabetic-neuropathy",
    "dpn-t1dm-red-cell-mg-engelen-2000": "diabetic-neuropathy",
    "dpn-t2dm-serum-mg-nerve-conduction-2016": "diabetic-neuropathy",
    "dfu-oral-mgo-250mg-2018": "diabetic-neuropathy",
    "diabetes-supplements-ada-position": "diabetic-neuropathy",
    "diabetes-supplements-and-eal-2015": "diabetic-neuropathy",
    "rls-mg-systematic-review-2019": "restless-legs",
    "rls-plms-open-pilot-1998": "restless-legs",
    "rls-mg-citrate-open-pilot-2024": "restless-legs",
    "rls-dietary-supplements-sr-2024": "restless-legs",
    "cramps-idiopathic-older-adults-cochrane-2020": "leg-cramps",
    "cramps-pregnancy-cochrane-2020-garrison": "leg-cramps",
    "cramps-pregnancy-cochrane-interventions-cd010655": "leg-cramps",
    "cramps-nocturnal-mgo-rct-2017": "leg-cramps",
    "neuropathic-pain-oral-mg-chloride-2011": "nerve-pain",
    "chronic-pain-mg-systematic-review-2020": "nerve-pain",
    "low-back-pain-neuropathic-iv-then-oral-mg-2013": "nerve-pain",
    "mg-deficiency-experimental-depletion": "magnesium-deficiency",
}

# The findings beside the launch article's paragraphs: (finding slug, words of the paragraph, label).
LAUNCH_ARTICLE_FINDINGS = [
    (
        "dpn-t1dm-oral-mg-300mg-5yr",
        "For diabetic neuropathy, magnesium could help",
        "Diabetic neuropathy: small trials only",
    ),
    (
        "diabetes-supplements-ada-position",
        "For diabetic neuropathy, magnesium could help",
        "ADA: no benefit from supplements without a deficiency",
    ),
    (
        "cipn-asco-guideline-2020",
        "For chemotherapy-induced neuropathy, magnesium might offer",
        "ASCO: do not offer calcium/magnesium to prevent it",
    ),
    (
        "cipn-oxaliplatin-iv-camg-n08cb",
        "For chemotherapy-induced neuropathy, magnesium might offer",
        "Chemotherapy neuropathy: the largest trial (353 patients) found no benefit",
    ),
    (
        "rls-mg-systematic-review-2019",
        "Some individuals with restless legs syndrome",
        "Restless legs: a review could not say whether magnesium helps",
    ),
    (
        "chronic-pain-mg-systematic-review-2020",
        "modulating pain signals",
        "Pain: a review of nine small trials could not say whether magnesium helps",
    ),
    (
        "neuropathic-pain-oral-mg-chloride-2011",
        "modulating pain signals",
        "Nerve pain: in a small trial, oral magnesium did no better than a dummy capsule",
    ),
]

YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
NOT_SHOWN_RE = re.compile(r"(year|date)[^.]*not shown", re.I)


def citation_year(citation):
    """The publication year as the citation prints it (its first year), or None where the citation
    says the year or date was not shown in the copy read."""
    if NOT_SHOWN_RE.search(citation):
        return None
    match = YEAR_RE.search(citation)
    return int(match.group(1)) if match else None


def evidence_rows():
    with (DATA_DIR / "evidence.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def seed_conditions():
    """Create the six conditions that do not exist yet (by slug). Returns them by slug."""
    conditions = {}
    for order, values in enumerate(CONDITIONS, start=1):
        values = dict(values)
        slug = values.pop("slug")
        condition = Condition.objects.filter(slug=slug).first()
        if condition is None:
            condition = Condition(slug=slug, order=order, **values)
            condition.full_clean()
            condition._change_reason = "Loaded by seed_content"
            condition.save()
        conditions[slug] = condition
    return conditions


# The adult Upper Level for supplemental magnesium, mg a day (intake_reference.csv, UL from age 9).
ADULT_UPPER_LEVEL_MG = 350
# An elemental daily figure as evidence.csv's intervention text states it: "(520 mg elemental magnesium)",
# "300 mg (as Mg2+)", "about 300 mg elemental". A compound's weight ("865 mg magnesium oxide") is not one.
ELEMENTAL_MG_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?) mg (?:elemental|\(as Mg2\+\))")
# An amount of "oral magnesium" with no compound named and no "elemental": "oral magnesium (245 mg twice a day)".
# It may be magnesium itself or a compound's weight; the source does not say which.
FORM_NOT_STATED_MG_RE = re.compile(
    r"\boral magnesium \(?(\d[\d,]*(?:\.\d+)?) mg(?! elemental| \(as Mg2\+\))(?: (once|twice|three times) a day)?",
    re.IGNORECASE,
)
TIMES_A_DAY = {None: 1, "once": 1, "twice": 2, "three times": 3}


def mg(amount):
    return float(amount.replace(",", ""))


def dose_form_not_stated(intervention):
    """True when the intervention gives more than 350 mg a day of "oral magnesium" without saying whether the
    amount is magnesium itself or a compound's weight (the finding then says "the form was not stated")."""
    daily = [mg(amount) * TIMES_A_DAY[times and times.lower()] for amount, times in
             FORM_NOT_STATED_MG_RE.findall(intervention)]  # fmt: skip
    return any(amount > ADULT_UPPER_LEVEL_MG for amount in daily)


def above_upper_level(intervention):
    """True when the intervention states more than 350 mg of elemental magnesium a day, or more than 350 mg a day
    of oral magnesium whose form it does not state (read once, by the seed; editors change the stored flags in
    the admin). A compound's weight alone ("magnesium oxide 250 mg", "magnesium chloride 6 x 419 mg") is not
    judged: the magnesium in it is not stated."""
    amounts = [mg(amount) for amount in ELEMENTAL_MG_RE.findall(intervention)]
    return any(amount > ADULT_UPPER_LEVEL_MG for amount in amounts) or dose_form_not_stated(intervention)


# The evidence.csv columns a Finding field of the same name takes as they are.
FINDING_COLUMNS = [
    "slug", "condition_group", "intervention", "population", "outcome", "study_type", "direction", "certainty",
    "grading_basis", "guideline_position", "plain_summary", "citation", "url", "read_via",
]  # fmt: skip


def finding_from_row(row, condition):
    participants = row["participants"].strip()
    return Finding(
        condition=condition,
        condition_studied=row["condition"],
        above_upper_level=above_upper_level(row["intervention"]),
        dose_form_not_stated=dose_form_not_stated(row["intervention"]),
        participants=int(participants) if participants else None,
        year=citation_year(row["citation"]),
        accessed=datetime.date.fromisoformat(row["accessed"]),
        status=Finding.Status.PUBLISHED,
        **{column: row[column] for column in FINDING_COLUMNS},
    )


@transaction.atomic
def seed_findings():
    """Create the conditions and the evidence.csv findings that do not exist yet (by slug),
    published and validated like an editor's entry. Returns the number created."""
    conditions = seed_conditions()
    existing = set(Finding.objects.values_list("slug", flat=True))
    created = 0
    for row in evidence_rows():
        if row["slug"] in existing:
            continue
        finding = finding_from_row(row, conditions[FINDING_CONDITIONS[row["slug"]]])
        finding.full_clean()
        finding._change_reason = "Loaded by seed_content"
        finding.save()
        created += 1
    return created


@transaction.atomic
def seed_launch_article_findings():
    """Place the findings beside the launch article's paragraphs, once: only when the article has
    never had any (no row and no history of one), so an editor's removals stay removed.
    Returns the number placed."""
    article = Article.objects.filter(slug=LAUNCH_ARTICLE["slug"]).first()
    if article is None or ArticleFinding.history.filter(article_id=article.pk).exists():
        return 0
    findings = Finding.objects.in_bulk([slug for slug, _words, _label in LAUNCH_ARTICLE_FINDINGS], field_name="slug")
    placed = 0
    for order, (slug, words, label) in enumerate(LAUNCH_ARTICLE_FINDINGS, start=1):
        if slug not in findings:
            continue
        attachment = ArticleFinding(article=article, finding=findings[slug], order=order, paragraph=words, label=label)
        attachment.full_clean()
        attachment._change_reason = "Loaded by seed_content"
        attachment.save()
        placed += 1
    return placed
