#
# Newsroom: Varnish in front of the gunicorn app servers.
#
#   nginx :443 (TLS)  ->  Varnish :6081 (this file)  ->  gunicorn :8000 on each app server
#
# Written for Varnish 7.1 (Debian 12) with vmod xkey from the varnish-modules package.
# See docs/deploy.md, "Varnish", for the key vocabulary and how the app purges.
#
# What this file does, in short:
#   * caches public pages for as long as the app's Cache-Control says (max-age / s-maxage),
#   * removes pages by surrogate key (`xkey` response header) when the app sends
#     `PURGE` with an `xkey-purge` (or `xkey-softpurge`) request header,
#   * never stores anything for staff: a `sessionid` cookie, the admin, the photo desk,
#     accounts, previews/share links and /health/ always go to an app server,
#   * keeps pages for 24 hours after they expire ("grace"): readers get the stale copy
#     while a fresh one is fetched in the background, and keep getting it if every
#     app server is down,
#   * answers a friendly, self-contained 503 page when there is nothing cached to show,
#   * spreads requests over the app servers in turn, skipping any whose /health/app/ fails.
#
# Check a change before loading it:   varnishd -C -f /etc/varnish/newsroom.vcl >/dev/null 2>&1 && echo OK
#   (the C code or the error goes to stderr; the error follows "Message from VCC-compiler")
# Load it without dropping the cache: systemctl reload varnish   (runs varnishreload)

vcl 4.1;

import std;
import directors;
import xkey;

# How Varnish decides an app server is up. The probe asks /health/app/ (database and cache
# only: a slow task worker or a media store outage must not take every app server out of
# rotation at once; /health/ checks everything, for monitoring) every 3 seconds; an app server is "healthy" when 3 of the
# last 5 answers were 200 within 2 seconds, so one slow answer does not take it out.
# A dead server is skipped after about 10 s; a revived one is used again after about 10 s.
#
# The request is written out in full because the app runs with DEBUG off:
#   * Host must be in ALLOWED_HOSTS, or Django answers 400. `localhost` is used so this
#     file needs no site name; keep `localhost` in ALLOWED_HOSTS (docs/deploy.md).
#   * X-Forwarded-Proto: https, or SECURE_SSL_REDIRECT answers 301 instead of 200.
probe newsroom_health {
    .request =
        "GET /health/app/ HTTP/1.1"
        "Host: localhost"
        "X-Forwarded-Proto: https"
        "User-Agent: varnish-health-probe"
        "Connection: close";
    .expected_response = 200;
    .interval = 3s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 2;       # start as "healthy" after 2 good answers, not after 3
}

# The round-robin director the app servers are added to (below, in the operator section).
sub vcl_init {
    new app = directors.round_robin();
}

# =====================================================================================
# OPERATOR SECTION: the only part of this file to edit on a new installation.
#
# One `backend` block per app server (its host and the port gunicorn listens on,
# GUNICORN_BIND in /etc/newsroom/env), and one `app.add_backend(...)` line for each
# in the `vcl_init` just below. Varnish refuses to load the file if a backend is
# defined but not added, so a forgotten line cannot go unnoticed.
#
# The addresses below are documentation placeholders (192.0.2.0/24 is never routed).
# Two gunicorns on the Varnish machine itself would be 127.0.0.1:8000 and 127.0.0.1:8001.
# =====================================================================================

backend app1 {
    .host = "192.0.2.11";       # EDIT: first app server
    .port = "8000";             # EDIT: its gunicorn port
    .probe = newsroom_health;
}

backend app2 {
    .host = "192.0.2.12";       # EDIT: second app server
    .port = "8000";             # EDIT: its gunicorn port
    .probe = newsroom_health;
}

sub vcl_init {
    app.add_backend(app1);
    app.add_backend(app2);
}

# Who may purge: this machine (operators with curl) and the machines where the app and
# the task worker run (they purge on publish, edit, correction...). Usually the same
# addresses as the backends above. Anyone else gets 403.
acl newsroom_purgers {
    "127.0.0.1";
    "::1";
    "192.0.2.11";               # EDIT: app server 1 (web and worker)
    "192.0.2.12";               # EDIT: app server 2
}

# =====================================================================================
# END OF OPERATOR SECTION. Nothing below needs changing for a new installation.
# =====================================================================================


