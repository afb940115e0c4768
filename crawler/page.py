"""Pure page parsing: reduce a news page to its metadata and cleaned main content.

No Scrapy here, so the storage layer and the re-extraction command can use it too. lxml does
the work (a whole-page BeautifulSoup parse is twenty times slower); every public function
returns a usable result for any input instead of raising.
"""

import codecs
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

import lxml.html
from lxml import etree

from crawler.boilerplate import READ_MORE, PageText, words
from crawler.controls import fields_without_controls


@dataclass
class ArticlePage:
    """A parsed page: `text` is the body's plain text, the headline kept apart in `title`."""

    url: str | None
    title: str | None
    published: str | None
    modified: str | None
    body_html: str
    text: str


BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "table", "tr", "th", "td", "blockquote"}
INLINE_TAGS = {"em", "i", "strong", "b"}
SPACE = re.compile(r"\s+")
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # lxml refuses these
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014]{2,40}$")
MAX_DEPTH = 180
LOOSE_TEXT_MIN = 40  # shorter loose text is a byline, a date or a label
# Inline tags whose text stays in the running paragraph, unwrapped.
UNWRAP_INLINE = {
    "a", "span", "font", "u", "small", "sup", "sub", "abbr", "cite", "q", "mark", "s", "del",
    "ins", "code", "bdi", "bdo", "wbr", "big", "tt", "var", "dfn",
}  # fmt: skip
PUBLISHED_KEYS = {
    "article:published_time", "datepublished", "og:published_time", "date", "pubdate",
    "publishdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published",
}  # fmt: skip
MODIFIED_KEYS = {"article:modified_time", "datemodified", "og:updated_time", "dcterms.modified"}


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode stray bytes of a mostly-UTF-8 page as cp1252 (smart quotes pasted from Word)."""
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("renewals-cp1252", _cp1252_fallback)


def decode_html(data: bytes | str) -> str:
    """Bytes in any encoding to text: BOM, then a meta charset, then UTF-8 with cp1252 repair."""
    if isinstance(data, str):
        return data
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    match = CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", "replace").lower() if match else "utf-8"
    if declared in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        declared = "cp1252"  # what browsers do, and it keeps smart quotes
    try:
        codecs.lookup(declared)
    except LookupError:
        declared = "utf-8"
    if declared.replace("-", "").replace("_", "") == "utf8":
        return data.decode("utf-8", errors="renewals-cp1252")
    return data.decode(declared, errors="replace")


def parse_article(html: bytes | str, url: str | None = None) -> ArticlePage:
    """Parse one page; never raises (a page that cannot be read gives an empty body)."""
    try:
        return fields_without_controls(_parse(html, url))
    except Exception:  # noqa: BLE001 - a crawler must survive any page
        return ArticlePage(
            url=url, title=None, published=None, modified=None, body_html="", text=""
        )


def _parse(html: bytes | str, url: str | None) -> ArticlePage:
    text = CONTROL.sub("", XML_DECL.sub("", decode_html(html)))
    if not text.strip():
        return ArticlePage(
            url=url, title=None, published=None, modified=None, body_html="", text=""
        )
    root = lxml.html.document_fromstring(text)
    meta = _metadata(root)
    canonical = meta.get("canonical") or meta.get("og:url") or url
    measured = PageText(root)
    articles = measured.articles()
    parts: list[str] = []
    texts: list[str] = []
    headline = None
    for index, sections in enumerate(articles):
        title, heading = _headline(sections[0], root, meta, first=index == 0)
        if index == 0:
            headline = title
        blocks = [
            block for section in sections for block in _clean_blocks(measured, section, heading)
        ]
        if not blocks and not title:
            continue
        heading = f"<h1>{escape(title or '')}</h1>"
        parts.append("<article>" + heading + "".join(html for html, _ in blocks) + "</article>")
        # the page's headline is `title`, not body text; a further article's starts its text
        lead = [] if index == 0 else [title or ""]
        texts.append("\n\n".join([*lead, *(text for _, text in blocks)]).strip())
    return ArticlePage(
        url=canonical,
        title=headline,
        published=meta.get("published"),
        modified=meta.get("modified"),
        body_html="\n".join(parts),
        text="\n\n".join(texts),
    )


def _metadata(root: etree._Element) -> dict[str, str]:
    """Canonical URL, titles and dates from <head> metadata, JSON-LD first for dates."""
    meta: dict[str, str] = {}
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            meta.setdefault("canonical", link.get("href").strip())
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = (tag.get("content") or "").strip()
        if not value:
            continue
        if key in {"og:url", "og:title"}:
            meta.setdefault(key, value)
        elif key in PUBLISHED_KEYS:
            meta.setdefault("meta_published", value)
        elif key in MODIFIED_KEYS:
            meta.setdefault("meta_modified", value)
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            _read_json_ld(script.text, meta)
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        meta["title"] = SPACE.sub(" ", title.text_content()).strip()
    for node in root.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        meta.setdefault("meta_published", node.get("content") or node.get("datetime") or "")
    time_value = next((t.get("datetime") for t in root.iter("time") if t.get("datetime")), None)
    published = [meta.get("ld_published"), meta.get("meta_published"), time_value]
    modified = [meta.get("ld_modified"), meta.get("meta_modified")]
    for key, candidates in (("published", published), ("modified", modified)):
        for candidate in candidates:
            day = iso_day(candidate)
            if day:
                meta[key] = day
                break
    return meta


def _read_json_ld(source: str, meta: dict[str, str]) -> None:
    try:
        data = json.loads(source)
    except ValueError:
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            for field, key in (("datePublished", "ld_published"), ("dateModified", "ld_modified")):
                if isinstance(item.get(field), str):
                    meta.setdefault(key, item[field])
            if isinstance(item.get("@graph"), list):
                stack.extend(reversed(item["@graph"]))


def iso_day(value: str | None) -> str | None:
    """ "2025-03-25T09:14:00-07:00" -> "2025-03-25" (the date as the site wrote it)."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        match = ISO_DATE.match(value)
        if not match:
            return None
        try:
            return datetime(*map(int, match.groups())).date().isoformat()
        except ValueError:
            return None


