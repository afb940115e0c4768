"""Modality checks, kept apart from the wordings: is a frame negated, hedged, conditional,
asked, retracted by the page, or only a description ("the cancelled series X")?"""

import re

NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|no\s+longer|nothing|nobody|none|neither|nor|without|yet\s+to)\b"
    r"(?:\s+[\w'-]+){0,3}\s*$",
    re.IGNORECASE,
)
# Hedges anywhere in the clause before the wording...
HEDGE = re.compile(
    r"\b(?:could|might|should|hopes?|hoped|hoping|rumou?r\w*|reportedly|speculat\w*|in talks|"
    r"wish\w*|would love|claims?|claim(?:ing|ed)|false(?:ly)? report\w*|petition\w*|fans? want|"
    r"campaign\w*|necessary to|needed to|enough to|in order to|determined to|think|thinks|"
    r"betting|bet that|guess\w*|suspect|my (?:guess|bet|prediction)|not (?:yet )?been confirmed|"
    r"unconfirmed)\b|(?-i:\bmay\b)",
    re.IGNORECASE,
)
# ...and weaker ones only between the last comma and the wording ("as expected, X renewed").
NEAR_HEDGE = re.compile(
    r"\b(?:likely|unlikely|probably|possibly|perhaps|suggests?|predict\w*|expect\w*|chances?|"
    r"odds|efforts?|bid|fight\w*|trying|attempt\w*|plans? to|planning to|planned to|wants? to|"
    r"push)\b[^,]*$",
    re.IGNORECASE,
)
FANS = re.compile(r"\b(?:fans|viewers)\b[^.]{0,40}$", re.IGNORECASE)
# Where a hedge stops reaching: "it could never rise above X, and X got canceled".
HEDGE_SCOPE = re.compile(r",\s+(?:and|but|while|since|so|yet)\b", re.IGNORECASE)
# A condition hedges only the clause it opens: "If you missed it, X was renewed" is firm.
CONDITIONAL = re.compile(r"\b(?:if|whether|unless|until)\b[^,;]*$", re.IGNORECASE)
FALSE_REPORT = re.compile(
    r"\b(?:incorrectly|wrongly|falsely|erroneously|mistakenly|inaccurately|not true|fake|hoax|"
    r"(?:an\s+)?earlier version of th(?:is|e) (?:story|article|post|report))\b",
    re.IGNORECASE,
)
# "Reports that X had been cancelled are wrong": the page denies what it reports.
REPORTED = re.compile(
    r"\b(?:reports?|rumou?rs?|stories|claims?|we\s+(?:wrote|reported|said))\s+that\b", re.I
)
DENIED_AFTER = re.compile(
    r"^[^.;]*?\b(?:is|are|was|were)\s+(?:wrong|false|untrue|not\s+true|incorrect|inaccurate)\b",
    re.I,
)
# A sentence that only denies the one before it: "It was not." / "That was wrong."
DENIAL = re.compile(
    r"\s*(?:it|that|this|they|he|she)\s+(?:(?:was|were|is|are|did|has|had)\s+not|(?:was|is)\s+"
    r"(?:wrong|false|untrue|incorrect))\s*[.!]?\s*",
    re.I,
)
# A headline that opens like a question asks even without its question mark.
ASKING = re.compile(r"\s*(?:is|are|was|were|has|have|will|does|did|could|would|should|can)\s", re.I)
# "the cancelled series X", "a renewed push": the wording describes, it does not report.
ATTRIBUTIVE = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|that)\s+(?:recently\s+|now[\s-])?$", re.I
)
COMPARISON = re.compile(r"\b(?:unlike|like)\s+(?:[\w'-]+\s+){0,2}$", re.I)
# "whose second season was left in limbo": a past state told in passing, not a report.
PAST_RELATIVE = re.compile(r"\bwhose\b[^,;]*\b(?:was|were|had)\b[^,;]*$", re.IGNORECASE)


def negated_before(before: str) -> bool:
    """A negation within the few words before a wording ("has not been cancelled")."""
    return bool(NEGATION_BEFORE.search(before[-40:]))


def asks(sentence: str, headline: bool) -> bool:
    """A question, or a headline worded as one, states nothing."""
    return sentence.rstrip(" \"')").endswith("?") or (headline and bool(ASKING.match(sentence)))


def own_clause(before: str) -> str:
    """The part of the text before a wording that a hedge in it would govern."""
    cuts = list(HEDGE_SCOPE.finditer(before))
    return before[cuts[-1].start() :] if cuts else before


def hedged(clause: str) -> bool:
    """A hope, rumour, prediction or condition in the clause before the wording."""
    return bool(
        HEDGE.search(clause)
        or NEAR_HEDGE.search(clause)
        or CONDITIONAL.search(clause)
        or FANS.search(clause[-60:])
    )


def retracted(before: str, after: str = "") -> bool:
    """The page says the report is false or was corrected, before the wording or, for a
    report it quotes, after it."""
    if FALSE_REPORT.search(before):
        return True
    return bool(REPORTED.search(before) and DENIED_AFTER.search(after))


def denies(sentence: str) -> bool:
    """The sentence only says the one before it was untrue."""
    return bool(DENIAL.fullmatch(sentence))


def describes(before: str) -> bool:
    """The wording is an attribute of a noun ("the cancelled series") or part of a comparison
    ("unlike certain limited series"), not a report."""
    return bool(ATTRIBUTIVE.search(before[-60:]) or COMPARISON.search(before[-60:]))


def past_aside(before: str) -> bool:
    """A relative clause telling a past state in passing ("whose season was in limbo")."""
    return bool(PAST_RELATIVE.search(before))
