"""Claim extraction: which show, which season, which status, read from one article page.

The public entry points are `extract_claims` (an `ArticlePage` in, claims out) and
`extract_file` (the `renewals extract` record for a saved page). Everything works from the
cleaned `body_html`, so stored articles can be re-extracted without the original page.
"""

import re
from collections import Counter
from dataclasses import dataclass

from crawler.page import ArticlePage, parse_article
from pipelines.extraction.blocks import Article, Block, clean, read_articles
from pipelines.extraction.dates import find_date_phrases, parse_phrase
from pipelines.extraction.networks import find_networks
from pipelines.extraction.seasons import SeasonMention, find_seasons
from pipelines.extraction.sentences import split_sentences
from pipelines.extraction.tables import cell_status, table_rows
from pipelines.extraction.titles import (
    ANAPHOR,
    CAPSEQ,
    OTHER_PRODUCTION,
    QUOTED,
    Mention,
    TitleBook,
    capitalised_run,
    find_mentions,
    heading_title,
    headline_titles,
    plausible,
    tidy,
)
from pipelines.extraction.triggers import Trigger, find_triggers, normalise

# "Renewed: X, Y" / a "Cancelled" heading over a list of shows.
_LABELS = (
    r"renewed|cancell?ed|canceled|axed|ended|ending|final seasons?|ending soon|pending|"
    r"undecided|on the bubble|awaiting (?:word|a decision)|no decision yet|still undecided"
)
STATUS_LABEL = re.compile(rf"^\s*((?:{_LABELS})(?:\s+shows)?)\s*[:\u2014\u2013]\s*(.+)$", re.I)
STATUS_HEADING = re.compile(
    rf"\s*(?:the\s+)?(?:{_LABELS})(?:\s+(?:shows|series|so far|tv shows|in \d{{4}}))?"
    r"\s*(?:\(\d+\))?[:!]?\s*",
    re.I,
)
MAX_ARTICLE_TEXT = 200_000  # characters of body text read per article
FIRM = 0.9
HEADLINE = 0.85
TABLE = 0.85
HEDGED = 0.3
# Hedges anywhere in the clause before the wording...
HEDGE = re.compile(
    r"\b(?:could|might|should|hopes?|hoped|hoping|rumou?r\w*|reportedly|speculat\w*|in talks|"
    r"wish\w*|would love|claims?|claim(?:ing|ed)|false(?:ly)? report\w*|petition\w*|fans? want|"
    r"campaign\w*)\b|(?-i:\bmay\b)",
    re.IGNORECASE,
)
# ...and weaker ones only between the last comma and the wording ("as expected, X renewed").
NEAR_HEDGE = re.compile(
    r"\b(?:likely|unlikely|probably|possibly|perhaps|suggests?|predict\w*|expect\w*|chances?|"
    r"odds|efforts?|bid|fight\w*|trying|attempt\w*|plans? to|wants? to|push)\b[^,]*$",
    re.IGNORECASE,
)
# A condition hedges only the clause it opens: "If you missed it, X was renewed" is firm.
NETWORK_ANAPHOR = re.compile(
    r"\b(?:the|that)\s+(?:\w+\s+)?(?:network|channel|streamer|broadcaster|service|cabler)\b",
    re.IGNORECASE,
)
CONDITIONAL = re.compile(r"\b(?:if|whether|unless|until)\b[^,;]*$", re.IGNORECASE)
CLAUSE_END = re.compile(r";|\s[\u2014\u2013]\s|,\s+(?:while|but|whereas|although|and)\b")
FALSE_REPORT = re.compile(
    r"\b(?:incorrectly|wrongly|falsely|erroneously|mistakenly|inaccurately|not true|fake|hoax|"
    r"(?:an\s+)?earlier version of th(?:is|e) (?:story|article|post|report))\b",
    re.IGNORECASE,
)
PENDING_TOPIC = re.compile(r"\s*(?:on|about|regarding)\s[^,;]*\bof\b", re.IGNORECASE)
LIMITED = re.compile(r"\b(?:limited|mini-?series)\b", re.IGNORECASE)
SLOT_BREAK = re.compile(
    r"\b(?:after|following|since|when|while|because|but|as|with|before|although|though|"
    r"and|which|who|that|for|at|by|rights|library|reruns|distribution|streaming)\b|[;:]"
)
APPOSITIVE_START = r"\s*(?:its|the|a|an|his|her|their|[A-Z][\w.+&-]*'s)\b"
RELATIVE_TAIL = re.compile(r",?\s*\b(?:which|who|that)\s+(?:[\w'-]+\s+){0,3}$", re.IGNORECASE)
LABELLED = re.compile(r"(.+?)\s*(?:\([^)]{0,40}\))?\s*[:\u2014\u2013-]\s*")
# What a "has been confirmed" is about when it is not a renewal.
DETAIL = re.compile(
    r"\b(?:premiere|date|cast|casting|trailer|release|title|details|plot|episodes?|return date|"
    r"showrunner|director|writer|poster|teaser|filming|production)\b",
    re.IGNORECASE,
)
LABEL_GAP = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*[:\u2014\u2013-]\s*")
NAMED_PRODUCTION = re.compile(
    r"\b(?:its|the|a|an|their)\s+(?:\w+\s+)?(?:spin-?offs?|spinoffs?|prequel|sequel|companion)"
    r"(?:\s+series)?\s*,?\s*$",
    re.IGNORECASE,
)
# "X, a prequel series starring ...": the show ordered is a new one.
NEW_PRODUCTION = re.compile(
    r"\s*,\s*(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,2}?(?:prequel|sequel|spin-?off|spinoff|"
    r"reboot|companion|new\s+(?:series|show|drama|comedy|thriller))\b",
    re.IGNORECASE,
)
ORDERING = re.compile(r"\border|\bgreen|\bpick", re.IGNORECASE)
# A headline that opens like a question asks even without its question mark.
ASKING = re.compile(r"\s*(?:is|are|was|were|has|have|will|does|did|could|would|should|can)\s", re.I)
COMPARED = re.compile(
    r"\b(?:like|unlike|than|from|behind|(?<!done )with|as|to|after|before|since|including|"
    r"(?:known|famous|best known|nominated|praised) for|(?:starred|starring|appeared|"
    r"appearing|worked|working) (?:in|on)|(?:star|alum|veteran|creator|co-creator|"
    r"showrunner|writer|director|producer) of)\s+$",
    re.I,
)
TOPIC_SWITCH = re.compile(
    r"\s*(?:also|elsewhere|meanwhile|in other news|other news|separately|briefly|and finally|"
    r"quick hits?|in brief)\b",
    re.IGNORECASE,
)
# "several freshman dramas are on the bubble": a claim about shows the sentence does not name.
UNNAMED_PLURAL = re.compile(
    r"(?:on\s+|about\s+|for\s+)?\b(?:several|many|some|most|a few|few|a couple of|a number of|"
    r"a handful of|a slew of|both|other|various|numerous|two|three|four|five)\s+"
    r"(?:[\w'-]+\s+){0,3}?"
    r"(?:shows|series|dramas|comedies|sitcoms|thrillers|titles|programmes|programs|"
    r"newcomers|rookies|freshmen|originals)\b",
    re.IGNORECASE,
)
# "whose second season was left in limbo": a past state told in passing, not a report.
PAST_RELATIVE = re.compile(r"\bwhose\b[^,;]*\b(?:was|were|had)\b[^,;]*$", re.IGNORECASE)
NETWORK_ANAPHOR_CUE = re.compile(r"\b(?:network|channel|streamer|broadcaster|service|cabler)\b")
RELATIVE_ASIDE = re.compile(r",\s*(?:whose|which)\b[^,;]*,")
OWN = re.compile(r"\b(?:its|their)\b", re.IGNORECASE)
# "Status: Renewed for season 3" under a show's heading: the label names no show.
FIELD_LABEL = re.compile(
    r"\s*(?:(?:current\s+|renewal\s+)?status|(?:the\s+)?verdict|decision|fate|outcome|result)"
    r"\s*[:\u2014\u2013-]\s*",
    re.IGNORECASE,
)
CLAUSE_JOIN = re.compile(
    r";|,\s+(?:while|but|whereas|although|and)\s+(?=\S+\s+(?:has|have|is|was))"
)
FANS = re.compile(r"\b(?:fans|viewers)\b[^.]{0,40}$", re.IGNORECASE)
# "the cancelled series X", "a renewed push": the wording describes, it does not report.
ATTRIBUTIVE = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:recently\s+|now[\s-])?$", re.I
)
AUX_GAP = re.compile(
    r"^\s*(?:(?:has|have|had|is|was|were|are|will|would|to|been|be|also|officially|now|just|"
    r"finally|reportedly|already|quietly|formally|being|set|not)\s+)*$",
    re.IGNORECASE,
)


