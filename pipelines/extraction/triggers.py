"""Status wordings: where a sentence says renewed, cancelled, ending or pending.

Each trigger knows on which side the show is named: `obj` ("Fox axed X"), `subj`
("X will end with"), or `any` ("a fourth-season order"); a passive `obj` verb becomes `subj`.
Patterns run on text whose contractions were expanded ("won't" -> "will not").
"""

# ruff: noqa: E501 - pattern tables read better one wording a line

import re
from dataclasses import dataclass

from pipelines.extraction.networks import NETWORK_RE

_CANCEL = r"(?:cancell?(?:ed|ing|s)?|cancel|canceled|canceling|axed|axes|axe|axing|scrapped)"
_RENEW = r"(?:renew(?:ed|s|ing)?|picked up|confirmed)"


@dataclass
class Trigger:
    start: int
    end: int
    status: str
    role: str  # obj | subj | any
    needs_season: bool = False
    negated: bool = False
    needs_subject: bool = False


@dataclass
class Lexeme:
    pattern: re.Pattern[str]
    status: str
    role: str
    needs_season: bool = False
    negation_inside: bool = False  # the wording itself is negative ("will not return")
    needs_subject: bool = False  # without a season, only about the article's own show
    cues: tuple[str, ...] = ()  # lower-case substrings one of which must occur (a cheap pre-check)


def _lex(regex: str, status: str, role: str, cue: str = "", **flags: bool) -> Lexeme:
    cues = tuple(c.strip() for c in cue.split("|")) if cue else ()
    return Lexeme(re.compile(regex, re.IGNORECASE), status, role, cues=cues, **flags)


# "renewed interest in", "ordered to series" (a first season) are not renewals.
_NOT_RENEWAL = r"(?:interest|attention|focus|calls?|hopes?|push|efforts?|vigou?r|energy|debate|scrutiny|popularity|life|sense|appreciation|contract|deal|partnership|vows)\b"
_NOT_SERIES_ORDER = r"(?!\s+(?:\w+\s+){0,3}?(?:to|straight-to)[\s-]series\b)(?![^.]{0,40}\bpilot\b)"

# "picks up the pace", "picks up where season 1 left off" describe a story, not an order.
_NOT_PICKUP = r"(?:(?:the|its|some|a\s+(?:little|bit|lot)\s+of)\s+)?(?:pace|speed|steam|momentum|tempo|slack|pieces|threads?|story|storylines?|action|tension|stakes|mantle|baton|tab|awards?|nominations?|viewers|fans|where|right\s+where|immediately|shortly|moments?|years?\s+later)\b"

