"""Show titles: which strings on a page are titles, and what "the series" or "it" refers to.

No list of shows: titles come from the page itself (emphasis, quotes, the headline, list
headings, table cells), and a capitalised run next to a status verb as a last resort.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.extraction.networks import NETWORK_RE, is_network

CONNECTORS = {"of", "the", "in", "at", "a", "an", "and", "&", "on", "to", "with", "from", "de",
              "la", "du", "von", "van", "or", "for", "vs.", "vs", "v."}  # fmt: skip
# Capitalised words that end a title run in title-case headlines.
STOP_WORDS = {
    "season", "seasons", "series", "renewed", "renews", "renew", "renewal", "cancelled",
    "canceled", "cancels", "cancel", "cancellation", "axed", "axes", "is", "isn't", "has",
    "hasn't", "have", "will", "won't", "was", "were", "to", "gets", "get", "got", "ends",
    "ending", "end", "ended", "final", "finale", "review", "recap", "release", "date", "cast",
    "plot", "trailer", "saved", "revived", "picks", "picked", "orders", "ordered", "returns",
    "return", "returning", "coming", "back", "after", "for", "at", "by", "on", "not", "no",
    "officially", "finds", "lands", "moves", "bows", "signs", "scores", "confirmed", "confirms",
    "rescues", "rescued", "spin-off", "spinoff", "movie", "film", "news", "update", "s", "be",
    "could", "should", "would", "may", "might", "can", "does", "did", "why", "how", "what",
    "when", "where", "who", "which", "and", "both", "all", "each", "everything",
    "episode", "episodes", "part", "volume", "been", "being", "that", "cancellations",
    "renewals",
}  # fmt: skip
# Stop words that may still open a title: "All Saints Road", "All Rise".
OPENING_WORDS = {"all"}
ENDING_WORDS = {"why", "how"}  # a question word that ends a run can end a title
STOP_START = {
    "there", "here", "what", "why", "how", "when", "where", "who", "which", "this", "that",
    "these", "those", "it", "its", "every", "all", "inside", "beyond", "goodbye", "yes", "no",
    "so", "not", "exclusive", "breaking", "watch", "report", "sources", "first", "new", "best",
    "our", "your", "my", "more", "other", "frequently", "faq", "trending", "related",
    "both", "each", "everything", "anything", "tv", "as", "television", "streaming", "fans",
    "viewers", "now",
}  # fmt: skip
QUESTION_START = re.compile(
    r"^(?:is|will|could|has|have|does|did|why|how|when|where|what|who|should|can|would|so|"
    r"no|not|yes|update|exclusive|breaking|report|confirmed|official|watch)\b[,:!]?\s+",
    re.IGNORECASE,
)
HEADING_WORDS = re.compile(
    r"\b(?:questions?|cast|about|plot|release|date|trailer|review|recap|summary|glance|bubble|"
    r"update|news|final thoughts|verdict|conclusion|background|episodes?|faq|status|"
    r"renewed|cancell?ed|canceled|ending|ended|explained|details?|info|how|why|what|where|"
    r"when|who|here|more|stories|watch|comments?|spoilers?|spin-?offs?|play|series|show|"
    r"decisions|cancellations|renewals|choices|moments|mistakes|surprises)\b",
    re.IGNORECASE,
)
UPPER = "A-Z0-9\u00c0-\u00d6\u00d8-\u00de"  # "Élan", "Ødegaard": Latin-1 capitals too
TOKEN = rf"(?:[{UPPER}][\w'.&+/!-]*[\w+!]|[{UPPER}])(?::)?"
_JOINS = "|".join(re.escape(c) for c in sorted(CONNECTORS, key=len, reverse=True))
CAPSEQ = re.compile(rf"{TOKEN}(?:\s+(?:(?:{_JOINS})\s+)*{TOKEN})*")
# What may follow a title in a headline clause: "X Season 3", "X Renewed", "X Will End".
STATUS_NEXT = re.compile(
    r"\s*(?:seasons?|series|s\d+|renew\w*|cancel\w*|axed|ends?|ending|final\w*|saved|revived|"
    r"returns?|is|will|won't|has|hasn't|to|gets|got|picked|picks|lands|moves|scores|wraps|been|"
    r"bows|signs|rescued|officially|not)\b",
    re.IGNORECASE,
)
# A quoted title; American style keeps the sentence's comma inside: "Dracula," "Revolution,"
# Inside double quotes an apostrophe is part of the title: "America's Got Talent".
QUOTED = re.compile(
    rf"""(?<![\w'])(['"])([{UPPER}](?:(?!\1)[^"\n]){{0,70}}?[\w!?.)+])[,;]?\1(?![\w])"""
)
GENRE = (
    r"(?:series|show|drama|comedy|sitcom|thriller|programme|program|procedural|mystery|saga|"
    r"epic|rom-com|romcom|dramedy|space opera|satire|adaptation|serial|soap|western|opera|"
    r"period piece|musical drama|horror series|docuseries|anthology series|miniseries|"
    r"crime drama|whodunit|caper|romance|fantasy|mockumentary|sci-fi|cartoon|animation|farce|"
    r"melodrama|telenovela|docudrama)"
)
_MODIFIER = (
    r"(?:(?!(?i:the|a|an|and|or|of|to|in|on|at|for|by|with|that|which|who|has|have|had|is|was|"
    r"were|will|would|renew\w*|cancel\w*|axed|picked|ordered|revived|saved|ended|said)\b)"
    r"[\w'+&-]+\s+)"
)
GENRE_WORD = re.compile(rf"(?i:{GENRE}|shows?|dramas|comedies|thrillers)")
ANAPHOR = re.compile(
    rf"\b(?:(?i:the|this|that)\s+{_MODIFIER}{{0,4}}(?:[a-z]+-)?(?i:{GENRE})"
    rf"|(?:[A-Z][\w.+'&-]*\s+){{0,3}}?[A-Z][\w.+&-]*['\u2019]s\s+{_MODIFIER}{{0,4}}?(?:[a-z]+-)?(?i:{GENRE}))\b"
    r"|\b(?i:it)\b"
)
# What makes "the series" another production rather than the show.
NOT_THE_SHOW = re.compile(
    r"\b(?:films?|movies?|specials?|play|spin-?offs?|spinoffs?|prequels?|sequel|reboot|podcasts?|"
    r"documentar(?:y|ies)|new series|animated series|companion series|other|another)\b",
    re.IGNORECASE,
)
OTHER_PRODUCTION = re.compile(
    r"\b(?:films?|movies?|feature|specials?|stage play|play|musical|spin-?offs?|spinoffs?|"
    r"prequels?|sequels?|reboots?|animated series|podcasts?|documentar(?:y|ies)|trilogy|"
    r"video games?|universe|franchise|companion series|offshoots?)\b",
    re.IGNORECASE,
)
BAD_TITLE = re.compile(
    r"^(?:update|correction|editor'?s note|note|grade|warning|spoilers?|must-read|also read|"
    r"read more|related|advertisement|exclusive|breaking|watch|vault|hq|in brief|briefly|also|"
    r"elsewhere|meanwhile|in other news|and finally|quick hits?|previously|earlier|updated|"
    r"originally|original (?:story|post|report|article))\b",
    re.IGNORECASE,
)


NETWORK_POSSESSIVE = re.compile(r"^(?:the\s+)?(?:" + NETWORK_RE.pattern + r")'s\s+")
BRAND_POSSESSIVE = re.compile(r"^[A-Z]{2,4}['\u2019]s\s+(?=[A-Z])")
NETWORK_FIRST = re.compile(r"^(?:" + NETWORK_RE.pattern + r")\s+")


APPOSITIVE_GAP = re.compile(r" |,\s+")
PRONOUNS = {"I", "We", "You", "He", "She", "They"}


@dataclass
class Mention:
    start: int
    end: int
    title: str
    anaphor: bool = False
    guessed: bool = False  # a capitalised run, not a title the page marks or repeats


@dataclass
class TitleBook:
    """The titles known on one article, and its subject (what "the series" means)."""

    known: set[str] = field(default_factory=set)
    subject: str | None = None
    _pattern: re.Pattern[str] | None = None

    def add(self, title: str | None, marked: bool = True) -> str | None:
        title = tidy(title or "")
        if title and plausible(title, marked):
            self.known.add(title)
            self._pattern = None
            return title
        return None

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.known:
            alternatives = "|".join(re.escape(t) for t in sorted(self.known, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-]|\+)")
        return self._pattern

    def canonical(self, title: str) -> str:
        """An acronym ("ODAAT") stands for the known title with those initials."""
        if re.fullmatch(r"[A-Z]{3,}", title):
            for known in self.known:
                words = re.findall(r"[\w']+", known)
                if len(words) == len(title) and "".join(w[0] for w in words).upper() == title:
                    return known
        return title


@lru_cache(maxsize=8192)
def tidy(title: str) -> str:
    # "St. Denis Medical (NBC)": a closing bracket is a note on the title, not part of it
    title = re.sub(r"(?<=\S)\s*\([^()]{0,40}\)\s*$", "", title)
    initialism = re.search(r"\b[A-Z]\.[A-Z]\.$", title.strip())  # "Agents of S.H.I.E.L.D."
    title = title.strip(" \t\"'.,:;!?-\u2013\u2014()") + ("." if initialism else "")
    title = NETWORK_POSSESSIVE.sub("", title)
    title = BRAND_POSSESSIVE.sub("", title)  # "DC's Stargirl" is Stargirl
    return re.sub(r"\s+", " ", title)


MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"final|last|next|new|\d+(?:st|nd|rd|th))"
)
# Strings that look capitalised but are never a show: dates, "20px", "Third", "10 Shows".
NOT_A_TITLE = re.compile(
    rf"^(?:{MONTH}\s+\d{{1,4}}\b|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}|{ORDINAL_WORD}$|"
    r"\d+\s*px$|by\s|widget\b|.*\b(?:television|studios?|productions?|entertainment|pictures|"
    r"media|cancellations|renewals|premieres|decisions|choices|moments|mistakes|surprises|shows|"
    r"picks|newspaper|magazine|gazette|tribune|herald)$|"
    r"\d+\s+(?:[\w'-]+\s+){0,3}(?:tv\s+)?(?:shows|series|dramas|comedies|sitcoms)\b)",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def plausible(title: str, marked: bool = False) -> bool:
    """Could this string be a show title? `marked`: it was quoted, emphasised or a heading."""
    words = title.split()
    if not words or len(words) > 9 or len(title) > 70:
        return False
    if not re.match(f"[{UPPER}]", title) or BAD_TITLE.match(title) or is_network(title):
        return False
    if re.fullmatch(r"[\d\s,.-]+", title) and not (marked and re.fullmatch(r"\d{2,4}", title)):
        return False
    if NOT_A_TITLE.search(title) or (re.search("[a-z]", title) and not re.search("[A-Z]", title)):
        return False
    if "/" in title and is_network(title.rsplit("/", 1)[-1].strip()):
        return False  # an image credit: "KUDOS/ITV"
    if all(w.lower() in CONNECTORS or w.lower() in STOP_WORDS for w in words):
        return False
    if len(words) == 1 and (words[0].endswith("'s") or GENRE_WORD.fullmatch(title)):
        return False  # "Drama" in "Netflix Cancels Drama" is not a title
    if len(words) > 1 and sum(w[0].islower() for w in words if w.lower() not in CONNECTORS) > 1:
        return False  # a phrase, not a title
    return title.lower() not in STOP_START and title.lower() not in STOP_WORDS


TIME_PREPOSITIONS = {"in", "on", "since", "until", "by", "through"}
DATE_NAME = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)[.,;]?"
)


@lru_cache(maxsize=8192)
def capitalised_run(text: str) -> str | None:
    """The title-like run of capitalised words that opens `text` (stops at status words)."""
    text = text.lstrip(" ,:")
    match = CAPSEQ.match(text)
    if not match:
        return None
    words = []
    tokens = match.group().split()
    last = tokens[-1]
    for index, word in enumerate(tokens):
        bare = word.rstrip(":").lower()
        opening = not words and bare in OPENING_WORDS
        if (
            words
            and word in TIME_PREPOSITIONS
            and DATE_NAME.fullmatch("".join(tokens[index + 1 : index + 2]))
        ):
            break  # "axed X in June", "renewed X on Monday": the date is not in the title
        if words and bare in ENDING_WORDS and word is last:
            words.append(word)  # "13 Reasons Why"
            break
        if (
            bare in STOP_WORDS
            and not (word.islower() and bare in CONNECTORS and words)
            and not opening
        ):
            break
        if re.fullmatch(r"s\d+|\d+(?:st|nd|rd|th)", bare):
            break  # "S3", "for a 19th (season)"
        words.append(word)
    while words and words[-1].rstrip(":").lower() in CONNECTORS:
        words.pop()
    run = tidy(" ".join(words))
    return run if run and plausible(run) and not is_network(run) else None


def headline_titles(headline: str, body: str) -> list[str]:
    """Titles named in a headline: quoted ones, then runs the body confirms (case-sensitive);
    failing those, a run a status word follows ("X renewed for season 2") or that is the
    whole headline, though the body only says "the comedy"."""
    quoted = [tidy(m.group(2)) for m in QUOTED.finditer(headline)]
    found = [t for t in quoted if plausible(t, marked=True)]
    segments = re.split(r"\s*(?:[:;!?|\u2013\u2014]|\s-\s|,)\s*", headline)
    for telegraphic in (False, True):
        for index, segment in enumerate([headline, *segments]):
            segment = QUESTION_START.sub("", QUESTION_START.sub("", segment.strip()))
            segment = NETWORK_FIRST.sub("", segment)
            run = capitalised_run(segment)
            if telegraphic:
                ends = run and (run == segment or STATUS_NEXT.match(segment[len(run) :]))
                ends = ends and ":" not in run and not GENRE_WORD.fullmatch(run.split()[-1])
                ends = ends and not (run in body and not _standalone(run, body))  # "Big" Show
                run = run if ends and segment.startswith(run) else None
            while run and not telegraphic and not _standalone(run, body):
                shorter = run.rsplit(" ", 1)[0] if " " in run else ""
                run = tidy(shorter) if shorter and plausible(tidy(shorter)) else None
            if not run or run.split()[0].lower() in STOP_START or any(run in f for f in found):
                continue
            rest = segment[segment.find(run) + len(run) :]
            if index == 0 or STATUS_NEXT.match(rest):
                found.append(run)
        if found:
            break
    return list(dict.fromkeys(found))


def _standalone(run: str, body: str) -> bool:
    """The body names `run` on its own at least once, not as part of a longer capitalised name
    ("Big" inside "The Big Show" does not confirm a headline's "Big")."""
    if run not in body:
        return False
    for match in re.finditer(rf"(?<![\w-]){re.escape(run)}(?![\w-])", body):
        before = body[max(0, match.start() - 30) : match.start()]
        after = body[match.end() : match.end() + 30]
        glued_before = re.search(r"(?<![.!?:])\s[A-Z][\w&-]*(?<!'s)\s$", " " + before)
        glued_after = re.match(r"\s(?:[A-Z][\w'&-]*|of|&)\b", after)
        if not glued_before and not glued_after:
            return True
    return False


def heading_title(heading: str, book: TitleBook) -> str | None:
    """The show a list heading introduces ("3. Designated Survivor", "1. X (Syfy -> Amazon)")."""
    text = re.sub(r"^\s*(?:#?\d+[.):]|No\.\s*\d+[.:]?|[\u2022\u00b7*-])\s*", "", heading)
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text).strip()
    pattern = book.pattern()
    if pattern:
        inside = pattern.search(text)
        if inside:
            return inside.group()
    if text.endswith("?"):
        return None
    for part in [text, *reversed(text.split(":"))]:
        part = tidy(part)
        if _bare_title(part):
            return part
    return None


