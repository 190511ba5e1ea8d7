"""Time the public pages against the demo newsroom, with their SQL query counts.

Runs on a throwaway SQLite database (or DATABASE_URL if set) and prints a table:
page, requests, median and 95th-percentile milliseconds, queries per request.

    DEBUG=1 .venv/bin/python bench/bench_pages.py [--requests 50]
"""

import argparse
import io
import statistics
import time

from scratch import scratch_site

scratch_site("newsroom-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def pages():
    from articles.models import Article, Contributor, Section

    story = Article.objects.published().first()
    return {
        "home": "/",
        "section": Section.objects.first().get_absolute_url(),
        "article": story.get_absolute_url(),
        "contributor": Contributor.objects.first().get_absolute_url(),
        "search": "/search/?q=city",
        "rss": "/feeds/latest/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/sitemap-news.xml",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    client = Client(HTTP_HOST="localhost")
    print(f"{'page':<14}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    for name, url in pages().items():
        client.get(url)  # warm up
        timings = []
        for _ in range(options.requests):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(f"{name:<14}{len(timings):>9}{statistics.median(timings):>11.1f}{p95:>9.1f}{len(queries):>9}")


if __name__ == "__main__":
    main()
