"""Stage 5a: argument linking, which show a frame is about: the title on the side its role
names, every title coordinated with it ("renewed X, Y and Z"), and what a back-reference
("the series", "it") resolves to."""

import re

from pipelines.extraction.context import Context
from pipelines.extraction.frames import Frame
from pipelines.extraction.networks import NETWORK_RE
from pipelines.extraction.seasons import find_seasons
from pipelines.extraction.titles import (
    ANAPHOR,
    CAPSEQ,
    OTHER_PRODUCTION,
    QUOTED,
    Mention,
    capitalised_run,
    plausible,
    tidy,
)

SLOT_BREAK = re.compile(
    r"\b(?:after|following|since|when|while|because|but|as|with|before|although|though|"
    r"and|which|who|that|for|at|by|rights|library|reruns|distribution|streaming)\b|[;:]"
)


APPOSITIVE_START = r"\s*(?:its|the|a|an|his|her|their|[A-Z][\w.+&-]*'s)\b"


RELATIVE_TAIL = re.compile(r",?\s*\b(?:which|who|that)\s+(?:[\w'-]+\s+){0,3}$", re.IGNORECASE)


LABELLED = re.compile(r"(.+?)\s*(?:\([^)]{0,40}\))?\s*[:\u2014\u2013-]\s*")


LABEL_GAP = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*[:\u2014\u2013-]\s*")


NAMED_PRODUCTION = re.compile(
    r"\b(?:its|the|a|an|their)\s+(?:\w+\s+)?(?:spin-?offs?|spinoffs?|prequel|sequel|companion)"
    r"(?:\s+series)?\s*,?\s*$",
    re.IGNORECASE,
)


# "X, a prequel series starring ...": the show ordered is a new one.
NEW_PRODUCTION = re.compile(
    r"\s*,\s*(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,2}?(?:prequel|sequel|spin-?off|spinoff|"
    r"reboot|companion|new\s+(?:series|show|drama|comedy|thriller))\b"
    r"|\s+(?:starring|created\s+by|from\s+(?:creator|writer|producer)s?)\b",  # "X starring Y"
    re.IGNORECASE,
)


ORDERING = re.compile(r"\border|\bgreen|\bpick", re.IGNORECASE)


COMPARED = re.compile(
    r"\b(?:like|unlike|than|from|behind|(?<!done )with|as|to|after|before|since|including|"
    r"(?:known|famous|best known|nominated|praised) for|(?:starred|starring|appeared|"
    r"appearing|worked|working) (?:in|on)|(?:star|alum|veteran|creator|co-creator|"
    r"showrunner|writer|director|producer) of)\s+$",
    re.I,
)


PENDING_TOPIC = re.compile(r"\s*(?:on|about|regarding)\s[^,;]*\bof\b", re.IGNORECASE)


# "Status: Renewed for season 3" under a show's heading: the label names no show.
FIELD_LABEL = re.compile(
    r"\s*(?:(?:current\s+|renewal\s+)?status|(?:the\s+)?verdict|decision|fate|outcome|result)"
    r"\s*[:\u2014\u2013-]\s*",
    re.IGNORECASE,
)


PLURAL_GENRE = re.compile(
    r"^\s*(?:the|its|their|both|two|three|four)\s+(?:[\w-]+\s+){0,3}?(?:shows|series|dramas|"
    r"comedies|sitcoms|thrillers|originals|procedurals|newcomers|freshmen)\s+(?=[A-Z0-9])"
    r"|^\s*(?:[\w-]+\s+){0,2}?(?:shows|series|dramas|comedies|sitcoms|favou?rites|titles)\s+"
    r"(?:like|such\s+as|including)\s+(?=[A-Z0-9])"  # "cancelled shows like X, Y and Z"
)
# "X's upcoming fourth season will be its last": the show owns the season the frame is about.
TELEGRAPHIC = re.compile(r"[\s,\"'*]*")
PARTICIPLE = re.compile(r"ed\b", re.IGNORECASE)
NETWORK_SUBJECT = re.compile(
    rf"\s*(?:the\s+)?(?:{NETWORK_RE.pattern})\s+(?:(?:has|have|had|officially|also|quietly|finally|"
    r"just|then|ultimately)\s+)*"
)
CLAUSE_SUBJECT = re.compile(
    rf"\s*(?:the\s+)?({CAPSEQ.pattern})\s+(?:will|has|have|had|is|are|was|were|would|gets?|got|"
    r"(?-i:[a-z]+ed))\b"
)
NAMED_AFTER = re.compile(r"\s*(?:to|for|of)\s+")
APPOSITIVE_AFTER = re.compile(r"""^[\s"']*,[^,]{1,120},[\s"']*""")
WHICH_GAP = re.compile(r"^,\s*(?:which|that)\s+")  # "X, which was renewed in January"
POSSESSIVE = re.compile(r"['\u2019]s$")
OWN_SEASON_GAP = re.compile(
    r"^['\u2019]s\s+(?:[\w-]+\s+){0,3}(?:season|series)(?:\s+\d+)?\s+(?:(?:has|have|had|is|was|"
    r"will|would|be|been|also|now|officially)\s+)*$",
    re.IGNORECASE,
)
AUX_GAP = re.compile(
    r"^\s*(?:(?:has|have|had|is|was|were|are|will|would|to|been|be|also|officially|now|just|"
    r"finally|reportedly|already|quietly|formally|being|set|not|all|both|each|remains?|remained|"
    r"stays?|sits|still|ended\s+up|ends\s+up)\s+)*$",
    re.IGNORECASE,
)


