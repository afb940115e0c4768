"""Each listing format the bundled sources use, parsed from documents written here."""

from crawler.feeds import parse_listing

BASE = "https://news.example/tv/feed/"


def test_rss_items_with_title_and_description():
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example TV</title><link>https://news.example/</link>
<item><title>'Copper Sky' Renewed for Season 2</title>
  <link>https://news.example/2026/05/copper-sky-renewed/</link>
  <description><![CDATA[<p>Starz has renewed <b>Copper Sky</b>.</p>]]></description>
  <content:encoded><![CDATA[<p>Full text</p>]]></content:encoded></item>
<item><title>No link here</title></item>
<item><title>Relative</title><link>/2026/05/relative/</link></item>
</channel></rss>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "rss"
    assert [e.url for e in listing.entries] == [
        "https://news.example/2026/05/copper-sky-renewed/",
        "https://news.example/2026/05/relative/",
    ]
    assert listing.entries[0].title == "'Copper Sky' Renewed for Season 2"
    assert listing.entries[0].summary == "Starz has renewed Copper Sky."


def test_rdf_rss_1_0():
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://news.example/"><title>Example</title></channel>
<item rdf:about="https://news.example/a/"><title>Axed after one season</title>
<link>https://news.example/a/</link></item></rdf:RDF>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "rss"
    assert [(e.url, e.title) for e in listing.entries] == [
        ("https://news.example/a/", "Axed after one season")
    ]


def test_atom_prefers_the_alternate_link_and_reads_summary_or_content():
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title>
<entry><title>Final season for 'Lantern Row'</title>
  <link rel="replies" href="https://news.example/a/#comments"/>
  <link rel="alternate" type="text/html" href="https://news.example/a/"/>
  <summary>It will end with season 5.</summary></entry>
<entry><title type="html">Only content</title><link href="/b/"/>
  <content type="html">&lt;p&gt;Cancelled.&lt;/p&gt;</content></entry>
</feed>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "atom"
    assert [e.url for e in listing.entries] == [
        "https://news.example/a/",
        "https://news.example/b/",
    ]
    assert listing.entries[0].summary == "It will end with season 5."
    assert "Cancelled" in listing.entries[1].summary


def test_news_sitemap_reads_the_news_title():
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/2026/05/x-cancelled/</loc>
  <news:news><news:publication><news:name>Example</news:name></news:publication>
  <news:publication_date>2026-05-01</news:publication_date>
  <news:title>Netflix Cancels 'X'</news:title></news:news></url>
<url><loc>https://news.example/about/</loc></url>
</urlset>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "sitemap"
    assert [(e.url, e.title) for e in listing.entries] == [
        ("https://news.example/2026/05/x-cancelled/", "Netflix Cancels 'X'"),
        ("https://news.example/about/", ""),
    ]


def test_sitemap_index_lists_nested_sitemaps():
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/sitemap-2026-05.xml</loc></sitemap>
<sitemap><loc>https://news.example/sitemap-2026-04.xml</loc></sitemap></sitemapindex>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "sitemapindex"
    assert listing.listings == [
        "https://news.example/sitemap-2026-05.xml",
        "https://news.example/sitemap-2026-04.xml",
    ]


def test_html_listing_page_keeps_article_links_once_and_drops_assets():
    body = b"""<html><body><a href="/2026/05/a/">'A' renewed</a> <a href="/2026/05/a/#top">again</a>
<a href="mailto:tips@news.example">tips</a><a href="/logo.png">logo</a>
<a href="https://other.example/b/">B cancelled</a></body></html>"""
    listing = parse_listing(body, "https://news.example/tv/")
    assert listing.kind == "html"
    assert [(e.url, e.title) for e in listing.entries] == [
        ("https://news.example/2026/05/a/", "'A' renewed"),
        ("https://other.example/b/", "B cancelled"),
    ]


def test_broken_and_hostile_xml_fail_soft():
    assert parse_listing(b"", BASE).entries == []
    entity_bomb = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><title>&b;</title>
<link>https://news.example/x/</link></item></channel></rss>"""
    listing = parse_listing(entity_bomb, BASE)
    assert all("aaaaaaaaaa" * 10 not in e.title for e in listing.entries)
    truncated = (
        b'<?xml version="1.0"?><rss><channel><item><title>Renewed</title>'
        b"<link>https://news.example/t/</link></item><item><title>cut"
    )
    assert [e.url for e in parse_listing(truncated, BASE).entries] == ["https://news.example/t/"]


def test_html_summaries_become_plain_text_even_when_cut_off():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel>
<item><title>A</title><link>https://news.example/a/</link>
  <description>&lt;p&gt;Hulu &amp;amp; FX have &lt;em&gt;cancelled&lt;/em&gt; Tin Roof.&lt;/p&gt;
  &lt;p&gt;It ran two seasons.&lt;/p&gt;&lt;p&gt;&lt;a href="/x</description></item>
<item><title>B</title><link>https://news.example/b/</link>
  <description>Plain text, 3 &lt; 4, kept as it is</description></item>
</channel></rss>"""
    first, second = parse_listing(body, BASE).entries
    assert first.summary == "Hulu & FX have cancelled Tin Roof. It ran two seasons."
    assert second.summary == "Plain text, 3 < 4, kept as it is"
