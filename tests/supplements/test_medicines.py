"""/supplements/medicines/: each medicine with its own spacing from magnesium, its seed and its admin."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from supplements import seed
from supplements.models import ALSO_DIFFERING_SOURCE_NOTE, DIFFERING_SOURCE_NOTE, Medicine
from tests.factories import (
    GABAPENTIN_TIMETABLE,
    HTMX,
    NEW_MEDICINE,
    admin_form,
    card_names,
    history_restore,
    migration,
    refused_by_admin,
    results_fragment,
    seed_data,
)

pytestmark = pytest.mark.django_db

# interactions.md, bisphosphonates: "ODS/GoodRx: separate by at least 2 h".
ODS_SEPARATE = (
    "the NIH Office of Dietary Supplements' magnesium fact sheet for health professionals says to separate "
    "bisphosphonates and magnesium by at least 2 h"
)
URL = "/supplements/medicines/"
CHANGELIST = "/admin/supplements/medicine/"


def csv_rows():
    return seed_data("interactions_detail.csv")


def timetable(html):
    block = re.search(r'<div class="timetable">(.*?)</div>', html, re.S)
    if not block:
        return []
    return [
        f"{name}: {text.lstrip(': ').strip()}"
        for name, text in re.findall(
            r'<li[^>]*><strong>([^<]+)</strong>: <span class="timetable-action">[^<]+</span>([^<]+)</li>',
            block.group(1),
        )
    ]


def timetable_labels(html):
    """Each timetable line as a reader hears it: name, the action in words, the line."""
    block = re.search(r'<div class="timetable">(.*?)</div>', html, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", block.group(1))
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


# --- The seed ---------------------------------------------------------------------------------------


def test_seed_loads_every_row_of_the_csv_published(seeded):
    rows = csv_rows()
    assert Medicine.objects.count() == Medicine.objects.published().count() == len(rows)
    assert set(Medicine.objects.values_list("slug", flat=True)) == {row["slug"] for row in rows}


def test_each_hour_figure_equals_the_csv(seeded):
    medicines = {medicine.slug: medicine for medicine in Medicine.objects.all()}
    for row in csv_rows():
        medicine = medicines[row["slug"]]
        for column, field in (
            ("take_medicine_hours_before_mg", "hours_before"),
            ("take_medicine_hours_after_mg", "hours_after"),
        ):  # noqa: E501
            expected = Decimal(row[column]) if row[column] else None
            assert getattr(medicine, field) == expected, (row["slug"], column)
        assert medicine.what_to_do == row["what_to_do"]
        assert medicine.monitoring == row["monitoring"]
        assert medicine.severity == row["severity"]
        assert medicine.url == row["url"]
        assert medicine.source == row["source"]
        assert medicine.accessed.isoformat() == row["accessed"]


def test_seed_never_overwrites_an_editors_change(seeded):
    Medicine.objects.filter(slug="gabapentin").update(what_to_do="Edited by an editor.", hours_after=Decimal(3))
    Medicine.objects.filter(slug="digoxin").delete()
    assert seed.seed_medicines() == 1  # only the deleted one comes back
    gabapentin = Medicine.objects.get(slug="gabapentin")
    assert gabapentin.what_to_do == "Edited by an editor." and gabapentin.hours_after == 3


@pytest.mark.parametrize(
    ("slug", "line"),
    [
        (
            "gabapentin",
            "take gabapentin at least 2 h after magnesium. This timing comes from a non-US label: the Gabtin "
            "(gabapentin) label, read on MIMS Thailand. Spacing for US products can differ: ask your pharmacist.",
        ),
        ("ciprofloxacin", "take ciprofloxacin at least 2 h before or 6 h after magnesium"),
        ("moxifloxacin", "take moxifloxacin at least 4 h before or 8 h after magnesium"),
        ("levothyroxine", "take levothyroxine at least 4 h before or 4 h after magnesium"),
        ("dolutegravir", "take dolutegravir at least 2 h before or 6 h after magnesium"),
        (
            "tetracyclines",
            "take tetracycline antibiotics at least 4 h before or 2 h after magnesium. Sources differ: the NIH "
            "Office of Dietary Supplements' magnesium fact sheet for health professionals says to take the "
            "antibiotic at least 2 h before or 4-6 h after magnesium. Ask your pharmacist which gap to keep.",
        ),
        (
            "alendronate",
            "take alendronate at least 30 min before magnesium (a UK magnesium leaflet: 3 to 4 h before or after). "
            f"Sources differ: {ODS_SEPARATE}. Ask your pharmacist which gap to keep.",
        ),
        (
            "risedronate",
            "take risedronate at a different time of day from magnesium; nothing but plain water for at least 30 "
            f"min after the risedronate dose. Sources differ: {ODS_SEPARATE}, and a UK magnesium product leaflet says "
            "to take magnesium 3-4 h before or after them. Ask your pharmacist which gap to keep.",
        ),
        (
            "raltegravir",
            "do not combine raltegravir with magnesium/aluminium antacids; ask your HIV team before taking any "
            "magnesium supplement. Do not take aluminium- or magnesium-containing antacids with raltegravir, either "
            "together or spaced apart.",
        ),
        ("proton-pump-inhibitors", "ask about a blood magnesium test. Do not stop a prescribed PPI on your own."),
        (
            "cisplatin",
            "ask about a blood magnesium test. Follow the cancer team's plan for magnesium; do not start or stop "
            "supplements on your own.",
        ),
        (
            "calcineurin-inhibitors",
            "ask about a blood magnesium test. Follow the transplant team's plan for magnesium; do not start or "
            "stop supplements on your own.",
        ),
        (
            "mycophenolate",
            "take mycophenolate at least 2 h before or 2 h after magnesium. Do not take magnesium-containing "
            "antacids at the same "
            "time as mycophenolate; separate them by at least 2 hours.",
        ),
        ("loop-thiazide-diuretics", "ask about a blood magnesium test"),
        (
            "digoxin",
            "take digoxin at least 2 h before or 2 h after magnesium (the source says 2 to 4 hours); ask about a "
            "blood magnesium test",
        ),
        (
            "penicillamine",
            "take penicillamine at least 3 h before or 3 h after magnesium (the source says 3 to 4 hours)",
        ),
        ("erlotinib", "take erlotinib at least 2 h before or 4 h after magnesium"),
        ("cabotegravir-oral", "take cabotegravir (oral tablets) at least 4 h before or 2 h after magnesium"),
        (
            "potassium-sparing-diuretics",
            "no time given by the sources; ask the prescriber before adding a magnesium supplement.",
        ),
    ],
)
def test_timetable_lines_follow_the_csv(seeded, slug, line):
    assert Medicine.objects.get(slug=slug).timetable == line


def test_level_type_medicines_never_get_a_time(seeded):
    rows = {row["slug"]: row for row in csv_rows()}
    for medicine in Medicine.objects.filter(magnesium_test=True):
        row = rows[medicine.slug]
        assert "magnesium" in row["monitoring"].lower()
        if not (row["take_medicine_hours_before_mg"] or row["take_medicine_hours_after_mg"]):
            assert medicine.timetable.startswith("ask about a blood magnesium test")
            assert " h " not in medicine.timetable and "min" not in medicine.timetable


# --- The page ---------------------------------------------------------------------------------------


def test_with_nothing_ticked_every_medicine_is_shown_grouped_with_its_sources(client, seeded):
    response = client.get(URL)
    html = response.text
    assert response.status_code == 200
    slugs = [row["slug"] for row in csv_rows()]  # every row the seed read
    assert sorted(re.findall(r'<li class="card medicine-card[^"]*" id="medicine-([^"]+)"', html)) == sorted(slugs)
    assert html.count("<summary>Sources") == len(slugs)
    assert sorted(re.findall(r'type="checkbox" name="medicine" value="([^"]+)"', html)) == sorted(slugs)
    headings = re.findall(r'<h2 id="group-[^"]+">([^<]+)</h2>', html)
    assert headings == [
        "Do not combine with magnesium",
        "Keep apart from magnesium by a number of hours",
        "Change the body’s magnesium level: ask about a blood test",
        "Ask the prescriber first",
    ]
    assert timetable(html) == []  # a timetable is for the reader's own list
    assert "safe" not in re.sub(r"<[^>]+>", " ", html).lower().replace("safety", "")


def test_one_medicine_gives_its_card_and_timetable_line_only(client, seeded):
    html = client.get(URL, {"medicine": "gabapentin"}).text
    assert card_names(html) == ["gabapentin"]
    assert timetable(html) == [GABAPENTIN_TIMETABLE.replace("Keep apart: ", "", 1)]
    assert 'href="https://uat.mimsdev.com/thailand/drug/info/gabtin/drug-interactions"' in html
    assert 'href="https://www.goodrx.com/gabapentin/magnesium-and-gabapentin"' in html
    # The ticked box stays ticked, so the form says what the page shows.
    assert re.search(r'value="gabapentin"[^>]*checked', html)
    assert not re.search(r'value="ciprofloxacin"[^>]*checked', html)


def test_several_medicines_give_the_issue_timetable(client, seeded):
    slugs = ["gabapentin", "ciprofloxacin", "raltegravir", "proton-pump-inhibitors"]
    html = client.get(URL, {"medicine": slugs}).text
    assert sorted(card_names(html)) == sorted(
        ["gabapentin", "ciprofloxacin", "raltegravir", "proton pump inhibitors (prescription, long-term)"]
    )  # noqa: E501
    # By what to do, each line labelled in words: do not combine, keep apart, blood test, ask.
    assert timetable_labels(html) == [
        "raltegravir: Do not combine raltegravir with magnesium/aluminium antacids; ask your HIV team before taking "
        "any magnesium supplement. Do not take aluminium- or magnesium-containing antacids with raltegravir, either "
        "together or spaced apart.",
        "ciprofloxacin: Keep apart: take ciprofloxacin at least 2 h before or 6 h after magnesium",
        GABAPENTIN_TIMETABLE,
        "proton pump inhibitors (prescription, long-term): Ask about a blood magnesium test. Do not stop a "
        "prescribed PPI on your own.",
    ]
    # Raltegravir's "do not" is shown as its source says it.
    assert (
        "Do not take aluminium- or magnesium-containing antacids with raltegravir, either together or spaced apart."
        in html
    )  # noqa: E501


def test_timetable_orders_every_action_and_labels_it_in_words(client, seeded):
    slugs = ["potassium-sparing-diuretics", "cisplatin", "levothyroxine", "raltegravir"]
    html = client.get(URL, {"medicine": slugs}).text
    labels = re.findall(
        r'<span class="timetable-action">([^<]+)</span>', html[html.index('<div class="timetable">') :]
    )
    assert labels == ["Do not combine", "Keep apart", "Ask about a blood magnesium test", "Ask the prescriber"]


def test_every_do_not_sentence_of_the_csv_reaches_the_short_line(client, seeded):
    for row in csv_rows():
        html = client.get(URL, {"medicine": row["slug"]}).text
        short = html[html.index('<div class="timetable">') : html.index("Your medicines in detail")]
        short = short.replace("&#x27;", "'")
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", row["what_to_do"]):
            if "do not" in sentence.lower():
                assert sentence in short, (row["slug"], sentence)


def test_cisplatin_and_calcineurin_short_lines_keep_do_not_start_or_stop(client, seeded):
    html = client.get(URL, {"medicine": ["cisplatin", "calcineurin-inhibitors"]}).text
    card_lines = re.findall(r'<p class="timing"><strong>In short:</strong> ([^<]+)</p>', html)
    assert len(card_lines) == 2
    assert all("do not start or stop supplements on your own" in line for line in card_lines)


def test_bisphosphonate_short_lines_say_what_the_csv_says(client, seeded):
    html = client.get(URL, {"medicine": ["alendronate", "risedronate"]}).text
    assert any(
        line.startswith(
            "alendronate: Keep apart: take alendronate at least 30 min before magnesium (a UK magnesium leaflet: 3 to "
            "4 h before or after)"
        )
        for line in timetable_labels(html)
    )
    assert any(
        line.startswith("risedronate: Keep apart: take risedronate at a different time of day from magnesium")
        for line in timetable_labels(html)
    )


def test_every_card_shows_its_source_links(client, seeded):
    html = client.get(URL).text
    html = html.replace("&amp;", "&")
    for row in csv_rows():
        addresses = [row["url"]] + [part.split(" ")[0] for part in row["read_via"].split("; ") if part]
        for address in addresses:
            assert f'href="{address}"' in html, (row["slug"], address)
    assert "(abstract of the 1983 study)" in html  # a link's note in read_via is shown with it


def test_htmx_gets_the_results_fragment_and_the_response_varies_on_htmx_headers(client, seeded):
    response = client.get(URL, {"medicine": "ciprofloxacin"}, **HTMX)
    html = results_fragment(response)
    assert card_names(html) == ["ciprofloxacin"]
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"hx-request", "hx-history-restore-request"} <= vary


def test_history_restore_gets_the_full_page(client, seeded):
    assert card_names(history_restore(client, URL, {"medicine": "ciprofloxacin"})) == ["ciprofloxacin"]


def test_the_plain_get_form_works_without_javascript(client, seeded):
    html = client.get(URL).text
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert '<button type="submit">' in html
    # What a browser without JavaScript submits: the ticked boxes as repeated parameters.
    html = client.get(f"{URL}?medicine=levothyroxine&medicine=moxifloxacin").text
    assert timetable(html) == [
        "levothyroxine: take levothyroxine at least 4 h before or 4 h after magnesium",
        "moxifloxacin: take moxifloxacin at least 4 h before or 8 h after magnesium",
    ]


def test_a_draft_medicine_is_not_listed_or_accepted(client, seeded):
    Medicine.objects.filter(slug="gabapentin").update(status=Medicine.Status.DRAFT)
    html = client.get(URL, {"medicine": "gabapentin"}).text
    assert "gabapentin" not in card_names(html) and "“gabapentin”" in html


@pytest.mark.django_db(transaction=True)
def test_a_readers_list_is_not_kept_by_the_page_cache_a_cookie_or_the_log(client, caplog, settings, tmp_path):
    # Real transactions: the page cache stays out of the way inside a test's transaction.
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_STAMP = str(tmp_path / "page-cache.stamp")
    seed.seed_medicines()
    with caplog.at_level("DEBUG"):
        first = client.get(URL, {"medicine": "gabapentin"})
        again = client.get(URL, {"medicine": "gabapentin"})
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert not first.cookies
    assert again.get("X-Page-Cache") != "hit"
    assert "gabapentin" not in caplog.text
    # The untouched list is the same for everyone and is cached like any public page.
    client.get(URL)
    assert client.get(URL).get("X-Page-Cache") == "hit"


@pytest.mark.parametrize("medicines", [[], ["gabapentin"], [row["slug"] for row in csv_rows()]])
def test_query_count_is_constant(client, seeded, django_assert_num_queries, medicines):
    # The published medicines, for the checkboxes and the cards alike; and the page's dates (one aggregate).
    with django_assert_num_queries(2):
        response = client.get(URL, {"medicine": medicines})
    assert len(card_names(response.text)) == (len(medicines) or len(csv_rows()))


def test_page_is_in_the_sitemap_and_linked_from_the_safety_page(client, seeded):
    assert f"http://testserver{URL}" in client.get("/sitemap.xml").text
    assert f'href="{URL}"' in client.get("/supplements/safety/").text


# --- The admin --------------------------------------------------------------------------------------


def test_changelist_shows_timetable_severity_and_filters(staff_client, seeded):
    html = staff_client.get(CHANGELIST).text
    assert "take ciprofloxacin at least 2 h before or 6 h after magnesium" in html
    assert "Not graded by the sources" in html and "Major" in html
    filtered = staff_client.get(CHANGELIST, {"severity__exact": "major", "q": "HIV"}).text
    assert "dolutegravir" in filtered and "gabapentin" not in filtered


def test_admin_adds_a_medicine_with_history(staff_client, seeded):
    response = staff_client.post(f"{CHANGELIST}add/", admin_form(NEW_MEDICINE))
    assert response.status_code == 302, response.text
    medicine = Medicine.objects.get(slug="examplemycin")
    assert medicine.timetable == "take examplemycin at least 2 h before magnesium"
    assert medicine.is_public and medicine.history.count() == 1
    assert card_names(staff_client.get(URL, {"medicine": "examplemycin"}).text) == ["examplemycin"]


def test_admin_change_refuses_hours_on_a_do_not_combine_medicine(staff_client, seeded):
    raltegravir = Medicine.objects.get(slug="raltegravir")
    url = f"{CHANGELIST}{raltegravir.pk}/change/"
    page = staff_client.get(url).text
    token = re.search(r'name="edit_token" value="([0-9a-f]+)"', page).group(1)
    data = admin_form(
        NEW_MEDICINE,
        name=raltegravir.name,
        slug=raltegravir.slug,
        medicine_class=raltegravir.medicine_class,
        what_to_do=raltegravir.what_to_do,
        hours_before="2",
        do_not_combine_with=raltegravir.do_not_combine_with,
        edit_token=token,
    )
    response = refused_by_admin(
        staff_client, url, data, "hours_before", "A medicine that must not be combined with magnesium has no hours"
    )
    raltegravir.refresh_from_db()
    assert raltegravir.hours_before is None and raltegravir.history.count() == 1
    # The same form with the hours removed saves, and the change is in the history.
    token = re.search(r'name="edit_token" value="([0-9a-f]+)"', response.text).group(1)
    response = staff_client.post(url, {**data, "hours_before": "", "edit_token": token})
    assert response.status_code == 302
    assert raltegravir.history.count() == 2
    assert staff_client.get(f"{CHANGELIST}{raltegravir.pk}/history/").status_code == 200


# --- The clinician review (session 7) ------------------------------------------------------------------

ODS_PATTERN = "at least 2 h before or 4-6 h after magnesium"
ODS_URL = "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
ODS_NOTE = (
    "NIH ODS magnesium fact sheet for health professionals: quoted as our reference notes, interactions.md, cite it; "
    "its interaction section was not read for this site"
)


def card(html, slug):
    return re.search(
        rf'<li class="card medicine-card[^"]*" id="medicine-{slug}">.*?</details>\s*</li>', html, re.S
    ).group(0)


def unquoted(html):
    return html.replace("&#x27;", "'")


def in_short(html, slug):
    return unquoted(re.search(r'<p class="timing"><strong>In short:</strong> ([^<]+)</p>', card(html, slug)).group(1))


def test_the_ods_antibiotic_pattern_is_the_references_word_for_word():
    reference = (seed.DATA_DIR / "interactions.md").read_text(encoding="utf-8")
    tetracyclines = next(line for line in reference.splitlines() if line.startswith("| Tetracycline antibiotics"))
    quinolones = next(line for line in reference.splitlines() if line.startswith("| Quinolone antibiotics"))
    assert f"ODS: take the antibiotic {ODS_PATTERN}" in tetracyclines and "[ODS]" in tetracyclines
    assert ODS_PATTERN in quinolones and "[ODS]" in quinolones
    assert ODS_URL in reference


@pytest.mark.parametrize("slug", ["tetracyclines", "levofloxacin"])
def test_an_antibiotic_gap_shorter_than_ods_says_sources_differ_on_card_and_timetable(client, seeded, slug):
    html = client.get(URL, {"medicine": slug}).text
    name = Medicine.objects.get(slug=slug).name
    (line,) = timetable_labels(html)
    for short in (line.replace("&#x27;", "'"), in_short(html, slug)):
        assert "Sources differ: the NIH Office of Dietary Supplements' magnesium fact sheet" in short
        assert f"{ODS_PATTERN}." in short and short.endswith("Ask your pharmacist which gap to keep.")
    assert "2 h after magnesium" in line  # the row's own timing stays, with ODS's beside it
    assert re.search(
        rf'<a href="{re.escape(ODS_URL)}"[^>]*>[^<]+</a> \({re.escape(ODS_NOTE)}\)', unquoted(card(html, slug))
    )
    assert name in line


@pytest.mark.parametrize(
    ("slug", "differing", "url"),
    [
        ("eltrombopag", "a UK magnesium product leaflet (section 4.5) says to give eltrombopag and magnesium at least "
         "4 h apart", "https://medicines.org.uk/emc/product/4841/smpc"),
        ("alendronate", "separate bisphosphonates and magnesium by at least 2 h", ODS_URL),
        ("risedronate", "separate bisphosphonates and magnesium by at least 2 h, and a UK magnesium product leaflet "
         "says to take magnesium 3-4 h before or after them", ODS_URL),
    ],
)  # fmt: skip
def test_a_stricter_gap_in_another_source_stands_beside_the_rows_own(client, seeded, slug, differing, url):
    """interactions.md (ODS, bisphosphonates: at least 2 h) and the eltrombopag row's own UK leaflet (at least 4 h
    apart) ask for more than the row's timing: the card and the timetable say so, with that source's link."""
    html = client.get(URL, {"medicine": slug}).text
    (line,) = timetable_labels(html)
    for short in (line.replace("&#x27;", "'"), in_short(html, slug)):
        assert "Sources differ: " in short and f"{differing}. Ask your pharmacist which gap to keep." in short
    assert f'<a href="{url}"' in card(html, slug)


def test_no_antibiotic_row_lets_2_h_after_magnesium_stand_alone(client, seeded):
    """Every tetracycline or quinolone of the data whose gap after magnesium is under ODS's 4-6 h shows ODS's."""
    html = client.get(URL).text
    looser = [
        row["slug"]
        for row in csv_rows()
        if re.search(r"tetracycline|quinolone", row["class"])
        and row["take_medicine_hours_after_mg"]
        and Decimal(row["take_medicine_hours_after_mg"]) < 4
    ]
    assert looser  # the data still has such rows (tetracyclines, levofloxacin)
    for slug in looser:
        assert ODS_PATTERN in in_short(html, slug), slug


@pytest.mark.parametrize(
    ("slug", "label", "ask"),
    [
        ("gabapentin", "the Gabtin (gabapentin) label, read on MIMS Thailand", ": ask your pharmacist."),
        # After ODS's differing timing, one ask covers both.
        (
            "levofloxacin",
            "the Levofloxin-Natrapharm (levofloxacin) label, read on MIMS Philippines",
            ". Ask your pharmacist which gap to keep.",
        ),
    ],
)
def test_a_timing_from_a_non_us_label_copy_says_ask_your_pharmacist(client, seeded, slug, label, ask):
    html = client.get(URL, {"medicine": slug}).text
    expected = f"This timing comes from a non-US label: {label}. Spacing for US products can differ{ask}"
    assert expected in in_short(html, slug)
    assert expected in timetable_labels(html)[0]
    # The label named is the one the row's own source column names as a non-US copy.
    row = next(row for row in csv_rows() if row["slug"] == slug)
    assert label.split(" label")[0].removeprefix("the ").split(" (")[0] in row["source"]
    assert label.split("read on ")[1] + " copy" in row["source"]


def test_only_the_non_us_label_copies_say_so(client, seeded):
    html = client.get(URL).text
    flagged = {row["slug"] for row in csv_rows() if "non-US label" in in_short(html, row["slug"])}
    assert flagged == {row["slug"] for row in seed_data("medicine_timing_notes.csv") if row["label_read_on"]}
    assert flagged == {"gabapentin", "levofloxacin"}  # EVIDENCE_README.md, "Copies and limits"


def test_a_range_in_the_source_is_shown_beside_its_lower_figure(client, seeded):
    html = client.get(URL).text
    ranged = {
        row["slug"]: re.search(r"\((\d+) to (\d+) hours[,;] (?:the )?lower bound", row["source"])
        for row in csv_rows()
        if "lower bound" in row["source"]
    }
    assert set(ranged) == {"digoxin", "penicillamine"}
    for slug, match in ranged.items():
        low, high = match.groups()
        assert (
            f"at least {low} h before or {low} h after magnesium (the source says {low} to {high} hours)"
            in in_short(html, slug)
        )
    (digoxin,) = timetable_labels(client.get(URL, {"medicine": "digoxin"}).text)
    assert digoxin == (
        "digoxin: Keep apart: take digoxin at least 2 h before or 2 h after magnesium (the source says 2 to 4 "
        "hours); ask about a blood magnesium test"
    )


def test_every_short_line_with_a_time_names_what_is_taken_when(client, seeded):
    html = client.get(URL).text
    for medicine in Medicine.objects.all():
        if medicine.has_hours or medicine.timing_words:
            assert in_short(html, medicine.slug).startswith(f"Take {medicine.name} "), medicine.slug
    erlotinib = card(html, "erlotinib")
    assert "<strong>In short:</strong> Take erlotinib at least 2 h before or 4 h after magnesium</p>" in erlotinib
    assert "Take magnesium at least 4 hours before or 2 hours after erlotinib." in erlotinib  # the source's words
    assert "do not combine raltegravir with" in in_short(html, "raltegravir").lower()


def test_an_editor_can_add_a_differing_source_and_the_short_line_shows_it(staff_client, seeded):
    data = admin_form(
        NEW_MEDICINE,
        hours_range="2 to 3 hours",
        sources_differ="Another label says 5 h after magnesium",
        sources_differ_links="https://example.org/other",
    )
    assert staff_client.post(f"{CHANGELIST}add/", data).status_code == 302
    medicine = Medicine.objects.get(slug="examplemycin")
    assert medicine.timetable == (
        "take examplemycin at least 2 h before magnesium (the source says 2 to 3 hours). Sources differ: Another "
        "label says 5 h after magnesium. Ask your pharmacist which gap to keep."
    )
    assert ("https://example.org/other", DIFFERING_SOURCE_NOTE) in medicine.links


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_an_existing_site_what_a_fresh_seed_gives():
    rows = csv_rows()
    with migration("0020_medicine_source_range_differing_source_and_non_us_label") as (old, run):
        for row in rows:  # as the earlier seed loaded them
            old.get_model("supplements", "Medicine").objects.create(
                slug=row["slug"], name=row["medicine"], medicine_class=row["class"], effect=row["effect"],
                what_to_do=row["what_to_do"], source=row["source"], url=row["url"], read_via=row["read_via"],
                accessed=row["accessed"],
            )  # fmt: skip
        # An editor's own source for gabapentin (no longer the MIMS copy): its label note is not added.
        old.get_model("supplements", "Medicine").objects.filter(slug="gabapentin").update(source="US label, 7.3.")
        migrated = run().get_model("supplements", "Medicine")
        notes = seed.timing_notes()
        for row in rows:
            fresh = seed.medicine_from_row(row, timezone.now(), notes.get(row["slug"], {}))
            existing = migrated.objects.get(slug=row["slug"])
            for field in ["hours_range", *seed.TIMING_NOTE_COLUMNS]:
                edited = row["slug"] == "gabapentin" and field == "label_read_on"
                assert getattr(existing, field) == ("" if edited else getattr(fresh, field)), (row["slug"], field)


# --- The clinician's re-check (session 7, afternoon) ---------------------------------------------------------------

UK_LEAFLET_2678 = "https://medicines.org.uk/emc/product/2678/smpc"  # interactions.md, [SmPC]


def card_links(html, slug):
    """[(address, note)] under a card's Sources, as a reader sees them."""
    found = re.findall(r'<li><a href="([^"]+)"[^>]*>[^<]+</a>(?: \(([^<]*)\))?</li>', unquoted(card(html, slug)))
    return [(unescape(url), unescape(note)) for url, note in found]


