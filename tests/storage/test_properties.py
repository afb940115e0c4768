"""Properties that must hold for any input: identity rules and order-independent replay."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.ledger import final_state, replay
from storage.queries import show_key

TITLE = st.text(alphabet=string.ascii_letters + string.digits + " '-:.&!", max_size=30)


@given(TITLE)
def test_show_key_ignores_case(title: str) -> None:
    assert show_key(title.swapcase()) == show_key(title)


@given(TITLE)
def test_a_leading_the_is_optional(title: str) -> None:
    key = show_key(title)
    # a title that itself starts with the word "the" ("THE:0") keeps it after another "The"
    if key and key != "the" and not show_key("x " + title).startswith("x the"):
        assert show_key("The " + title) == key


@given(st.text(max_size=40))
def test_show_key_never_fails_and_is_trimmed(title: str) -> None:
    key = show_key(title)
    assert key == key.strip() and "  " not in key


CLAIM = st.fixed_dictionaries(
    {
        "article_url": st.sampled_from([f"https://s{i}/a" for i in range(6)]),
        "status": st.sampled_from(["renewed", "cancelled", "ending", "pending"]),
        "season": st.one_of(st.none(), st.integers(1, 6)),
        "network": st.sampled_from([None, "Netflix", "HBO"]),
        "announced": st.sampled_from([None, "2020-01-05"]),
        "effective": st.sampled_from(["2020-01-05", "2020-02-01", "2020-09-30", "2021-06-01"]),
        "confidence": st.sampled_from([0.3, 0.9]),
        "evidence": st.sampled_from(["a", "b"]),
        "source": st.sampled_from(["trade", "paper", "blog", "fans"]),
        "tier": st.integers(1, 3),
        "fetched_at": st.just("2024-01-01T00:00:00+00:00"),
    }
)


def _outcome(claims: list[dict]) -> tuple:
    ledger = final_state(claims)
    state = ledger.state
    steps = [(d.status, d.season, d.url) for _, d in replay(claims)]
    disputes = sorted((d.url, d.status, d.season or 0) for d in ledger.disputes())  # 0: unknown
    if state is None:
        return None, steps, disputes
    return (state.key, state.network, state.decision.url), steps, disputes


@settings(max_examples=300)
@given(st.lists(CLAIM, max_size=12), st.randoms(use_true_random=False))
def test_replay_does_not_depend_on_the_order_claims_arrive(claims: list[dict], rng) -> None:
    shuffled = claims[:]
    rng.shuffle(shuffled)
    assert _outcome(shuffled) == _outcome(claims)


@settings(max_examples=300)
@given(st.lists(CLAIM, max_size=12))
def test_hedged_claims_never_matter(claims: list[dict]) -> None:
    firm = [c for c in claims if c["confidence"] >= 0.5]
    assert _outcome(claims) == _outcome(firm)


@settings(max_examples=300)
@given(st.lists(CLAIM, max_size=12))
def test_repeating_every_claim_changes_nothing(claims: list[dict]) -> None:
    assert _outcome(claims + [dict(c) for c in claims])[0] == _outcome(claims)[0]
