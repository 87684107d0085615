"""USDA's SR28 ASCII files (National Nutrient Database for Standard Reference, Release 28):
read them, check them, and load the foods that have a magnesium value into the database.

The format (USDA's sr28_doc.pdf): one record a line, fields separated by `^`, text fields wrapped
in `~`, empty fields empty, Latin-1 text (in practice Windows-1252: FOOD_DES.txt has curly quotes
at 0x91/0x92), CRLF line ends. Some copies of WEIGHT.txt have bare CRs; a line break inside a
`~text~` field is read as a space, one between records as a line end.

`read_sr28(folder)` reads and checks every file before anything touches the database and raises
SR28FormatError (file, line, what is wrong) at the first problem; `import_sr28(data)` then writes
in one transaction. Each file may be plain (FOOD_DES.txt) or gzipped (FOOD_DES.txt.gz), and
NUT_DATA.txt may be USDA's full file: only magnesium (304) and energy (208) are kept.
"""

import codecs
import gzip
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from simple_history.utils import bulk_update_with_history

from supplements.models import (
    FoodEntry,
    USDACode,
    USDAFood,
    USDAFoodGroup,
    USDAFoodWord,
    USDAMeasure,
    plain,
    search_text,
    word_rows,
)

MAGNESIUM, ENERGY = "304", "208"
EXPECTED_UNITS = {MAGNESIUM: "mg", ENERGY: "kcal"}

# Each file's fields in USDA's order: (name, kind, required, max_length or largest value).
# kind: "text" (kept as a string), "int", "dec". Only the fields the site keeps are checked
# beyond their count; the others are read past.
T, N, D = "text", "int", "dec"  # text, whole number, decimal
DECIMAL_PLACES = 3  # USDA's format has at most 3; the database keeps 3, so nothing is rounded
FILES = {
    "FD_GROUP": [("FdGrp_Cd", T, True, 4), ("FdGrp_Desc", T, True, 80)],
    "SRC_CD": [("Src_Cd", T, True, 4), ("SrcCd_Desc", T, True, 200)],
    "DERIV_CD": [("Deriv_Cd", T, True, 4), ("Deriv_Desc", T, True, 200)],
    "NUTR_DEF": [("Nutr_No", T, True, 3), ("Units", T, True, 7)] + [(name, None, False, None) for name in (
        "Tagname", "NutrDesc", "Num_Dec", "SR_Order")],
    "FOOD_DES": [
        ("NDB_No", T, True, 5), ("FdGrp_Cd", T, True, 4), ("Long_Desc", T, True, 200), ("Shrt_Desc", T, False, 60),
        ("ComName", T, False, 100), ("ManufacName", None, False, None), ("Survey", None, False, None),
        ("Ref_desc", None, False, None), ("Refuse", None, False, None), ("SciName", T, False, 65),
        ("N_Factor", None, False, None), ("Pro_Factor", None, False, None), ("Fat_Factor", None, False, None),
        ("CHO_Factor", None, False, None),
    ],
    "NUT_DATA": [
        ("NDB_No", T, True, 5), ("Nutr_No", T, True, 3), ("Nutr_Val", D, True, 10**6),
        ("Num_Data_Pts", N, True, 10**6), ("Std_Error", D, False, 10**6), ("Src_Cd", T, True, 4),
        ("Deriv_Cd", T, False, 4), ("Ref_NDB_No", T, False, 5),
    ] + [(name, None, False, None) for name in (
        "Add_Nutr_Mark", "Num_Studies", "Min", "Max", "DF", "Low_EB", "Up_EB", "Stat_cmt", "AddMod_Date", "CC")],
    "WEIGHT": [
        ("NDB_No", T, True, 5), ("Seq", N, True, 30000), ("Amount", D, True, 10**5), ("Msre_Desc", T, True, 84),
        ("Gm_Wgt", D, True, 10**6), ("Num_Data_Pts", N, False, 10**6), ("Std_Dev", D, False, 10**6),
    ],
}  # fmt: skip


