"""Stage 5b: a frame's other arguments: the seasons it is about (SPEC season arithmetic),
the network that decided, and when it was announced."""

import re

from pipelines.extraction.dates import find_date_phrases, parse_phrase
from pipelines.extraction.frames import Frame
from pipelines.extraction.networks import find_networks
from pipelines.extraction.seasons import SeasonMention

CLAUSE_END = re.compile(r";|\s[\u2014\u2013]\s|,\s+(?:while|but|whereas|although|and)\b")


CLAUSE_JOIN = re.compile(
    r";|,\s+(?:while|but|whereas|although|and)\s+(?=\S+\s+(?:has|have|is|was))"
)


RELATIVE_ASIDE = re.compile(r",\s*(?:whose|which|who)\b[^,;]*,")


# The season a renewal orders, called the last: "for a fifth and final season", "for its
# final season", "for season 5, its last", "for a fifth season, its final one".
FINAL_ORDER = re.compile(
    r"\bfor\s+(?:a|an|its|their|the|one)\s+(?:[\w-]+\s+){0,3}?(?:final|last)\s+"
    r"(?:season|series|run|chapter|instal?ment|outing|go-round)\b"
    r"|\bfor\s+(?:a|an|its|their|the)?\s*(?:[\w-]+\s+){0,2}?(?:season|series)(?:\s+\d{1,2})?,\s*"
    r"(?:its|their|the\s+show's|the\s+series')\s+(?:final|last)\b",
    re.IGNORECASE,
)


def orders_final(text: str, frame: Frame, right: int) -> bool:
    """Whether a renewal's own complement makes the season it orders the show's last, so
    the claim is `ending` whatever wording carried the renewal."""
    clause_end = CLAUSE_END.search(text, frame.end, right)
    stop = clause_end.start() if clause_end else right
    return bool(FINAL_ORDER.search(text, frame.start, stop))


# Where a new clause starts after a frame: "renewed X, but season 3 of Y was cancelled".
NEW_CLAUSE = re.compile(r";|,\s*(?:but|while|whereas|although|and|yet)\b|\s(?:but|while|whereas)\s")
RELATIVE = re.compile(r",\s*(?:which|that)\b")
CONTRAST = re.compile(r",\s*(?:but|while|whereas|although|yet)\b|\s(?:but|while|whereas)\s")


def previous_complement(text: str, previous: Frame | None, frame: Frame) -> int:
    """Where this frame's own words may start: after the previous frame's complement, which
    runs from that frame to the first new clause ("renewed X for a fifth season and gave Y
    a second season order": the fifth season is X's, not Y's)."""
    if previous is None or previous.role == "subj":
        return 0
    if RELATIVE.search(text, previous.end, frame.start):
        return 0  # "renewed X for a fifth season, which will be its last": the same season
    boundary = NEW_CLAUSE.search(text, previous.end, frame.start)
    return boundary.end() if boundary else frame.start


def seasons_for(
    found: list[SeasonMention], text: str, frame: Frame, left: int, right: int
) -> list[int | None]:
    """Seasons from the frame's own words and after it first, then shortly before it;
    not from a relative clause the frame is outside ("X, whose first season flopped, ...").
    `left` is where the frame's own clause may start; a season that opens the next frame's
    words ("gave X a second season order") is this frame's too."""
    if found and ("whose" in text or "which" in text or "who" in text):
        asides = [
            m.span()
            for m in RELATIVE_ASIDE.finditer(text)
            if not m.start() <= frame.start < m.end()
        ]
        found = [m for m in found if not any(a <= m.start < b for a, b in asides)]
    contrast = CONTRAST.search(text, frame.end, right)
    stop = contrast.start() if contrast else right  # "renewed X, but season 3 of Y ..."
    if frame.status == "pending":  # "awaiting word from Fox on season 3", within its clause
        clause_end = CLAUSE_END.search(text, frame.end)
        stop = clause_end.start() if clause_end else len(text)
    ahead = [m for m in found if frame.start <= m.start < stop or m.start == right]
    reach = 200 if frame.status in {"cancelled", "ending"} else 45
    window = max(left, frame.start - reach)
    for clause in CLAUSE_JOIN.finditer(text, window, frame.start):
        window = clause.end()  # ", and Netflix has declined to ...": not the earlier clause's
    behind = [m for m in reversed(found) if m.start >= window and m.end <= frame.start]
    if frame.role == "subj" and behind and not (ahead and ahead[0].start - frame.end < 30):
        return arithmetic(frame.status, behind + ahead) or [None]  # "Season 3 of X is confirmed"
    return arithmetic(frame.status, ahead + behind) or [None]


def arithmetic(status: str, mentions: list[SeasonMention]) -> list[int | None]:
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


def network_for(text: str, frame: Frame, left: int, right: int) -> str | None:
    """Who decided: "moves to X" or "by/on X" after the wording, else the nearest one before."""
    inside = find_networks(text[frame.start : frame.end])
    if inside:
        return inside[0][2]  # "Peacock has ended X"
    following = find_networks(text[frame.end : right])
    for start, _, name in following:
        lead = text[frame.end : frame.end + start]
        if re.fullmatch(r"\s*(?:the\s+)?", lead) or (
            frame.role == "subj" and re.search(r"\b(?:by|on|at|from)\s+(?:the\s+)?$", lead)
        ):
            return name
    before = find_networks(text[left : frame.start]) or find_networks(text[: frame.start])
    if before:
        return before[-1][2]
    clause_end = CLAUSE_END.search(text, frame.end, right)
    if clause_end:  # "a decision on X is still to come, while CBS ...": CBS is not X's
        following = [f for f in following if frame.end + f[0] < clause_end.start()]
    return following[0][2] if following else None


def announced_for(
    text: str, frame: Frame, left: int, right: int, published: str | None
) -> str | None:
    clause_end = CLAUSE_END.search(text, frame.end, right)
    right = clause_end.start() if clause_end else right
    phrases = find_date_phrases(text[left:right])
    if not phrases:
        return None
    anchor = frame.start - left
    offset, phrase = min(phrases, key=lambda p: abs(p[0] - anchor))
    return parse_phrase(phrase, published)
