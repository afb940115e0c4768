"""The article-level state the discourse walk hands to each sentence it reads."""

from dataclasses import dataclass

from pipelines.extraction.titles import TitleBook


@dataclass
@dataclass
class Context:
    book: TitleBook
    focus: str | None
    published: str | None
    fallback_network: str | None
    headline_seasons: dict[str, int]
    headline: str = ""
    last_network: str | None = None
    body: str = ""
    local: str | None = None  # the show the paragraph's previous sentences named
