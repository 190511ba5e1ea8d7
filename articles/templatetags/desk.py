from django import template

from ..models import Article, Correction

register = template.Library()

DESK_ROWS = 8


@register.simple_tag
def editors_desk(user):
    """The stories an editor or reporter needs to see first, for the admin index."""
    articles = Article.objects.select_related("section").order_by("-updated_at")
    return {
        "my_drafts": articles.own_or_bylined(user).filter(status=Article.Status.DRAFT)[:DESK_ROWS],
        "in_review": articles.filter(status=Article.Status.REVIEW)[:DESK_ROWS],
        "scheduled": Article.objects.scheduled().order_by("publish_at")[:DESK_ROWS],
        "recently_published": Article.objects.published().order_by("-publish_at")[:DESK_ROWS],
        "recently_corrected": Correction.objects.select_related("article").order_by("-created_at")[
            :DESK_ROWS
        ],
    }
