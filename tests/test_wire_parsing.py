"""Reading agency copy (NITF, NewsML-G2) into WireStory objects.

No database and no Django settings needed: `pytest tests/test_wire_parsing.py -p no:django`.
The sample files in tests/wire_samples/ are fictional stories written for these tests.
"""

import io
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from articles.photos.credits import split_credit
from articles.wire import sources as wire
from articles.wire.common import WireError, WirePhoto
from articles.wire.sources import iter_wire_sources, parse_wire_file

SAMPLES = Path(__file__).resolve().parent / "wire_samples"
NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"
G2_NS = "http://iptc.org/std/nar/2006-10-01/"
CREDIT = "Ana Ruiz / Continental Press file"


@pytest.fixture(autouse=True)
def media_storage():
    """Nothing here touches storage; overriding conftest's fixture keeps these tests free of
    Django settings."""


def only(path):
    stories = parse_wire_file(path)
    assert len(stories) == 1
    return stories[0]


def nitf(content="<p>The yellow cars climbed the hill.</p>", *, headline="Trams return", body_head="",
         docdata="", namespace=False):  # fmt: skip
    xmlns = f' xmlns="{NITF_NS}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<nitf{xmlns}><head><docdata>{docdata}</docdata></head>'
        f"<body><body.head><hedline><hl1>{headline}</hl1></hedline>{body_head}</body.head>"
        f"<body.content>{content}</body.content></body></nitf>"
    )


def news_item(content_meta, content_set, *, item_class="ninat:text", guid="urn:test:1"):
    return (
        f'<newsItem xmlns="{G2_NS}" guid="{guid}" version="2" standard="NewsML-G2">'
        f'<itemMeta><itemClass qcode="{item_class}"/></itemMeta>'
        f"<contentMeta>{content_meta}</contentMeta><contentSet>{content_set}</contentSet></newsItem>"
    )


def xhtml(body):
    return (
        '<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">'
        f"<body>{body}</body></html></inlineXML>"
    )


def write(folder, name, text):
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def loaded(path):
    return [(label, load()) for label, load in iter_wire_sources(path)]


# --- NITF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nitf_story():
    return only(SAMPLES / "nitf" / "story.xml")


def test_nitf_headline_and_dek_keep_curly_quotes(nitf_story):
    assert nitf_story.headline == "Lisbon’s Route 31 tram returns after a decade of “temporary” closure"
    assert nitf_story.dek == "Restored 1930s cars & a timetable residents call ‘optimistic’"


def test_nitf_ids_come_from_doc_id(nitf_story):
    assert nitf_story.external_id == "CP-20261124-LIS-0042"
    assert nitf_story.version == ""
    assert nitf_story.source_name == "story.xml"


def test_nitf_bylines_are_person_names_in_order(nitf_story):
    assert nitf_story.bylines == ["José Müller", "Zoë Łukasiewicz"]


def test_nitf_dateline_is_the_city_only(nitf_story):
    assert nitf_story.dateline == "LISBON"


def test_nitf_keywords_come_from_the_key_list(nitf_story):
    assert nitf_story.keywords == ["Lisbon", "Trams", "Public transport"]


def test_nitf_published_at_is_the_issue_date(nitf_story):
    assert nitf_story.published_at == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


def test_nitf_body_keeps_paragraphs_sub_headings_and_block_quotes(nitf_story):
    assert nitf_story.body_html.split("\n") == [
        "<p>The yellow cars of Route 31 climbed the hill to Campolide on Tuesday for the first time "
        "since 2016, ending a closure the city had called “temporary” for ten years.</p>",
        "<p>“We waited so long that my grandson learned to drive,” said Maria Conceição Ferreira, 78, "
        "who rode the first car from Graça with a bag of <em>pastéis de nata</em> for the driver.</p>",
        "<h2>A costly restoration</h2>",
        "<p>The city spent €14.2 million on track, overhead wires &amp; three restored cars, which are "
        "limited to speeds of &lt;\u00a020 km/h on the steepest stretch.</p>",
        "<blockquote><p>“A tram is not nostalgia; it is the cheapest way to move people up a hill.”</p>"
        "<p>— Inês Barros, transport councillor</p></blockquote>",
        "<p>Residents’ groups said they would watch whether the promised ‘every 12 minutes’ service "
        "survives the winter.</p>",
    ]


