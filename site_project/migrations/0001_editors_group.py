from django.db import migrations


def create_editors_group(apps, schema_editor):
    from site_project.editors import sync_editors_group

    sync_editors_group(apps)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0002_history_of_related_items_and_references"),
        ("supplements", "0002_supplement_form_example_intake_upper_levels_interaction_category"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