def _bare_title(text: str) -> bool:
    """A short Title Case heading that is not a section label ("Cast", "At a glance")."""
    words = text.split()
    return (
        bool(words)
        and len(words) <= 6
        and plausible(text, marked=True)
        and not HEADING_WORDS.search(text)
        and words[0].lower() not in STOP_START
        and all(w[0].isupper() or w[0].isdigit() or w.lower() in CONNECTORS for w in words)
    )


def find_mentions(text: str, book: TitleBook, headline: bool = False) -> list[Mention]:
    """Known titles, quoted titles and anaphors ("the series", "Harmon's comedy", "it").

    Outside a Title Case headline, "The Big Show" with a capital genre word is a title."""
    found: list[Mention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or start >= m.end for m in found)

    pattern = book.pattern()
    if pattern:
        for match in pattern.finditer(text):
            found.append(Mention(match.start(), match.end(), book.canonical(match.group())))
    for match in QUOTED.finditer(text):
        title = tidy(match.group(2))
        if plausible(title, marked=True) and free(match.start(), match.end()):
            found.append(Mention(match.start(2), match.end(2), title))
    for match in ANAPHOR.finditer(text):
        words = match.group().split()
        if len(words) > 1 and words[-1][0].isupper() and words[0][0].isupper() and not headline:
            continue
        if not free(match.start(), match.end()) or NOT_THE_SHOW.search(match.group()):
            continue
        named = None if headline or len(words) == 1 else _appositive(text, match.end())
        if named and free(*named[:2]):
            found.append(Mention(*named))  # "the sci-fi horror series Archive 81"
        else:
            found.append(Mention(match.start(), match.end(), "", anaphor=True))
    found.sort(key=lambda m: m.start)
    return found


def _appositive(text: str, position: int) -> tuple[int, int, str] | None:
    """The unquoted name a genre phrase introduces: "the drama X", "The show, X, was"."""
    gap = APPOSITIVE_GAP.match(text, position)
    run = capitalised_run(text[gap.end() :]) if gap else None
    if not run or not text.startswith(run, gap.end()) or run in PRONOUNS:
        return None
    end = gap.end() + len(run)
    if "," in gap.group() and not re.match(r"\s*[,(]", text[end:]):
        return None  # "the series, Netflix said" is no appositive
    return gap.end(), end, run
