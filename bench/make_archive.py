"""Build a large newsroom archive on PostgreSQL in bulk SQL, for bench/bench_scale.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_1m \\
        .venv/bin/python bench/make_archive.py --stories 1000000

Starts from the demo newsroom (sections, contributors, real photos with real rendition
files, 26 written stories), then adds in a few INSERT ... SELECT statements: contributors,
500 tags, one photo row per 20 stories (each pointing at a demo photo's files and copying
its rendition rows), the stories themselves at 274 a day (a million is ten years) with ids in
publishing order, two or three bylines and two tags each, a significant update on every tenth and a
correction on every 25th, 2 % drafts and a few scheduled stories. reader_modified_at gets
the rule of Article.latest_change_for_readers (latest of publish time, significant update
and correction), which the script then checks on a sample with the model's own method.

Bodies are about 1 kB of words drawn from the demo stories (real stories run 3-5 kB): the
search index sees realistic words, and the database fits a development machine. The word
"zanzibarite" appears in exactly three stories (a rare search term); "council" in every one.
"""

import argparse
import importlib
import io
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")
# The demo photos get their renditions made at once, so the archive can copy them.
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles.models import Article, Photo, Section  # noqa: E402

SEARCH_MIGRATION = importlib.import_module("articles.migrations.0017_article_search_document")

CHUNK = 100_000
# Stories published per day, at any archive size: a million is ten years of it, 10,000 five
# weeks. The newest days look the same in both, as in a newsroom whose archive only grows.
PER_DAY = 274
# A rare search term: in exactly this many stories at any archive size, so searching it returns
# the same page at 10,000 and at 1,000,000 and only the archive's size differs.
RARE_WORD, RARE_STORIES = "zanzibarite", 3
TAGS, POPULAR_TAGS = 500, 20
STORIES_PER_PHOTO = 20
CONTRIBUTORS = 300

# h(i, salt): a cheap deterministic scramble, so columns vary without random() per row.
H = "((({i}) * 2654435761::bigint + {salt} * 40503) %% 1000003)"


def h(i, salt):
    return H.format(i=i, salt=salt)


def run(sql, params=None, label=None):
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    if label:
        print(f"  {label:<34}{rows:>10,} rows {time.perf_counter() - started:8.1f} s", flush=True)
    return rows


def scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def vocabulary():
    words = set()
    for body in Article.objects.values_list("body", flat=True):
        words.update(re.findall(r"[a-z]{4,}", re.sub(r"<[^>]+>", " ", body).lower()))
    words.discard(RARE_WORD)
    words.add("council")
    return sorted(words)


def paragraph(i, salt, words=28):
    """SQL for a paragraph of `words` vocabulary words chosen by story number and salt."""
    picks = f"vocab[1 + ((({i})::bigint * 7919 + j * 104729 + {salt} * 31) %% array_length(vocab, 1))]"
    words_sql = f"ARRAY(SELECT {picks} FROM generate_series(1, {words}) j)"
    return f"'<p>' || array_to_string({words_sql}, ' ') || '.</p>'"