def test_a_differing_source_already_among_the_medicines_own_is_listed_once_as_its_own(client, seeded):
    """Eltrombopag's UK leaflet is one of its own sources (read for this site): listed once, saying it is also the
    source of the timing after "Sources differ", never "not read"."""
    html = client.get(URL, {"medicine": "eltrombopag"}).text
    leaflet = "https://medicines.org.uk/emc/product/4841/smpc"
    assert Medicine.objects.get(slug="eltrombopag").sources_differ_links == leaflet  # the data names it
    listed = [(url, note) for url, note in card_links(html, "eltrombopag") if url == leaflet]
    assert listed == [(leaflet, ALSO_DIFFERING_SOURCE_NOTE)]
    assert "not read" not in card(html, "eltrombopag") and "re-read" not in card(html, "eltrombopag")


def test_the_rule_for_a_differing_link_among_the_own_links():
    medicine = Medicine(
        url="https://example.org/label",
        read_via="https://example.org/leaflet (a copy); https://example.org/study",
        sources_differ_links="https://example.org/leaflet; https://example.org/other (quoted as a review cites it)",
    )
    assert medicine.links == [
        ("https://example.org/label", ""),
        ("https://example.org/leaflet", f"a copy; {ALSO_DIFFERING_SOURCE_NOTE}"),
        ("https://example.org/study", ""),
        ("https://example.org/other", "quoted as a review cites it"),
    ]
    medicine.sources_differ_links = "https://example.org/label"
    assert medicine.differing_links == [] and medicine.links[0] == (
        "https://example.org/label",
        ALSO_DIFFERING_SOURCE_NOTE,
    )