@dataclass
class Claim:
    show: str
    season: int | None
    status: str  # renewed | cancelled | ending | pending
    network: str | None
    announced: str | None  # ISO date, YYYY-MM or YYYY
    confidence: float
    evidence: str


@dataclass
class _Context:
    book: TitleBook
    focus: str | None
    published: str | None
    fallback_network: str | None
    headline_seasons: dict[str, int]
    headline: str = ""
    last_network: str | None = None
    body: str = ""
    local: str | None = None  # the show the paragraph's previous sentences named


def extract_file(path: str, url: str | None = None) -> list[dict]:
    """The `renewals extract` records for one saved page; OSError if it cannot be read."""
    with open(path, "rb") as handle:
        return extract_page(handle.read(), path, url)


def extract_page(data: bytes, path: str, url: str | None = None) -> list[dict]:
    """The `renewals extract` records for one page's bytes, read from `path`."""
    page = parse_article(data, url)
    return [
        {
            "file": path,
            "url": page.url,
            "show": claim.show,
            "season": claim.season,
            "status": claim.status,
            "network": claim.network,
            "announced": claim.announced,
            "published": page.published,
            "confidence": claim.confidence,
            "evidence": claim.evidence,
        }
        for claim in extract_claims(page)
    ]


def extract_claims(page: ArticlePage) -> list[Claim]:
    """All claims an article makes, deduplicated; never raises on odd input."""
    try:
        articles = read_articles(page.body_html, page.title)
    except Exception:  # noqa: BLE001 - a broken stored fragment yields no claims
        return []
    claims: list[Claim] = []
    for article in articles:
        try:
            claims.extend(_article_claims(article, page.published))
        except Exception:  # noqa: BLE001 - one odd article must not stop a crawl
            continue
    return _consolidate(claims)


