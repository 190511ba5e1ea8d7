#!/usr/bin/env bash
# Our pages beside the anchors (../shared/bench-anchor: minimal Django, Wagtail, nginx), same
# rounds, same gunicorn settings as the anchors (2 sync workers, DEBUG off).
#
#   bench/bench_anchor.sh                      # the article page, cached and cold (EXTRA_BUST)
#   PAGE=home bench/bench_anchor.sh            # or PAGE=section
#   ROUNDS=1 DURATION=5s bench/bench_anchor.sh # a quick look
#   APP_CACHE=0 bench/bench_anchor.sh          # the app's own caches off as well: every
#                                              # cache empty, so both our targets render
#
# Serves the demo newsroom from a throwaway SQLite file with Redis as the cache (as production
# runs: the rendered-page cache is on), on a free loopback port, then runs the harness with
# EXTRA_URL on that page and EXTRA_BUST=1, so the table has our page served as readers get it
# ("extra") and rendered afresh on every request ("extra-bust"). Every process it starts is
# stopped by PID at the end; the harness's table is kept in /tmp/newsroom-anchor-results/PAGE/. Other harness knobs (ROUNDS, DURATION, TARGETS, SKIP_PIP) pass
# through. Needs a quiet machine: read the ratios and the CPU per request.
set -euo pipefail
cd "$(dirname "$0")/.."

ANCHOR=${ANCHOR:-$(cd .. && pwd)/shared/bench-anchor}
PAGE=${PAGE:-article}
[[ -f $ANCHOR/run.sh ]] || { echo "no anchor harness at $ANCHOR (set ANCHOR=)" >&2; exit 2; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis must answer on 127.0.0.1:6379" >&2; exit 2; }

source bench/serve.sh
export ALLOWED_HOSTS=127.0.0.1,localhost
# Like the anchors: SQLite, whatever DATABASE_URL says.
export DATABASE_URL=sqlite:///$work/bench.sqlite3
# wrk speaks plain HTTP to the app, as Varnish does behind nginx's TLS.
export SECURE_SSL_REDIRECT=0
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/7}
# The rendered pages and the related-stories choice kept in Redis (articles/public/pagecache.py).
export NEWSROOM_PAGE_CACHE=${APP_CACHE:-1}
redis-cli -u "$REDIS_URL" flushdb >/dev/null

prepare_demo
path=$("$PY" manage.py shell -v0 -c "
from articles.models import Article, Section
page = '$PAGE'
if page == 'home':
    print('/')
elif page == 'section':
    print(Section.objects.order_by('position', 'name').first().get_absolute_url())
else:
    print(Article.objects.published().order_by('-publish_at', '-id').first().get_absolute_url())
" | tail -n 1)

start_gunicorn newsroom.wsgi -w 2 -b "127.0.0.1:$port"
url="http://127.0.0.1:$port$path"
status=$(curl -s -o /dev/null -w '%{http_code}' "$url")
[[ $status == 200 ]] || { echo "GET $url answered $status" >&2; cat "$work/gunicorn.log" >&2; exit 1; }
echo "Measuring $url (gunicorn pid $server_pid)" >&2

# The harness builds its own Django sites: our settings must not leak into them.
env -u DJANGO_SETTINGS_MODULE -u DATABASE_URL -u REDIS_URL -u STATIC_ROOT -u MEDIA_ROOT \
    -u DEBUG -u SECRET_KEY -u ALLOWED_HOSTS -u NEWSROOM_PAGE_CACHE \
    EXTRA_URL="$url" EXTRA_PID="$server_pid" EXTRA_BUST=${EXTRA_BUST:-1} \
    RESULTS_DIR=${RESULTS_DIR:-/tmp/newsroom-anchor-results/$PAGE} \
    TARGETS="${TARGETS:-plain wagtail nginx}" bash "$ANCHOR/run.sh"
