"""POST data for the article admin form, built from a saved story, as a browser would send it."""

from django.utils import timezone


def article_form_data(article, **overrides):
    publish_at = timezone.localtime(article.publish_at) if article.publish_at else None
    data = {
        "kicker": article.kicker,
        "headline": article.headline,
        "dek": article.dek,
        "dateline": article.dateline,
        "body": article.body,
        "section": article.section_id,
        "tags": ", ".join(article.tags.names()) if article.pk else "",
        "lead_photo": article.lead_photo_id or "",
        "lead_photo_caption": article.lead_photo_caption,
        "lead_gallery": article.lead_gallery_id or "",
        "status": article.status,
        "publish_at_0": publish_at.strftime("%Y-%m-%d") if publish_at else "",
        "publish_at_1": publish_at.strftime("%H:%M:%S") if publish_at else "",
        "slug": article.slug,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "canonical_url": article.canonical_url,
        "edit_version": article.version,
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    if article.featured:
        data["featured"] = "on"
    bylines = list(article.bylines.all()) if article.pk else []
    data.update({
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    })
    for index, byline in enumerate(bylines):
        data.update({
            f"bylines-{index}-id": byline.pk,
            f"bylines-{index}-article": article.pk,
            f"bylines-{index}-position": byline.position,
            f"bylines-{index}-contributor": byline.contributor_id,
            f"bylines-{index}-role": byline.role,
        })
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