OWN = re.compile(r"\b(?:its|their)\b", re.IGNORECASE)


def frame_text(text: str, frame: Frame) -> str:
    return text[frame.start : frame.end]


def clause_start(text: str, position: int) -> int:
    cut = max(text.rfind(mark, 0, position) for mark in (";", " - ", "\u2014", ":", "\u2013"))
    return cut + 1 if cut >= 0 else 0


def show_mention(
    text: str, frame: Frame, mentions: list[Mention], left: int, right: int, headline: bool
) -> Mention | None:
    """The mention the frame is about, by the side its role says the show is named on."""
    after = [m for m in mentions if frame.end <= m.start < right]
    before = [m for m in mentions if m.end <= frame.start]
    if frame.role == "obj":
        gap = text[before[-1].end : frame.start] if before else ""
        if (
            headline
            and before
            and TELEGRAPHIC.fullmatch(gap)
            and PARTICIPLE.search(frame_text(text, frame))
        ):
            return before[-1]  # "'Girls' Renewed & 'Wedding Band' Canceled"
        if not after and frame.status == "pending":  # "not decided whether to renew X"
            after = [m for m in mentions if m.start >= frame.end and not m.anaphor]
        relative = re.search(
            r"(?:,\s*|\b)(?:which|that|whom)\s+(?:[\w+&-]+\s+){0,3}$",
            text[max(0, frame.start - 80) : frame.start],
        )
        if relative and before and before[-1].end <= max(0, frame.start - 80) + relative.start():
            return before[-1]  # "Westworld, which HBO cancelled last year"
        if after:
            first = after[0]
            gap = text[frame.end : first.start]
            appositive = "," not in gap or re.match(APPOSITIVE_START, gap)
            if len(gap.split()) <= 6 and not SLOT_BREAK.search(gap) and appositive:
                if first.anaphor and len(after) > 1:
                    second = after[1]
                    if re.fullmatch(r"[\s,\"']*", text[first.end : second.start]):
                        return second
                if first.anaphor and first.end > first.start:  # "the hospital drama Ward Nine"
                    named = capitalised_run(text[first.end : right])
                    if named and text.startswith(" " + named, first.end):
                        start = first.end + 1
                        return Mention(start, start + len(named), named, guessed=True)
                return first
        slot = re.sub(r"^\s*(?:officially|also|quietly)\s+", "", text[frame.end : right])
        slot = PLURAL_GENRE.sub("", slot)  # "renewed the freshman dramas X and Y"
        run = capitalised_run(slot)
        if run:
            start = text.index(run, frame.end)
            return Mention(start, start + len(run), run, guessed=True)
        gap = text[before[-1].end : frame.start] if before else ""
        telegraphic = headline and AUX_GAP.match(gap)  # "X Renewed for Season 2"
        if before and (telegraphic or LABEL_GAP.fullmatch(gap)):
            return before[-1]  # "X (Netflix) - renewed for season 2"
        head = text[: frame.start]
        bare = not head.strip(" \"'*-\u2014\u2013") or FIELD_LABEL.fullmatch(head)
        if not before and (bare or NETWORK_SUBJECT.fullmatch(head)):  # "Hulu said goodbye"
            return Mention(frame.start, frame.start, "", anaphor=True)  # "Cancelled after..."
        label = LABELLED.fullmatch(head)
        run = capitalised_run(label.group(1)) if label and not before else None
        if run and run == tidy(label.group(1)):
            return Mention(0, len(run), run, guessed=True)
        return None
    if frame.role == "subj":  # "X premiered on a network and was axed after two seasons"
        return _subject_before(text, frame, before) or _clause_subject(text, frame)
    nearest = _subject_before(text, frame, before) if before else None
    if nearest is None and not after and not FIELD_LABEL.match(text):
        nearest = (
            _subject_before(text, frame, before)  # "X remains on the bubble"
            or _clause_subject(text, frame)  # "X will return for a sixth and final season"
            or _named_after(text, frame)  # "a second-season order to X"
        )
    if nearest and nearest.anaphor and after and not after[0].anaphor:
        gap = text[frame.end : after[0].start]  # "it has no decision on a season 2 of X"
        if PENDING_TOPIC.match(gap) and len(gap.split()) <= 10 and not SLOT_BREAK.search(gap):
            return after[0]
    if not after and frame.status == "pending":  # "has not decided whether to renew X"
        after = [m for m in mentions if m.start >= frame.end and not m.anaphor]
    return nearest or (after[0] if after else Mention(frame.start, frame.start, "", True))