def test_nitf_body_leaves_out_the_photo_and_tagline(nitf_story):
    assert "photo.jpg" not in nitf_story.body_html
    assert "Ruth Okafor" not in nitf_story.body_html


def test_nitf_photo_has_caption_credit_and_alt_text(nitf_story):
    (photo,) = nitf_story.photos
    assert photo == WirePhoto(
        href="photo.jpg",
        caption="A Route 31 tram in Graça, Lisbon, in 2015, the year before the line closed.",
        credit=CREDIT,
        alt_text="A yellow tram climbs a cobbled street under a blue sky.",
        photographer="Ana Ruiz",
        source="Continental Press",
        is_file_photo=True,
        path=(SAMPLES / "nitf" / "photo.jpg").resolve(),
    )


def test_nitf_with_namespace_reads_like_nitf_without(tmp_path):
    plain = only(write(tmp_path, "plain.xml", nitf(body_head="<byline>By Zoë Łukasiewicz</byline>")))
    spaced = only(
        write(tmp_path, "spaced.xml", nitf(body_head="<byline>By Zoë Łukasiewicz</byline>", namespace=True))
    )
    assert (spaced.headline, spaced.bylines, spaced.body_html) == (
        plain.headline,
        plain.bylines,
        plain.body_html,
    )
    assert spaced.bylines == ["Zoë Łukasiewicz"]


def test_html_special_characters_in_text_are_escaped(tmp_path):
    content = "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; “5 &gt; 3”</p>"
    story = only(write(tmp_path, "story.xml", nitf(content)))
    assert story.body_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; “5 &gt; 3”</p>"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<byline>By José Müller and Zoë Łukasiewicz</byline>", ["José Müller", "Zoë Łukasiewicz"]),
        ("<byline>BY José Müller, Zoë Łukasiewicz</byline>", ["José Müller", "Zoë Łukasiewicz"]),
        ("<byline>José Müller<byttl>Staff Writer</byttl></byline>", ["José Müller"]),
        (
            "<byline>By José Müller</byline><byline>By Zoë Łukasiewicz</byline>",
            ["José Müller", "Zoë Łukasiewicz"],
        ),
    ],
)
def test_byline_text_is_split_into_names(tmp_path, byline, names):
    assert only(write(tmp_path, "story.xml", nitf(body_head=byline))).bylines == names


@pytest.mark.parametrize(
    ("dateline", "place"),
    [
        ("<dateline>NEW YORK (Continental Press) —</dateline>", "NEW YORK"),
        ('<dateline>PORTO, <story.date norm="20261124">Nov. 24</story.date></dateline>', "PORTO"),
        ("<dateline>WARSAW — </dateline>", "WARSAW"),
    ],
)
def test_dateline_text_gives_the_place_before_the_date(tmp_path, dateline, place):
    assert only(write(tmp_path, "story.xml", nitf(body_head=dateline))).dateline == place


@pytest.mark.parametrize(
    ("norm", "expected"),
    [
        ("20261124T083000Z", datetime(2026, 11, 24, 8, 30, tzinfo=UTC)),
        ("20261124T083000+0100", datetime(2026, 11, 24, 8, 30, tzinfo=timezone(timedelta(hours=1)))),
        ("2026-11-24T08:30:00-05:00", datetime(2026, 11, 24, 13, 30, tzinfo=UTC)),
        ("20261124T083000", datetime(2026, 11, 24, 8, 30, tzinfo=UTC)),
        ("not a date", None),
    ],
)
def test_issue_dates_are_timezone_aware(tmp_path, norm, expected):
    story = only(write(tmp_path, "story.xml", nitf(docdata=f'<date.issue norm="{norm}"/>')))
    assert story.published_at == expected
    assert expected is None or story.published_at.tzinfo is not None