def _article_claims(article: Article, published: str | None) -> list[Claim]:
    book = _title_book(article)
    lede = next((b.text for b in article.blocks if b.kind == "text"), "")
    networks = find_networks(article.headline) or find_networks(lede)
    page_network = networks[0][2] if networks else None
    context = _Context(book, book.subject, published, page_network, {}, article.headline)
    context.body = "\n".join(b.text for b in article.blocks)[:MAX_ARTICLE_TEXT]
    context.headline_seasons = _headline_seasons(article.headline, book)
    claims: list[Claim] = []
    for part in re.split(r"(?<=\?)\s+", article.headline):
        if part and not part.rstrip().endswith("?"):
            claims.extend(_sentence_claims(part, context, HEADLINE, headline=True))
    section_status = None
    budget = MAX_ARTICLE_TEXT
    for block in article.blocks:
        budget -= len(block.text)
        if budget < 0:
            break  # a news article is far shorter; the rest of a huge page is not read
        if block.kind == "heading":
            context.focus = heading_title(block.text, book) or book.subject
            named = find_networks(block.text)
            context.fallback_network = named[0][2] if named else page_network
            label = STATUS_HEADING.fullmatch(block.text)
            section_status = cell_status(block.text) if label else None
            continue
        if block.kind == "table":
            claims.extend(_table_claims(block, context))
            continue
        saved = context.focus
        if block.lead and not block.lead.endswith(":") and plausible(tidy(block.lead), marked=True):
            context.focus = book.canonical(tidy(block.lead))
        elif block.lead and TOPIC_SWITCH.match(block.lead):
            context.focus = None  # "Also this week: ..." leaves the section's show
        found = []
        labelled = STATUS_LABEL.match(block.text)
        if labelled and cell_status(labelled.group(1)):
            found = _listed_claims(labelled.group(2), cell_status(labelled.group(1)), context)
        else:
            context.local = None
            sentences = split_sentences(block.text)
            for index, sentence in enumerate(sentences):
                found.extend(
                    _sentence_claims(sentence, context, FIRM, headline=block.kind == "item")
                )
                if index + 1 < len(sentences):
                    context.local = _local_topic(sentence, context) or context.local
                named = find_networks(sentence) if NETWORK_ANAPHOR_CUE.search(block.text) else []
                context.last_network = named[-1][2] if named else context.last_network
            context.local = None
        if not found and section_status and block.kind == "item":
            found = _listed_claims(block.text, section_status, context, first_only=True)
        claims.extend(found)
        context.focus = saved if not block.lead else context.focus
    return claims


def _listed_claims(
    text: str, status: str, context: _Context, first_only: bool = False
) -> list[Claim]:
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
        seasons = _arithmetic(status, find_seasons(tail)) or [None]
        networks = find_networks(tail)
        network = networks[0][2] if networks else context.fallback_network
        show = context.book.canonical(mention.title)
        claims.extend(
            Claim(show, season, status, network, None, TABLE, clean(text)) for season in seasons
        )
    return claims


