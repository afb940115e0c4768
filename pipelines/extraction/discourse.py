"""Stage 6b: article-level discourse: the walk over an article's blocks that carries a
heading's show or status label over the items under it, a list label's status over the
shows it lists, a table's rows, and the paragraph's topic into the next sentence."""

import re
from collections.abc import Iterable

from pipelines.extraction.arguments import arithmetic
from pipelines.extraction.claim import Claim
from pipelines.extraction.context import Context
from pipelines.extraction.document import RELATED, Article
from pipelines.extraction.frames import has_cue
from pipelines.extraction.inventory import build_inventory, headline_seasons
from pipelines.extraction.lines import (
    FIELD_NAME,
    SEASON_FIELD,
    entry_status,
    field_line,
    legend,
    listed_claims,
    table_claims,
    title_list,
)
from pipelines.extraction.linking import local_topic
from pipelines.extraction.modality import denies
from pipelines.extraction.networks import find_networks
from pipelines.extraction.reading import FIRM, HEADLINE, sentence_claims
from pipelines.extraction.seasons import SeasonMention, find_seasons
from pipelines.extraction.sentences import split_sentences
from pipelines.extraction.tables import STATUS_CELL, cell_status
from pipelines.extraction.titles import (
    QUOTED,
    heading_title,
    plausible,
    tidy,
)

# A status label: "Renewed: X, Y" over the shows it lists, a "Cancelled" heading over a list.
_LABELS = (
    r"renewed|cancell?ed|canceled|axed|ended|ending|final seasons?|ending soon|pending|"
    r"undecided|on the bubble|awaiting (?:word|a decision)|no decision yet|still undecided"
)
STATUS_LABEL = re.compile(rf"^\s*((?:{_LABELS})(?:\s+shows)?)\s*[:\u2014\u2013]\s*(.+)$", re.I)
_LABEL_TAIL = r"(?:tv|shows?|series|so|far|this|year|season|in|of|for|\d{4}(?:-\d{2,4})?|\(\d+\))"
STATUS_HEADING = re.compile(
    rf"\s*(?:the\s+|all\s+|every\s+)?(?:(?:tv\s+)?(?:shows?|series)\s+(?:that\s+(?:were|got)\s+)?)?"
    rf"(?:{_LABELS})(?:\s+{_LABEL_TAIL}){{0,4}}\s*[:!]?\s*",
    re.I,
)
# A listicle headline whose status covers every show it lists: "10 Shows Canceled in 2023".
LISTICLE = re.compile(
    rf"\b(?:\d+|every|all|these)\s+(?:[\w-]+\s+){{0,3}}?(?:tv\s+)?(?:shows?|series|dramas|comedies|"
    rf"sitcoms)\b[^:?]*?\b(?:{_LABELS}|canceled)\b",
    re.I,
)
LISTICLE_NUMBER = re.compile(r"\s*(?:#|No\.\s*)?\d{1,3}[.):]?\s+(?=\S)")
# A paragraph that announces the list under it: "The following shows have been cancelled:".
LIST_INTRO = re.compile(
    r"[^.!?]{0,80}\b(?:shows?|series|titles|these|following|list|sitcoms|dramas|comedies|ones)\b"
    r"[^.!?]{0,80}:\s*$",
    re.I,
)
# A show's network in its fact box: "Network: ITV".
NETWORK_FACT = re.compile(
    r"\s*(?:original\s+)?(?:network|channel|platform|streamer|broadcaster)\s*[:\u2013\u2014-]\s*(.{1,40})",
    re.I,
)
# A show's season count in its fact box: "Number of seasons: 3".
SEASON_COUNT = re.compile(
    r"\s*(?:number\s+of\s+seasons|seasons(?:\s+(?:aired|so\s+far))?|total\s+seasons)"
    r"\s*[:\u2013\u2014-]\s*(\d{1,2})\s*",
    re.I,
)
WORD = re.compile(r"\w")
FIELD_HEADING = re.compile(
    r"\s*(?:created\s+by|creators?|cast|starring|stars|genre|network|aired|seasons|episodes|"
    r"where\s+to\s+watch|runtime|rating)\s*:",
    re.I,
)
MAX_ARTICLE_TEXT = 200_000  # characters of body text read per article


