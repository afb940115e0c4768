"""crawler.page: metadata, the cleaned article body, and survival on hostile input."""

# ruff: noqa: E501 - inline HTML fixtures read better unwrapped

import re
import time

import pytest

from crawler.page import ArticlePage, parse_article

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Hulu Renews 'Brass Tacks' – The Screen Desk</title>
<link rel="canonical" href="https://desk.example/brass-tacks-renewed/">
<meta property="og:url" content="https://desk.example/og/">
<meta property="og:title" content="OG title">
<meta property="article:published_time" content="2024-03-05T23:30:00-08:00">
<meta property="article:modified_time" content="2024-03-06T10:00:00-08:00">
<script>var tracker = "Hulu cancelled everything";</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li>Cancelled shows</li></ul></nav>
<main><article class="story">
<h1>Hulu Renews <em>Brass Tacks</em></h1>
<div class="byline">By Jo Lee</div>
<p>Hulu has renewed <em>Brass Tacks</em> for a <strong>second</strong> season.</p>
<p><strong>MUST-READ:</strong> <a href="/x">Tin Roof cancelled after one season</a></p>
<p>ALSO READ: <a href="/y">Why Tin Roof deserved better</a></p>
<figure><img src="a.jpg"><figcaption>Tin Roof star</figcaption></figure>
<h2>Ratings</h2>
<ul><li>Week 1: 2.1m</li><li>Week 2: 2.4m</li></ul>
<table><tr><th>Show</th><th>Status</th></tr><tr><td>Brass Tacks</td><td>Renewed</td></tr></table>
<blockquote><p>We are thrilled, said the showrunner.</p></blockquote>
<div class="related-stories"><h3>Related</h3><p>Tin Roof has been cancelled.</p></div>
</article>
<aside class="sidebar"><p>Trending: Tin Roof cancelled</p></aside>
</main>
<section class="comments"><article class="comment"><p>Renew Tin Roof!</p></article></section>
<footer><p>Copyright</p></footer>
</body></html>"""
ALLOWED = {"article", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "table", "tr", "th", "td",
           "blockquote", "em", "i", "strong", "b"}  # fmt: skip


def tags(html: str) -> set[str]:
    return set(re.findall(r"</?([a-z0-9]+)", html))


def test_metadata_and_canonical_url():
    page = parse_article(PAGE, url="https://fallback.example/")
    assert page.url == "https://desk.example/brass-tacks-renewed/"
    assert page.title == "Hulu Renews Brass Tacks"
    assert page.published == "2024-03-05"  # the date as the site wrote it, not shifted to UTC
    assert page.modified == "2024-03-06"


def test_body_keeps_the_article_and_drops_furniture():
    page = parse_article(PAGE)
    assert page.body_html.startswith("<article><h1>Hulu Renews Brass Tacks</h1>")
    assert tags(page.body_html) <= ALLOWED
    assert "<em>Brass Tacks</em>" in page.body_html
    assert "<table><tr><th>Show</th>" in page.body_html
    assert "Ratings" in page.text and "Week 2: 2.4m" in page.text
    assert "We are thrilled" in page.text
    for junk in ("Tin Roof", "MUST-READ", "ALSO READ", "Jo Lee", "tracker", "Copyright", "Home"):
        assert junk not in page.body_html, junk
        assert junk not in page.text, junk


def test_og_url_then_argument_then_none():
    og = '<html><head><meta property="og:url" content="https://og.example/a"></head><body></body></html>'
    assert parse_article(og, url="https://arg.example/").url == "https://og.example/a"
    assert parse_article("<p>x</p>", url="https://arg.example/").url == "https://arg.example/"
    assert parse_article("<p>x</p>").url is None


def test_title_falls_back_to_og_title_then_title_without_site_name():
    og = '<html><head><meta property="og:title" content="Big News"><title>Big News | Site</title></head><body><p>text</p></body></html>'
    assert parse_article(og).title == "Big News"
    plain = (
        "<html><head><title>Big News \u2013 The Site</title></head><body><p>text</p></body></html>"
    )
    assert parse_article(plain).title == "Big News"


def test_dates_from_json_ld_graph_and_time_element():
    ld = """<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"},
    {"@type": "NewsArticle", "datePublished": "2021-07-01T09:00:00Z", "dateModified": "2021-07-02"}]}
    </script></head><body><article><h1>T</h1><p>x</p></article></body></html>"""
    page = parse_article(ld)
    assert (page.published, page.modified) == ("2021-07-01", "2021-07-02")
    timed = '<html><body><article><h1>T</h1><time datetime="2020-02-29">Feb 29</time><p>x</p></article></body></html>'
    assert parse_article(timed).published == "2020-02-29"
    assert parse_article("<html><body><p>March 3, 2020</p></body></html>").published is None
    broken = '<script type="application/ld+json">{not json</script><p>x</p>'
    assert parse_article(broken).published is None


def test_second_article_on_the_page_is_a_second_article():
    html = """<html><body>
    <article><h1>First</h1><p>NBC has renewed <em>One</em> for a second season, and more text here to make it long enough to count as an article body.</p></article>
    <article><h1>Second</h1><p>CBS has cancelled <em>Two</em> after three seasons, and more text here to make it long enough to count as an article body.</p></article>
    </body></html>"""
    page = parse_article(html)
    assert page.body_html.count("<article><h1>") == 2
    assert "<article><h1>Second</h1>" in page.body_html
    assert page.title == "First"


def test_page_without_article_element_uses_the_densest_block():
    html = """<html><head><title>Lantern Row gets a third season</title></head>
    <body><div class="menu"><a href="/">Home</a></div><div class="content">
    <h2>Lantern Row gets a third season</h2>
    <p>Peacock has renewed <em>Lantern Row</em> for a third season.</p></div></body></html>"""
    page = parse_article(html)
    assert "Peacock has renewed <em>Lantern Row</em> for a third season." in page.body_html
    assert page.title == "Lantern Row gets a third season"
    assert "Home" not in page.text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        bytes(range(256)) * 40,
        b"\x00\x01\x02<html>\x00</html>",
        "<html><body><p>caf\u00e9 \u2019".encode("utf-16"),
        b"<<<>>><p<p<<div>>>&&&#;;<article><h1>",
        b"</article></p></html><html><html><body>",
        b'<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
        "<p>\ud800 lone surrogate</p>",
    ],
)
def test_never_raises_on_hostile_input(data):
    page = parse_article(data)
    assert isinstance(page, ArticlePage)
    assert isinstance(page.body_html, str) and isinstance(page.text, str)


def test_deep_nesting():
    html = (
        "<div>" * 20000
        + "<p>Netflix has renewed <em>Deep</em> for a second season.</p>"
        + "</div>" * 20000
    )
    page = parse_article(html)
    assert isinstance(page.body_html, str)


def test_ten_megabyte_page_is_parsed_quickly():
    paragraph = "<p>" + "Filler words about television and streaming. " * 40 + "</p>"
    html = "<html><body><article><h1>Big</h1>" + paragraph * 6000 + "</article></body></html>"
    assert len(html) > 10_000_000
    started = time.perf_counter()
    page = parse_article(html.encode())
    assert time.perf_counter() - started < 10
    assert page.title == "Big"


def test_encodings_latin1_cp1252_and_mixed_utf8():
    cp1252 = '<meta charset="iso-8859-1"><p>\x93Caf\xe9\x94 \x96 it\x92s back</p>'.encode("latin-1")
    assert "\u201cCaf\u00e9\u201d \u2013 it\u2019s back" in parse_article(cp1252).text
    mixed = "<p>Caf\u00e9 ".encode() + b"\x93quoted\x94</p>"
    assert "Caf\u00e9 \u201cquoted\u201d" in parse_article(mixed).text
    declared_wrong = b'<meta charset="no-such-codec"><p>plain</p>'
    assert "plain" in parse_article(declared_wrong).text


def test_link_lists_and_comment_threads_inside_the_article_are_dropped():
    html = """<html><body><article class="post social-post-content"><h1>Head</h1>
    <p>Hulu has renewed <em>Keel</em> for a second season, the streamer said on Monday morning.</p>
    <h4>More stories</h4><ul><li><a href="/a">Anchor renewed for season 3</a></li><li><a href="/b">Buoy cancelled</a></li></ul>
    <ol class="commentlist"><li><p>Cancel Keel already</p></li></ol>
    <div class="relatedPosts"><p>Mast has been cancelled after two seasons.</p></div>
    <ul><li><a href="/c">Cast</a> member Jo Doe plays the lead role in the drama.</li></ul>
    </article></body></html>"""
    page = parse_article(html)
    assert "Hulu has renewed" in page.text
    assert "Jo Doe plays the lead" in page.text
    for junk in ("Anchor", "Buoy", "Cancel Keel", "Mast"):
        assert junk not in page.text, junk


def test_other_publish_date_markup():
    named = '<html><head><meta name="parsely-pub-date" content="2021-03-04T10:00:00Z"></head><body><p>x</p></body></html>'
    assert parse_article(named).published == "2021-03-04"
    microdata = '<html><body><span itemprop="datePublished" content="2020-01-02">Jan 2</span><p>x</p></body></html>'
    assert parse_article(microdata).published == "2020-01-02"


def test_text_loose_in_divs_between_line_breaks_becomes_paragraphs():
    html = """<html><body><div id="main"><h1>Old school</h1><div class="txt">Netflix has renewed
    <i>Quill</i> for a second season, the streamer said.<br><br>The drama is a hit with critics
    and audiences in many countries.<br>By Jo<br><a href="/x">Ink cancelled after one season, and more</a>
    </div></div></body></html>"""
    page = parse_article(html)
    assert (
        "<p>Netflix has renewed <i>Quill</i> for a second season, the streamer said.</p>"
        in page.body_html.replace("\n    ", " ")
    )
    assert "The drama is a hit" in page.text
    assert "Ink" not in page.text and "By Jo" not in page.text


def test_teaser_cards_marked_up_as_articles_are_not_articles():
    story = (
        "<p>"
        + "Hulu has renewed <em>Keel</em> for a second season after strong ratings. " * 8
        + "</p>"
    )
    html = f"""<html><body><main><article><h1>Keel renewed</h1>{story}</article>
    <section class="more-stories"><article><h2>Anchor</h2><p>Fox has cancelled Anchor after two seasons, sources say.</p></article></section>
    <div class="grid"><article><h2>Buoy</h2><p>NBC has cancelled Buoy after one season, the network said.</p></article></div>
    </main></body></html>"""
    page = parse_article(html)
    assert page.body_html.count("<article>") == 1
    assert "Anchor" not in page.text and "Buoy" not in page.text