# Order matters: earlier wordings claim their words first.
LEXICON: list[Lexeme] = [
    # pending: explicit "no decision yet"
    _lex(rf"\bnot\s+(?:yet\s+)?(?:been\s+)?(?:officially\s+)?(?:{_RENEW}|{_CANCEL})\s+(?:or|nor)\s+(?:{_RENEW}|{_CANCEL})(?:\s+yet)?", "pending", "any", negation_inside=True, cue="not"),
    _lex(rf"\bneither\s+(?:been\s+)?(?:officially\s+)?(?:{_RENEW}|{_CANCEL})\s+nor\s+(?:{_RENEW}|{_CANCEL})", "pending", "any", negation_inside=True, cue="neither"),
    _lex(r"\bno\s+(?:official\s+|final\s+|formal\s+)?decision\s+(?:has\s+(?:yet\s+)?been\s+(?:made|reached|announced)|(?:yet\s+)?(?:on|about|regarding)\b|yet\b)", "pending", "any", negation_inside=True, cue="decision"),
    _lex(r"\bmade\s+no\s+(?:official\s+|final\s+|formal\s+)?decision", "pending", "any", negation_inside=True, cue="decision"),
    _lex(r"\bnot\s+(?:yet\s+)?(?:made|announced|reached|taken|given)\s+(?:a|any|its|their)\s+(?:final\s+|official\s+|formal\s+)?(?:decision|verdict|call)\b", "pending", "any", negation_inside=True, cue="decision|verdict|call"),
    _lex(r"\bnot\s+(?:yet\s+)?(?:officially\s+)?decided\s+(?:on|about)\b", "pending", "any", negation_inside=True, cue="decided"),
    _lex(r"\bawait(?:s|ing)\s+(?:word|a\s+decision|news|(?:its|their)\s+fate|a\s+verdict|a\s+renewal\s+decision)", "pending", "any", cue="await"),
    _lex(r"\bstill\s+waiting\s+(?:on|for)\s+(?:word|a\s+decision|news)", "pending", "any", cue="waiting"),
    _lex(r"\bon\s+the\s+bubble\b", "pending", "any", cue="bubble"),
    _lex(r"\b(?:remains?|remained|is|are|sits|stays?|left)\s+(?:still\s+)?in\s+limbo\b", "pending", "any", cue="limbo"),
    _lex(r"\b(?:remains?|is|are|stays?)\s+(?:still\s+)?(?:undecided|up\s+in\s+the\s+air)\b", "pending", "subj", cue="undecided|up in the air"),
    _lex(r"\b(?:has|have|is|are)\s+(?:still\s+)?yet\s+to\s+be\s+(?:officially\s+)?(?:renewed|cancell?ed|canceled|picked\s+up)\b", "pending", "subj", negation_inside=True, cue="yet"),
    _lex(r"\bdecision\s+(?:on|about|regarding)\b(?=[^.;]{1,60}?\b(?:(?:is|remains)\s+)?(?:still|yet)\s+(?:to\s+come|pending)\b)", "pending", "any", cue="decision"),
    _lex(r"\b(?:weighing|mulling(?:\s+over)?)\s+(?:a|an|the)\s+(?=[\w-]+\s+(?:season|series)\b)", "pending", "obj", cue="weighing|mulling"),
    _lex(r"\bnot\s+(?:yet\s+)?(?:officially\s+)?(?:announced|confirmed|said|revealed|decided)\s+(?:yet\s+)?(?:whether|if)\b", "pending", "obj", negation_inside=True, cue="whether| if"),
    _lex(r"\bno\s+(?:official\s+)?word\s+(?:yet\s+)?(?:on|about|regarding)\s+(?=(?:an?|the|its)\s)", "pending", "any", negation_inside=True, cue="word"),
    _lex(r"\bno\s+(?:official\s+)?word\s+(?:yet\s+)?(?:on|about|regarding)\b(?=\s+(?-i:[A-Z0-9\"\x27]))", "pending", "obj", negation_inside=True, cue="word"),
    _lex(r"\b(?:has|have)\s+(?:also\s+|still\s+)?yet\s+to\s+(?:decide|make\s+a\s+(?:decision|call)|announce\s+(?:a|its)\s+decision|renew\s+or\s+cancel)\b", "pending", "any", negation_inside=True, cue="yet"),
    _lex(r"\b(?:fate|future)\s+(?:is\s+|remains\s+)(?:still\s+)?(?:up\s+in\s+the\s+air|undecided|uncertain|unknown|unclear|in\s+limbo)", "pending", "any", cue="fate|future"),
    _lex(r"\bnot\s+(?:yet\s+been|been\s+(?:officially\s+)?(?=renewed\s+yet))\s*(?:officially\s+)?renewed", "pending", "any", negation_inside=True, cue="renewed"),
    # "Renewed or Cancelled?" asks; it is consumed here so neither word becomes a claim
    _lex(rf"\b(?:{_RENEW}|{_CANCEL})\s*(?:or|/)\s*(?:{_RENEW}|{_CANCEL})\b", "asked", "any", cue="renew|cancel|axe"),
    # cancelled wordings that carry their own negation
    _lex(r"\b(?:will|would|is|are|was|were|to)\s+not\s+(?:be\s+)?(?:return(?:ing)?|coming\s+back|back)\b", "cancelled", "subj", negation_inside=True, cue="not"),
    _lex(r"\bnot\s+(?:be\s+)?(?:bringing|brought|bring)\s+back\b", "cancelled", "obj", negation_inside=True, cue="back"),
    _lex(r"\bthere\s+will\s+be\s+no\s+(?=(?:[\w:'-]+\s+){0,4}(?:season|series)\b)", "cancelled", "any", negation_inside=True, cue="no "),
    _lex(r"\bno\s+longer\s+(?:air|stream|produce|make|continue|move\s+forward\s+with)\b", "cancelled", "any", negation_inside=True, cue="longer"),
    _lex(r"\b(?:decided|decision|chose|opted|elected)\s+not\s+to\s+(?:continue|renew|move\s+forward\s+with|order\s+more\s+of|bring\s+back)\b", "cancelled", "obj", negation_inside=True, cue="not to"),
    _lex(r"\b(?:will|would|is|was)\s+not\s+(?:go(?:ing)?\s+ahead|happen(?:ing)?|be\s+(?:made|produced|happening)|move\s+forward|proceed)\b", "cancelled", "any", negation_inside=True, cue="not"),
    _lex(r"\b(?:will|would)\s+not\s+air\b", "cancelled", "subj", negation_inside=True, cue="air"),
    _lex(r"\bun-?cancell?ed\b", "renewed", "subj", cue="uncancel|un-cancel"),
    _lex(r"\bthere\s+will\s+not\s+be\s+(?:an?|any)\s+(?=(?:[\w:'-]+\s+){0,3}(?:season|series)\b)", "cancelled", "any", negation_inside=True, cue="not"),
    _lex(r"\b(?:opted|decided|chose)\s+against\s+(?:renewing|continuing|bringing\s+back|ordering)\b", "cancelled", "obj", cue="against"),
    _lex(r"\b(?:got|gets|given|handed|received|receives)\s+the\s+(?:axe|ax|boot|chop)\b", "cancelled", "subj", cue="axe|ax|boot|chop"),
    _lex(r"\bcancell?ation\s+of\b", "cancelled", "obj", cue="cancel"),
    _lex(r"\bpull(?:s|ed|ing)?\s+the\s+plug\s+on\b", "cancelled", "obj", cue="plug"),
    _lex(r"\bwalk(?:s|ed|ing)?\s+away\s+from\b", "cancelled", "obj", cue="away"),
    _lex(r"\brevers(?:ed|es|ing)\s+(?:course|its\s+decision|the\s+decision|itself)\s+on\b", "cancelled", "obj", cue="revers"),
    _lex(r"\brevers(?:ed|es|ing)\s+(?:its|the|a)\s+(?:decision|plans?)\s+to\s+(?:renew|bring\s+back|continue)\b", "cancelled", "obj", cue="revers"),
    _lex(r"\b(?:will|would|is|was|has|have)\s+not\s+(?:be\s+|been\s+)?(?:getting|get|receiving|receive)\s+(?:a|an)\s+(?=[\w-]+\s+(?:season|series)\b)", "cancelled", "subj", negation_inside=True, cue="not"),
    _lex(r"\b(?:will|would)\s+not\s+be\s+renewed\b", "cancelled", "subj", negation_inside=True, cue="renewed"),
    _lex(r"\b(?:will|would|is|are)\s+not\s+(?:be\s+)?renew(?:ing)?\b(?!\s+(?:it\s+)?(?:yet|until|before|for\s+now))", "cancelled", "obj", negation_inside=True, cue="renew"),
    _lex(r"\b(?:is|are|was|were)\s+(?:officially\s+|now\s+)?done\s+with\b", "cancelled", "obj", cue="done"),
    _lex(r"\b(?:revers|revok|rescind|undo|undoing|walk(?:s|ed|ing)?\s+back)\w*\s+(?:(?:the|its|a|their)\s+)?(?:(?:season|series)\s+\w+\s+|\w+[\s-]season\s+)?renewal\b", "cancelled", "any", cue="revers|revok|rescind|undo|walk"),
    _lex(r"\brenewal\s+(?:was\s+|has\s+been\s+|had\s+been\s+|is\s+)?(?:reversed|revoked|rescinded|cancell?ed|pulled)\b", "cancelled", "any", cue="renewal"),
    _lex(r"\b(?:revok|rescind)(?:ed|es|ing)\s+(?:the|its|a)\s+renewal\b", "cancelled", "any", cue="renewal"),
    _lex(r"\bpass(?:ed|es)\s+on\b", "cancelled", "obj", cue="pass"),
    _lex(r"\b(?:declined|declines|declining|refused|refuses|refusing)\s+to\s+(?:renew|pick\s+up|order\s+more\s+of|bring\s+back|continue\s+with)\b", "cancelled", "obj", cue="declin|refus"),
    _lex(rf"(?:{NETWORK_RE.pattern})\s+(?:has\s+|have\s+|had\s+)?(?:ended|is\s+ending)\b(?!\s+(?:its|their|the\s+year|the\s+season|production|talks))", "cancelled", "obj", cue="ended|ending"),
    _lex(r"\b(?:is|are|was|were)\s+(?:officially\s+|now\s+)?(?:done|finished|over)\s+at\b", "cancelled", "subj", cue="done|finished|over"),
    _lex(r"\bcut\s+loose\b", "cancelled", "obj", cue="loose"),
    _lex(r"\bpart(?:s|ed|ing)?\s+ways\s+with\b", "cancelled", "obj", cue="ways"),
    _lex(r"\bcann(?:ed|ing)\b", "cancelled", "obj", cue="cann"),
    _lex(rf"\b{_CANCEL}\b", "cancelled", "obj", cue="cancel|axe|axing|scrap"),
    _lex(r"\bdrop(?:s|ped|ping)\b", "cancelled", "obj", needs_season=True, cue="drop"),
    # ending
    _lex(r"\b(?:(?:is|are|will\s+be)\s+(?:officially\s+)?(?:back|returning|coming\s+back)|returns?|will\s+return|comes\s+back)\s+for\s+(?:its|their|the|one)\s+(?:final|last)\s+(?:season|series|run|outing|chapter|instal?ment|go-round)\b", "ending", "subj", cue="final|last"),
    _lex(r"\b(?:[\w-]+)\s+and\s+(?:final|last)\s+(?:season|series|instal?ment|chapter|run|outing|cycle)\b", "ending", "any", cue="final|last"),
    _lex(r"\b(?:will|to|would|set\s+to|going\s+to|is\s+to|plans?\s+to|poised\s+to)\s+(?:now\s+|officially\s+|finally\s+)?(?:end|conclude|wrap(?:\s+up)?|finish|close\s+out|bow\s+out|sign\s+off)\s+(?:(?:its|the|their)\s+(?:run|story|series)\s+)?(?:with|after)\b", "ending", "subj", cue="end|conclu|wrap|finish|close|bow|sign"),
    _lex(r"\b(?:limited\s+series|miniseries)\b(?=[^.]*\b(?:conclud|end|finale|final|will\s+not\s+return|complete))", "ending", "any", cue="limited|miniseries"),
    _lex(r"\b(?:ended|ends|ending|concluded|concludes|concluding|wrapped(?:\s+up)?|wraps(?:\s+up)?|wrapping(?:\s+up)?|closed\s+out|signed\s+off|signs\s+off|bowed\s+out|bows\s+out|bowing\s+out)\s+(?:its\s+run\s+)?after\b(?=\s+(?:just\s+|only\s+)?\w+\s+(?:seasons|series)\b)", "ending", "subj", cue="end|conclu|wrap|close|sign|bow"),
    _lex(r"\b(?:ended|ends|ending|concluded|concludes|concluding|wraps\s+up|wrapped\s+up|wrapping\s+up)\s+(?:its\s+run\s+)?with\s+(?=(?:its\s+|the\s+)?(?:upcoming\s+|current\s+|next\s+)?(?:[\w-]+\s+(?:season|series)\b|(?:season|series)\s+\w+))", "ending", "subj", cue="end|conclu|wrap"),
    _lex(r"\b(?:ended|ends|concluded|concludes|wrapped\s+up)\s+its\s+run\b", "ending", "subj", cue="its run"),
    _lex(r"\b(?:came|come|comes|coming)\s+to\s+an\s+end\s+after\b(?=\s+(?:just\s+|only\s+)?\w+\s+(?:seasons|series)\b)", "ending", "subj", cue="end"),
    _lex(r"\b(?:will|would)\s+be\s+(?:the|its|the\s+show's|the\s+series')\s+(?:final|last)\b(?!\s+(?:time|episode))", "ending", "subj", cue="final|last"),
    _lex(r"\b(?:was|is)\s+(?:its|their|the\s+show's|the\s+series')\s+(?:final|last)\b(?=\s*(?:[,.;:]|$))", "ending", "subj", needs_season=True, cue="final|last"),
    _lex(r"\bfinal\s+(?:season|series)\b", "ending", "any", cue="final", needs_subject=True),
    # renewed
    _lex(r"\b(?:(?:season|series)\s+\w+|(?-i:S\d{1,2}))\s+(?:is\s+)?(?:officially\s+)?(?:happening|confirmed|a\s+go|greenlit)\b", "renewed", "any", cue="happening|confirmed| a go|greenlit"),
    _lex(r"\b(?:is|are|was)\s+(?:officially\s+)?(?:coming\s+back|returning|set\s+to\s+return)\s+for\b", "renewed", "subj", needs_season=True, cue="coming back|returning|set to return"),
    _lex(r"\b(?:will|to|set\s+to)\s+return\s+for\b", "renewed", "subj", needs_season=True, cue="return"),
    _lex(r"\b(?:will\s+be|is|are)\s+(?:officially\s+)?(?:coming\s+)?back\s+for\b", "renewed", "subj", needs_season=True, cue="back"),
    _lex(r"\b(?:is|are)\s+(?:officially\s+|now\s+)?set\s+for\s+(?=(?:an?|its)\s+[\w-]+\s+(?:season|series)\b|(?:season|series)\s+\w+\b)", "renewed", "subj", needs_season=True, cue="set"),
    _lex(r"\b(?:is|are)\s+(?:officially\s+)?(?:a\s+go|happening|greenlit)\b", "renewed", "subj", needs_season=True, cue=" a go|happening|greenlit"),
    _lex(r"\bthere\s+will\s+be\s+(?:an?\s+)?(?=(?:[\w-]+\s+(?:season|series)|(?:season|series)\s+\w+)\s+of\b)", "renewed", "obj", needs_season=True, cue="there will"),
    _lex(r"\b(?:bring(?:s|ing)?|brought)\b(?=\s+(?:[\w'&:.!-]+\s+){1,6}?back\s+for\b)", "renewed", "obj", needs_season=True, cue="bring|brought"),
    _lex(r"\b(?:gets?|got|earns?|earned|lands?|landed|scores?|scored|nabs?|nabbed|secures?|secured|receives?|received)\s+(?:an?\s+)?(?=(?:[\w-]+\s+){0,2}(?:season|series)\b)", "renewed", "subj", needs_season=True, cue="get|got|earn|land|scor|nab|secur|receiv"),
    _lex(rf"\bmov(?:es|ed|ing|e)\s+(?:over\s+)?to\s+(?={NETWORK_RE.pattern})", "renewed", "subj", needs_season=True, cue="mov"),
    _lex(r"\b(?:announced|announces|confirmed|confirms|unveiled)\s+(?:an?\s+)(?=[\w-]+\s+(?:season|series|instal?ment)\b)", "renewed", "obj", needs_season=True, cue="announc|confirm|unveil"),
    _lex(r"\b(?:has\s+been|was|is|have\s+been)\s+(?:officially\s+)?confirmed\b", "renewed", "subj", needs_season=True, cue="confirmed"),
    _lex(r"\bfinds?\s+(?:a\s+)?new\s+home\s+(?:at|on|with)\b", "renewed", "subj", cue="home"),
    _lex(r"\b\w+[\s-]season\s+(?:renewal|order|pickup|pick-up|extension)\b", "renewed", "any", cue="renewal|order|pickup|pick-up|extension"),
    _lex(r"\b(?:renewal|revival|pickup|pick-up|rescue)\s+of\b", "renewed", "obj", needs_season=True, cue="renewal|revival|pickup|pick-up|rescue"),
    _lex(r"\b(?:season|series)\s+\w+\s+(?:renewal|order|pickup|pick-up)\b", "renewed", "any", cue="renewal|order|pickup|pick-up"),
    _lex(r"\b(?:(?:has|have|had)\s+been\s+given|(?:was|were|is|are)\s+given|gets?|got|getting|earns?|earned|lands?|landed|receives?|received|scores?|scored)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?green[\s-]light\b", "renewed", "subj", cue="green"),
    _lex(r"\b(?:given|gave|gives|giving)\b(?=\s+(?:[\w'&:.-]+\s+){0,4}?(?:the|a)\s+green[\s-]light\b)", "renewed", "obj", cue="give|gave"),
    _lex(r"\b(?:given|gave|gives|giving|handed|hands|handing)\b(?=(?:[^.;]|(?<=\b[A-Z])\.){1,100}?\ban?\s+[\w-]+(?:\s+and\s+(?:an?\s+)?[\w-]+)?[\s-](?:season|series)\b)", "renewed", "obj", needs_season=True, cue="give|gave|hand"),
    _lex(r"\b(?:re-?commission(?:s|ed|ing)?|commission(?:s|ed|ing)?\s+(?=(?:an?\s+)?[\w-]+\s+(?:season|series)\b))", "renewed", "obj", cue="commission|recommission|re-commission"),
    _lex(rf"\brenew(?:s|ed|ing)?\b(?!\s+{_NOT_RENEWAL})", "renewed", "obj", cue="renew"),
    _lex(rf"\bpick(?:s|ed|ing)?\s+up\b{_NOT_SERIES_ORDER}(?!\s+{_NOT_PICKUP})", "renewed", "obj", cue="pick"),
    _lex(rf"\border(?:s|ed)\b{_NOT_SERIES_ORDER}", "renewed", "obj", cue="order"),
    _lex(r"\b(?:greenlit|green-lit|greenlights?|green-lights?|greenlighted|green-lighted)\b", "renewed", "obj", cue="green"),
    _lex(r"\breviv(?:e|es|ed|ing)\b", "renewed", "obj", cue="reviv"),
    _lex(r"\brescu(?:e|es|ed|ing)\b", "renewed", "obj", cue="rescu"),
    _lex(r"\bsav(?:e|es|ed)\b(?!\s+(?:for|the\s+day|money|time))", "renewed", "obj", cue="sav"),
    # ", bringing back its cast" says who returns, after the decision itself
    _lex(r"\b(?:bring(?:s|ing)?|brought)\s+back\b(?<!,\sbringing\sback)", "renewed", "obj", cue="back"),
]  # fmt: skip

