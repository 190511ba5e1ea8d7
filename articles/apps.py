from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .admin import frontpage, galleries, people, photos, stories, webhooks, wire  # noqa: F401  (registers the model admins)
        from .photos import signals  # noqa: F401  (photo files leave the disk with their rows)
        from .roles import ensure_groups_after_migrate

        post_migrate.connect(ensure_groups_after_migrate, sender=self)
