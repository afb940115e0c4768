"""Stage 6c: status lines, one show and its verdict each: field lines ("X: Renewed",
"X - Cancelled after two seasons", "Season 2 Ordered: June 23"), labelled lists
("Renewed: X, Y"), a status heading's entries and table rows."""

import re

from pipelines.extraction.arguments import arithmetic
from pipelines.extraction.claim import Claim
from pipelines.extraction.context import Context
from pipelines.extraction.document import Block, clean
from pipelines.extraction.networks import find_networks
from pipelines.extraction.reading import TABLE
from pipelines.extraction.seasons import find_seasons
from pipelines.extraction.tables import cell_status, table_rows
from pipelines.extraction.titles import (
    OTHER_PRODUCTION,
    QUOTED,
    Mention,
    capitalised_run,
    find_mentions,
    plausible,
    tidy,
)

# "X: Renewed", "X (Fox) - Cancelled": a title, an optional note, a separator, a short status.
FIELD_LINE = re.compile(
    r"^\s*(?:#?\d+[.):]\s*)?(?P<title>[^:|\u2013\u2014]{1,70}?)\s*(?:\((?P<note>[^()]{0,40})\))?"
    r"\s*(?:[:|\u2013\u2014]|\s-\s)\s*(?P<rest>[^:|]+?)\s*\|?\s*$"
)


# The same with a dash, whose title may hold a colon: "Star Trek: Discovery - Renewed".
DASH_LINE = re.compile(
    r"^\s*(?:#?\d+[.):]\s*)?(?P<title>[^|\u2013\u2014]{1,70}?)\s*(?:\((?P<note>[^()]{0,40})\))?"
    r"\s*(?:\s[-\u2013\u2014]\s|[\u2013\u2014])\s*(?P<rest>[^|]+?)\s*\|?\s*$"
)


FIELD_WORDS = 10


FIELD_CHARS = 400


SEPARATOR = re.compile(r"[:|\u2013\u2014]|\s-\s|[a-z][A-Z]")  # a field line's, or a glued one


SEASON_FIELD = re.compile(
    r"\s*(?:season|series)\s+(\d{1,2})\s+(ordered|renewed|picked\s+up|cancell?ed|canceled|axed|"
    r"revoked)\s*[:\u2013\u2014-]",
    re.I,
)


# A clause that tells no verdict: a guess ("Likely to be renewed") or a sentence ("it hasn't...").
NOT_VERDICT = re.compile(
    r"\s*(?:likely|unlikely|probably|possibly|could|may|might|expected|it|they|he|she|we|i|you)\b"
    r"|.*n't\b",
    re.IGNORECASE,
)


VERDICT_BREAK = re.compile(r"[;.]\s+|\s{2,}|\s[-\u2013\u2014]\s")  # the clauses of a scorecard line


# A title glued to the verdict after it when the page's dash was an image: "CastleRENEWED".
GLUED = re.compile(
    r"(?<=[a-z])(?=(?:RENEWED|CANCELL?ED|CANCELED|ENDING|Renewed|Cancell?ed|Canceled|Definitely|"
    r"Probably|Likely|Unlikely|Safe|Currently|Officially|Final)\b)"
)


# Labels of a fact line, not show titles: "Status: Renewed", "Verdict - Cancelled".
FIELD_NAME = re.compile(
    r"(?:current\s+|renewal\s+)?(?:status|verdict|decision|fate|outcome|result|update|network|"
    r"season|seasons|premiere|platform|where to watch|the verdict|our take|bottom line|creators?|"
    r"cast|starring|stars|genre|aired|years?|episodes|runtime|rating|why|"
    r"(?:short|long|longer|quick|the)\s+answer|answer)\b",
    re.IGNORECASE,
)


TITLE_TOPIC = re.compile(r"\s+(?:season\s+\d+\s+)?(?:renewal\s+)?(?:status|update|news)$", re.I)


NOTE = re.compile(r"\s*\([^()]{0,80}\)(?=\s*$)")  # "Renewed for season 6 (we do not cover it)"


# An entry's own status note, in brackets or after a dash: "X (renewed for final season)".
OWN_NOTE = re.compile(
    r"[\s\"'\u201d\u2019]*(?:\((?P<bracket>[^()]{1,80})\)|[-\u2013\u2014]\s+(?P<dash>[^()]{1,80}))"
)


