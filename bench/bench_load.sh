#!/usr/bin/env bash
# Load test: wrk against the home and article pages of the demo newsroom, served by gunicorn
# with production settings (DEBUG off, hashed static files) on a free loopback port.
#
#   bench/bench_load.sh            # 60 s per page, 64 connections, 2 wrk threads
#   DURATION=10s bench/bench_load.sh
#
# Passes when both pages give 0 socket errors and 0 non-2xx answers. Uses deploy/gunicorn.conf.py
# when the checkout has it, else `gunicorn -w 2`. DATABASE_URL picks the database (default: a
# throwaway SQLite file). Needs a quiet machine: other load skews the figures, not the errors.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
# A request still unanswered after this counts as a socket error (wrk's own default is 2 s).
TIMEOUT=${TIMEOUT:-10s}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

source bench/serve.sh
export ALLOWED_HOSTS=127.0.0.1
# Several gunicorn processes share a cache in production: Redis when one answers here (as on
# the machines this project runs on), else the per-process cache, declared as such.
if command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/6}
else
    export NEWSROOM_SINGLE_PROCESS=1
fi

prepare_demo
article=$("$PY" manage.py shell -v0 -c \
    'from articles.models import Article; print(Article.objects.published().first().get_absolute_url())' | tail -n 1)

if [[ -f deploy/gunicorn.conf.py ]]; then
    config="deploy/gunicorn.conf.py"
    GUNICORN_BIND=127.0.0.1:$port start_gunicorn --config deploy/gunicorn.conf.py newsroom.wsgi
else
    config="gunicorn -w 2"
    start_gunicorn newsroom.wsgi -w 2 -b "127.0.0.1:$port"
fi

base="http://127.0.0.1:$port"
# As nginx would send it: production settings redirect plain HTTP to HTTPS.
proto="X-Forwarded-Proto: https"
for path in / "$article"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "$proto" "$base$path")
    [[ $status == 200 ]] || { echo "GET $path answered $status before the run" >&2; exit 1; }
done

failed=0
printf '\n%s, wrk -t%s -c%s -d%s --timeout %s, %s\n\n' "$config" "$THREADS" "$CONNECTIONS" "$DURATION" \
    "$TIMEOUT" "$(date -u +%F)"
printf '%-8s %10s %10s %10s %10s %8s %8s\n' page requests req/s latency p99 sockerr non-2xx
# Requests wrk gave up on at the end of a run are still queued in gunicorn: let them drain, so
# each page is measured from an idle server.
wait_until_idle() {
    for _ in $(seq 120); do
        curl -s -o /dev/null -m 2 -H "$proto" "$base/" && return
        sleep 1
    done
}
for page in home article; do
    path=/; [[ $page == article ]] && path=$article
    wait_until_idle
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency -H "$proto" "$base$path" \
        >"$work/$page.txt"
    requests=$(awk '/requests in/ {print $1}' "$work/$page.txt")
    rate=$(awk '/Requests\/sec/ {print $2}' "$work/$page.txt")
    avg=$(awk '/Latency/ && !/Distribution/ {print $2; exit}' "$work/$page.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/$page.txt")
    # "Socket errors: connect 0, read 0, write 0, timeout 12": the sum of the four counts.
    socket_errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/$page.txt")
    non_2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$page.txt")
    socket_errors=${socket_errors:-0} non_2xx=${non_2xx:-0}
    printf '%-8s %10s %10s %10s %10s %8s %8s\n' "$page" "$requests" "$rate" "$avg" "$p99" "$socket_errors" "$non_2xx"
    if (( socket_errors > 0 || non_2xx > 0 )) || [[ ${requests:-0} == 0 ]]; then failed=1; fi
done
for page in home article; do printf '\n--- wrk, %s ---\n' "$page"; cat "$work/$page.txt"; done
exit $failed