def _headline(
    node: etree._Element, root: etree._Element, meta: dict[str, str], first: bool
) -> tuple[str | None, etree._Element | None]:
    """The article's headline text and the element it came from (not repeated in the body)."""
    heading = node.find(".//h1")
    if heading is None:
        heading = next(
            (h for h in node.iter("h2") if words(h) & {"title", "headline", "entry"}), None
        )
    if heading is None and first:
        heading = next(
            (h for h in root.iter("h1") if not any(
                p.tag in {"header", "nav"} or words(p) & {"header", "masthead", "brand"}
                for p in h.iterancestors())),
            None,
        )  # fmt: skip
    if heading is not None:
        text = SPACE.sub(" ", heading.text_content()).strip()
        if text:
            return text, heading
    if not first:
        return None, None
    if meta.get("og:title"):
        return meta["og:title"], None
    if meta.get("title"):
        return TITLE_SUFFIX.sub("", meta["title"]).strip() or None, None
    return None, None


def _clean_blocks(
    measured: PageText, article: etree._Element, heading: etree._Element | None
) -> list[tuple[str, str]]:
    """Serialise the article's kept blocks as (html, text) pairs, in order."""
    blocks: list[tuple[str, str]] = []

    def furniture(node: etree._Element) -> bool:
        return measured.is_furniture(node, article)

    _collect(article, 0, heading, blocks, furniture)
    return blocks


def _collect(
    node: etree._Element,
    depth: int,
    heading: etree._Element | None,
    blocks: list,
    furniture: Callable[[etree._Element], bool],
) -> None:
    """Blocks of a container, in order; text loose in a <div> (between <br>s, around inline
    tags) becomes paragraphs of its own, as old templates put whole articles that way."""
    html: list[str] = []
    text: list[str] = []
    linked = [0]  # characters of link text in the running paragraph

    def flush() -> None:
        plain = SPACE.sub(" ", "".join(text)).strip()
        mostly_links = linked[0] >= 0.8 * len(plain)
        if len(plain) >= LOOSE_TEXT_MIN and not READ_MORE.match(plain) and not mostly_links:
            blocks.append((f"<p>{''.join(html).strip()}</p>", plain))
        html.clear()
        text.clear()
        linked[0] = 0

    if node.text:
        html.append(escape(node.text, quote=False))
        text.append(node.text)
    boxed = False  # the list right under a "Further reading" / "Up next" heading
    for child in node:
        labelled, boxed = boxed, False
        if isinstance(child.tag, str) and child.tag in {"h2", "h3", "h4", "h5", "h6"}:
            boxed = bool(READ_MORE.match(child.text_content().strip()))
        elif labelled and child.tag not in {"ul", "ol", "p", "div", "section", "aside"}:
            boxed = labelled  # still waiting for the box itself
            labelled = False
        if not isinstance(child.tag, str) or child is heading or labelled or furniture(child):
            pass
        elif child.tag == "br":
            if re.search(r"[.!?\"'\u201d]\s*$", "".join(text)):
                flush()
            else:
                text.append(" ")
        elif child.tag in BLOCK_TAGS and child.tag not in {"li", "tr", "th", "td"}:
            flush()
            inner_html: list[str] = []
            inner_text: list[str] = []
            _serialise(child, depth + 1, inner_html, inner_text, furniture)
            plain = SPACE.sub(" ", "".join(inner_text)).strip()
            if plain:
                blocks.append(("".join(inner_html), plain))
        elif child.tag in INLINE_TAGS or child.tag in UNWRAP_INLINE:
            _serialise(child, depth + 1, html, text, furniture)
            if child.tag == "a":
                linked[0] += len(child.text_content().strip())
        elif depth < MAX_DEPTH:
            flush()
            _collect(child, depth + 1, heading, blocks, furniture)
        if child.tail:
            html.append(escape(child.tail, quote=False))
            text.append(child.tail)
    flush()


def _serialise(
    node: etree._Element,
    depth: int,
    html: list[str],
    text: list[str],
    furniture: Callable[[etree._Element], bool],
) -> None:
    """Keep allowed tags, unwrap the rest, drop furniture; text gets a space between cells."""
    tag = node.tag if node.tag in BLOCK_TAGS or node.tag in INLINE_TAGS else None
    if tag:
        html.append(f"<{tag}>")
        if tag in BLOCK_TAGS:
            text.append(" ")
    if node.text:
        html.append(escape(node.text, quote=False))
        text.append(node.text)
    for child in node:
        if isinstance(child.tag, str) and not furniture(child):
            if depth < MAX_DEPTH:
                _serialise(child, depth + 1, html, text, furniture)
            else:
                content = child.text_content()
                html.append(escape(content, quote=False))
                text.append(content)
        elif child.tag == "br":
            text.append(" ")
        if child.tail:
            html.append(escape(child.tail, quote=False))
            text.append(child.tail)
    if tag:
        html.append(f"</{tag}>")
