"""Claim extraction: which show, which season, which status, read from one article page.

The public entry points are `extract_claims` (an `ArticlePage` in, claims out) and
`extract_file` (the `renewals extract` record for a saved page). Everything works from the
cleaned `body_html`, so stored articles can be re-extracted without the original page.
Extraction is a pure function of the page and the titles the caller already knows; its
stages live in `pipelines.extraction` (see that package's docstring).
"""

from collections.abc import Iterable

from crawler.page import ArticlePage, parse_article
from pipelines.extraction.claim import Claim
from pipelines.extraction.consolidate import consolidate
from pipelines.extraction.discourse import article_claims
from pipelines.extraction.document import read_articles

__all__ = ["Claim", "extract_claims", "extract_file", "extract_page"]


def extract_file(path: str, url: str | None = None, known_titles: Iterable[str] = ()) -> list[dict]:
    """The `renewals extract` records for one saved page; OSError if it cannot be read."""
    with open(path, "rb") as handle:
        return extract_page(handle.read(), path, url, known_titles)


def extract_page(
    data: bytes, path: str, url: str | None = None, known_titles: Iterable[str] = ()
) -> list[dict]:
    """The `renewals extract` records for one page's bytes, read from `path`."""
    page = parse_article(data, url)
    return [
        {
            "file": path,
            "url": page.url,
            "show": claim.show,
            "season": claim.season,
            "status": claim.status,
            "network": claim.network,
            "announced": claim.announced,
            "published": page.published,
            "confidence": claim.confidence,
            "evidence": claim.evidence,
        }
        for claim in extract_claims(page, known_titles)
    ]


def extract_claims(page: ArticlePage, known_titles: Iterable[str] = ()) -> list[Claim]:
    """All claims an article makes, deduplicated; never raises on odd input.

    `known_titles`: show titles and aliases already stored, recognised even where this page
    does not quote them."""
    try:
        articles = read_articles(page.body_html, page.title)
    except Exception:  # noqa: BLE001 - a broken stored fragment yields no claims
        return []
    titles = tuple(known_titles)
    claims: list[Claim] = []
    for article in articles:
        try:
            claims.extend(article_claims(article, page.published, titles))
        except Exception:  # noqa: BLE001 - one odd article must not stop a crawl
            continue
    return consolidate(claims)