def _latin1_for_undefined(error):
    """Bytes undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as Latin-1."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("sr28-latin-1", _latin1_for_undefined)


class SR28FormatError(Exception):
    def __init__(self, file, line, message):
        self.file, self.line, self.message = file, line, message
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {message}")


def decode(raw):
    """USDA's text: Latin-1, except that 0x80-0x9F are Windows-1252's curly quotes and dashes
    (Latin-1 would make them control characters). The two agree on every other byte."""
    return raw.decode("cp1252", errors="sr28-latin-1")


def read_file_text(folder, name):
    """The text of NAME.txt or NAME.txt.gz in `folder` (either spelling of the name's case)."""
    for candidate in (f"{name}.txt", f"{name}.txt.gz", f"{name.lower()}.txt", f"{name.lower()}.txt.gz"):
        path = Path(folder) / candidate
        if path.is_file():
            try:
                raw = gzip.decompress(path.read_bytes()) if candidate.endswith(".gz") else path.read_bytes()
            except (OSError, EOFError) as exc:
                raise SR28FormatError(candidate, None, f"cannot be read ({exc}).") from exc
            return candidate, decode(raw)
    raise SR28FormatError(f"{name}.txt", None, f"missing from {folder} (neither {name}.txt nor {name}.txt.gz).")


def records(file, text):
    """(line number, record text) for each record. A line break inside a ~text~ field (an odd
    number of ~ so far) joins the next line with a space; blank lines are skipped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    total, index = len(lines), 0
    while index < total:
        start, line = index + 1, lines[index]
        index += 1
        while line.count("~") % 2 and index < total and index - start < 3:  # a text field spans 3 lines at most
            line += " " + lines[index]
            index += 1
        if line.count("~") % 2:
            raise SR28FormatError(file, start, "a text field opened with ~ is never closed.")
        if line.strip():
            yield start, line


def split_fields(line, count):
    """The raw fields of a record. Only when `^` splits it into more than `count` fields is a
    `^` inside a ~text~ field put back."""
    parts = line.split("^")
    if len(parts) <= count:
        return parts
    fields, current = [], None
    for part in parts:
        if current is not None:
            current += "^" + part
            if part.endswith("~"):
                fields.append(current)
                current = None
        elif part.startswith("~") and not (len(part) > 1 and part.endswith("~")):
            current = part
        else:
            fields.append(part)
    return fields


def parse_record(file, line_number, line, spec):
    """The record's values by field name: text as str ("" when empty), numbers as int or Decimal
    (None when empty). Raises SR28FormatError naming the file, line and field."""
    raw_fields = split_fields(line, len(spec))
    if len(raw_fields) != len(spec):
        raise SR28FormatError(
            file, line_number, f"{len(raw_fields)} fields separated by ^, expected {len(spec)} ({spec[0][0]} ...)."
        )
    values = {}
    for position, (name, kind, required, limit) in enumerate(spec, start=1):
        if kind is None:
            continue
        text = raw_fields[position - 1]
        if text[:1] == "~" and text[-1:] == "~" and len(text) > 1:
            text = text[1:-1]
        if "~" in text:
            raise SR28FormatError(file, line_number, f"field {position} ({name}) has a stray ~: {text[:60]!r}.")
        text = text.strip()
        if not text:
            if required:
                raise SR28FormatError(
                    file, line_number, f"field {position} ({name}) is empty; USDA's format requires it."
                )
            values[name] = "" if kind == T else None
        elif kind == T:
            if len(text) > limit:
                raise SR28FormatError(
                    file, line_number, f"field {position} ({name}) is {len(text)} characters, at most {limit}."
                )
            values[name] = text
        else:
            values[name] = parse_number(file, line_number, position, name, kind, limit, text)
    return values


def parse_number(file, line_number, position, name, kind, limit, text):
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= limit:
        raise SR28FormatError(
            file, line_number, f"field {position} ({name}) should be a number from 0 to {limit:,}, not {text!r}."
        )
    if kind == D and number.normalize().as_tuple().exponent < -DECIMAL_PLACES:
        raise SR28FormatError(
            file, line_number, f"field {position} ({name}) has more than {DECIMAL_PLACES} decimals: {text!r}."
        )
    if kind == N:
        if number != number.to_integral_value():
            raise SR28FormatError(
                file, line_number, f"field {position} ({name}) should be a whole number, not {text!r}."
            )
        return int(number)
    return number


def parse_file(folder, name, keep=None):
    """Every record of NAME as (line number, values). `keep(line)` may skip records cheaply
    before they are parsed (NUT_DATA: only the two nutrients the site uses)."""
    file, text = read_file_text(folder, name)
    spec = FILES[name]
    return file, [
        (number, parse_record(file, number, line, spec))
        for number, line in records(file, text)
        if keep is None or keep(line)
    ]


@dataclass
class SR28Data:
    folder: str
    groups: dict  # code -> name
    codes: dict  # (kind, code) -> description
    foods: dict  # NDB number -> values (FOOD_DES fields, plus "mg" and "kcal": NUT_DATA values)
    measures: dict  # NDB number -> [WEIGHT values, by Seq]


def unique_rows(file, rows, key):
    """{key: values}, refusing a key seen twice."""
    seen = {}
    for line_number, values in rows:
        value = key(values)
        if value in seen:
            raise SR28FormatError(file, line_number, f"{value} appears twice (first on line {seen[value][0]}).")
        seen[value] = (line_number, values)
    return seen


def read_sr28(folder):
    """Read and check USDA's SR28 files in `folder`; the foods that have a magnesium value,
    with their energy and household measures. Raises SR28FormatError at the first problem."""
    if not Path(folder).is_dir():
        raise SR28FormatError(str(folder), None, "is not a folder.")
    file, rows = parse_file(folder, "NUTR_DEF")
    units = {values["Nutr_No"]: (line, values["Units"]) for line, values in rows}
    for number, unit in EXPECTED_UNITS.items():
        if number not in units:
            raise SR28FormatError(file, None, f"has no nutrient {number}; USDA's file defines it in {unit}.")
        if units[number][1] != unit:
            raise SR28FormatError(
                file, units[number][0], f"nutrient {number} is in {units[number][1]!r}, expected {unit!r}."
            )

    file, rows = parse_file(folder, "FD_GROUP")
    rows = unique_rows(file, rows, lambda v: v["FdGrp_Cd"])
    groups = {code: values["FdGrp_Desc"] for code, (_, values) in rows.items()}
    codes = {}
    for name, kind, code_field, description_field in (
        ("SRC_CD", USDACode.Kind.SOURCE, "Src_Cd", "SrcCd_Desc"),
        ("DERIV_CD", USDACode.Kind.DERIVATION, "Deriv_Cd", "Deriv_Desc"),
    ):
        file, rows = parse_file(folder, name)
        for code, (_, values) in unique_rows(file, rows, lambda v, f=code_field: v[f]).items():
            codes[(kind, code)] = values[description_field]

    file, rows = parse_file(folder, "FOOD_DES")
    descriptions = unique_rows(file, rows, lambda v: v["NDB_No"])
    for ndb, (line_number, values) in descriptions.items():
        if not (len(ndb) == 5 and ndb.isdigit()):
            raise SR28FormatError(file, line_number, f"field 1 (NDB_No) should be 5 digits, not {ndb!r}.")
        if values["FdGrp_Cd"] not in groups:
            raise SR28FormatError(
                file, line_number, f"NDB {ndb} is in food group {values['FdGrp_Cd']}, which FD_GROUP does not list."
            )

    # In USDA's full NUT_DATA.txt the nutrient number is the record's second field: skip the
    # 600,000-odd other nutrients' records before parsing them.
    wanted = {f"~{MAGNESIUM}~", f"~{ENERGY}~"}

    def keep(line):
        parts = line.split("^", 2)
        return len(parts) < 3 or parts[1] in wanted  # a short record is kept, to be reported

    file, rows = parse_file(folder, "NUT_DATA", keep=keep)
    nutrients = unique_rows(file, rows, lambda v: f"NDB {v['NDB_No']}, nutrient {v['Nutr_No']},")
    foods = {}
    energy = {}
    for line_number, values in nutrients.values():
        ndb = values["NDB_No"]
        if ndb not in descriptions:
            raise SR28FormatError(file, line_number, f"NDB {ndb} is not in FOOD_DES.")
        for kind, code_field in ((USDACode.Kind.SOURCE, "Src_Cd"), (USDACode.Kind.DERIVATION, "Deriv_Cd")):
            code = values[code_field]
            if code and (kind, code) not in codes:
                listed_in = "SRC_CD" if kind == USDACode.Kind.SOURCE else "DERIV_CD"
                raise SR28FormatError(file, line_number, f"{code_field} {code!r} is not listed in {listed_in}.")
        if values["Nutr_No"] == ENERGY:
            energy[ndb] = values["Nutr_Val"]
        else:
            foods[ndb] = {**descriptions[ndb][1], "mg": values}
    if not foods:
        raise SR28FormatError(file, None, f"has no magnesium values (nutrient {MAGNESIUM}).")
    for ndb, values in foods.items():
        values["kcal"] = energy.get(ndb)

    file, rows = parse_file(folder, "WEIGHT")
    measures = {}
    for line_number, values in unique_rows(file, rows, lambda v: f"NDB {v['NDB_No']}, Seq {v['Seq']},").values():
        ndb = values["NDB_No"]
        if ndb not in descriptions:
            raise SR28FormatError(file, line_number, f"NDB {ndb} is not in FOOD_DES.")
        if values["Gm_Wgt"] == 0:
            raise SR28FormatError(file, line_number, "field 5 (Gm_Wgt) is 0 g; a measure must weigh something.")
        if ndb in foods:
            measures.setdefault(ndb, []).append(values)
    for food_measures in measures.values():
        food_measures.sort(key=lambda values: values["Seq"])
    return SR28Data(str(folder), groups, codes, foods, measures)


# --- Writing to the database -----------------------------------------------------------------------

CENT = Decimal("0.01")

# The USDAFood fields a (re-)import writes. Anything else on the model (slug, fields an editor
# may get later) is never touched by a re-import.
FOOD_FIELDS = [
    "description", "short_description", "common_names", "scientific_name", "group_id", "magnesium_per_100g",
    "analyses", "standard_error", "source_code_id", "derivation_code_id", "reference_ndb_number", "kcal_per_100g",
    "mg_per_100kcal", "serving_text", "serving_grams", "mg_per_serving", "search_text",
]  # fmt: skip
MEASURE_FIELDS = ["amount", "description", "grams", "analyses", "standard_deviation"]
DERIVED_FIELDS = {"mg_per_100kcal", "serving_text", "serving_grams", "mg_per_serving", "search_text"}
# How a changed figure is named in the report.
FIELD_WORDS = {
    "magnesium_per_100g": "mg per 100 g",
    "kcal_per_100g": "kcal per 100 g",
    "analyses": "analyses",
    "standard_error": "standard error",
    "description": "description",
}


def cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def food_values(values, measures, group_ids, code_ids):
    """USDAFood field values for one food of the files."""
    mg, kcal = values["mg"], values["kcal"]
    first = measures[0] if measures else None
    return {
        "description": values["Long_Desc"],
        "short_description": values["Shrt_Desc"],
        "common_names": values["ComName"],
        "scientific_name": values["SciName"],
        "group_id": group_ids[values["FdGrp_Cd"]],
        "magnesium_per_100g": mg["Nutr_Val"],
        "analyses": mg["Num_Data_Pts"],
        "standard_error": mg["Std_Error"],
        "source_code_id": code_ids[(USDACode.Kind.SOURCE, mg["Src_Cd"])],
        "derivation_code_id": code_ids[(USDACode.Kind.DERIVATION, mg["Deriv_Cd"])] if mg["Deriv_Cd"] else None,
        "reference_ndb_number": mg["Ref_NDB_No"],
        "kcal_per_100g": kcal,
        "mg_per_100kcal": cents(mg["Nutr_Val"] * 100 / kcal) if kcal else None,
        "serving_text": f"{plain(first['Amount'])} {first['Msre_Desc']}" if first else "",
        "serving_grams": first["Gm_Wgt"] if first else None,
        "mg_per_serving": cents(mg["Nutr_Val"] * first["Gm_Wgt"] / 100) if first else None,
        "search_text": search_text(values["Long_Desc"], values["ComName"]),
    }


def measure_values(values):
    return {
        "amount": values["Amount"],
        "description": values["Msre_Desc"],
        "grams": values["Gm_Wgt"],
        "analyses": values["Num_Data_Pts"],
        "standard_deviation": values["Std_Dev"],
    }


def food_slug(description, ndb):
    base = slugify(description)[:80]
    if len(base) == 80 and "-" in base:
        base = base.rsplit("-", 1)[0]
    return f"{base}-{ndb}" if base else ndb


@dataclass
class ImportReport:
    source: str = ""
    foods_in_files: int = 0
    groups_created: int = 0
    groups_updated: int = 0
    codes_created: int = 0
    codes_updated: int = 0
    foods_created: int = 0
    foods_updated: int = 0
    foods_unchanged: int = 0
    foods_not_in_files: list = field(default_factory=list)
    measures_in_files: int = 0
    measures_created: int = 0
    measures_updated: int = 0
    measures_deleted: int = 0
    featured_linked: list = field(default_factory=list)
    featured_unmatched: list = field(default_factory=list)
    examples: list = field(default_factory=list)  # a few "what changed" lines

    @property
    def changed(self):
        return bool(
            self.groups_created + self.groups_updated + self.codes_created + self.codes_updated
            + self.foods_created + self.foods_updated + self.measures_created + self.measures_updated
            + self.measures_deleted + len(self.featured_linked)
        )  # fmt: skip

    def lines(self):
        out = [
            f"USDA SR28 from {self.source}: {self.foods_in_files:,} foods with magnesium, "
            f"{self.measures_in_files:,} household measures.",
            f"Foods: {self.foods_created:,} created, {self.foods_updated:,} updated, "
            f"{self.foods_unchanged:,} unchanged.",
            f"Household measures: {self.measures_created:,} created, {self.measures_updated:,} updated, "
            f"{self.measures_deleted:,} removed.",
        ]
        if self.groups_created or self.groups_updated or self.codes_created or self.codes_updated:
            out.append(
                f"Food groups: {self.groups_created} created, {self.groups_updated} renamed; source and derivation "
                f"codes: {self.codes_created} created, {self.codes_updated} reworded."
            )
        if self.foods_not_in_files:
            sample = ", ".join(self.foods_not_in_files[:5])
            out.append(
                f"{len(self.foods_not_in_files):,} foods in the database are not in these files and were left "
                f"as they are (NDB {sample}{', ...' if len(self.foods_not_in_files) > 5 else ''})."
            )
        if self.featured_linked:
            out.append(f"Featured foods linked to their USDA entry: {len(self.featured_linked)}.")
        for name, ndb in self.featured_unmatched[:5]:
            out.append(f"Featured food “{name}” names NDB {ndb}, which these files do not have: not linked.")
        if len(self.featured_unmatched) > 5:
            out.append(f"... and {len(self.featured_unmatched) - 5} more featured foods not linked.")
        if self.examples:
            out.append("Changes, for example:")
            out.extend(f"  {example}" for example in self.examples)
        if not self.changed:
            out.append("Nothing changed.")
        return out


def sync_lookup(model, wanted, key_fields, value_field, report_prefix, report):
    """Create or update the rows of a small code table; {key: id}."""
    existing = {tuple(getattr(row, name) for name in key_fields): row for row in model.objects.all()}
    created = updated = 0
    for key, value in wanted.items():
        key = key if isinstance(key, tuple) else (key,)
        row = existing.get(key)
        if row is None:
            row = model(**dict(zip(key_fields, key, strict=True)), **{value_field: value})
            if model is USDAFoodGroup:
                row.slug = slugify(value)
            row.save()
            existing[key] = row
            created += 1
        elif getattr(row, value_field) != value:
            setattr(row, value_field, value)
            row.save(update_fields=[value_field])
            updated += 1
    setattr(report, f"{report_prefix}_created", getattr(report, f"{report_prefix}_created") + created)
    setattr(report, f"{report_prefix}_updated", getattr(report, f"{report_prefix}_updated") + updated)
    return {key if len(key) > 1 else key[0]: row.id for key, row in existing.items()}


def describe_change(ndb, old, changed, new):
    def shown(value):
        return "-" if value is None else plain(value) if isinstance(value, Decimal) else value

    words = [
        f"{FIELD_WORDS[name]} {shown(old[name])} -> {shown(new[name])}" for name in FIELD_WORDS if name in changed
    ]
    # The derived values follow from the figures; name the other USDA fields that changed.
    others = [name for name in changed if name not in FIELD_WORDS and name not in DERIVED_FIELDS]
    if others or not words:
        words.append(("also " if words else "") + ", ".join(others or changed))
    return f"NDB {ndb} {Truncator(new['description']).chars(50)}: " + "; ".join(words)


INSERT_BATCH = 500  # rows; 500 x 20 columns stays under SQLite's 32,766 parameters


def write_rows(model, names, rows, key="id"):
    """INSERT (key=None) or UPDATE ... WHERE key (the last value of each row) many rows. The
    ORM's bulk_create and bulk_update spend seconds preparing 8,050 foods' values one by one;
    these values are already what the columns hold (str, int, Decimal, None)."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = [ops.quote_name(model._meta.get_field(name).column) for name in names]
    with connection.cursor() as cursor:
        if key is None:
            # Many rows a statement: one round trip per 500 foods, not per food (PostgreSQL).
            placeholders = f"({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), INSERT_BATCH):
                batch = rows[start : start + INSERT_BATCH]
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(batch))}",
                    [value for row in batch for value in row],
                )
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {ops.quote_name(key)} = %s", rows)


