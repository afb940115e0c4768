"""Season wording -> numbers: digits, ordinals, words, "S3", "sophomore", lists and counts.

A mention keeps its kind because the arithmetic depends on it: "after three seasons" is the
last season made (cancelled -> 4), "two more seasons" needs a base, "season 4" is itself.
"""

# ruff: noqa: E501 - pattern tables read better one wording a line

import re
from dataclasses import dataclass

CARDINALS = {
    "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20,
}  # fmt: skip
ORDINALS = {
    "first": 1, "freshman": 1, "second": 2, "sophomore": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}  # fmt: skip

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_UNIT_ORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
CARDINALS.update({f"twenty-{w}": 21 + i for i, w in enumerate(_UNITS)})
ORDINALS.update({f"twenty-{w}": 21 + i for i, w in enumerate(_UNIT_ORDS)})
_CARD = r"(?:\d{1,2}|" + "|".join(sorted(CARDINALS, key=len, reverse=True)) + r")"
_ORD = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")"
_NOUN = r"(?:seasons?|series|instal?ments?|runs?|chapters?|outings?|cycles?)"
_SEASON = r"(?:seasons?|series)"
_NUM = rf"(?:{_CARD}|{_ORD})"
# One number word, whole: "fourteenth" is not "four", "twenty-first" is not "twenty".
_WORD = re.compile(
    r"(?<![\w-])(?:\d{1,2}(?:st|nd|rd|th)?|"
    + "|".join(sorted([*ORDINALS, *CARDINALS], key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "three more seasons, through season 8" / "two more seasons"
    ("more", re.compile(rf"\b(?P<n>{_CARD})\s+(?:more|additional|further)\s+{_SEASON}", re.I)),
    ("more", re.compile(rf"\b(?P<n>{_CARD})[\s-]season\s+(?:renewal|order|pickup|deal|extension)\b", re.I)),
    ("through", re.compile(rf"\b(?:through|thru|until|till)\s+(?:its\s+|the\s+)?(?:{_SEASON}\s+(?P<n>{_NUM})\b|(?P<m>{_ORD})[\s-]+{_SEASON}\b)", re.I)),
    # "after three seasons", "after a single season", "after the third season", "after Season 1"
    ("after", re.compile(
        rf"\b(?:after|following|at the end of|beyond)\s+(?:just\s+|only\s+)?(?:(?:a|its|the|their)\s+)?"
        rf"(?:(?P<n>{_CARD}|{_ORD})(?:[\s-]+(?:and\s+final\s+|and\s+last\s+)?)(?:\w+-episode\s+)?(?:{_NOUN})"
        rf"|{_SEASON}\s+(?P<m>{_NUM})\b)", re.I)),
    ("count", re.compile(
        rf"\b(?:ran|run|running|lasted|lasting|made it to|spanned|spanning|aired)\s+(?:for\s+)?"
        rf"(?:just\s+|only\s+)?(?P<n>{_CARD})\s+{_NOUN}", re.I)),
    ("count", re.compile(rf"\b(?P<n>{_CARD})[\s-]season\s+run\b", re.I)),
    # "cancelled it six seasons in", "canceled after the second."
    ("count", re.compile(rf"\b(?P<n>{_CARD})\s+{_NOUN}\s+in\b(?!\s+(?:a|the)\s)", re.I)),
    ("after", re.compile(rf"\bafter\s+(?:the|its)\s+(?P<n>{_ORD})(?=\s*[.,;)]|\s*$)", re.I)),
    # "cancelled in / midway through its fourth season": a season cut short, already made
    ("aired", re.compile(rf"\b(?:in|during|midway\s+through|halfway\s+through|partway\s+through)\s+(?:its|their|the)\s+(?P<n>{_ORD})[\s-]+{_NOUN}\b", re.I)),
    ("count", re.compile(r"\b(?P<n>one)[\s-]and[\s-]done\b", re.I)),
    # "after 13 episodes", "a month after its debut": the first season is the one made
    ("aired", re.compile(rf"\bafter\s+(?:just\s+|only\s+)?(?P<first>{_CARD}\s+episodes|(?:its|their|the\s+show's)\s+(?:debut|premiere))\b", re.I)),
    # lists: "seasons six, seven and eight", "seasons 22 and 23", "Season 3 and Season 4"
    ("ordinal", re.compile(
        rf"\b{_SEASON}\s+(?P<list>{_NUM}(?:\s*,\s*(?:{_SEASON}\s+)?{_NUM})*,?\s*(?:and|&|-|to|through)\s*(?:{_SEASON}\s+)?{_NUM})\b", re.I)),
    # "fifth and sixth seasons", "a third and a fourth season", "third and final season"
    ("ordinal", re.compile(
        rf"\b(?P<list>{_ORD}(?:\s*,\s*(?:an?\s+)?{_ORD})*,?\s*(?:and|&)\s*(?:an?\s+)?(?:{_ORD}|final|last))[\s-]+{_NOUN}", re.I)),
    ("ordinal", re.compile(rf"\b{_SEASON}\s+(?P<n>{_NUM})\b", re.I)),
    ("ordinal", re.compile(rf"\b(?P<n>{_ORD})[\s-]+{_NOUN}\b", re.I)),
    ("ordinal", re.compile(r"\bS(?P<n>\d{1,2})\b")),
    # "picked up for a fourth", "ordered a sixth", "revived it for a third"
    ("bare", re.compile(rf"\b(?:for|ordered|order)\s+(?:an?|the)\s+(?P<n>{_ORD})\b(?![\s-]+(?:time|place|film|movie|episode|round|spin))", re.I)),
]  # fmt: skip


# Every pattern above needs one of these words; most text has none.
SEASONISH = re.compile(
    r"season|series|instal|chapter|\brun|outing|cycle|and[\s-]done|episodes|debut|premiere|after\s+(?:the|its)\s|\bS\d|\b(?:for|order|ordered)\s+(?:an?|the)\s",
    re.I,
)


CLASS_YEAR = re.compile(r"(?:freshman|sophomore)[\s-]+series\b", re.I)  # the shows, not a season
AIRED = re.compile(
    r"\s+(?:finale\b|(?:(?:has|had|have|was|just|already|finally|only)\s+){0,2}(?:wrapped|aired|"
    r"premiered|ended|debuted|concluded|finished|arrived|streamed|launched|bowed|dropped|landed)\b)",
    re.I,
)
# A cheap pre-check per pattern above (None: always run).
CUES = [
    re.compile(p) if p else None
    for p in (
        r"more|additional|further",
        r"renewal|order|pickup|deal|extension",
        r"through|thru|until|till",
        r"after|following|end of|beyond",
        r"ran|run|last|made it|spann|aired",
        r"run",
        r" in",
        r"after",
        r"in |through",
        r"done",
        r"episodes|debut|premiere",
        None,
        r"and|&",
        r"season|series",
        None,
        r"s\d",
        r"for |order",
    )
]


@dataclass
class SeasonMention:
    start: int
    end: int
    kind: str  # ordinal | bare | after | count | aired | more | through
    values: list[int]


def number(word: str) -> int | None:
    word = word.lower().strip()
    if word in CARDINALS:
        return CARDINALS[word]
    if word in ORDINALS:
        return ORDINALS[word]
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else None


def find_seasons(text: str) -> list[SeasonMention]:
    """All season mentions, non-overlapping, in text order (earlier patterns win)."""
    found: list[SeasonMention] = []
    if not SEASONISH.search(text):
        return found
    lowered = text.lower()
    taken: list[tuple[int, int]] = []
    for (kind, pattern), cue in zip(PATTERNS, CUES, strict=True):
        if cue and not cue.search(lowered):
            continue
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            values = _values(match)
            if not values:
                continue
            made = kind == "ordinal" and (
                AIRED.match(text, match.end())  # "whose second season wrapped in May"
                or CLASS_YEAR.match(match.group())  # "Fox's freshman series": the first aired
            )
            found.append(
                SeasonMention(match.start(), match.end(), "aired" if made else kind, values)
            )
            taken.append((match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def _values(match: re.Match[str]) -> list[int]:
    groups = match.groupdict()
    if groups.get("list"):
        words = _WORD.findall(groups["list"])
        values = [v for v in (number(w) for w in words) if v]
        if re.search(r"\d\s*(?:-|to|through)\s*\d", groups["list"]) and len(values) == 2:
            values = list(range(values[0], values[1] + 1)) if values[1] - values[0] < 10 else values
        return list(dict.fromkeys(values))  # in text order: "fifth and third, respectively"
    if groups.get("first"):
        return [1]
    word = groups.get("n") or groups.get("m")
    value = number(word) if word else None
    return [value] if value and 0 < value < 60 else []
