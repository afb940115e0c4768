"""Read article links out of RSS/Atom feeds, XML sitemaps and HTML listing pages.

Pure functions on bytes, no Scrapy import, so tests call them on saved feeds.
"""

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup
from lxml import etree, html

# Tags after which a summary's text continues as a new sentence or item, not the same word.
SUMMARY_BREAKS = [
    "p",
    "div",
    "li",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "blockquote",
]
NOT_ARTICLE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".svg",
    ".css",
    ".js",
    ".pdf",
    ".mp4",
    ".xml",
)


@dataclass
class FeedEntry:
    """An article link as a feed or listing announces it (title and summary when known)."""

    url: str
    title: str = ""
    summary: str = ""


@dataclass
class Listing:
    """What a feed or listing page points to: articles, and further listings (sitemap index)."""

    kind: str  # "rss", "atom", "sitemap", "sitemapindex", "html" or "unknown"
    entries: list[FeedEntry] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def summary_text(fragment: str) -> str:
    """Plain text of a feed's HTML summary.

    Summaries are small fragments of HTML, often cut off mid-tag by the feed's length limit:
    BeautifulSoup is made for such scraps, and its lxml tree builder drops a cut-off tag.
    """
    if "<" not in fragment and "&" not in fragment:
        return fragment
    soup = BeautifulSoup(fragment, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for tag in soup(SUMMARY_BREAKS):
        tag.insert_after(" ")
    return " ".join(soup.get_text().split())


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return " ".join("".join(child.itertext()).split())
    return ""


def parse_listing(body: bytes, base_url: str) -> Listing:
    """Classify a feed/sitemap/listing document and return the links it announces."""
    stripped = body.lstrip()[:512].lower()
    looks_xml = stripped.startswith(b"<?xml") or stripped.startswith((b"<rss", b"<feed", b"<url"))
    if looks_xml and b"<html" not in stripped:
        listing = _parse_xml(body, base_url)
        if listing.kind != "unknown":
            return listing
    return _parse_html_listing(body, base_url)


def _parse_xml(body: bytes, base_url: str) -> Listing:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return Listing("unknown")
    if root is None:
        return Listing("unknown")
    kind = _local(root.tag)
    if kind == "rss" or kind == "rdf":
        entries = [
            FeedEntry(
                urljoin(base_url, _child_text(item, "link")),
                _child_text(item, "title"),
                summary_text(_child_text(item, "description")),
            )
            for item in root.iter()
            if _local(item.tag) == "item" and _child_text(item, "link")
        ]
        return Listing("rss", entries)
    if kind == "feed":
        entries = []
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            links = [c for c in entry if _local(c.tag) == "link" and c.get("href")]
            alternate = [c for c in links if c.get("rel", "alternate") == "alternate"] or links
            if alternate:
                entries.append(
                    FeedEntry(
                        urljoin(base_url, alternate[0].get("href")),
                        _child_text(entry, "title"),
                        summary_text(
                            _child_text(entry, "summary") or _child_text(entry, "content")
                        ),
                    )
                )
        return Listing("atom", entries)
    if kind == "urlset":
        entries = []
        for url in root:
            if _local(url.tag) != "url" or not _child_text(url, "loc"):
                continue
            news_title = next(
                (
                    " ".join("".join(e.itertext()).split())
                    for e in url.iter()
                    if _local(e.tag) == "title"
                ),
                "",
            )
            entries.append(FeedEntry(urljoin(base_url, _child_text(url, "loc")), news_title))
        return Listing("sitemap", entries)
    if kind == "sitemapindex":
        nested = [
            urljoin(base_url, _child_text(sitemap, "loc"))
            for sitemap in root
            if _local(sitemap.tag) == "sitemap" and _child_text(sitemap, "loc")
        ]
        return Listing("sitemapindex", listings=nested)
    return Listing("unknown")


def _parse_html_listing(body: bytes, base_url: str) -> Listing:
    try:
        document = html.document_fromstring(body or b"<html></html>")
    except (etree.ParserError, ValueError):
        return Listing("unknown")
    seen: set[str] = set()
    entries = []
    for anchor in document.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = urldefrag(urljoin(base_url, href.strip())).url
        if url in seen or url.rstrip("/") == base_url.rstrip("/"):
            continue
        if url.lower().split("?")[0].endswith(NOT_ARTICLE_SUFFIXES):
            continue
        seen.add(url)
        entries.append(FeedEntry(url, " ".join(anchor.text_content().split())))
    return Listing("html", entries)