def _title_book(article: Article) -> TitleBook:
    """Collect the titles this article names, and decide its subject."""
    book = TitleBook()
    body = "\n".join(b.text for b in article.blocks)
    from_headline = [t for t in headline_titles(article.headline, body) if book.add(t, False)]
    emphasis: Counter[str] = Counter()
    for block in article.blocks:
        for text in block.emphasis:
            title = book.add(text)
            if title:
                emphasis[title] += 1
        for match in QUOTED.finditer(block.text):
            book.add(match.group(2))
        if block.kind == "table":
            for claim in table_rows(block.rows):
                book.add(claim["show"])
    for block in article.blocks:
        if block.kind == "heading":
            book.add(heading_title(block.text, book))
        if block.lead:
            book.add(block.lead)
    if from_headline:
        book.subject = from_headline[0]
    elif emphasis:
        counts = {t: len(re.findall(rf"(?<![\w-]){re.escape(t)}(?![\w-])", body)) for t in emphasis}
        best = max(counts, key=lambda t: (counts[t], len(t)))
        book.subject = best if counts[best] >= 2 or len(emphasis) == 1 else None
    return book


def _headline_seasons(headline: str, book: TitleBook) -> dict[str, int]:
    """Season the headline asks about ("Will X Get a Season 2?"), for pending claims."""
    mentions = find_seasons(headline)
    if not mentions or not book.subject:
        return {}
    return {book.subject: mentions[0].values[0]}


def _table_claims(block: Block, context: _Context) -> list[Claim]:
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


def _sentence_claims(
    sentence: str, context: _Context, confidence: float, headline: bool = False
) -> list[Claim]:
    text = normalise(sentence, context.book.pattern())
    if text.rstrip(" \"')").endswith("?") or (headline and ASKING.match(text)):
        return []
    triggers = [  # "whose second season was left in limbo" tells a past state in passing
        t
        for t in find_triggers(text)
        if not (t.status == "pending" and PAST_RELATIVE.search(text[: t.start]))
    ]
    if not triggers:
        return []
    mentions = find_mentions(text, context.book, headline)
    season_mentions = find_seasons(text)
    masked = text
    for found in (m for m in mentions if not m.anaphor):  # "Copper Sky" names no network
        masked = masked[: found.start] + " " * (found.end - found.start) + masked[found.end :]
    claims: list[Claim] = []
    for index, trigger in enumerate(triggers):
        tail = text[max(0, trigger.start - 60) : trigger.start]
        if trigger.status == "asked":
            continue
        attributive = trigger.role != "any" and ATTRIBUTIVE.search(tail)
        if "confirmed" in text[trigger.start : trigger.end].lower() and DETAIL.search(
            text[_clause_start(text, trigger.start) : trigger.start]
        ):
            continue  # "the premiere date has been confirmed"
        if trigger.negated or attributive:
            continue
        left = triggers[index - 1].end if index else 0
        right = triggers[index + 1].start if index + 1 < len(triggers) else len(text)
        mention = _show_mention(text, trigger, mentions, left, right, headline)
        clause = text[_clause_start(text, trigger.start) : trigger.start]
        unnamed = mention is not None and mention.anaphor and mention.start == mention.end
        after = text[trigger.end : trigger.end + 60]
        if unnamed and (UNNAMED_PLURAL.search(clause) or UNNAMED_PLURAL.match(after.lstrip())):
            continue
        group = _coordinated(text, mention, mentions)
        seasons = _seasons(season_mentions, text, trigger, left, right)
        if trigger.needs_season and seasons == [None]:
            continue
        decider = bool(find_networks(masked))  # "Roy rescued Ted" in a recap is no renewal
        dated = seasons != [None]
        group = [
            m
            for m in group
            if not m.guessed or _likely_show(m.title, context, headline, decider, dated)
        ]
        shows = [_resolve(m, context, text, trigger, mentions) for m in group]
        if not shows or not all(shows):
            continue
        if trigger.needs_subject and not dated:
            shows = [s for s in shows if s in (context.book.subject, context.focus)]
            if not shows:
                continue
        score = confidence
        before = text[_clause_start(text, trigger.start) : trigger.start]
        if FALSE_REPORT.search(text[: trigger.start]):
            continue
        hedged = HEDGE.search(before) or NEAR_HEDGE.search(before) or CONDITIONAL.search(before)
        if hedged or FANS.search(before[-60:]):
            score = HEDGED
        network = _network(masked, trigger, left, right)
        if network:
            context.last_network = network
        elif NETWORK_ANAPHOR.search(text[left : trigger.start]):
            network = context.last_network  # "the channel has axed X"
        announced = _announced(text, trigger, left, right, context.published)
        for show in shows:
            if network is None and (
                show in (context.book.subject, context.focus, context.local)
                or show in context.headline
            ):
                network = context.fallback_network  # the lede's network, for its own show
            numbers = seasons
            if trigger.status == "pending" and seasons == [None]:
                numbers = [context.headline_seasons.get(show)]
            claims.extend(
                Claim(show, season, trigger.status, network, announced, score, clean(sentence))
                for season in numbers
            )
    return _sentence_rules(claims)