TOPIC_SWITCH = re.compile(
    r"\s*(?:also|elsewhere|meanwhile|in other news|other news|separately|briefly|and finally|"
    r"quick hits?|in brief)\b",
    re.IGNORECASE,
)


NETWORK_ANAPHOR_CUE = re.compile(r"\b(?:network|channel|streamer|broadcaster|service|cabler)\b")


def article_claims(
    article: Article, published: str | None, known_titles: Iterable[str] = ()
) -> list[Claim]:
    """Every claim one article makes, before consolidation."""
    book = build_inventory(article, known_titles)
    lede = next((b.text for b in article.blocks if b.kind == "text"), "")
    networks = find_networks(article.headline) or find_networks(lede)
    page_network = networks[0][2] if networks else None
    context = Context(book, book.subject, published, page_network, {}, article.headline)
    context.body = "\n".join(b.text for b in article.blocks)[:MAX_ARTICLE_TEXT]
    context.headline_seasons = headline_seasons(article.headline, book)
    claims: list[Claim] = []
    for part in re.split(r"(?<=\?)\s+", article.headline):
        if part and not part.rstrip().endswith("?"):
            claims.extend(sentence_claims(part, context, HEADLINE, headline=True))
    listicle = LISTICLE.search(article.headline) and not article.headline.rstrip().endswith("?")
    statuses = {status for status, pattern in STATUS_CELL if pattern.search(article.headline)}
    headline_status = statuses.pop() if listicle and len(statuses) == 1 else None
    section_status, list_status, heading_status = headline_status, None, None
    season_counts: dict[str, int] = {}
    listed_shows: set[str] = set()  # the shows a listicle's numbered headings name
    in_run = False
    budget = MAX_ARTICLE_TEXT
    for block in article.blocks:
        budget -= len(block.text)
        if budget < 0:
            break  # a news article is far shorter; the rest of a huge page is not read
        if not WORD.search(block.text) or legend(block.text):
            continue  # a "-" or bullet between list entries, or a key to the statuses
        heading_field = field_line(block.text, context) if block.kind == "heading" else []
        if heading_field:  # "<h2>Arrow - Renewed for season 7</h2>"
            claims.extend(heading_field)
            context.focus = heading_field[0].show
            continue
        if block.kind == "heading" and SEASON_FIELD.match(block.text):
            continue  # "Season 2 Ordered: ..." with no show's heading above it
        if block.kind == "heading" and FIELD_HEADING.match(block.text):
            continue  # "Creator: X", "Cast: Y" under a show's heading keep its section
        label = STATUS_HEADING.fullmatch(block.text) if block.kind == "heading" else None
        titled = heading_title(block.text, book) if block.kind == "heading" else None
        run_status = heading_status or (section_status if in_run else None)
        if run_status and titled and not label:  # "<h2>Cancelled:</h2><h2>X</h2><h2>Y</h2>"
            own = entry_status(block.text[block.text.find(titled) + len(titled) :], run_status)
            claims.extend(listed_claims(titled, own, context, True))
            continue
        in_run = bool(label)  # a status label, then entries one heading or paragraph each
        heading_status = cell_status(block.text) if label else None
        if block.kind == "heading":
            context.focus = titled or book.subject
            numbered = LISTICLE_NUMBER.match(block.text)
            if headline_status and numbered and not FIELD_NAME.match(block.text[numbered.end() :]):
                heading = block.text[numbered.end() :]
                listed = listed_claims(heading, headline_status, context, True)
                listed_shows.update(claim.show for claim in listed)
                claims.extend(listed)
            named = find_networks(block.text)
            if named or not label:  # "<h2>ABC</h2><h2>Cancelled:</h2>": still ABC's
                context.fallback_network = named[0][2] if named else page_network
            section_status = cell_status(block.text) if label else None
            continue
        if block.kind == "table":
            claims.extend(table_claims(block, context))
            continue
        if block.kind in {"furniture", "caption"}:
            continue
        if block.kind != "item":
            list_status = None
        fact = NETWORK_FACT.fullmatch(block.text)
        if fact and find_networks(fact.group(1)):
            context.fallback_network = find_networks(fact.group(1))[0][2]
            continue
        count = SEASON_COUNT.fullmatch(block.text)
        if count and (context.focus or book.subject):
            season_counts[context.focus or book.subject] = int(count.group(1))
            continue
        intro = _list_intro(block.text, context)
        if intro:  # over the list items or title headings below
            list_status = heading_status = intro
            continue
        saved = context.focus
        if block.lead and not block.lead.endswith(":") and plausible(tidy(block.lead), marked=True):
            context.focus = book.canonical(tidy(block.lead))
        elif block.lead and TOPIC_SWITCH.match(block.lead):
            context.focus = None  # "Also this week: ..." leaves the section's show
        found = []
        labelled = STATUS_LABEL.match(block.text)
        field = field_line(block.text, context)
        if labelled and cell_status(labelled.group(1)):
            found = listed_claims(labelled.group(2), cell_status(labelled.group(1)), context)
        elif field:
            found = field
        elif not has_cue(block.text):  # no wording at all: only its networks matter later
            named = find_networks(block.text) if NETWORK_ANAPHOR_CUE.search(block.text) else []
            context.last_network = named[-1][2] if named else context.last_network
        else:
            context.local = None
            sentences = split_sentences(block.text)
            for index, sentence in enumerate(sentences):
                if RELATED.match(sentence):
                    continue  # "... above. Also read: NBC axes X and Y."
                read = sentence_claims(sentence, context, FIRM, headline=block.kind == "item")
                if index + 1 < len(sentences) and denies(sentences[index + 1]):
                    read = []  # "Last week we wrote that X was cancelled. It was not."
                if not read and index and found:
                    _seasons_told_next(found, sentence, context)
                found.extend(read)
                if index + 1 < len(sentences):
                    told = read[-1].show if read else None  # "X was axed. Netflix revived it"
                    context.local = local_topic(sentence, context) or told or context.local
                named = find_networks(sentence) if NETWORK_ANAPHOR_CUE.search(block.text) else []
                context.last_network = named[-1][2] if named else context.last_network
            context.local = None
        label = list_status or section_status
        if not found and label and block.kind == "item":
            found = listed_claims(block.text, label, context, first_only=True)
        elif not found and section_status and title_list(block.text):
            found = listed_claims(block.text, section_status, context)
            in_run = True
        claims.extend(found)
        context.focus = saved if not block.lead else context.focus
    if headline_status:  # "10 Shows Cancelled After One Season": the headline's season
        found = arithmetic(headline_status, find_seasons(article.headline))
        for claim in claims:
            if (
                claim.status == headline_status
                and claim.season is None
                and found
                and (claim.show in listed_shows)
            ):
                claim.season = found[0]
    return _counted_seasons(claims, season_counts)