def build(stories):
    vocab = vocabulary()
    article_type = ContentType.objects.get_for_model(Article).pk
    now = scalar("SELECT now()")
    run("SET synchronous_commit = off")
    run("SET maintenance_work_mem = '512MB'")

    run(
        """INSERT INTO articles_contributor (name, slug, kind, job_title, bio, headshot_id, user_id)
           SELECT 'Reporter ' || g, 'archive-reporter-' || g, 'person', 'Staff writer', '', NULL, NULL
           FROM generate_series(1, %s) g""",
        [CONTRIBUTORS],
        "contributors",
    )
    first_contributor = scalar(
        "SELECT min(id) FROM articles_contributor WHERE slug LIKE 'archive-reporter-%%'"
    )
    run(
        """INSERT INTO taggit_tag (name, slug)
           SELECT 'Topic ' || g, 'archive-topic-' || g FROM generate_series(1, %s) g""",
        [TAGS],
        "tags",
    )
    first_tag = scalar("SELECT min(id) FROM taggit_tag WHERE slug LIKE 'archive-topic-%%'")

    templates = list(Photo.objects.order_by("id").values_list("id", flat=True))
    photos = max(1, stories // STORIES_PER_PHOTO)
    # Every column copied from a demo photo (so columns added later come along), but these.
    own = {
        "original": "''",
        "sha256": "md5('archive' || g) || md5('photo' || g)",
        "copyright_notice": "''",
        "rights_expire_on": "NULL",
        "uploaded_by_id": "NULL",
        "uploaded_at": "now()",
    }
    photo_columns = [field.column for field in Photo._meta.concrete_fields if not field.primary_key]
    photo_values = [own.get(column, f"t.{column}") for column in photo_columns]
    run(
        f"""INSERT INTO articles_photo ({", ".join(photo_columns)})
           SELECT {", ".join(photo_values)}
           FROM generate_series(1, %s) g
           JOIN articles_photo t ON t.id = (%s::bigint[])[1 + g %% %s]""",
        [photos, templates, len(templates)],
        "photo rows",
    )
    first_photo = scalar("SELECT min(id) FROM articles_photo WHERE sha256 LIKE md5('archive1') || '%%'")
    run(
        """INSERT INTO articles_rendition (photo_id, file, format, square, width, height)
           SELECT p.id, r.file, r.format, r.square, r.width, r.height
           FROM articles_photo p
           JOIN articles_photo t ON t.image = p.image AND t.id = ANY(%s::bigint[])
           JOIN articles_rendition r ON r.photo_id = t.id
           WHERE p.id >= %s""",
        [templates, first_photo],
        "rendition rows",
    )

    run(f"DROP INDEX IF EXISTS {SEARCH_MIGRATION.INDEX_NAME}")  # rebuilt once at the end, much faster
    sections = list(Section.objects.values_list("id", flat=True))
    step = f"(interval '1 day' / {PER_DAY})"
    base_id = scalar("SELECT coalesce(max(id), 0) FROM articles_article")
    i = "g"
    publish_at = f"(%(now)s::timestamptz - interval '1 minute' - ({stories} - g) * {step})"
    updated = f"CASE WHEN g %% 10 = 0 THEN LEAST({publish_at} + interval '2 hours', %(now)s) END"
    corrected = f"CASE WHEN g %% 25 = 0 THEN LEAST({publish_at} + interval '5 hours', %(now)s) END"
    body = " || ".join(paragraph(i, salt) for salt in range(4))
    rare_paragraph = f"'<p>A {RARE_WORD} ruling followed.</p>'"
    rare = f"CASE WHEN g %% {stories // RARE_STORIES} = 7 THEN {rare_paragraph} ELSE '' END"
    headline = (
        f"initcap(vocab[1 + {h(i, 1)} %% array_length(vocab, 1)]) || ' ' || vocab[1 + {h(i, 2)} %% "
        f"array_length(vocab, 1)] || ' ' || vocab[1 + {h(i, 3)} %% array_length(vocab, 1)] || ' council ' || "
        f"vocab[1 + {h(i, 4)} %% array_length(vocab, 1)]"
    )
    insert_stories = f"""
        INSERT INTO articles_article (headline, slug, kicker, dek, dateline, body, section_id,
            lead_photo_id, lead_photo_caption, featured, status, publish_at, first_published_at,
            significantly_updated_at, reader_modified_at, created_at, updated_at, created_by_id,
            last_edited_by_id, version, seo_title, seo_description, canonical_url, external_id,
            preview_key)
        SELECT {headline}, 'archive-' || g, '', 'The ' || vocab[1 + {h(i, 5)} %% array_length(vocab, 1)]
                || ' question, in brief.', 'CITY',
            {body} || {rare},
            (%(sections)s::bigint[])[1 + {h(i, 6)} %% %(nsections)s],
            CASE WHEN g %% 3 <> 0 THEN %(first_photo)s + {h(i, 7)} %% %(photos)s END, '',
            g %% 50 = 0, 'published', {publish_at}, {publish_at}, {updated},
            GREATEST({publish_at}, {updated}, {corrected}),
            {publish_at}, {publish_at}, NULL, NULL, 1, '', '', '', '', md5('key' || g)
        FROM generate_series(%(start)s, %(stop)s) g, (SELECT %(vocab)s::text[] AS vocab) v
        ORDER BY g"""
    params = {
        "now": now,
        "sections": sections,
        "nsections": len(sections),
        "first_photo": first_photo,
        "photos": photos,
        "vocab": vocab,
    }
    for start in range(1, stories + 1, CHUNK):
        stop = min(stories, start + CHUNK - 1)
        run(insert_stories, {**params, "start": start, "stop": stop}, f"stories {start:,}-{stop:,}")
    first_story = base_id + 1
    story_number = f"(a.id - {first_story} + 1)"
    run(
        f"""INSERT INTO articles_byline (article_id, contributor_id, role, position)
            SELECT a.id, %s + ({story_number} * 7 + j * 131) %% %s,
                (ARRAY['by', 'reporting', 'photographs'])[j + 1], j
            FROM articles_article a, generate_series(0, 2) j
            WHERE a.id >= %s AND (j < 2 OR {story_number} %% 3 = 0)""",
        [first_contributor, CONTRIBUTORS, first_story],
        "bylines",
    )
    run(
        f"""INSERT INTO taggit_taggeditem (tag_id, object_id, content_type_id)
            SELECT %s + CASE WHEN j = 0 THEN {story_number} %% {POPULAR_TAGS}
                ELSE {POPULAR_TAGS} + {h(story_number, 9)} %% {TAGS - POPULAR_TAGS} END, a.id, %s
            FROM articles_article a, generate_series(0, 1) j WHERE a.id >= %s""",
        [first_tag, article_type, first_story],
        "tag links",
    )
    run(
        f"""INSERT INTO articles_correction (article_id, kind, text, created_at, created_by_id)
            SELECT a.id, 'correction', 'An earlier version of this story misstated a figure.',
                LEAST(a.publish_at + interval '5 hours', %s::timestamptz), NULL
            FROM articles_article a WHERE a.id >= %s AND {story_number} %% 25 = 0""",
        [now, first_story],
        "corrections",
    )
    drafts = max(1, stories // 50)
    run(
        """INSERT INTO articles_article (headline, slug, kicker, dek, dateline, body, section_id,
                lead_photo_id, lead_photo_caption, featured, status, publish_at, first_published_at,
                significantly_updated_at, reader_modified_at, created_at, updated_at, created_by_id,
                last_edited_by_id, version, seo_title, seo_description, canonical_url, external_id,
                preview_key)
            SELECT 'Draft council story ' || g, 'archive-draft-' || g, '', '', '', '<p>Draft.</p>',
                (%s::bigint[])[1 + g %% %s], NULL, '', false,
                CASE WHEN g %% 100 = 0 THEN 'published' ELSE 'draft' END,
                scheduled.at, scheduled.at, NULL, scheduled.at, %s, %s, NULL, NULL, 1, '', '', '', '',
                md5('draft' || g)
            FROM generate_series(1, %s) g,
                LATERAL (SELECT CASE WHEN g %% 100 = 0 THEN %s::timestamptz + g * interval '1 minute' END
                    AS at) scheduled""",
        [sections, len(sections), now, now, drafts, now],
        "drafts and scheduled stories",
    )
    started = time.perf_counter()
    run("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred foreign keys before indexing
    run(SEARCH_MIGRATION.CREATE_INDEX)  # the very index migration 0017 builds
    print(f"  {'search index':<34}{'':>15} {time.perf_counter() - started:8.1f} s", flush=True)

def vacuum():
    started = time.perf_counter()
    run("VACUUM ANALYZE")
    print(f"  {'vacuum analyze':<34}{'':>15} {time.perf_counter() - started:8.1f} s", flush=True)


def check_reader_modified_sample(size=200):
    """reader_modified_at as stored must equal the model's own rule on a random sample."""
    ids = list(Article.objects.published().values_list("id", flat=True).order_by("?")[:size])
    for article in Article.objects.filter(id__in=ids):
        assert article.reader_modified_at == article.latest_change_for_readers(), article.pk
    print(f"  reader_modified_at matches Article.latest_change_for_readers() on {len(ids)} stories")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1_000_000, help="published stories to add")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("make_archive.py builds on PostgreSQL: set DATABASE_URL=postgres://...")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Article.objects.count() == 0:
        print("loading the demo newsroom (sections, contributors, photos with renditions)", flush=True)
        call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    with transaction.atomic():  # all or nothing: a failed build can simply be run again
        build(options.stories)
    vacuum()
    check_reader_modified_sample()
    published = Article.objects.published().count()
    print(f"done: {published:,} published stories in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