def test_doctype_naming_the_nitf_dtd_is_accepted_without_fetching_it(tmp_path):
    text = nitf().replace("<nitf>", '<!DOCTYPE nitf SYSTEM "file:///nonexistent/nitf-3-6.dtd">\n<nitf>')
    assert only(write(tmp_path, "story.xml", text)).headline == "Trams return"


# --- NewsML-G2 -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def newsml_story():
    return only(SAMPLES / "newsml" / "newsitem.xml")


def test_newsml_ids_are_guid_and_version(newsml_story):
    assert newsml_story.external_id == "urn:newsml:continentalpress.example:20261124:lis-trams"
    assert newsml_story.version == "3"


def test_newsml_metadata_comes_from_content_meta(newsml_story):
    assert newsml_story.headline == "Lisbon’s Route 31 tram returns after a decade of “temporary” closure"
    assert newsml_story.dek == "Restored 1930s cars & a timetable residents call ‘optimistic’"
    assert newsml_story.bylines == ["José Müller", "Zoë Łukasiewicz"]
    assert newsml_story.dateline == "LISBON"


def test_newsml_keywords_include_subject_names(newsml_story):
    assert newsml_story.keywords == ["Lisbon", "Trams", "public transport", "road transport"]


def test_newsml_published_at_is_first_created(newsml_story):
    assert newsml_story.published_at == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


def test_newsml_inline_nitf_body_is_read(newsml_story):
    assert newsml_story.body_html.startswith("<p>The yellow cars of Route 31")
    assert "<h2>A costly restoration</h2>" in newsml_story.body_html
    assert "<blockquote><p>“A tram is not nostalgia;" in newsml_story.body_html


def test_newsml_creators_are_bylines_without_organisations(tmp_path):
    meta = (
        "<creator><name>José Müller</name></creator><headline>Trams return</headline>"
        '<creator type="cptype:organisation"><name>Continental Press</name></creator>'
        "<located><name>Lisbon</name></located>"
    )
    story = only(write(tmp_path, "item.xml", news_item(meta, xhtml("<p>Text.</p>"))))
    assert story.bylines == ["José Müller"]
    assert story.dateline == "Lisbon"


def test_newsml_xhtml_body_keeps_structure_and_drops_the_h1(tmp_path):
    body = (
        "<h1>Trams return</h1><p>One &amp; two.</p><h2>Sub</h2><h3>Smaller</h3>"
        "<blockquote>Quoted</blockquote><ol><li>First</li></ol><img src='x.jpg'/>"
    )
    story = only(write(tmp_path, "item.xml", news_item("<headline>Trams return</headline>", xhtml(body))))
    assert story.body_html.split("\n") == [
        "<p>One &amp; two.</p>",
        "<h2>Sub</h2>",
        "<h3>Smaller</h3>",
        "<blockquote><p>Quoted</p></blockquote>",
        "<ol><li>First</li></ol>",
    ]


def test_lone_picture_item_is_not_a_story(tmp_path):
    item = news_item("<headline>Tram</headline>", '<remoteContent href="x.jpg"/>', item_class="ninat:picture")
    with pytest.raises(WireError, match="picture item, not a story"):
        parse_wire_file(write(tmp_path, "picture.xml", item))


@pytest.fixture(scope="module")
def package_stories():
    return parse_wire_file(SAMPLES / "newsml" / "package.xml")


def test_package_text_item_becomes_the_only_story(package_stories):
    (story,) = package_stories
    assert story.external_id == "urn:newsml:continentalpress.example:20261125:lis-pasteis"
    assert story.headline == "Bakers’ guild fights “industrial” custard tarts"
    assert story.bylines == ["Zoë Łukasiewicz", "José Müller"]
    assert story.published_at == datetime(2026, 11, 25, 6, 45, tzinfo=UTC)


def test_package_xhtml_body_keeps_lists_and_links(package_stories):
    body = package_stories[0].body_html
    assert (
        "<ul><li>Pastry laminated by hand</li><li>Custard made with fresh eggs, not powder</li></ul>" in body
    )
    assert '<a href="https://example.org/guild?a=1&amp;b=2">the guild’s filing</a>' in body
    assert "“taste of cardboard &amp; regret”" in body