def field_line(text: str, context: Context) -> list[Claim]:
    """A show and its status on one line: "X: Renewed", "X (Fox) - Cancelled after two
    seasons", a scorecard's "X - A sure thing / Officially renewed" or "X: Season 5 finale
    aired in May; renewed for Seasons 3 and 4" (each verdict clause counts)."""
    if len(text) > FIELD_CHARS or not SEPARATOR.search(text):
        return []
    dated = SEASON_FIELD.match(text)
    if dated and context.focus and cell_status(dated.group(2)):  # "Season 2 Ordered: June 23"
        status = cell_status(dated.group(2))
        season = int(dated.group(1))
        network = context.fallback_network
        return [Claim(context.focus, season, status, network, None, TABLE, clean(text))]
    text_line = GLUED.sub(" - ", text)
    if not cell_status(text_line):
        return []  # most blocks are prose with no verdict word: no line to read
    text_line = NOTE.sub("", text_line)
    line = DASH_LINE.match(text_line)
    if not line or ":" not in line.group("title") or cell_status(line.group("title")):
        line = FIELD_LINE.match(text_line)
    if not line or "?" in text:
        return []
    title = tidy(TITLE_TOPIC.sub("", line.group("title")))
    rest = line.group("rest")
    verdicts = [c for c in VERDICT_BREAK.split(rest) if cell_status(c) and not NOT_VERDICT.match(c)]
    if not verdicts or any(len(c.split()) > FIELD_WORDS for c in verdicts):
        return []
    if not plausible(title, marked=True) or FIELD_NAME.fullmatch(title):
        return []
    if OTHER_PRODUCTION.search(title) or cell_status(title):
        return []
    pattern = context.book.pattern()
    if QUOTED.search(rest) or (pattern and pattern.search(rest)):
        return []  # "TV: Netflix has renewed 'X'": a sentence about another show
    show = context.book.canonical(title)
    claims = []
    for verdict in verdicts:
        status = cell_status(verdict)
        seasons = arithmetic(status, find_seasons(verdict) or find_seasons(rest)) or [None]
        networks = find_networks(line.group("note") or "") or find_networks(verdict)
        network = networks[0][2] if networks else context.fallback_network
        claims.extend(
            Claim(show, season, status, network, None, TABLE, clean(text)) for season in seasons
        )
    return claims


def legend(text: str) -> bool:
    """A key to the statuses ("Renewed = ordered; Cancelled = not returning; Pending = ..."):
    each status defined once, no show's verdict."""
    if text.count("=") < 3:
        return False
    defined = {cell_status(part) for part in re.split(r"[;.]\s+|\s{2,}", text) if "=" in part}
    return len(defined - {None}) > 2


def entry_status(tail: str, label: str) -> str:
    """The status of one entry under a label: its own note's, when it states one ("Renewed:"
    over "X (renewed for final season)" is ending, over "Y - cancelled" is cancelled)."""
    note = OWN_NOTE.match(tail)
    own = note and cell_status(note.group("bracket") or note.group("dash"))
    return own or label


def listed_claims(text: str, label: str, context: Context, first_only: bool = False) -> list[Claim]:
    """ "Renewed: X (season 4), Y" or a list item under a "Cancelled" heading."""
    mentions = [m for m in find_mentions(text, context.book) if not m.anaphor]
    if not mentions:
        spans = []
        for part in re.finditer(r"[^,;]+", text):
            piece = re.sub(r"^\s*(?:and\s+)?", "", part.group())
            run = capitalised_run(piece)
            if run:
                start = text.find(run, part.start())
                spans.append(Mention(start, start + len(run), run))
        mentions = spans
    if first_only:
        mentions = mentions[:1]
    claims = []
    for index, mention in enumerate(mentions):
        end = mentions[index + 1].start if index + 1 < len(mentions) else len(text)
        tail = text[mention.end : end]
        if OTHER_PRODUCTION.match(tail.strip()):
            continue
        status = entry_status(tail, label)
        seasons = arithmetic(status, find_seasons(tail)) or [None]
        networks = find_networks(tail)
        network = networks[0][2] if networks else context.fallback_network
        show = context.book.canonical(mention.title)
        claims.extend(
            Claim(show, season, status, network, None, TABLE, clean(text)) for season in seasons
        )
    return claims


def table_claims(block: Block, context: Context) -> list[Claim]:
    claims = []
    for row in table_rows(block.rows):
        show = tidy(row["show"])
        if not plausible(show, marked=True) or OTHER_PRODUCTION.search(show):
            continue
        for season in row["seasons"]:
            claims.append(
                Claim(
                    context.book.canonical(show),
                    season,
                    row["status"],
                    row["network"],
                    None,
                    TABLE,
                    row["evidence"],
                )  # fmt: skip
            )
    return claims


def title_list(text: str) -> bool:
    """A paragraph that is only a list of titles, with notes: "X (season 3), Y and Z", or
    one quoted title."""
    if QUOTED.fullmatch(NOTE.sub("", text).strip()):
        return True
    for piece in re.split(r"\s*(?:[,;&]|\band\b)\s*", text.rstrip(". ")):
        piece = tidy(re.sub(r"\s*\([^()]{0,40}\)\s*$", "", piece))
        if piece and capitalised_run(piece) != piece:
            return False
    return True