def _clause_subject(text: str, frame: Frame) -> Mention | None:
    """The unquoted title opening the frame's clause, followed by its verb."""
    start = clause_start(text, frame.start)
    subject = CLAUSE_SUBJECT.match(text, start, frame.start)
    run = capitalised_run(subject.group(1)) if subject else None
    if not run or not text.startswith(run, subject.start(1)):
        return None
    return Mention(subject.start(1), subject.start(1) + len(run), run, guessed=True)


def _named_after(text: str, frame: Frame) -> Mention | None:
    """The unquoted title a wording hands its decision to: "an early renewal for X"."""
    lead = NAMED_AFTER.match(text, frame.end)
    run = capitalised_run(text[lead.end() :]) if lead else None
    if not run or not text.startswith(run, lead.end()):
        return None
    return Mention(lead.end(), lead.end() + len(run), run, guessed=True)


def _subject_before(text: str, frame: Frame, before: list[Mention]) -> Mention | None:
    """The show named before a passive or intransitive wording, skipping appositives."""
    if not before:
        head = text[: frame.start]
        runs = [
            m.group()
            for m in CAPSEQ.finditer(head)
            if AUX_GAP.match(head[m.end() :])
            or OWN_SEASON_GAP.match(head[m.end() - 2 :])
            or AUX_GAP.match(WHICH_GAP.sub("", head[m.end() :], count=1))
        ]
        run = capitalised_run(POSSESSIVE.sub("", runs[-1])) if runs else None
        if run:
            start = head.rfind(run)
            return Mention(start, start + len(run), run, guessed=True)
        return None
    head = text[: frame.start]
    relative = RELATIVE_TAIL.search(head[-60:])
    if relative:  # "check out Green Cove, which was renewed"
        cut = len(head) - len(head[-60:]) + relative.start()
        antecedent = [m for m in before if m.end <= cut]
        if antecedent and not head[antecedent[-1].end : cut].strip():
            return antecedent[-1]
    appositive = re.search(r",[\"']?[^,]{1,120},[\"']?\s*(?:\w+\s+){0,3}$", head)
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


def resolve(
    mention: Mention | None,
    context: Context,
    text: str,
    frame: Frame,
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
        if earlier and clause_start(text, mention.start) > earlier[-1].end:
            return context.book.canonical(earlier[-1].title)  # "X is done; the comedy's fate"
        if context.local:
            return context.local  # "There was better news for X. The drama was picked up"
        if context.focus:
            return context.focus
        earlier = [m for m in mentions if not m.anaphor and m.end <= mention.start]
        return context.book.canonical(earlier[-1].title) if earlier else None
    ordered = frame.status == "renewed" and ORDERING.search(text[frame.start : frame.end])
    new_show = ordered and not find_seasons(text)  # an order with no season: maybe a new show
    if new_show and NEW_PRODUCTION.match(text, mention.end):
        return None  # "Prime Video has ordered X, a prequel series ..."
    if mention.end <= frame.start:  # an appositive says what the show is, not another one
        between = APPOSITIVE_AFTER.sub(" ", text[mention.end : frame.start], count=1)
    else:
        between = text[frame.end : mention.start]
        if NAMED_PRODUCTION.search(between):
            if new_show:
                return None  # "Max has ordered a prequel series, X"
            between = ""  # "its spin-off All American: Homecoming": the title names it
    if OTHER_PRODUCTION.search(between) or OTHER_PRODUCTION.match(
        text[mention.end : mention.end + 20].lstrip(" ,")
    ):
        return None  # "a Community movie", "a series set in the X universe"
    return context.book.canonical(mention.title)


def local_topic(sentence: str, context: Context) -> str | None:
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