def test_package_picture_becomes_the_story_photo(package_stories):
    (photo,) = package_stories[0].photos
    assert photo == WirePhoto(
        href="photo.jpg",
        caption="Custard tarts cool in the window of a bakery in Belém, Lisbon, in May 2019.",
        credit=CREDIT,
        alt_text="Rows of golden custard tarts with dark, caramelised tops on a metal tray.",
        photographer="Ana Ruiz",
        source="Continental Press",
        is_file_photo=True,
        path=(SAMPLES / "newsml" / "photo.jpg").resolve(),
    )


def message(*items, package_refs=None):
    package = ""
    if package_refs is not None:
        refs = "".join(f'<itemRef residref="{guid}"/>' for guid in package_refs)
        package = (
            f'<packageItem guid="urn:pkg"><groupSet root="G1"><group id="G1">{refs}</group></groupSet>'
            "</packageItem>"
        )
    return f'<newsMessage xmlns="{G2_NS}"><itemSet>{package}{"".join(items)}</itemSet></newsMessage>'


def picture(guid, href, meta=""):
    return news_item(
        meta,
        f'<remoteContent href="{href}" contenttype="image/jpeg"/>',
        item_class="ninat:picture",
        guid=guid,
    )


def text_item(guid):
    return news_item("<headline>Trams return</headline>", xhtml("<p>Text.</p>"), guid=guid)


def test_pictures_outside_the_package_are_not_attached(tmp_path):
    text = message(
        text_item("urn:text"), picture("urn:in", "in.jpg"), picture("urn:out", "out.jpg"),
        package_refs=["urn:text", "urn:in"],
    )  # fmt: skip
    (story,) = parse_wire_file(write(tmp_path, "message.xml", text))
    assert [photo.href for photo in story.photos] == ["in.jpg"]


def test_message_without_package_attaches_every_picture_to_every_story(tmp_path):
    text = message(text_item("urn:a"), picture("urn:p", "p.jpg"), text_item("urn:b"))
    stories = parse_wire_file(write(tmp_path, "message.xml", text))
    assert [[photo.href for photo in story.photos] for story in stories] == [["p.jpg"], ["p.jpg"]]


def test_picture_alt_text_element_and_creator_are_read(tmp_path):
    meta = (
        "<creator><name>Ana Ruiz</name></creator><altText>A tram.</altText>"
        "<creditline>Continental Press</creditline>"
    )
    (story,) = parse_wire_file(
        write(tmp_path, "m.xml", message(text_item("urn:t"), picture("urn:p", "p.jpg", meta)))
    )
    photo = story.photos[0]
    assert (photo.alt_text, photo.photographer, photo.source, photo.is_file_photo) == (
        "A tram.",
        "Ana Ruiz",
        "Continental Press",
        False,
    )


def test_message_without_text_items_is_refused(tmp_path):
    with pytest.raises(WireError, match="contains no text stories"):
        parse_wire_file(write(tmp_path, "m.xml", message(picture("urn:p", "p.jpg"))))


def test_bad_story_in_a_message_is_named_by_its_guid(tmp_path):
    bad = news_item("", xhtml("<p>Text.</p>"), guid="urn:no-headline")
    with pytest.raises(WireError, match="item urn:no-headline, has no headline"):
        parse_wire_file(write(tmp_path, "m.xml", message(text_item("urn:ok"), bad)))


# --- Credits ---------------------------------------------------------------------------------


def test_file_credit_splits_into_photographer_source_and_file_flag():
    assert split_credit(CREDIT) == ("Ana Ruiz", "Continental Press", True)


# --- Bad input -------------------------------------------------------------------------------


def test_malformed_xml_names_the_file_and_position():
    with pytest.raises(WireError) as caught:
        parse_wire_file(SAMPLES / "bad" / "malformed.xml")
    assert str(caught.value) == "“malformed.xml” is not well-formed XML (line 8, column 7): mismatched tag."


def test_entity_expansion_bomb_is_refused():
    with pytest.raises(WireError, match="“billion_laughs.xml” declares XML entities") as caught:
        parse_wire_file(SAMPLES / "bad" / "billion_laughs.xml")
    assert "refused for safety" in str(caught.value)