def test_risedronates_differing_sources_carry_every_link_they_name_with_its_note(client, seeded):
    html = client.get(URL, {"medicine": "risedronate"}).text
    assert "NIH Office of Dietary Supplements" in in_short(html, "risedronate")
    assert "a UK magnesium product leaflet says to take magnesium 3-4 h before or after them" in in_short(
        html, "risedronate"
    )
    links = dict(card_links(html, "risedronate"))
    assert links[ODS_URL] == ODS_NOTE
    assert links[UK_LEAFLET_2678] == (
        "UK magnesium product leaflet, section 4.5: quoted as our reference notes, interactions.md, cite it for "
        "bisphosphonates"
    )
    reference = (seed.DATA_DIR / "interactions.md").read_text(encoding="utf-8")
    assert (
        "[SmPC] UK summary of product characteristics for an oral magnesium product, section 4.5,\n  "
        f"{UK_LEAFLET_2678}" in reference
    )


def test_every_source_a_sources_differ_line_names_is_linked_on_its_card(client, seeded):
    html = client.get(URL).text
    named = {"NIH Office of Dietary Supplements": ODS_URL, "UK magnesium product leaflet": "https://medicines.org.uk/"}
    differing = Medicine.objects.exclude(sources_differ="")
    assert {medicine.slug for medicine in differing} == {
        "tetracyclines", "levofloxacin", "eltrombopag", "alendronate", "risedronate"
    }  # fmt: skip
    for medicine in differing:
        urls = [url for url, _note in card_links(html, medicine.slug)]
        for name, address in named.items():
            if name in medicine.sources_differ:
                assert any(url.startswith(address) for url in urls), (medicine.slug, name)
        for url, note in card_links(html, medicine.slug):
            assert urls.count(url) == 1, (medicine.slug, url)
            if url in medicine.sources_differ_links:
                assert "Sources differ" in note or "quoted as our reference notes" in note, (medicine.slug, url)


