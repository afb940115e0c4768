"""What extraction hands on: one claim about one show."""

from dataclasses import dataclass


@dataclass
class Claim:
    show: str
    season: int | None
    status: str  # renewed | cancelled | ending | pending
    network: str | None
    announced: str | None  # ISO date, YYYY-MM or YYYY
    confidence: float
    evidence: str