def test_external_entity_is_refused_without_reading_the_file():
    with pytest.raises(WireError, match="points at another file") as caught:
        parse_wire_file(SAMPLES / "bad" / "external_entity.xml")
    assert "root:" not in str(caught.value)


def test_unknown_root_element_is_not_nitf_or_newsml():
    with pytest.raises(
        WireError, match=r"“unknown_format.xml” is not NITF or NewsML-G2 \(its root element is <rss>\)"
    ):
        parse_wire_file(SAMPLES / "bad" / "unknown_format.xml")


def test_empty_body_is_refused():
    with pytest.raises(WireError, match="“empty_body.xml” has no body text"):
        parse_wire_file(SAMPLES / "bad" / "empty_body.xml")


def test_headline_over_160_characters_is_refused_with_its_length():
    with pytest.raises(WireError, match="headline of 400 characters; headlines can be at most 160"):
        parse_wire_file(SAMPLES / "bad" / "long_headline.xml")


def test_headline_of_exactly_160_characters_is_accepted(tmp_path):
    assert len(only(write(tmp_path, "story.xml", nitf(headline="é" * 160))).headline) == 160


def test_missing_headline_is_refused(tmp_path):
    with pytest.raises(WireError, match="“story.xml” has no headline"):
        parse_wire_file(write(tmp_path, "story.xml", nitf(headline="  ")))


def test_missing_photo_file_leaves_path_empty():
    (photo,) = only(SAMPLES / "bad" / "missing_photo.xml").photos
    assert (photo.href, photo.path) == ("tram-at-graca.jpg", None)
    assert photo.credit == CREDIT


def test_unreadable_file_is_a_wire_error(tmp_path):
    with pytest.raises(WireError, match="“gone.xml” could not be read"):
        parse_wire_file(tmp_path / "gone.xml")


def test_oversized_xml_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(wire, "MAX_XML_BYTES", 100)
    with pytest.raises(WireError, match="wire files are at most"):
        parse_wire_file(write(tmp_path, "story.xml", nitf()))


def with_photo(source):
    return f'<p>Text.</p><media media-type="image"><media-reference source="{source}"/></media>'


@pytest.mark.parametrize(
    "source",
    [
        "../outside.jpg",
        "sub/../../outside.jpg",
        "%2e%2e/outside.jpg",
        "..\\outside.jpg",
        "OUTSIDE",
        "file:OUTSIDE",
    ],
)
def test_photo_reference_outside_the_folder_is_never_resolved(tmp_path, source):
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"\xff\xd8\xff")
    source = source.replace("OUTSIDE", str(outside))
    (photo,) = only(write(tmp_path / "delivery", "story.xml", nitf(with_photo(source)))).photos
    assert photo.path is None


def test_photo_symlink_pointing_outside_the_folder_is_never_resolved(tmp_path):
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"\xff\xd8\xff")
    story_path = write(tmp_path / "delivery", "story.xml", nitf(with_photo("photo.jpg")))
    (tmp_path / "delivery" / "photo.jpg").symlink_to(outside)
    assert only(story_path).photos[0].path is None


def test_photo_in_a_subfolder_is_resolved(tmp_path):
    story_path = write(tmp_path, "story.xml", nitf(with_photo("pictures/tram.jpg")))
    write(tmp_path, "pictures/tram.jpg", "jpeg")
    assert only(story_path).photos[0].path == (tmp_path / "pictures" / "tram.jpg").resolve()


# --- Batches: files, folders, zips -----------------------------------------------------------


def test_single_file_yields_one_loader():
    ((label, stories),) = loaded(SAMPLES / "nitf" / "story.xml")
    assert label == "story.xml"
    assert stories[0].external_id == "CP-20261124-LIS-0042"


