"""Time every page at two archive sizes and compare: each must stay within 1.5x, same queries.

Build the archives first (bench/make_archive.py), then:

    .venv/bin/python bench/bench_scale.py \\
        --small postgres://postgres@127.0.0.1:5432/newsroom_10k \\
        --large postgres://postgres@127.0.0.1:5432/newsroom_1m [--requests 20]

Each page is requested through Django's test client (in process, no HTTP server), the
rendered-page cache off so every request renders; median milliseconds and SQL queries per
request are printed for both archives with the ratio; the two archives are measured
alternately (--rounds, median over rounds). The read API's list, filters, sync feed and one
story are measured too; `--only sitemap admin` measures only the pages whose names hold one
of those words. Exit status 1 when a page is over 1.5x or its query
count differs.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1.5


def pages():
    """(name, URL, needs staff) for every page measured, chosen from the current database."""
    import datetime
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, Section

    published = Article.objects.published()
    newest = published.order_by("-publish_at", "-id").first()
    oldest = published.order_by("publish_at", "id").first()
    section = Section.objects.order_by("position", "name").first()
    # A full sitemap page: the one before the newest story's (ids run in publishing order).
    from articles.public.sitemaps import ArticleSitemap

    sitemap_page = max(1, (newest.pk - 1) // ArticleSitemap.limit)
    found = [
        ("home", "/", False),
        ("section p1", section.get_absolute_url(), False),
        ("section p50", section.get_absolute_url() + "?page=50", False),
        ("article newest", newest.get_absolute_url(), False),
        ("article oldest", oldest.get_absolute_url(), False),
        ("search common", "/search/?q=council", False),
        ("search rare", "/search/?q=zanzibarite", False),
        ("rss latest", "/feeds/latest/", False),
        ("atom section", f"/feeds/atom/section/{section.slug}/", False),
        ("sitemap index", "/sitemap.xml", False),
        ("sitemap page", f"/sitemap-articles.xml?p={sitemap_page}", False),
        ("news sitemap", "/sitemap-news.xml", False),
        ("admin list", reverse("admin:articles_article_changelist"), True),
        ("admin search", reverse("admin:articles_article_changelist") + "?q=council", True),
        ("admin search rare", reverse("admin:articles_article_changelist") + "?q=zanzibarite", True),
    ]
    # The read API (issue 14): first page, a page deep in the archive by keyset, filters, the
    # sync feed and one story. Its own rendered-response cache is off like the pages'.
    oldest_day = (oldest.publish_at + datetime.timedelta(days=1)).isoformat()
    yesterday = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    tag = Tag.objects.order_by("pk").first()
    found += [
        ("api stories", "/api/v1/stories", False),
        ("api stories oldest", "/api/v1/stories?" + urlencode({"published_before": oldest_day}), False),
        ("api section", f"/api/v1/stories?section={section.slug}", False),
        ("api tag", f"/api/v1/stories?tag={tag.slug}", False),
        ("api updated_since", "/api/v1/stories?" + urlencode({"updated_since": yesterday}), False),
        ("api story", f"/api/v1/stories/{newest.pk}", False),
    ]
    return found


def measure(database_url, requests, only):
    """Run in a child process per database: print one line per page, 'name|median|queries'."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("NEWSROOM_TESTING", "1")
    os.environ["NEWSROOM_PAGE_CACHE"] = "0"
    os.environ["NEWSROOM_2FA_REQUIRED_GROUPS"] = ""  # the bench editor signs in without a phone
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    reader, staff = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    staff.force_login(user)
    for name, url, needs_staff in pages():
        if only and not any(word in name for word in only):
            continue
        client = staff if needs_staff else reader
        response = client.get(url)  # warm up
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{name}|{statistics.median(timings):.1f}|{len(queries)}", flush=True)


def run_child(database_url, requests, only):
    output = subprocess.run(
        [sys.executable, __file__, "--child", database_url, "--requests", str(requests), "--only", *only],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = {}
    for line in output.splitlines():
        if line.count("|") == 2:
            name, median, queries = line.split("|")
            rows[name] = (float(median), int(queries))
    return rows


def across(rounds, name):
    """(median ms over rounds, queries) for page `name`; the query count must not vary."""
    figures = [rows[name] for rows in rounds if name in rows]
    return statistics.median(ms for ms, _ in figures), max(queries for _, queries in figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", help="DATABASE_URL of the small archive (e.g. 10,000 stories)")
    parser.add_argument("--large", help="DATABASE_URL of the large archive (e.g. 1,000,000 stories)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--rounds", type=int, default=2, help="small and large are measured alternately this many times"
    )
    parser.add_argument(
        "--only", nargs="*", default=[], metavar="WORD", help="measure only pages whose name holds a WORD"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return measure(options.child, options.requests, options.only)
    if not (options.small and options.large):
        parser.error("--small and --large are required")
    # Alternate the two archives, so both share whatever else the machine is doing; each
    # page's figure is the median over rounds.
    smalls, larges = [], []
    for _ in range(options.rounds):
        smalls.append(run_child(options.small, options.requests, options.only))
        larges.append(run_child(options.large, options.requests, options.only))
    small = {name: across(smalls, name) for name in smalls[0]}
    large = {name: across(larges, name) for name in larges[0]}
    print(f"{'page':<20}{'small ms':>10}{'q':>4}{'large ms':>10}{'q':>4}{'ratio':>7}  within {LIMIT}x")
    failed = False
    for name, (small_ms, small_q) in small.items():
        large_ms, large_q = large.get(name, (float("nan"), -1))
        ratio = large_ms / small_ms
        ok = ratio <= LIMIT and small_q == large_q
        failed |= not ok
        verdict = "yes" if ok else "NO"
        print(f"{name:<20}{small_ms:>10.1f}{small_q:>4}{large_ms:>10.1f}{large_q:>4}{ratio:>7.2f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
