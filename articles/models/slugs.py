"""Unique slugs made from a name, safe when two editors save at the same moment."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify


def slugs_taken(queryset, base):
    return set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))


def save_with_unique_slug(instance, source, *, max_length, fallback, save):
    """Give `instance` a slug from `source` ("-2", "-3"... when taken) and save it with `save()`.

    Another editor may take the same slug between our read and our write: the database's
    unique constraint catches it and the next free slug is tried.
    """
    model = type(instance)
    base = slugify(source, allow_unicode=True)[: max_length - 6].strip("-") or fallback
    others = model._default_manager.exclude(pk=instance.pk)
    taken = slugs_taken(others, base)
    for number in range(1, 1000):
        candidate = base if number == 1 else f"{base}-{number}"
        if candidate in taken:
            continue
        instance.slug = candidate
        try:
            with transaction.atomic():
                return save()
        except IntegrityError:
            if not others.filter(slug=candidate).exists():
                raise
            taken.add(candidate)
    raise IntegrityError(f"No free slug left for {base!r}")
