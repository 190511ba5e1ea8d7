import html

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.demo import content
from articles.demo.images import make_demo_photo, make_headshot
from articles.models import Article, Byline, Contributor, Correction, Section
from articles.photos.pipeline import DuplicatePhoto, create_photo

DEMO_PASSWORD = "newsroom-demo"
DEMO_USERS = {
    "editor": ("Editor", "Edith", "Editor", "/admin/"),
    "reporter": ("Reporter", "Riley", "Reporter", "/admin/"),
    "photo": ("Photo editor", "Pat", "Photo", "/photos/"),
}


class Command(BaseCommand):
    help = "Load the demo newsroom: sections, contributors, photos, stories and one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Load the content only. Needed when DEBUG is off: demo logins have a public password.",
        )

    def handle(self, *args, no_users=False, **options):
        if not no_users and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo logins with a published password while DEBUG is off. "
                "Run with DEBUG=1 for a local demo, or pass --no-users to load the content only."
            )
        with transaction.atomic():
            users = {} if no_users else self.load_users()
            sections = self.load_sections()
            contributors = self.load_contributors(users)
            created = self.load_stories(sections, contributors, users.get("editor"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {len(sections)} sections, {len(contributors)} contributors, "
                f"{Article.objects.count()} stories ({created} new)."
            )
        )
        if users:
            self.stdout.write("Demo logins (local use only), password for each: " + DEMO_PASSWORD)
            for username, (group, _first, _last, where) in DEMO_USERS.items():
                self.stdout.write(f"  {username:<9} {group:<13} http://127.0.0.1:8000{where}")
            if settings.NEWSROOM_2FA_REQUIRED_GROUPS:
                self.stdout.write(
                    "Two-factor sign-in is required for: "
                    + ", ".join(settings.NEWSROOM_2FA_REQUIRED_GROUPS)
                    + ". At first login scan the QR code with any authenticator app; for a quick look "
                    "without one, run with NEWSROOM_2FA_REQUIRED_GROUPS= (empty)."
                )

    def load_users(self):
        users = {}
        for username, (group_name, first, last, _where) in DEMO_USERS.items():
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": True,
                    "email": f"{username}@newsroom.test",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=group_name))
            users[username] = user
        return users

    def load_sections(self):
        return {
            item["slug"]: Section.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "description": item["description"],
                    "position": position,
                },
            )[0]
            for position, item in enumerate(content.SECTIONS)
        }

    def load_contributors(self, users):
        contributors = {}
        for seed, item in enumerate(content.CONTRIBUTORS):
            contributor, _ = Contributor.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "kind": item["kind"],
                    "job_title": item["job_title"],
                    "bio": item["bio"],
                    "user": users.get(item["user"]) if item["user"] else None,
                },
            )
            if contributor.kind == Contributor.Kind.PERSON and contributor.headshot_id is None:
                contributor.headshot = self.photo(
                    make_headshot(name=contributor.name, seed=seed),
                    caption=f"{contributor.name}, {contributor.job_title}.",
                    alt_text=f"Portrait illustration of {contributor.name}.",
                    credit="The Newsroom",
                )
                contributor.save()
            contributors[item["slug"]] = contributor
        return contributors

    def photo(self, data, **fields):
        try:
            return create_photo(file=ContentFile(data, name="demo.jpg"), **fields)
        except DuplicatePhoto as duplicate:
            return duplicate.existing

    def load_stories(self, sections, contributors, editor):
        created = 0
        now = timezone.now()
        for seed, story in enumerate(content.STORIES):
            if Article.objects.filter(slug=story["slug"]).exists():
                continue
            status = story["status"]
            publish_at = now - timezone.timedelta(hours=story["hours_ago"])
            picture = story["photo"]
            article = Article.objects.create(
                slug=story["slug"],
                section=sections[story["section"]],
                kicker=story["kicker"],
                headline=story["headline"],
                dek=story["dek"],
                dateline=story["dateline"],
                body=paragraphs_to_html(story["paragraphs"]),
                featured=story.get("featured", False),
                status=Article.Status.PUBLISHED if status == "scheduled" else status,
                publish_at=publish_at if status in {"published", "scheduled"} else None,
                embargo_until=now + timezone.timedelta(hours=story["embargo_hours"])
                if story.get("embargo_hours")
                else None,
                created_by=editor,
                lead_photo=self.photo(
                    make_demo_photo(palette=picture["palette"], scene=picture["scene"], seed=seed),
                    caption=picture["caption"],
                    credit=picture["credit"],
                    alt_text=picture["alt"],
                    photographer=picture.get("photographer", ""),
                    source=picture.get("source", ""),
                ),
            )
            article.tags.add(*story["tags"])
            Byline.objects.bulk_create(
                Byline(article=article, contributor=contributors[slug], role=role, position=position)
                for position, (slug, role) in enumerate(story["bylines"])
            )
            if correction := story.get("correction"):
                Correction.objects.create(
                    article=article,
                    kind=correction["kind"],
                    text=correction["text"],
                    created_at=publish_at + timezone.timedelta(hours=1),
                )
            created += 1
        return created


def paragraphs_to_html(paragraphs):
    """Demo copy marks sub-headings with '## ' and block quotes with '> '."""
    blocks = []
    for paragraph in paragraphs:
        if paragraph.startswith("## "):
            blocks.append(f"<h2>{html.escape(paragraph[3:])}</h2>")
        elif paragraph.startswith("> "):
            blocks.append(f"<blockquote><p>{html.escape(paragraph[2:])}</p></blockquote>")
        else:
            blocks.append(f"<p>{html.escape(paragraph)}</p>")
    return "\n".join(blocks)