def _seasons_told_next(claims: list[Claim], sentence: str, context: Context) -> None:
    """ "Fox has cancelled X. The call came after the season 4 finale.": a sentence that
    names no other show gives a season to the previous sentence's claims that had none."""
    mentions = find_seasons(sentence)
    pattern = context.book.pattern()
    if not mentions or QUOTED.search(sentence) or (pattern and pattern.search(sentence)):
        return
    for claim in claims:
        if claim.season is None and claim.confidence >= FIRM and claim.status != "pending":
            claim.season = (arithmetic(claim.status, mentions) or [None])[0]


def _counted_seasons(claims: list[Claim], counts: dict[str, int]) -> list[Claim]:
    """A claim with no season takes it from its show's season count ("Number of seasons: 3"
    and "Status: Cancelled" is cancelled, season 4)."""
    for claim in claims:
        if claim.season is None and claim.show in counts:
            aired = SeasonMention(0, 0, "aired", [counts[claim.show]])
            claim.season = (arithmetic(claim.status, [aired]) or [None])[0]
    return claims


def _list_intro(text: str, context: Context) -> str | None:
    """The status of a paragraph whose last sentence announces the list below it ("...here
    are the shows with their fates still undecided:"), or of a bare "Cancelled:" label."""
    if not text.rstrip().endswith(":"):
        return None
    if STATUS_HEADING.fullmatch(text):
        return cell_status(text)  # "Cancelled:"
    text = re.split(r"[,;]\s+", split_sentences(text)[-1])[-1]  # "..., here are the shows:"
    if not LIST_INTRO.fullmatch(text) or not cell_status(text):
        return None
    pattern = context.book.pattern()
    named = QUOTED.search(text) or (pattern and pattern.search(text))
    return None if named else cell_status(text)