def test_folder_yields_its_xml_files_sorted_and_a_bad_one_does_not_stop_the_batch(tmp_path):
    write(tmp_path, "b.xml", nitf(headline="Second"))
    write(tmp_path, "a.XML", "<nitf>")
    write(tmp_path, "notes.txt", "not wire copy")
    write(tmp_path, "sub/c.xml", nitf(headline="Not read"))
    results = []
    for label, load in iter_wire_sources(tmp_path):
        try:
            results.append((label, load()[0].headline))
        except WireError as error:
            results.append((label, str(error)))
    assert [label for label, _ in results] == ["a.XML", "b.xml"]
    assert "not well-formed" in results[0][1]
    assert results[1][1] == "Second"


def test_missing_path_is_a_wire_error(tmp_path):
    with pytest.raises(WireError, match="does not exist"):
        list(iter_wire_sources(tmp_path / "nothing.zip"))


def test_zip_is_unpacked_and_its_photos_resolved(tmp_path):
    delivery = make_zip(
        tmp_path / "delivery.zip",
        {
            "CP/story.xml": (SAMPLES / "nitf" / "story.xml").read_bytes(),
            "CP/photo.jpg": (SAMPLES / "nitf" / "photo.jpg").read_bytes(),
            "__MACOSX/CP/._story.xml": b"\x00\x05\x16\x07",
        },
    )
    seen = []
    for label, load in iter_wire_sources(delivery):
        (story,) = load()
        photo_path = story.photos[0].path
        seen.append((label, photo_path.read_bytes() == (SAMPLES / "nitf" / "photo.jpg").read_bytes()))
    assert seen == [("delivery.zip/CP/story.xml", True)]
    assert not photo_path.exists(), "the temporary folder is removed when the batch ends"


@pytest.mark.parametrize("name", ["/etc/story.xml", "../story.xml", "CP/../../story.xml", "C:\\story.xml"])
def test_zip_with_a_member_outside_its_folder_is_refused(tmp_path, name):
    delivery = make_zip(tmp_path / "delivery.zip", {"ok.xml": nitf(), name: nitf()})
    with pytest.raises(WireError, match="a path outside the archive's folder"):
        list(iter_wire_sources(delivery))


def test_zip_member_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(wire, "MAX_ZIP_MEMBER_BYTES", 1000)
    delivery = make_zip(tmp_path / "delivery.zip", {"story.xml": nitf(), "photo.jpg": b"\0" * 1001})
    with pytest.raises(WireError, match="“photo.jpg” of"):
        list(iter_wire_sources(delivery))


def test_zip_bomb_is_refused_by_its_total_size(tmp_path, monkeypatch):
    monkeypatch.setattr(wire, "MAX_ZIP_TOTAL_BYTES", 50_000)
    members = {f"{n}.xml": b" " * 20_000 for n in range(3)}
    delivery = make_zip(tmp_path / "bomb.zip", members)
    assert delivery.stat().st_size < 2000
    with pytest.raises(WireError, match="unpacks to more than"):
        list(iter_wire_sources(delivery))


def test_zip_that_lies_about_its_sizes_is_refused(tmp_path, monkeypatch):
    """The listed size passes the size check, but the member really holds ten times more:
    zipfile stops at the listed size and fails the CRC, so nothing oversized is written."""
    monkeypatch.setattr(wire, "MAX_ZIP_MEMBER_BYTES", 1000)
    delivery = make_zip(tmp_path / "liar.zip", {"story.xml": b" " * 5000})
    data = bytearray(delivery.read_bytes())
    # Rewrite the uncompressed size in the central directory (offset 24) from 5000 to 500.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (500).to_bytes(4, "little")
    delivery.write_bytes(bytes(data))
    with pytest.raises(WireError, match="not a readable zip archive"):
        list(iter_wire_sources(delivery))


def test_broken_zip_is_a_wire_error(tmp_path):
    broken = write(tmp_path, "delivery.zip", "PK not really a zip")
    with pytest.raises(WireError, match="not a readable zip archive"):
        list(iter_wire_sources(broken))


# --- The sample pictures ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nitf/photo.jpg", "newsml/photo.jpg"])
def test_sample_photos_are_real_jpegs(name):
    with Image.open(io.BytesIO((SAMPLES / name).read_bytes())) as picture:
        picture.load()
        assert (picture.format, picture.size) == ("JPEG", (96, 64))
