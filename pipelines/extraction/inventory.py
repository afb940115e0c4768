"""Stage 2: the title inventory, every title one article names (headline, emphasis, quotes,
table cells, list headings and leads, and the titles the database already knows), and the
article's subject: what "the series" means when nothing closer names a show."""

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from pipelines.extraction.document import Article
from pipelines.extraction.seasons import find_seasons
from pipelines.extraction.tables import table_rows
from pipelines.extraction.titles import QUOTED, TitleBook, heading_title, headline_titles

PUNCTUATION = "\"'.,;:!?()[]\u2018\u2019\u201c\u201d"


def build_inventory(article: Article, known_titles: Iterable[str] = ()) -> TitleBook:
    """Collect the titles this article names, and decide its subject. A known title (one the
    database already stores) counts wherever the article names it, quoted or not."""
    book = TitleBook()
    body = "\n".join(b.text for b in article.blocks)
    if known_titles:
        index = _by_first_word(tuple(known_titles))
        text = f"{article.headline}\n{body}"
        words = {word.strip(PUNCTUATION) for word in text.split()}
        for word in words & index.keys():
            for title in index[word]:
                if title in text and _named(title, text):
                    book.add(title)
    from_headline = [t for t in headline_titles(article.headline, body) if book.add(t, False)]
    emphasis: Counter[str] = Counter()
    for block in article.blocks:
        for text in block.emphasis:
            title = book.add(text)
            if title:
                emphasis[title] += 1
        for match in QUOTED.finditer(block.text):
            book.add(match.group(2))
        if block.kind == "table":
            for claim in table_rows(block.rows):
                book.add(claim["show"])
    for block in article.blocks:
        if block.kind == "heading":
            book.add(heading_title(block.text, book))
        if block.lead and not block.lead.endswith(":"):  # "Status:" labels a field
            book.add(block.lead)
    if from_headline:
        book.subject = from_headline[0]
    elif emphasis:
        counts = {t: len(re.findall(rf"(?<![\w-]){re.escape(t)}(?![\w-])", body)) for t in emphasis}
        best = max(counts, key=lambda t: (counts[t], len(t)))
        book.subject = best if counts[best] >= 2 or len(emphasis) == 1 else None
    return book


def headline_seasons(headline: str, book: TitleBook) -> dict[str, int]:
    """Season the headline asks about ("Will X Get a Season 2?"), for pending claims."""
    mentions = find_seasons(headline)
    if not mentions or not book.subject:
        return {}
    return {book.subject: mentions[0].values[0]}


@lru_cache(maxsize=4)
def _by_first_word(titles: tuple[str, ...]) -> dict[str, list[str]]:
    """Known titles by their first word, so a page is checked only for the titles it might
    name (a crawl passes thousands)."""
    index: dict[str, list[str]] = {}
    for title in titles:
        words = title.split()
        if words:
            index.setdefault(words[0].strip(PUNCTUATION), []).append(title)
    return index


def _named(title: str, body: str) -> bool:
    """The body names a known title as a name: a one-word title ("Evil", "You") only where it
    does not open a sentence, since there it may be any capitalised word."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(title)}(?![\w-])", body):
        before = body[: match.start()].rstrip(" \"'")
        if " " in title or (before and before[-1] not in ".!?\n"):
            return True
    return False