sub vcl_recv {
    set req.backend_hint = app.backend();

    # ---- Purging by surrogate key -------------------------------------------------
    # The app sends, to every address in NEWSROOM_PURGE_URLS:
    #     PURGE / HTTP/1.1
    #     xkey-purge: article-12 section-3 home feeds
    # and gets `200 Purged` with the number of objects removed in the
    # `xkey-purged` header. `xkey-softpurge` instead marks the objects as expired but
    # keeps them for grace: the next reader gets the old copy once while a new one is
    # fetched. The URL and Host of a purge do not matter; keys are global.
    if (req.method == "PURGE") {
        # nginx sets X-Newsroom-Edge on everything it forwards, so a PURGE that came
        # from the internet through nginx is refused even though it arrives from
        # 127.0.0.1. (nginx also refuses the method itself; this is the second lock.)
        if (client.ip !~ newsroom_purgers || req.http.X-Newsroom-Edge) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged"));
        }
        if (req.http.xkey-softpurge) {
            set req.http.xkey-purged = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Soft-purged"));
        }
        return (synth(400, "PURGE needs an xkey-purge or xkey-softpurge header"));
    }

    # Methods the site does not use are refused here rather than piped to the app.
    if (req.method !~ "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") {
        return (synth(405, "Method Not Allowed"));
    }

    # ---- Never cached: staff, previews, private pages -----------------------------
    # Anything that changes data goes straight to the app.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff pages and the health check. Cookies are kept (the login needs csrftoken).
    # /health/ must reach an app server every time, so monitoring sees the truth.
    if (req.url ~ "^/(admin|photos|accounts|preview|health)(/|\?|$)") {
        return (pass);
    }
    # Share links and previews that carry a token in the query string.
    if (req.url ~ "[?&](preview|share|token)=") {
        return (pass);
    }
    # A logged-in person (session cookie) sees every page fresh from the app: pages may
    # show staff-only links, and nothing made for them is ever stored.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # API clients that authenticate are not served shared copies either.
    if (req.http.Authorization) {
        return (pass);
    }

    # ---- Public pages -------------------------------------------------------------
    # Readers' cookies (csrftoken from an earlier visit to a form, analytics cookies)
    # mean nothing to public pages. Removing them before the lookup means Django's
    # `Vary: Cookie` cannot split one page into one copy per visitor, and the app never
    # sees a cookie it could answer with Set-Cookie.
    unset req.http.Cookie;

    # Tracking parameters do not change a page: drop them so that
    # /?utm_source=x and / are one cache object. Then sort the rest
    # (/search/?q=a&page=2 and ?page=2&q=a are the same page).
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*&?", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    set req.url = std.querysort(req.url);

    # Compression: text is stored gzipped once (vcl_backend_response) and handed as it is
    # to every client that accepts gzip, which is nearly all of them. A client that does
    # not (some feed readers, bots, load testers) gets its own uncompressed copy, fetched
    # and stored once, instead of Varnish un-gzipping the page on every request for it.
    if (req.http.Accept-Encoding ~ "gzip") {
        unset req.http.X-Newsroom-Identity;
    } else {
        set req.http.X-Newsroom-Identity = "1";
    }

    # Grace: while an app server is up, a page that expired less than 30 s ago is
    # served as it is and refreshed in the background (no reader waits); older pages
    # are fetched before answering. When no app server is healthy, everything up to
    # beresp.grace (24 h, below) old is served.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }

    return (hash);
}

sub vcl_hash {
    # The default hash (URL and Host, from the built-in vcl_hash) plus the scheme nginx
    # saw. Without it, a plain-HTTP request made straight to Varnish (an operator's
    # curl) would get Django's redirect to https, and that redirect could be stored
    # under the same key as the real page.
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    if (req.http.X-Newsroom-Identity) {
        hash_data("identity");
    }
    # Falls through to the built-in vcl_hash, which adds URL and Host.
}

sub vcl_backend_fetch {
    # Photo uploads (several files of up to 40 MB, each re-encoded into renditions)
    # can take minutes before the first byte of the answer; reader pages cannot.
    # nginx (proxy_read_timeout) waits at least as long for Varnish.
    if (bereq.method == "POST" && bereq.url ~ "^/(photos|admin)/") {
        set bereq.first_byte_timeout = 300s;
        set bereq.between_bytes_timeout = 300s;
    } else {
        set bereq.first_byte_timeout = 60s;
        set bereq.between_bytes_timeout = 30s;
    }
    set bereq.connect_timeout = 2s;
    # nginx's marker and our own pass flag are for Varnish only.
    unset bereq.http.X-Newsroom-Edge;
    unset bereq.http.X-Newsroom-Pass;
}

