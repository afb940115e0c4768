"""Stage 1: the document. The cleaned `body_html` read back into articles made of a headline
and blocks with roles (heading, text, list item, table); sentences come from `sentences`."""

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

BLOCK = {"p", "h2", "h3", "h4", "li", "blockquote"}
EMPHASIS = {"em", "i", "strong", "b"}
SPACE = re.compile(r"\s+")
SHORTCODE = re.compile(r"\[/?[a-z][\w-]*(?:\s[^\]]{0,200})?\]")
RELATED = re.compile(
    r"\s*(?:also\s+read|read\s+(?:more|next|also)|related(?:\s+(?:stories|articles|reading))?|"
    r"must[\s-]read|see\s+also|don't\s+miss|more\s+from|recommended|you\s+may\s+also\s+like|"
    r"trending(?:\s+now)?|popular\s+now)\s*[:|\u2013\u2014-]",
    re.IGNORECASE,
)
CREDIT = re.compile(r"\s*(?:photo|image|picture|pictured|credit|source|via)s?\s*:", re.I)
FIXED_RULE = re.compile(r"\s*-{3,}(?:\s+-{2,})+\s*")  # a plain-text table's rule
PIPE_ROW = re.compile(r"^\|(?:[^|]*\|){2,}\s*$")  # a text table row: "| X | 2 | Canceled |"
# Typographic quotes and dashes to plain ones, so patterns need only one spelling.
NORMALISE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                           "\u00a0": " ", "\u2032": "'", "\u02bc": "'"})  # fmt: skip


@dataclass
class Block:
    kind: str  # heading | text | item (a list item) | table | caption | furniture
    text: str
    emphasis: list[str] = field(default_factory=list)
    lead: str | None = None  # a bold/italic run that opens the block ("Ted Lasso. Apple ...")
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Article:
    headline: str
    blocks: list[Block]


def clean(text: str) -> str:
    """One spelling of quotes and spaces, and no WordPress shortcodes ("[spacer ...]")."""
    text = text.translate(NORMALISE)
    if "[" in text:
        text = SHORTCODE.sub(" ", text)
    return SPACE.sub(" ", text).strip()


def read_articles(body_html: str, title: str | None = None) -> list[Article]:
    """Split body_html into articles; a page without <article> markup is one article."""
    if not body_html or not body_html.strip():
        return [Article(clean(title or ""), [])] if title else []
    try:
        root = lxml.html.fromstring(f"<div>{body_html}</div>")
    except (etree.ParserError, ValueError):
        return []
    nodes = [n for n in root.iter("article")] or [root]
    articles = []
    for node in nodes:
        heading = node.find(".//h1")
        headline = clean(heading.text_content()) if heading is not None else clean(title or "")
        articles.append(Article(headline, _text_tables(list(_blocks(node)))))
    return articles


def _blocks(node: etree._Element):
    for element in node.iter():
        tag = element.tag
        if not isinstance(tag, str) or not (tag in BLOCK or tag == "table"):
            continue
        if any(
            a.tag in BLOCK or a.tag == "table" for a in element.iterancestors() if a is not node
        ):
            continue
        if tag == "table":
            yield _table(element)
            continue
        if tag == "blockquote" and element.find(".//p") is not None:
            continue  # its paragraphs are blocks of their own
        raw = element.text_content()
        text = clean(raw)
        if not text:
            continue
        fixed = _fixed_width_rows(raw) if "---" in raw and "\n" in raw else []
        if fixed:  # a <pre> board the cleaner kept as a paragraph, its lines intact
            yield Block("table", text, rows=fixed)
            continue
        if PIPE_ROW.match(text):
            rows = [_cells(line) for line in raw.splitlines() if PIPE_ROW.match(clean(line))]
            yield Block("table", text, rows=[r for r in rows if r])
            continue
        emphasis = [clean(e.text_content()) for e in element.iter(*EMPHASIS) if not _label(e)]
        lead = None
        first = element[0] if len(element) else None
        if first is not None and first.tag in EMPHASIS and not (element.text or "").strip():
            lead = clean(first.text_content())
            # "St. Denis Medical (NBC)": the bracket is a note on the title, not part of it
            lead = re.sub(r"\s*\([^()]{0,40}\)\s*[:.\u2014\u2013-]?\s*$", "", lead) or lead
        kind = {"h2": "heading", "h3": "heading", "h4": "heading", "li": "item"}.get(tag, "text")
        if RELATED.match(text):
            kind = "furniture"  # "Also read: X and Y axed" links elsewhere, it reports nothing
        elif CREDIT.match(text):
            kind = "caption"  # "Photo: KESTREL PICS/ITV" names no decider
        yield Block(kind, text, [e for e in emphasis if e], lead)


def _table(table: etree._Element) -> Block:
    """A table as rows of cell texts; the first row is read as the header by `tables`."""
    rows = []
    for row in table.iter("tr"):
        cells = [clean(c.text_content()) for c in row if c.tag in {"td", "th"}]
        if cells:
            rows.append(cells)
    emphasis = [clean(e.text_content()) for e in table.iter(*EMPHASIS) if not _label(e)]
    return Block("table", " ".join(" ".join(r) for r in rows), emphasis, rows=rows)


def _fixed_width_rows(raw: str) -> list[list[str]]:
    """A plain-text table under a rule of dashes ("-----  ---  ------"): the header above the
    rule, then one row a line, cut at the columns the rule's dash runs start."""
    lines = raw.splitlines()
    rule = next((i for i, line in enumerate(lines) if FIXED_RULE.fullmatch(line)), None)
    if not rule:
        return []
    starts = [m.start() for m in re.finditer(r"-+", lines[rule])]
    cut = [*starts[1:], None]
    return [
        [clean(line[a:b]) for a, b in zip(starts, cut, strict=True)]
        for line in [lines[rule - 1], *lines[rule + 1 :]]
        if line.strip()
    ]


def _cells(line: str) -> list[str]:
    """The cells of a text table row "| X | 2 | Canceled |"; none for a "|---|---|" rule."""
    cells = [clean(cell) for cell in clean(line).strip("|").split("|")]
    return [] if all(re.fullmatch(r":?-*:?", cell) for cell in cells) else cells


def _text_tables(blocks: list[Block]) -> list[Block]:
    """Consecutive text table rows (one paragraph each) as one table."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if previous is not None and _text_table(block) and _text_table(previous):
            previous.rows.extend(block.rows)
            continue
        joined.append(block)
    return joined


def _text_table(block: Block) -> bool:
    return block.kind == "table" and bool(PIPE_ROW.match(block.text))


def _label(element: lxml.html.HtmlElement) -> bool:
    """Bold text ending in a colon ("<b>Status:</b> Renewed") names a field, not a show."""
    return element.text_content().rstrip().endswith(":") or (element.tail or "").startswith(":")
