"""Why extraction keeps its own tokens: spaCy's blank English tokenizer and sentencizer
against the extractor's own sentence splitter, on the block text of saved pages.

Usage: python benchmarks/tokenise_speed.py [CORPUS_DIR]   (needs `pip install spacy`; no
model is downloaded: `spacy.blank("en")` is the rule-based tokenizer only)

Both run on the same text, one article at a time, on one core. "own split + frames" also
finds the status wordings (the lexicon) in the sentences a cue word admits, which is the
work spaCy's tokens would have to replace.
"""

import sys
import time
from pathlib import Path

from crawler.page import parse_article
from pipelines.extraction.document import read_articles
from pipelines.extraction.frames import find_frames, has_cue
from pipelines.extraction.sentences import split_sentences

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "pipelines" / "pages"
PASSES = 5


def _texts(corpus: Path) -> list[str]:
    texts = []
    for path in sorted(corpus.rglob("*.html")):
        page = parse_article(path.read_bytes())
        for article in read_articles(page.body_html, page.title):
            texts.append("\n".join(block.text for block in article.blocks))
    return texts


def _rate(name: str, engine, texts: list[str]) -> None:
    engine(texts[0])  # first-call set-up is not timed
    started = time.perf_counter()
    for _ in range(PASSES):
        for text in texts:
            engine(text)
    per_article = (time.perf_counter() - started) / (PASSES * len(texts))
    print(f"{name:<30} {1 / per_article:>8.0f} articles/s  {1000 * per_article:.3f} ms/article")


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    texts = _texts(corpus)
    if not texts:
        print(f"no .html pages under {corpus}", file=sys.stderr)
        return 2
    words = sum(len(text.split()) for text in texts) // len(texts)
    print(f"{len(texts)} articles from {corpus}, {words} words each on average")
    _rate("own split_sentences", split_sentences, texts)
    _rate(
        "own split + frames",
        lambda text: [find_frames(s) for s in split_sentences(text) if has_cue(s)],
        texts,
    )
    try:
        import spacy
    except ImportError:
        print("spacy is not installed: pip install spacy", file=sys.stderr)
        return 0
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    _rate("spacy blank('en') + sentencizer", lambda text: list(nlp(text).sents), texts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
