"""Sentence splitting that survives initials, abbreviations and dotted titles."""

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "bros", "inc", "co", "corp", "ltd",
    "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "ep", "vol",
    "u.s", "u.k", "e.g", "i.e", "etc", "prof", "gen", "sgt", "capt", "lt", "col", "rev",
}  # fmt: skip
MAX_SENTENCE = 600
BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a capital, unless the dot ends an abbreviation or initial."""
    sentences = []
    start = 0
    for match in BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip("\"')]")
        word = re.search(r"([\w.]+)[.!?]$", before)
        if word and before.endswith("."):
            token = word.group(1).lower()
            if token in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):
                continue
        sentences.append(text[start : match.start()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [piece for s in sentences for piece in _bounded(s) if piece]


def _bounded(sentence: str) -> list[str]:
    """Cut run-on text (no full stops for pages) at commas, so work per sentence stays small."""
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = sentence.rfind(", ", 0, MAX_SENTENCE)
        cut = cut + 1 if cut > MAX_SENTENCE // 4 else sentence.rfind(" ", 0, MAX_SENTENCE)
        cut = cut if cut > 0 else MAX_SENTENCE
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    pieces.append(sentence)
    return pieces