sub vcl_backend_response {
    # Keep every object 24 h past its expiry, to serve while refreshing or while every
    # app server is down (see req.grace in vcl_recv).
    set beresp.grace = 24h;

    # Compress text in the cache once, instead of per request; the copy kept for clients
    # that do not accept gzip stays as the app sent it (see vcl_recv).
    if (!bereq.http.X-Newsroom-Identity && beresp.http.Content-Type ~ "^(text/|application/(json|xml|rss\+xml|atom\+xml|javascript|manifest\+json)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }

    # A request that was passed is never stored; nothing more to decide.
    if (bereq.uncacheable) {
        return (deliver);
    }

    # ---- What may be stored -------------------------------------------------------
    # Only what the app explicitly marks as shareable (public pages set
    # `Cache-Control: public, max-age=N`; WhiteNoise's static files likewise).
    # No Cache-Control at all (an error page, a redirect, a view someone forgot to
    # mark) is NOT cached: the safe default for a site with staff logins.
    # Anything carrying a cookie or marked private/no-store/no-cache is never stored.
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary == "*"
        || beresp.ttl <= 0s) {
        # "Hit-for-miss" for 60 s: later requests for this URL go to the app at once,
        # without queueing behind each other, and a later cacheable answer is stored.
        set beresp.ttl = 60s;
        set beresp.grace = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }

    # beresp.ttl already comes from s-maxage or max-age (Varnish reads Cache-Control).
    # The app sends max-age = NEWSROOM_PUBLIC_CACHE_SECONDS; it may send a longer
    # s-maxage for Varnish alone once every change it makes is purged.

    # Every stored object also gets the key `all`, so an operator can empty the cache
    # without a restart: `PURGE` with `xkey-softpurge: all`. (The app must not use it.)
    if (beresp.http.xkey) {
        set beresp.http.xkey = beresp.http.xkey + " all";
    } else {
        set beresp.http.xkey = "all";
    }
    return (deliver);
}

sub vcl_deliver {
    # Debug header: HIT when the answer came from the cache (including a stale copy in
    # grace), MISS when it was fetched, PASS when it was never going to be cached.
    if (req.http.X-Newsroom-Pass || obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are Varnish's business; readers do not need to see them. Machines that
    # may purge do see them, which makes checking the key vocabulary easy:
    #     curl -sI http://127.0.0.1:6081/ -H 'Host: news.example.org' -H 'X-Forwarded-Proto: https'
    if (client.ip !~ newsroom_purgers || req.http.X-Newsroom-Edge) {
        unset resp.http.xkey;
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_pass {
    set req.http.X-Newsroom-Pass = "1";
}

sub vcl_synth {
    # Purge answers: the count in a header and in a one-line body, for scripts and people.
    if (req.method == "PURGE") {
        if (req.http.xkey-purged) {
            set resp.http.xkey-purged = req.http.xkey-purged;
        }
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.http.Cache-Control = "no-store";
        if (resp.status == 200) {
            set resp.body = resp.reason + " " + req.http.xkey-purged + " objects" + {"
"};
        } else {
            set resp.body = resp.reason + {"
"};
        }
        return (deliver);
    }
}

sub vcl_backend_error {
    # An app server that has just died is still "healthy" until the probe has seen it
    # fail 3 times (about 10 s). Meanwhile a failed GET is tried again once; the
    # director then picks the next app server, so readers do not see the failure.
    # (Only GET/HEAD: an upload's body cannot be sent twice.)
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }

    # Every app server is down (or did not answer in time) and there was no copy in
    # the cache to serve, not even a stale one. Say so kindly, in a page that needs
    # nothing else from the server: no stylesheets, fonts, scripts or images.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    set beresp.http.Cache-Control = "no-store";
    set beresp.status = 503;
    set beresp.reason = "Service Unavailable";
    set beresp.body = {"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Back in a moment</title>
<style>
  body { margin: 0; font-family: Georgia, "Times New Roman", serif; background: #f7f5f0; color: #222; }
  main { max-width: 34rem; margin: 18vh auto 0; padding: 0 1.5rem; }
  h1 { font-size: 1.9rem; font-weight: normal; margin: 0 0 1rem; }
  p { font-size: 1.1rem; line-height: 1.6; }
  a { color: #8a1c1c; }
  small { color: #666; font-family: system-ui, sans-serif; }
</style>
</head>
<body>
<main>
<h1>We&rsquo;ll be back in a moment</h1>
<p>This page can&rsquo;t be shown right now because our site is having a technical problem.
Our other pages may still work: try the <a href="/">front page</a>.</p>
<p>Please try again in a minute or two. We&rsquo;re sorry for the interruption.</p>
<p><small>Error 503 &middot; reference "} + bereq.xid + {"</small></p>
</main>
</body>
</html>
"};
    # Never store the error page: the next reader should get the real page as soon
    # as an app server answers again.
    set beresp.ttl = 0s;
    set beresp.grace = 0s;
    set beresp.uncacheable = true;
    return (deliver);
}