@transaction.atomic
def import_sr28(data, now=None):
    """Write `data` (from read_sr28) to the database in one transaction: create new foods,
    update USDA's figures where they changed, link featured foods. Returns an ImportReport."""
    now = now or timezone.now()
    stamp = USDAFood._meta.get_field("imported_at").get_db_prep_value(now, connection)
    report = ImportReport(source=data.folder, foods_in_files=len(data.foods))
    report.measures_in_files = sum(len(measures) for measures in data.measures.values())

    group_ids = sync_lookup(USDAFoodGroup, data.groups, ["code"], "name", "groups", report)
    code_ids = sync_lookup(USDACode, data.codes, ["kind", "code"], "description", "codes", report)

    existing = {row[1]: row for row in USDAFood.objects.values_list("id", "ndb_number", *FOOD_FIELDS)}
    new_rows, changed_rows, new_texts = [], [], {}
    for ndb, values in data.foods.items():
        wanted = food_values(values, data.measures.get(ndb, []), group_ids, code_ids)
        row = existing.get(ndb)
        if row is None or row[2 + FOOD_FIELDS.index("search_text")] != wanted["search_text"]:
            new_texts[ndb] = wanted["search_text"]
        if row is None:
            new_rows.append((ndb, food_slug(wanted["description"], ndb), stamp, *(wanted[f] for f in FOOD_FIELDS)))
            continue
        old = dict(zip(FOOD_FIELDS, row[2:], strict=True))
        changed = [name for name in FOOD_FIELDS if old[name] != wanted[name]]
        if not changed:
            report.foods_unchanged += 1
            continue
        if len(report.examples) < 5:
            report.examples.append(describe_change(ndb, old, changed, wanted))
        changed_rows.append((stamp, *(wanted[name] for name in FOOD_FIELDS), row[0]))
    write_rows(USDAFood, ["ndb_number", "slug", "imported_at", *FOOD_FIELDS], new_rows, key=None)
    write_rows(USDAFood, ["imported_at", *FOOD_FIELDS], changed_rows)
    report.foods_created, report.foods_updated = len(new_rows), len(changed_rows)
    report.foods_not_in_files = sorted(set(existing) - set(data.foods))
    if new_rows and existing and len(report.examples) < 5:
        report.examples.extend(f"NDB {row[0]} {row[3][:50]}: new" for row in new_rows[:2])

    food_ids = dict(USDAFood.objects.values_list("ndb_number", "id"))
    index_words(new_texts, food_ids)
    sync_measures(data, food_ids, report)
    report.featured_linked, report.featured_unmatched = link_featured_foods(food_ids)
    return report


