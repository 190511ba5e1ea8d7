import pytest

from articles.stories.sanitize import sanitize_body
from tests.factories import ArticleFactory

# Each payload must lose its active part; `kept` is text that should survive.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="  javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<p onclick="alert(1)">clickable</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload=alert(1)><circle r="1"/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input name="q"></form>',
    "<body onload=alert(1)>",
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<div><details open ontoggle=alert(1)>x</details></div>",
    "<!--<script>alert(1)</script>-->",
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<blockquote cite="javascript:alert(1)" onmouseover="alert(1)">quote</blockquote>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]

DANGEROUS_MARKERS = [
    "<script",
    "javascript:",
    "vbscript:",
    "data:",
    "onerror",
    "onload",
    "onclick",
    "ontoggle",
    "onmouseover",
    "style=",
    "<iframe",
    "<svg",
    "<object",
    "<embed",
    "<form",
    "<style",
    "<link",
    "<meta",
    "<base",
    "<math",
    "alert(1)</script",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitize_body_removes_active_content(payload):
    cleaned = sanitize_body(payload).lower()
    for marker in DANGEROUS_MARKERS:
        assert marker not in cleaned, f"{marker!r} survived in {cleaned!r}"


def test_sanitize_body_keeps_newsroom_markup():
    html = (
        "<h2>What happened</h2><p>The <strong>council</strong> voted <em>7 to 2</em>.</p>"
        "<blockquote><p>“We listened,” the mayor said.</p></blockquote>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><h3>Next</h3><h4>Later</h4>"
        '<p><a href="https://example.org/report">the report</a></p>'
        '<figure><img src="/media/photos/a.jpg" alt="A bus" width="640" height="427">'
        "<figcaption>A bus.</figcaption></figure>"
    )
    cleaned = sanitize_body(html)
    for kept in [
        "<h2>",
        "<strong>",
        "<em>",
        "<blockquote>",
        "<ul>",
        "<ol>",
        "<h3>",
        "<h4>",
        '<a href="https://example.org/report"',
        "<figure>",
        'alt="A bus"',
        "<figcaption>",
        "“We listened,”",
    ]:
        assert kept in cleaned


def test_sanitize_body_demotes_h1_and_unknown_tags_to_text():
    cleaned = sanitize_body("<h1>Big</h1><marquee>moving</marquee>")
    assert "<h1>" not in cleaned and "<marquee>" not in cleaned
    assert "Big" in cleaned and "moving" in cleaned


@pytest.mark.django_db
def test_article_body_is_sanitised_on_every_save():
    article = ArticleFactory(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"
    article.body = '<p>Again <a href="javascript:alert(2)">x</a></p>'
    article.save()
    article.refresh_from_db()
    assert "javascript:" not in article.body
    assert "Again" in article.body


# --- images only from the project's media -------------------------------------

HOTLINKS = [
    '<img src="https://tracker.example/pixel.gif" alt="">',
    '<img src="http://tracker.example/pixel.gif">',
    '<img src="//tracker.example/pixel.gif">',
    '<img src="https://tracker.example/media/photos/a.jpg">',
    '<img src="/static/../media/../admin/a.jpg">',
    '<img src="/media/../admin/logo.png">',
    '<img src="/elsewhere/a.jpg">',
    '<img src="photos/a.jpg">',
    '<IMG SRC="HTTPS://tracker.example/x.gif">',
    '<img src=" https://tracker.example/x.gif">',
    "<img alt='no source at all'>",
]


@pytest.mark.parametrize("html", HOTLINKS)
def test_body_images_from_elsewhere_are_dropped(html):
    cleaned = sanitize_body(f"<p>Before{html}after</p>")
    assert cleaned == "<p>Beforeafter</p>"


def test_body_images_from_the_project_media_are_kept():
    html = '<figure><img src="/media/renditions/a.jpg" alt="A bus" width="640"></figure>'
    assert sanitize_body(html) == html


def test_body_images_from_the_media_host_are_kept_when_media_is_on_another_host(settings):
    settings.MEDIA_URL = "https://media.news.example/files/"
    kept = '<img src="https://media.news.example/files/renditions/a.jpg" alt="">'
    assert sanitize_body(kept) == kept
    for dropped in (
        '<img src="/media/renditions/a.jpg" alt="">',
        '<img src="http://media.news.example/files/a.jpg" alt="">',
        '<img src="https://media.news.example.evil.example/files/a.jpg" alt="">',
        '<img src="https://media.news.example/other/a.jpg" alt="">',
    ):
        assert sanitize_body(dropped) == ""


def test_saved_story_body_loses_its_hotlinked_image(db):
    story = ArticleFactory(body='<p>Text<img src="https://tracker.example/p.gif"></p>')
    story.refresh_from_db()
    assert "tracker.example" not in story.body and "<img" not in story.body
