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
PY=${PY:-.venv/bin/python}
[[ -f $ANCHOR/run.sh ]] || { echo "no anchor harness at $ANCHOR (set ANCHOR=)" >&2; exit 2; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis must answer on 127.0.0.1:6379" >&2; exit 2; }

work=$(mktemp -d /tmp/newsroom-anchor-XXXXXX)
server_pid=""
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DEBUG=0 LOG_LEVEL=WARNING ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
# wrk speaks plain HTTP to the app, as Varnish does behind nginx's TLS.
export SECURE_SSL_REDIRECT=0
export DATABASE_URL=sqlite:///$work/bench.sqlite3
export STATIC_ROOT=$work/static MEDIA_ROOT=$work/media PHOTO_ORIGINALS_ROOT=$work/originals
export TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/7}
# The rendered pages and the related-stories choice kept in Redis (articles/public/pagecache.py).
export NEWSROOM_PAGE_CACHE=${APP_CACHE:-1}
redis-cli -u "$REDIS_URL" flushdb >/dev/null

echo "Preparing the demo newsroom in $work ..." >&2
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo --no-users -v0 >/dev/null
"$PY" manage.py collectstatic --noinput -v0
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

"$PY" -m gunicorn newsroom.wsgi -w 2 -b "127.0.0.1:$port" >"$work/gunicorn.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health/app/" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/gunicorn.log"; exit 1; }
    sleep 0.2
done
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