def index_words(texts, food_ids):
    """Rewrite the search word index (USDAFoodWord) of the foods whose search text is new or
    changed (`texts`: {NDB number: search text}), and of any food that has no words yet (imported
    before the index existed, or restored from a backup without it): one row per distinct word."""
    texts = {food_ids[ndb]: text for ndb, text in texts.items()}
    texts.update(USDAFood.objects.filter(words__isnull=True).values_list("id", "search_text"))
    if not texts:
        return
    USDAFoodWord.objects.filter(food_id__in=list(texts)).delete()
    write_rows(USDAFoodWord, ["food", "word"], word_rows(texts), key=None)


def sync_measures(data, food_ids, report):
    imported = {food_ids[ndb] for ndb in data.foods}
    existing = {
        (row[1], row[2]): row
        for row in USDAMeasure.objects.values_list("id", "food_id", "sequence", *MEASURE_FIELDS).order_by()
        if row[1] in imported
    }
    new_rows, changed_rows = [], []
    for ndb, measures in data.measures.items():
        food_id = food_ids[ndb]
        for values in measures:
            wanted = measure_values(values)
            wanted = tuple(wanted[name] for name in MEASURE_FIELDS)
            row = existing.pop((food_id, values["Seq"]), None)
            if row is None:
                new_rows.append((food_id, values["Seq"], *wanted))
            elif tuple(row[3:]) != wanted:
                changed_rows.append((*wanted, row[0]))
    # Left in `existing`: measures of imported foods that the files no longer list.
    if existing:
        USDAMeasure.objects.filter(pk__in=[row[0] for row in existing.values()]).delete()
    write_rows(USDAMeasure, ["food", "sequence", *MEASURE_FIELDS], new_rows, key=None)
    write_rows(USDAMeasure, MEASURE_FIELDS, changed_rows)
    report.measures_created, report.measures_updated = len(new_rows), len(changed_rows)
    report.measures_deleted = len(existing)


