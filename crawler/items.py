"""Item types that flow from the spider through the item pipelines."""

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    """One fetched news article.

    The spider only fetches: it fills `url` and `fetched_url` (the URL it was fetched from),
    `source`, `tier`, `fetched_at` and `html`, the page as downloaded. The extract step parses
    `html` (in a worker process) into the page's fields and `claims`, puts the page's
    canonical URL in `url` and drops `html`; storage keys the article by `fetched_url` when
    `url` is another source's stored article. `body_html`
    is the cleaned article fragment (see `crawler.page`), kept so that claims can be
    re-extracted later without refetching.
    """

    url: str
    source: str
    tier: int
    fetched_at: str
    fetched_url: str = ""
    html: bytes = field(default=b"", repr=False)
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    body_html: str = field(default="", repr=False)
    text: str = field(default="", repr=False)
    claims: list[dict] = field(default_factory=list)
