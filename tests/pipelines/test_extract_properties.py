"""Property test: any generated HTML gives well-formed claims or none, and never an error."""

# ruff: noqa: E501 - inline HTML fixtures read better unwrapped

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.page import parse_article
from pipelines.extract import Claim, extract_claims

STATUSES = {"renewed", "cancelled", "ending", "pending"}
WORDS = [
    "Netflix", "HBO", "has", "renewed", "cancelled", "canceled", "axed", "for", "a", "second",
    "season", "after", "two", "seasons", "final", "will", "end", "with", "not", "been", "The",
    "series", "it", "Season", "3", "S4", "fourth", "and", "no", "decision", "awaiting", "word",
    "on", "Is", "?", "film", "spin-off", "UPDATE:", "in", "January", "2020", "Tuesday", ",",
    ".", "'", "\u201c", "\u201d", "&", "/", "Law", "Order:", "9-1-1:", "Lone", "Star", "S.H.I.E.L.D.",
    "\u00e9", "\x00", "<", ">", "&amp;", "sophomore", "two more seasons", "through season 8",
]  # fmt: skip
TAGS = ["p", "em", "i", "b", "strong", "div", "article", "h1", "h2", "li", "ul", "table", "tr",
        "td", "th", "aside", "nav", "span", "a", "blockquote", "script", "time"]  # fmt: skip

text = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)


@st.composite
def html(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            close = draw(st.booleans())  # sometimes leave it open: broken markup
            parts.append(f"<{tag}>{draw(html(depth + 1))}" + (f"</{tag}>" if close else ""))
        else:
            parts.append(draw(text))
    return "".join(parts)


def well_formed(claim: Claim) -> bool:
    return (
        isinstance(claim.show, str)
        and claim.show.strip() == claim.show
        and bool(claim.show)
        and claim.status in STATUSES
        and (claim.season is None or (isinstance(claim.season, int) and 0 < claim.season < 100))
        and (claim.network is None or isinstance(claim.network, str))
        and (claim.announced is None or len(claim.announced) in (4, 7, 10))
        and 0.0 <= claim.confidence <= 1.0
        and isinstance(claim.evidence, str)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html())
def test_generated_html_gives_well_formed_claims_or_none(markup):
    page = parse_article(f"<html><body>{markup}</body></html>")
    claims = extract_claims(page)
    assert all(well_formed(c) for c in claims)
    keys = [(c.show.lower(), c.status, c.season) for c in claims]
    assert len(keys) == len(set(keys))  # no duplicate claims


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(data):
    claims = extract_claims(parse_article(data))
    assert all(well_formed(c) for c in claims)
