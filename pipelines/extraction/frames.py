"""Stage 4: status frames, where a sentence says renewed, cancelled, ending or pending.

The wordings are data (lexicon.toml); this module compiles them once and finds them. Each
frame knows on which side the show is named (its role); whether it is negated is decided by
`modality`, not by the wording.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipelines.extraction.modality import negated_before
from pipelines.extraction.networks import NETWORK_RE

Rewrite = tuple[re.Pattern[str], str]
LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
PLACEHOLDER = re.compile(r"<([a-z_]+)>")


@dataclass
class Frame:
    start: int
    end: int
    status: str
    role: str  # obj | subj | any
    needs_season: bool = False
    negated: bool = False
    needs_subject: bool = False


@dataclass
class Wording:
    pattern: re.Pattern[str]
    status: str
    role: str
    cues: tuple[str, ...]
    needs_season: bool = False
    negation_inside: bool = False  # the wording itself is negative ("will not return")
    needs_subject: bool = False  # without a season, only about the article's own show
    keeps_role: bool = False  # an adjective ("is unclear whether X"), never passive


def load_lexicon(path: Path = LEXICON_FILE) -> tuple[list[Wording], list[Rewrite]]:
    """The wordings in file order, their <fragment> placeholders filled in, and the idiom
    rewrites."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    rewrites = [
        (re.compile(entry["pattern"], re.IGNORECASE), entry["replacement"])
        for entry in data.get("rewrite", [])
    ]
    fragments = {**data["fragments"], "network": NETWORK_RE.pattern}
    wordings = []
    for entry in data["wording"]:
        regex = PLACEHOLDER.sub(lambda m: fragments[m.group(1)], entry["pattern"])
        wordings.append(
            Wording(
                re.compile(regex, re.IGNORECASE),
                entry["status"],
                entry["role"],
                tuple(entry["cues"]),
                entry.get("needs_season", False),
                entry.get("negation_inside", False),
                entry.get("needs_subject", False),
                entry.get("keeps_role", False),
            )
        )
    return wordings, rewrites


LEXICON, REWRITES = load_lexicon()
_ALL_CUES = sorted({cue for wording in LEXICON for cue in wording.cues}, key=len, reverse=True)
CUES = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(cue) for cue in _ALL_CUES) + ")")
# A matched cue also stands for every shorter cue inside it ("renewal" -> "renew").
CONTAINED = {cue: {other for other in _ALL_CUES if other in cue} for cue in _ALL_CUES}
# Which wordings (by position in LEXICON, so priority is kept) each cue can start.
CANDIDATES = {
    cue: {index for index, w in enumerate(LEXICON) if not CONTAINED[cue].isdisjoint(w.cues)}
    for cue in _ALL_CUES
}
ALWAYS = {index for index, wording in enumerate(LEXICON) if not wording.cues}
BY = re.compile(r"\s+by\b", re.IGNORECASE)
PASSIVE_BEFORE = re.compile(
    r"\b(?:is|was|were|are|been|be|being|gets|got|get|getting|has\s+been|had\s+been)\s+"
    r"(?:(?:officially|also|already|now|just|finally|quietly|reportedly|formally|all|both|each)"
    r"\s+){0,2}$",  # "were all cancelled", "were both officially axed"
    re.IGNORECASE,
)
THERE_IS = re.compile(r"\bthere\s+(?:is|was|has\s+been)\s+$", re.IGNORECASE)
CONTRACTIONS = [
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"\bcan't\b", re.I), "cannot"),
    (re.compile(r"\bain't\b", re.I), "is not"),
    (re.compile(r"(?<=\w)n't\b", re.I), " not"),
]
# "picked it up" -> "picked up it": the particle beside its verb, as the wordings expect.
SPLIT_PARTICLE = re.compile(
    r"\b(pick(?:s|ed|ing)?|brought|bring(?:s|ing)?)\s+(it|them|the\s+[\w-]+(?:\s+[\w-]+)?)"
    r"\s+(up|back)\b",
    re.IGNORECASE,
)


def has_cue(text: str) -> bool:
    """The cheap word-level scan that decides which text gets full treatment: could any
    wording occur in it at all, once contractions are expanded ("won't" -> "will not")?"""
    return bool(ALWAYS) or "n't" in text or CUES.search(text.lower()) is not None


def normalise(sentence: str, keep: re.Pattern[str] | None = None) -> str:
    """Expand contractions, move a split particle ("picked it up" -> "picked up it") and
    rewrite idioms (lexicon.toml); text that `keep` matches (the page's known titles:
    "Don't Trust the B----") is not expanded."""
    sentence = _expand(sentence, keep)
    for pattern, replacement in REWRITES:
        sentence = pattern.sub(replacement, sentence)
    return sentence


def _expand(sentence: str, keep: re.Pattern[str] | None) -> str:
    if keep is not None and "'" in sentence:
        pieces, position = [], 0
        for match in keep.finditer(sentence):
            pieces.append(_expand(sentence[position : match.start()], None))
            pieces.append(match.group())
            position = match.end()
        if pieces:
            return "".join(pieces) + _expand(sentence[position:], None)
    if "'" in sentence:
        for pattern, replacement in CONTRACTIONS:
            sentence = pattern.sub(replacement, sentence)
    if " up" in sentence or " back" in sentence:
        sentence = SPLIT_PARTICLE.sub(r"\1 \3 \2", sentence)
    return sentence


def find_frames(sentence: str) -> list[Frame]:
    """Non-overlapping status wordings in a (normalised) sentence, in text order."""
    found: list[Frame] = []
    candidates = set(ALWAYS)
    for cue in CUES.findall(sentence.lower()):
        candidates |= CANDIDATES[cue]
    for index in sorted(candidates):
        wording = LEXICON[index]
        for match in wording.pattern.finditer(sentence):
            start, end = match.start(), match.end()
            if any(start < f.end and f.start < end for f in found):
                continue
            role = wording.role
            before = sentence[:start]
            after = sentence[end:]
            passive = PASSIVE_BEFORE.search(before[-40:]) or BY.match(after)
            if passive and re.match(r"\w+ing\b", match.group()) and not BY.match(after):
                passive = None  # "Netflix is bringing X back": progressive, not passive
            if passive and THERE_IS.search(before[-40:]):
                passive = None  # "there is no word yet on X": X is still the object
            if role == "obj" and passive and not wording.keeps_role:
                role = "subj"
            negated = not wording.negation_inside and negated_before(before)
            found.append(
                Frame(
                    start,
                    end,
                    wording.status,
                    role,
                    wording.needs_season,
                    negated,
                    wording.needs_subject,
                )
            )
    found.sort(key=lambda f: f.start)
    return found
