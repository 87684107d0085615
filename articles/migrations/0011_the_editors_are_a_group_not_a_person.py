"""The launch article's byline "Magnesium & Nerve Health editors" was a Person (seeded so, or made by 0010 from
the free-text byline): the site's editors are a group, shown wherever content names no author (the byline links
to /people/#editors, the JSON-LD names an Organization). Articles naming that Person name no author instead; the
Person row goes too when nothing else names it and no editor has added anything to it (bio, conflicts, photo,
account), so the people page does not list the group as a person. Nothing else changes (updated_at stays)."""

from django.db import migrations, transaction
from django.db.models import ProtectedError

EDITORS = "Magnesium & Nerve Health editors"


def editors_as_the_group(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Person = apps.get_model("site_project", "Person")
    for person in Person.objects.filter(name=EDITORS, credentials=""):
        Article.objects.filter(author=person).update(author=None)
        if person.bio or person.conflicts_of_interest or person.photo or person.account_id:
            continue
        try:
            with transaction.atomic():
                person.delete()
        except ProtectedError:  # still named on other content: kept
            pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_people_and_review"),
        ("site_project", "0005_person_photo_checked"),
    ]

    operations = [migrations.RunPython(editors_as_the_group, migrations.RunPython.noop)]
