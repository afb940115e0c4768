import pytest

from pipelines.unsourced import hedge_unsourced


def claim(evidence: str) -> dict:
    return {"show": "Copper Sky", "status": "cancelled", "confidence": 0.9, "evidence": evidence}


@pytest.mark.parametrize(
    "evidence",
    [
        "Sources say Copper Sky has been axed by Netflix.",
        "Copper Sky has been cancelled, insiders told us.",
        "We hear Netflix has cancelled Copper Sky.",
        "Sources close to the production said Copper Sky is over.",
        "Copper Sky is done, according to sources.",
        "Word is that Copper Sky has been cancelled.",
    ],
)
def test_a_tier_3_claim_on_unnamed_sources_is_hedged(evidence: str) -> None:
    (hedged,) = hedge_unsourced([claim(evidence)], tier=3)
    assert hedged["confidence"] < 0.5


@pytest.mark.parametrize(
    "evidence",
    [
        "Netflix has cancelled Copper Sky, according to Deadline.",
        "Netflix has cancelled Copper Sky after two seasons.",
        "The streamer says Copper Sky will not return.",
    ],
)
def test_a_named_or_direct_claim_stays_firm(evidence: str) -> None:
    assert hedge_unsourced([claim(evidence)], tier=3) == [claim(evidence)]


def test_trade_press_and_outlets_keep_their_own_sources() -> None:
    evidence = "Sources say Copper Sky has been axed by Netflix."
    assert hedge_unsourced([claim(evidence)], tier=1) == [claim(evidence)]
    assert hedge_unsourced([claim(evidence)], tier=2) == [claim(evidence)]
