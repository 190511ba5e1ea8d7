"""The reader site. Every queryset here starts from Article.objects.published()."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from ..models import Article, Contributor, FormerURL, Section

PAGE_SIZE = 20


class PublishedArticleMixin:
    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticleMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return super().get_queryset()[:PAGE_SIZE]


class SectionView(PublishedArticleMixin, ListView):
    template_name = "articles/section.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, current_section=self.section, **kwargs)


class ContributorView(PublishedArticleMixin, ListView):
    template_name = "articles/contributor.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.contributor = get_object_or_404(
            Contributor.objects.select_related("headshot"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(bylines__contributor=self.contributor).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(contributor=self.contributor, **kwargs)


class TagView(PublishedArticleMixin, ListView):
    template_name = "articles/tag.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(PublishedArticleMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags", "corrections")

    def get_object(self, queryset=None):
        try:
            day = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError as bad_date:
            raise Http404("No such date.") from bad_date
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        article = (
            self.get_queryset()
            .filter(
                slug=self.kwargs["slug"],
                publish_at__gte=start,
                publish_at__lt=start + datetime.timedelta(days=1),
            )
            .first()
        )
        if article is None:
            raise Http404("No published story at this address.")
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            former = (
                FormerURL.objects.filter(path=request.path, article__in=Article.objects.published())
                .select_related("article")
                .first()
            )
            if former is None:
                raise
            return redirect(former.article, permanent=True)