def test_the_footnote_states_the_longer_gap_rule_and_the_antibiotics_follow_it(client, seeded):
    """Ciprofloxacin (2 h before / 6 h after) and moxifloxacin (4 h / 8 h) already meet ODS's 2 h before / 4-6 h
    after: no "Sources differ" for them, and the footnote says that is the rule."""
    html = client.get(URL).text
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "Where sources give different timings, the short line says so and names the other source" not in text
    assert (
        "Where another source asks for a longer gap than a medicine’s own sources, before or after magnesium, the "
        "short line adds that source’s timing after “Sources differ:” and names it, with its link under Sources; a "
        "source whose gaps are no longer than the medicine’s own is not added there."
    ) in text
    for row in csv_rows():
        if re.search(r"tetracycline|quinolone", row["class"]):
            before, after = (Decimal(row[f"take_medicine_hours_{side}_mg"]) for side in ("before", "after"))
            shorter = before < 2 or after < 4
            assert (ODS_PATTERN in in_short(html, row["slug"])) == shorter, row["slug"]
    assert "Sources differ" not in in_short(html, "ciprofloxacin") + in_short(html, "moxifloxacin")


def test_no_short_line_asks_the_pharmacist_twice(client, seeded):
    html = client.get(URL).text
    for medicine in Medicine.objects.all():
        assert in_short(html, medicine.slug).lower().count("ask your pharmacist") <= 1, medicine.slug
    line = in_short(html, "levofloxacin")
    assert line.lower().count("ask your pharmacist") == 1 and line.endswith("Ask your pharmacist which gap to keep.")


