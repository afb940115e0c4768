"""Stage 7: the article's claims consolidated: one per (show, status, season), and the rules
that need all of an article's claims at once (a limited series that concluded is not also
cancelled; a final season ordered is not also a renewal)."""

import re

from pipelines.extraction.claim import Claim

LIMITED = re.compile(r"\b(?:limited|mini-?series)\b", re.IGNORECASE)


def _limited_rules(claims: list[Claim]) -> list[Claim]:
    """A limited series that concluded is `ending`, not cancelled ("There won't be a season 2"),
    and when a season is ruled out ("no season 2"), the one before it is the final one;
    otherwise its one season is."""
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
        if key in limited and claim.status == "ending" and claim.season is None:
            claim.season = ruled_out[key] - 1 if ruled_out.get(key, 0) > 1 else 1
        kept.append(claim)
    return kept


def _key(show: str) -> str:
    text = re.sub(r"[\"'\u2018\u2019\u201c\u201d]", "", show.lower())
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def consolidate(claims: list[Claim]) -> list[Claim]:
    """One claim per (show, status, season), the most confident; drop season-less repeats,
    and a first season "ordered", which is a new series rather than a renewal."""
    claims = [c for c in _limited_rules(claims) if not (c.status == "renewed" and c.season == 1)]
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
