"""Item pipeline step 1b (after extraction): in a tier-3 source, unnamed "sources say" is a hedge.

SEO blogs and aggregators pass rumours on as news: "sources say the show has been axed",
"we hear", "insiders claim". A trade outlet's own sources are its reporting; a blog naming
none has only hearsay, so such a claim is kept with a hedged confidence (SPEC: below 0.5)
and never decides a status. "According to Deadline" names its source and is left alone.
"""

import re
from typing import Any

from crawler.items import ArticleItem

LEAST_TRUSTED_TIER = 3
HEDGED_CONFIDENCE = 0.4
UNNAMED_SOURCE = re.compile(
    r"\b(?:sources?|insiders?|people)(?:\s+(?:close|familiar)\s+(?:to|with)(?:\s+the)?\s+\w+)?"
    r"\s+(?:say|says|said|tell|tells|told|claim|claims|claimed|suggest|suggests)\b"
    r"|\bwe(?:\s+are|'re|’re)?\s+(?:hear|hearing|told|understand)\b"
    r"|\b(?:according\s+to|per)\s+(?:sources|insiders|reports|rumou?rs)\b"
    r"|\brumou?r\s+has\s+it\b|\bword\s+(?:is|has\s+it)\b",
    re.IGNORECASE,
)


def hedge_unsourced(claims: list[dict], tier: int) -> list[dict]:
    """The claims, those of a tier-3 source resting on unnamed sources given a hedged confidence."""
    if tier < LEAST_TRUSTED_TIER:
        return claims
    return [
        {**claim, "confidence": min(claim.get("confidence") or 0, HEDGED_CONFIDENCE)}
        if UNNAMED_SOURCE.search(claim.get("evidence") or "")
        else claim
        for claim in claims
    ]


class UnsourcedClaimsPipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> "UnsourcedClaimsPipeline":
        return cls(crawler.stats)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        claims = hedge_unsourced(item.claims, item.tier)
        hedged = sum(new is not old for new, old in zip(claims, item.claims, strict=True))
        if hedged:
            self.stats.inc_value(f"renewals/source/{item.source}/hedged", hedged)
        item.claims = claims
        return item