def test_no_timetable_entry_says_its_label_twice(client, seeded):
    html = client.get(URL, {"medicine": [row["slug"] for row in csv_rows()]}).text
    entries = timetable_labels(unquoted(html))
    assert len(entries) == len(csv_rows())
    for entry in entries:
        label = entry.split(": ")[1]
        assert not entry.lower().count(f"{label.lower()}: {label.lower()}"), entry
    assert any(
        entry.startswith("raltegravir: Do not combine raltegravir with magnesium/aluminium") for entry in entries
    )
    assert not any("do not combine: do not combine" in entry.lower() for entry in entries)
    assert not any("ask about a blood test: ask about" in entry.lower() for entry in entries)


def test_no_card_says_what_to_do_twice(client, seeded):
    html = client.get(URL).text
    for medicine in Medicine.objects.all():
        text = unescape(re.sub(r"<[^>]+>", "", card(html, medicine.slug)))
        # The whole of what to do, once ([1:]: "No time given by the sources; ask ..." lowers its first letter). A
        # "do not" sentence of a longer what to do stands in both, as the short line never drops it.
        assert text.count(medicine.what_to_do[1:]) == 1, medicine.slug
    mycophenolate = unescape(re.sub(r"<[^>]+>", "", card(html, "mycophenolate")))
    assert (
        "In short: Take mycophenolate at least 2 h before or 2 h after magnesium. Do not take magnesium-containing "
        "antacids at the same time as mycophenolate; separate them by at least 2 hours." in mycophenolate
    )
    assert "What to do:" not in mycophenolate
    assert "What to do:" in unescape(card(html, "raltegravir"))  # more than its short line says: shown


# --- The corrections log lists today's changes to the medicines' spacing (editorial policy) ------------------------


def page_text(response):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.text)))


def test_the_corrections_log_lists_the_medicine_timing_changes_under_their_date(client, seeded):
    text = page_text(client.get("/corrections/"))
    entry = text.index("Medicines: who takes what when, and other sources’ gaps.")
    assert text.index("30 November 2026") < entry < text.index("25 November 2026")
    for change in [
        "each now names it (“take erlotinib at least 2 h before or 4 h after magnesium”)",
        "for tetracyclines, levofloxacin, alendronate and risedronate, and a UK magnesium product leaflet for "
        "eltrombopag and risedronate",
        "Digoxin’s and penicillamine’s lines gave only the lower figure of their source’s range; they now give the "
        "range too (2 to 4 hours, 3 to 4 hours)",
        "The timings for gabapentin and levofloxacin come from non-US labels",
    ]:
        assert change in text[entry:], change
    policy = page_text(client.get("/editorial-policy/"))
    assert "Corrections that change what a reader might do (an amount, a warning, a medicine’s spacing)" in policy
