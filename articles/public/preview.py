"""Unpublished stories in the public template, for staff and for holders of a share link."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import Article
from ..security.two_factor import require_second_factor
from ..stories import preview, workflow
from .views import article_page_context


def render_preview(request, article):
    response = render(
        request, "articles/article_detail.html", article_page_context(request, article, preview=True)
    )
    for header, value in preview.PREVIEW_HEADERS.items():
        response[header] = value
    return response


@require_second_factor
def staff_preview(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    article = get_object_or_404(Article.objects.for_article_page(), pk=pk)
    if not workflow.can_preview(request.user, article):
        raise Http404("No story to preview here.")
    return render_preview(request, article)


def shared_preview(request, token):
    article = preview.article_for_share_token(token)
    if article is None:
        raise Http404("This preview link has expired or was revoked.")
    article = Article.objects.for_article_page().get(pk=article.pk)
    return render_preview(request, article)