def _likely_show(
    title: str, context: _Context, in_headline: bool, decider: bool, seasoned: bool
) -> bool:
    """Whether an unmarked capitalised run is a show rather than a person or a character:
    the headline names it, or a network acts in the sentence and a season is given or the
    body names it again. A run read in the headline itself must recur in the body."""
    count = context.body.count(title)
    if in_headline:
        return count >= 1 or seasoned
    if title in context.headline:
        return True
    return decider and (seasoned or count >= 2)


def _listed_runs(text: str, first: Mention) -> list[Mention]:
    """ "renewed Night Court, Quantum Leap and Lopez vs. Lopez": the runs after the first;
    in a comma list the last "and" separates titles rather than joining one."""
    found = []
    position = first.end
    while True:
        joiner = re.match(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)", text[position:])
        start = position + joiner.end() if joiner else position
        run = capitalised_run(text[start:]) if joiner else None
        if not run or not text.startswith(run, start):
            return found
        parts = run.split(" and ") if joiner.group().strip() == "," else [run]
        for part in parts:
            offset = text.index(part, start)
            found.append(Mention(offset, offset + len(part), part, guessed=True))
        position = start + len(run)


def _coordinated(text: str, mention: Mention | None, mentions: list[Mention]) -> list[Mention]:
    """Every title joined to the found one by and/commas ("renewed X and Y")."""
    if mention is None:
        return []
    if mention.anaphor:
        return [mention]
    if mention.guessed:
        return [mention, *_listed_runs(text, mention)]
    titles = [m for m in mentions if not m.anaphor]
    joiner = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)")
    position = next(i for i, m in enumerate(titles) if m.start == mention.start)
    start = end = position
    while start > 0 and joiner.fullmatch(text[titles[start - 1].end : titles[start].start]):
        start -= 1
    while end + 1 < len(titles) and joiner.fullmatch(text[titles[end].end : titles[end + 1].start]):
        end += 1
    group = titles[start : end + 1]
    if len(group) > 1 and not re.search(r"\band\b|&", text[group[-2].end : group[-1].start]):
        return [mention]  # "Like X, Y rushes its ending": a comma alone makes no list
    return group


def _clause_start(text: str, position: int) -> int:
    cut = max(text.rfind(mark, 0, position) for mark in (";", " - ", "\u2014", ":", "\u2013"))
    return cut + 1 if cut >= 0 else 0


def _show_mention(
    text: str, trigger: Trigger, mentions: list[Mention], left: int, right: int, headline: bool
) -> Mention | None:
    """The mention the trigger is about, by the side its role says the show is named on."""
    after = [m for m in mentions if trigger.end <= m.start < right]
    before = [m for m in mentions if m.end <= trigger.start]
    if trigger.role == "obj":
        if not after and trigger.status == "pending":  # "not decided whether to renew X"
            after = [m for m in mentions if m.start >= trigger.end and not m.anaphor]
        relative = re.search(
            r"(?:,\s*|\b)(?:which|that|whom)\s+(?:[\w+&-]+\s+){0,3}$",
            text[max(0, trigger.start - 80) : trigger.start],
        )
        if relative and before and before[-1].end <= max(0, trigger.start - 80) + relative.start():
            return before[-1]  # "Westworld, which HBO cancelled last year"
        if after:
            first = after[0]
            gap = text[trigger.end : first.start]
            appositive = "," not in gap or re.match(APPOSITIVE_START, gap)
            if len(gap.split()) <= 6 and not SLOT_BREAK.search(gap) and appositive:
                if first.anaphor and len(after) > 1:
                    second = after[1]
                    if re.fullmatch(r"\s*,?\s*", text[first.end : second.start]):
                        return second
                if first.anaphor and first.end > first.start:  # "the hospital drama Ward Nine"
                    named = capitalised_run(text[first.end : right])
                    if named and text.startswith(" " + named, first.end):
                        start = first.end + 1
                        return Mention(start, start + len(named), named, guessed=True)
                return first
        slot = re.sub(r"^\s*(?:officially|also|quietly)\s+", "", text[trigger.end : right])
        run = capitalised_run(slot)
        if run:
            start = text.index(run, trigger.end)
            return Mention(start, start + len(run), run, guessed=True)
        gap = text[before[-1].end : trigger.start] if before else ""
        telegraphic = headline and AUX_GAP.match(gap)  # "X Renewed for Season 2"
        if before and (telegraphic or LABEL_GAP.fullmatch(gap)):
            return before[-1]  # "X (Netflix) - renewed for season 2"
        head = text[: trigger.start]
        if not before and (not head.strip(" \"'*-\u2014\u2013") or FIELD_LABEL.fullmatch(head)):
            return Mention(trigger.start, trigger.start, "", anaphor=True)  # "Cancelled after..."
        label = LABELLED.fullmatch(head)
        run = capitalised_run(label.group(1)) if label and not before else None
        if run and run == tidy(label.group(1)):
            return Mention(0, len(run), run, guessed=True)
        return None
    if trigger.role == "subj":
        return _subject_before(text, trigger, before)
    nearest = _subject_before(text, trigger, before) if before else None
    if nearest and nearest.anaphor and after and not after[0].anaphor:
        gap = text[trigger.end : after[0].start]  # "it has no decision on a season 2 of X"
        if PENDING_TOPIC.match(gap) and len(gap.split()) <= 10 and not SLOT_BREAK.search(gap):
            return after[0]
    if not after and trigger.status == "pending":  # "has not decided whether to renew X"
        after = [m for m in mentions if m.start >= trigger.end and not m.anaphor]
    return nearest or (after[0] if after else Mention(trigger.start, trigger.start, "", True))


