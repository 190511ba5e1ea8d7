"""The newsroom's roles as Django groups, with the permissions each needs."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

# Editors and photo editors make and arrange galleries alike.
GALLERIES = [
    "articles.add_gallery",
    "articles.change_gallery",
    "articles.view_gallery",
    "articles.add_galleryphoto",
    "articles.change_galleryphoto",
    "articles.delete_galleryphoto",
    "articles.view_galleryphoto",
]
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
        # A new freelancer or agency can be added from the byline row's "+" without waiting.
        "articles.add_contributor",
        "articles.view_photo",
        # To place the desk's galleries in their stories (Insert gallery, lead gallery).
        "articles.view_gallery",
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
        "articles.add_webhook",
        "articles.change_webhook",
        "articles.delete_webhook",
        "articles.view_webhook",
        "articles.view_webhookdelivery",
        "articles.add_wiresubjectrule",
        "articles.change_wiresubjectrule",
        "articles.delete_wiresubjectrule",
        "articles.view_wiresubjectrule",
        "articles.add_frontpage",
        "articles.change_frontpage",
        "articles.delete_frontpage",
        "articles.view_frontpage",
        "articles.add_placement",
        "articles.change_placement",
        "articles.delete_placement",
        "articles.view_placement",
        *GALLERIES,
        "taggit.add_tag",
        "taggit.change_tag",
        "taggit.delete_tag",
        "taggit.view_tag",
        # Unlocking an account locked after failed logins is deleting its access attempts.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    "Photo editor": [
        "articles.add_photo",
        "articles.change_photo",
        "articles.delete_photo",
        "articles.view_photo",
        "articles.view_rendition",
        *GALLERIES,
        "articles.view_article",
        "articles.view_contributor",
    ],
}


def ensure_groups(apps, **kwargs):
    """Create the role groups if missing and give them their permissions; safe to repeat."""
    for app_label in ("articles", "taggit", "axes"):
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:
            continue  # not migrated yet at this point of the history; post_migrate comes back
        if not getattr(app_config, "models_module", None):
            app_config.models_module = True  # migration state apps have no models module to check
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.none()
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*wanted)


def ensure_groups_after_migrate(sender, apps=None, **kwargs):
    # Also after `flush`, which empties the tables and sends post_migrate without `apps`.
    ensure_groups(apps or global_apps)
