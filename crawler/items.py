"""Item types that flow from the spider through the item pipelines."""

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    """One fetched news article, already reduced to its main content.

    `body_html` is the cleaned article fragment (see `crawler.page`), kept so that claims
    can be re-extracted later without refetching; `claims` is filled by the extract pipeline.
    """

    url: str
    source: str
    tier: int
    title: str | None
    published: str | None
    modified: str | None
    body_html: str
    text: str
    fetched_at: str
    claims: list[dict] = field(default_factory=list)