def _subject_before(text: str, trigger: Trigger, before: list[Mention]) -> Mention | None:
    """The show named before a passive or intransitive wording, skipping appositives."""
    if not before:
        head = text[: trigger.start]
        runs = [m for m in CAPSEQ.finditer(head) if AUX_GAP.match(head[m.end() :])]
        run = capitalised_run(runs[-1].group()) if runs else None
        if run:
            start = head.rfind(run)
            return Mention(start, start + len(run), run, guessed=True)
        return None
    head = text[: trigger.start]
    relative = RELATIVE_TAIL.search(head[-60:])
    if relative:  # "check out Green Cove, which was renewed"
        cut = len(head) - len(head[-60:]) + relative.start()
        antecedent = [m for m in before if m.end <= cut]
        if antecedent and not head[antecedent[-1].end : cut].strip():
            return antecedent[-1]
    appositive = re.search(r",[^,]{1,120},\s*(?:\w+\s+){0,3}$", head)
    if appositive:
        earlier = [m for m in before if m.end <= appositive.start()]
        if earlier and text[earlier[-1].end : appositive.start()].strip() == "":
            return earlier[-1]
        if re.match(r",\s*who\b", appositive.group()):  # "Jane Doe, who starred in X, will"
            before = [m for m in before if m.end <= appositive.start()]
            if not before:
                return None
    for mention in reversed(before):  # "the mystery from the team behind Dark was cancelled"
        if not re.search(
            r"\b(?:from|behind|(?<!fate )(?<!future )of|by|like|than|with|about|unlike)\s+$",
            head[max(0, mention.start - 20) : mention.start],
        ):
            return mention
    return before[-1]


def _resolve(
    mention: Mention | None,
    context: _Context,
    text: str,
    trigger: Trigger,
    mentions: list[Mention],
) -> str | None:
    """The show a mention names; "it"/"the series" is the section's or article's subject,
    or, on a page without one, the title named earlier in the same sentence."""
    if mention is None:
        return None
    if mention.anaphor:
        earlier = [
            m
            for m in mentions
            if not m.anaphor
            and not m.guessed
            and m.end <= mention.start
            and not COMPARED.search(text[max(0, m.start - 25) : m.start])
        ]
        if earlier and _clause_start(text, mention.start) > earlier[-1].end:
            return context.book.canonical(earlier[-1].title)  # "X is done; the comedy's fate"
        if context.local:
            return context.local  # "There was better news for X. The drama was picked up"
        if context.focus:
            return context.focus
        earlier = [m for m in mentions if not m.anaphor and m.end <= mention.start]
        return context.book.canonical(earlier[-1].title) if earlier else None
    ordered = trigger.status == "renewed" and ORDERING.search(text[trigger.start : trigger.end])
    new_show = ordered and not find_seasons(text)  # an order with no season: maybe a new show
    if new_show and NEW_PRODUCTION.match(text, mention.end):
        return None  # "Prime Video has ordered X, a prequel series ..."
    if mention.end <= trigger.start:
        between = text[mention.end : trigger.start]
    else:
        between = text[trigger.end : mention.start]
        if NAMED_PRODUCTION.search(between):
            if new_show:
                return None  # "Max has ordered a prequel series, X"
            between = ""  # "its spin-off All American: Homecoming": the title names it
    if OTHER_PRODUCTION.search(between) or OTHER_PRODUCTION.match(
        text[mention.end : mention.end + 20].lstrip(" ,")
    ):
        return None  # "a Community movie", "a series set in the X universe"
    return context.book.canonical(mention.title)