# "per-100 g value from USDA SR28 NDB 12016", "USDA SR28 NDB No. 11458", "NDB 9021".
NDB_IN_SOURCE = re.compile(r"\bNDB(?:\s+No\.?)?\s*#?\s*(\d{4,5})\b")


def ndb_numbers_in(source):
    return sorted({number.zfill(5) for number in NDB_IN_SOURCE.findall(source)})


def link_featured_foods(food_ids=None):
    """Link each featured food whose source names exactly one NDB number to that USDA food,
    if it has no link yet (a link an editor set or changed is kept). The featured food's own
    figures and source stay as they are. Returns ([linked entries], [(name, NDB) not found])."""
    if food_ids is None:
        food_ids = dict(USDAFood.objects.values_list("ndb_number", "id"))
    if not food_ids:
        return [], []
    linked, unmatched = [], []
    for entry in FoodEntry.objects.filter(usda_food__isnull=True):
        numbers = ndb_numbers_in(entry.source)
        if len(numbers) != 1:
            continue
        if numbers[0] in food_ids:
            entry.usda_food_id = food_ids[numbers[0]]
            linked.append(entry)
        else:
            unmatched.append((entry.name, numbers[0]))
    if linked:
        bulk_update_with_history(
            linked,
            FoodEntry,
            ["usda_food"],
            default_change_reason="Linked to its USDA SR28 entry (the NDB number its source names)",
        )
    return linked, unmatched