_ALL_CUES = sorted({c.strip() for lexeme in LEXICON for c in lexeme.cues}, key=len, reverse=True)
CUES = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(cue.strip()) for cue in _ALL_CUES) + ")")
# A matched cue also stands for every shorter cue inside it ("renewal" -> "renew").
CONTAINED = {cue: {other for other in _ALL_CUES if other in cue} for cue in _ALL_CUES}
# Which wordings (by position in LEXICON, so priority is kept) each cue can start.
CANDIDATES = {
    cue: {
        index for index, lexeme in enumerate(LEXICON) if not CONTAINED[cue].isdisjoint(lexeme.cues)
    }
    for cue in _ALL_CUES
}
ALWAYS = {index for index, lexeme in enumerate(LEXICON) if not lexeme.cues}
BY = re.compile(r"\s+by\b", re.IGNORECASE)
PASSIVE_BEFORE = re.compile(
    r"\b(?:is|was|were|are|been|be|being|gets|got|get|getting|has\s+been|had\s+been)\s+"
    r"(?:(?:officially|also|already|now|just|finally|quietly|reportedly|formally)\s+)?$",
    re.IGNORECASE,
)
NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|no\s+longer|nothing|nobody|none|neither|nor|without)\b(?:\s+[\w'-]+){0,3}\s*$",
    re.IGNORECASE,
)
THERE_IS = re.compile(r"\bthere\s+(?:is|was|has\s+been)\s+$", re.IGNORECASE)
CONTRACTIONS = [
    (re.compile(r"\bwon't\b", re.I), "will not"),
    (re.compile(r"\bcan't\b", re.I), "cannot"),
    (re.compile(r"\bain't\b", re.I), "is not"),
    (re.compile(r"(?<=\w)n't\b", re.I), " not"),
    (re.compile(r"\b(pick(?:s|ed|ing)?|brought|bring(?:s|ing)?)\s+(it|them|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(up|back)\b", re.I), r"\1 \3 \2"),
]  # fmt: skip


def normalise(sentence: str, keep: re.Pattern[str] | None = None) -> str:
    """Expand contractions and move a split particle ("picked it up" -> "picked up it");
    text that `keep` matches (the page's known titles: "Don't Trust the B----") stays as is."""
    if keep is not None and "'" in sentence:
        pieces, position = [], 0
        for match in keep.finditer(sentence):
            pieces.append(normalise(sentence[position : match.start()]))
            pieces.append(match.group())
            position = match.end()
        if pieces:
            return "".join(pieces) + normalise(sentence[position:])
    if "'" in sentence:
        for pattern, replacement in CONTRACTIONS[:4]:
            sentence = pattern.sub(replacement, sentence)
    if " up" in sentence or " back" in sentence:
        pattern, replacement = CONTRACTIONS[4]
        sentence = pattern.sub(replacement, sentence)
    return sentence


def find_triggers(sentence: str) -> list[Trigger]:
    """Non-overlapping status wordings in a (normalised) sentence, in text order."""
    found: list[Trigger] = []
    candidates = set(ALWAYS)
    for cue in CUES.findall(sentence.lower()):
        candidates |= CANDIDATES[cue]
    for index in sorted(candidates):
        lexeme = LEXICON[index]
        for match in lexeme.pattern.finditer(sentence):
            start, end = match.start(), match.end()
            if any(start < t.end and t.start < end for t in found):
                continue
            role = lexeme.role
            before = sentence[:start]
            after = sentence[end:]
            passive = PASSIVE_BEFORE.search(before[-40:]) or BY.match(after)
            if passive and re.match(r"\w+ing\b", match.group()) and not BY.match(after):
                passive = None  # "Netflix is bringing X back": progressive, not passive
            if passive and THERE_IS.search(before[-40:]):
                passive = None  # "there is no word yet on X": X is still the object
            if role == "obj" and passive:
                role = "subj"
            negated = not lexeme.negation_inside and bool(NEGATION_BEFORE.search(before[-40:]))
            found.append(
                Trigger(
                    start,
                    end,
                    lexeme.status,
                    role,
                    lexeme.needs_season,
                    negated,
                    lexeme.needs_subject,
                )
            )
    found.sort(key=lambda t: t.start)
    return found