def _local_topic(sentence: str, context: _Context) -> str | None:
    """The show a sentence is about, for the back-references of the next one: the last title
    it names outside a comparison ("like X", "from the team behind X")."""
    pattern = context.book.pattern()
    named = [(m.start(), m.end(), m.group()) for m in pattern.finditer(sentence)] if pattern else []
    if "'" in sentence or '"' in sentence:
        named += [(m.start(2), m.end(2), tidy(m.group(2))) for m in QUOTED.finditer(sentence)]
    for start, end, title in sorted(named, reverse=True):
        if not plausible(title, marked=True):
            continue
        if OTHER_PRODUCTION.match(sentence[end : end + 20].lstrip(" ,")):
            continue
        if not COMPARED.search(sentence[max(0, start - 25) : start]):
            head = sentence[:start]
            back = [  # not a bare "it": "It was a different story for X" names a new topic
                m
                for m in ANAPHOR.finditer(head)
                if head[m.end() :].strip(" '\"") and m.group().lower() != "it"
            ]
            if back or OWN.search(head):
                return None  # "Its ratings trailed X's": still about the earlier show
            return context.book.canonical(title)
    return None


def _seasons(
    found: list[SeasonMention], text: str, trigger: Trigger, left: int, right: int
) -> list[int | None]:
    """Seasons from the trigger's own words and after it first, then shortly before it;
    not from a relative clause the trigger is outside ("X, whose first season flopped, ...")."""
    if found and ("whose" in text or "which" in text):
        asides = [
            m.span()
            for m in RELATIVE_ASIDE.finditer(text)
            if not m.start() <= trigger.start < m.end()
        ]
        found = [m for m in found if not any(a <= m.start < b for a, b in asides)]
    stop = right
    if trigger.status == "pending":  # "awaiting word from Fox on season 3", within its clause
        clause_end = CLAUSE_END.search(text, trigger.end)
        stop = clause_end.start() if clause_end else len(text)
    ahead = [m for m in found if trigger.start <= m.start < stop]
    reach = 200 if trigger.status in {"cancelled", "ending"} else 45
    window = max(left, trigger.start - reach)
    for clause in CLAUSE_JOIN.finditer(text, window, trigger.start):
        window = clause.end()  # ", and Netflix has declined to ...": not the earlier clause's
    behind = [m for m in reversed(found) if m.start >= window and m.end <= trigger.start]
    if trigger.role == "subj" and behind and not (ahead and ahead[0].start - trigger.end < 30):
        return _arithmetic(trigger.status, behind + ahead) or [None]  # "Season 3 of X is confirmed"
    return _arithmetic(trigger.status, ahead + behind) or [None]


def _arithmetic(status: str, mentions: list[SeasonMention]) -> list[int | None]:
    """SPEC season rules: the season ordered, the first one not made, the final one."""
    for index, mention in enumerate(mentions):
        if status == "renewed":
            if mention.kind == "more":
                through = next((m for m in mentions if m.kind == "through"), None)
                if through:
                    last = through.values[0]
                    return list(range(last - mention.values[0] + 1, last + 1))
                listed = next((m for m in mentions[index + 1 :] if m.kind == "ordinal"), None)
                if listed and len(listed.values) == mention.values[0]:
                    return list(listed.values)
                return []
            if mention.kind == "through":
                return list(mention.values)
            if mention.kind in {"ordinal", "bare"}:
                return list(mention.values)
            if mention.kind == "aired":
                return [mention.values[-1] + 1]
        elif status == "cancelled":
            if mention.kind in {"after", "count", "aired"}:
                return [mention.values[-1] + 1]
            if mention.kind in {"ordinal", "bare"}:
                return [mention.values[0]]
        elif status == "ending":
            if mention.kind in {"ordinal", "bare", "after", "count", "aired"}:
                return [mention.values[-1]]
        elif mention.kind in {"ordinal", "bare"}:
            return [mention.values[0]]
        elif mention.kind in {"aired", "after", "count"}:
            return [mention.values[-1] + 1]
    return []


