"""Create the newsroom's three roles with their permissions (detailed rules live in the admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Reporter": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.view_correction",
        "articles.view_section",
        "articles.view_contributor",
        "articles.view_photo",
        "taggit.add_tag",
        "taggit.view_tag",
    ],
    "Editor": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_correction",
        "articles.change_correction",
        "articles.delete_correction",
        "articles.view_correction",
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "articles.add_contributor",
        "articles.change_contributor",
        "articles.view_contributor",
        "articles.add_photo",
        "articles.change_photo",
        "articles.view_photo",
        "articles.view_formerurl",
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "taggit.view_tag",
    ],
    "Photo editor": [
        "articles.add_photo",
        "articles.change_photo",
        "articles.delete_photo",
        "articles.view_photo",
        "articles.view_rendition",
        "articles.view_article",
        "articles.view_contributor",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; this data migration needs them now.
    for app_label in ("articles", "taggit"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # migration state apps have no models module to check
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
