# Sourced by the benchmark scripts that serve the demo newsroom over HTTP (bench_anchor.sh,
# bench_load.sh): a throwaway folder, production settings (DEBUG off, a fresh secret key,
# hashed static files) and a free loopback port. Each script adds its own settings, then
#
#   prepare_demo                 migrate, load the demo newsroom, collectstatic
#   start_gunicorn ARGUMENTS...  run `gunicorn ARGUMENTS` on $port until it accepts connections
#
# The server is stopped by its PID, and the folder removed, when the script exits.

PY=${PY:-.venv/bin/python}
work=$(mktemp -d /tmp/newsroom-bench-XXXXXX)
server_pid=""
stop_server() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_server EXIT

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DEBUG=0 LOG_LEVEL=WARNING
export SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DATABASE_URL=${DATABASE_URL:-sqlite:///$work/bench.sqlite3}
export STATIC_ROOT=$work/static MEDIA_ROOT=$work/media PHOTO_ORIGINALS_ROOT=$work/originals
export TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend

prepare_demo() {
    echo "Preparing the demo newsroom in $work ..." >&2
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py load_demo --no-users -v0 >/dev/null
    "$PY" manage.py collectstatic --noinput -v0
}

start_gunicorn() {
    "$PY" -m gunicorn "$@" >"$work/gunicorn.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && return
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.2
    done
    echo "gunicorn did not start:" >&2
    cat "$work/gunicorn.log" >&2
    exit 1
}