def _network(text: str, trigger: Trigger, left: int, right: int) -> str | None:
    """Who decided: "moves to X" or "by/on X" after the wording, else the nearest one before."""
    inside = find_networks(text[trigger.start : trigger.end])
    if inside:
        return inside[0][2]  # "Peacock has ended X"
    following = find_networks(text[trigger.end : right])
    for start, _, name in following:
        lead = text[trigger.end : trigger.end + start]
        if re.fullmatch(r"\s*(?:the\s+)?", lead) or (
            trigger.role == "subj" and re.search(r"\b(?:by|on|at|from)\s+(?:the\s+)?$", lead)
        ):
            return name
    before = find_networks(text[left : trigger.start]) or find_networks(text[: trigger.start])
    if before:
        return before[-1][2]
    clause_end = CLAUSE_END.search(text, trigger.end, right)
    if clause_end:  # "a decision on X is still to come, while CBS ...": CBS is not X's
        following = [f for f in following if trigger.end + f[0] < clause_end.start()]
    return following[0][2] if following else None


def _announced(
    text: str, trigger: Trigger, left: int, right: int, published: str | None
) -> str | None:
    clause_end = CLAUSE_END.search(text, trigger.end, right)
    right = clause_end.start() if clause_end else right
    phrases = find_date_phrases(text[left:right])
    if not phrases:
        return None
    anchor = trigger.start - left
    offset, phrase = min(phrases, key=lambda p: abs(p[0] - anchor))
    return parse_phrase(phrase, published)


def _sentence_rules(claims: list[Claim]) -> list[Claim]:
    """A final season ordered is `ending` only; a cancelled show's "final chapter" was hoped;
    a limited series that "will not return" has ended rather than been cancelled."""
    shows_ending = {c.show for c in claims if c.status == "ending"}
    shows_cancelled = {c.show for c in claims if c.status == "cancelled" and c.confidence >= 0.5}
    kept = []
    for claim in claims:
        limited = re.search(r"\b(?:limited series|miniseries)\b", claim.evidence, re.IGNORECASE)
        if claim.status == "renewed" and claim.show in shows_ending:
            continue
        if claim.status == "ending" and claim.show in shows_cancelled and not limited:
            continue
        if claim.status == "cancelled" and claim.show in shows_ending and limited:
            continue
        kept.append(claim)
    return kept


def _limited_rules(claims: list[Claim]) -> list[Claim]:
    """A limited series that concluded is `ending`, not cancelled ("There won't be a season 2"),
    and when a season is ruled out ("no season 2"), the one before it is the final one."""
    limited = {
        _key(c.show)
        for c in claims
        if c.status == "ending" and c.confidence >= 0.5 and LIMITED.search(c.evidence)
    }
    if not limited:
        return claims
    ruled_out = {
        _key(c.show): c.season
        for c in claims
        if c.status == "cancelled" and _key(c.show) in limited and c.season
    }
    kept = []
    for claim in claims:
        key = _key(claim.show)
        if key in limited and claim.status == "cancelled":
            continue
        if claim.status == "ending" and claim.season is None and ruled_out.get(key, 0) > 1:
            claim.season = ruled_out[key] - 1
        kept.append(claim)
    return kept


def _key(show: str) -> str:
    text = re.sub(r"[\"'\u2018\u2019\u201c\u201d]", "", show.lower())
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def _consolidate(claims: list[Claim]) -> list[Claim]:
    """One claim per (show, status, season), the most confident; drop season-less repeats."""
    claims = _limited_rules(claims)
    best: dict[tuple[str, str, int | None], Claim] = {}
    for claim in claims:
        key = (_key(claim.show), claim.status, claim.season)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
        elif claim.confidence == best[key].confidence:  # the same claim read twice
            best[key].network = best[key].network or claim.network
            best[key].announced = best[key].announced or claim.announced
    seasoned = {(k[0], k[1]) for k, c in best.items() if k[2] is not None and c.confidence >= 0.5}
    ending = {(k[0], k[2]) for k, c in best.items() if k[1] == "ending" and c.confidence >= 0.5}
    ended = {show for show, _ in ending}
    decided = {(k[0], k[2]) for k, c in best.items() if k[1] == "renewed" and c.confidence >= 0.5}
    result = []
    for key, claim in best.items():
        if key[2] is None and (key[0], key[1]) in seasoned:
            continue
        if key[1] == "pending" and key[2] is not None and (key[0], key[2]) in decided:
            continue  # "Season 4 is locked in ... awaiting word on how Season 4 performs"
        if key[1] == "renewed" and (
            (key[0], key[2]) in ending or (key[2] is None and key[0] in ended)
        ):
            continue
        vague = best.get((key[0], key[1], None))
        if vague is not None and vague is not claim:  # "cancelled in March" + "season 3 is off"
            claim.announced = claim.announced or vague.announced
            claim.network = claim.network or vague.network
        result.append(claim)
    return result
