#!/bin/bash
# The article page behind the shipped Varnish config, in the anchor harness, and how long a
# publish takes to show through it.
#
#   sudo bash bench/bench_varnish.sh APP_PORT VARNISH_PORT ARTICLE_PATH
#
# APP_PORT: a running gunicorn of this project (NEWSROOM_PUBLIC_CACHE_SECONDS=4 for a
# publish to show within 5 s without purging). Runs varnishd as root on 127.0.0.1 with a
# copy of deploy/varnish/newsroom.vcl whose two backends point at APP_PORT (its probe asks
# PROBE_PATH instead of /health/ when that is set), then the anchor harness
# (ANCHOR=/path/to/bench-anchor) with EXTRA_URL on Varnish and TARGETS=nginx. Every process
# started here is stopped by its PID at the end.
set -euo pipefail
APP_PORT=$1 VARNISH_PORT=$2 ARTICLE=$3
HERE=$(cd "$(dirname "$0")/.." && pwd)
ANCHOR=${ANCHOR:-/work/shared/bench-anchor}
WORKDIR=$(mktemp -d /tmp/newsroom-varnish-XXXXXX)
chmod 755 "$WORKDIR"  # varnishd reads the VCL as its own unprivileged user
PY=${PY:-$HERE/.venv/bin/python}
trap '[ -s $WORKDIR/varnishd.pid ] && kill "$(cat $WORKDIR/varnishd.pid)" 2>/dev/null; sleep 1' EXIT

python3 - "$HERE/deploy/varnish/newsroom.vcl" "$WORKDIR/test.vcl" "$APP_PORT" <<'PY'
import os, re, sys
source, target, port = sys.argv[1], sys.argv[2], sys.argv[3]
vcl = open(source).read()
for name in ("app1", "app2"):
    pattern = re.compile(r'(backend %s \{\s*\.host = ")[^"]+(";.*?\n\s*\.port = ")[^"]+(")' % name, re.S)
    vcl, count = pattern.subn(r"\g<1>127.0.0.1\g<2>%s\g<3>" % port, vcl)
    assert count == 1, name
if os.environ.get("PROBE_PATH"):  # an app without /health/ (e.g. an older checkout)
    vcl = vcl.replace('"GET /health/ HTTP/1.1"', '"GET %s HTTP/1.1"' % os.environ["PROBE_PATH"])
open(target, "w").write(vcl)
PY
varnishd -n "$WORKDIR" -a 127.0.0.1:"$VARNISH_PORT" -T 127.0.0.1:$((VARNISH_PORT + 1)) \
  -f "$WORKDIR/test.vcl" -s malloc,64m -P "$WORKDIR/varnishd.pid"
sleep 2
V=http://127.0.0.1:$VARNISH_PORT
curl -s -o /dev/null "$V$ARTICLE"
echo "second request: X-Cache $(curl -s -o /dev/null -D - "$V$ARTICLE" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2}')"

# A publish: a new story goes live now; poll the home page through Varnish until it shows.
headline="Varnish publish probe $(date +%s)"
curl -s -o /dev/null "$V/"
$PY "$HERE/manage.py" shell -c "
from articles.models import Article, Section
from articles.stories import workflow
story = Article.objects.create(headline='$headline', section=Section.objects.first(), body='<p>Probe.</p>')
workflow.publish_article(article=story, by=workflow.system_user())
"
published=$(date +%s.%N)
until curl -s "$V/" | grep -q "$headline"; do
  sleep 0.1
  if (( $(echo "$(date +%s.%N) - $published > 30" | bc) )); then echo "publish not visible after 30 s"; exit 1; fi
done
echo "publish visible through Varnish after $(echo "$(date +%s.%N) - $published" | bc) s"

# The harness runs its own Django sites: our settings module must not leak into them.
env -u DJANGO_SETTINGS_MODULE EXTRA_URL="$V$ARTICLE" TARGETS="${TARGETS:-nginx}" bash "$ANCHOR/run.sh"
