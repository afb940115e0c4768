"""Time page parsing plus claim extraction against two references, on one core.

Usage: python benchmarks/extract_speed.py [CORPUS_DIR] [--pages N] [--pad]

CORPUS_DIR holds saved pages (*.html, searched recursively; default: the project's own test
pages in tests/pipelines/pages). They are repeated to at least N pages (default 2,000). Each
engine runs in its own child process, one after the other, so each uses one core and reports
its own peak memory (ru_maxrss):

- renewals: `parse_article` + `extract_claims` (what the crawler does for every page);
- lxml: `lxml.html.fromstring` alone, the floor;
- trafilatura: `trafilatura.extract`, plain main-text extraction with no claims.

The date-phrase cache is cleared before every pass over the corpus, so repeated pages do not
get dates parsed for free.

`--pad` inserts about 38 KB of typical page furniture (a long menu, an inline script, a rail of
teaser cards) after each page's <body> tag, for pages closer to the ~58 KB of a real news page;
the shared corpus pages are small (under 5 KB), which flatters a bare parser.
"""

import multiprocessing
import queue
import re
import resource
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "pipelines" / "pages"
FURNITURE = (
    "<div class='nav'><ul>"
    + "".join(f"<li><a href='/s/{i}'>Section {i} link text</a></li>" for i in range(150))
    + "</ul></div><script>"
    + "var x = {'a': 1, 'b': [1,2,3]};" * 600
    + "</script><aside class='sidebar'>"
    + "".join(
        f"<div class='card'><a href='/p/{i}'><img src='/i/{i}.jpg'>Teaser headline {i}</a></div>"
        for i in range(120)
    )
    + "</aside>"
).encode()


def _pad(html: bytes) -> bytes:
    return re.sub(rb"<body[^>]*>", lambda m: m.group(0) + FURNITURE, html, count=1)


def _renewals(pages: list[bytes], passes: int) -> int:
    from crawler.page import parse_article
    from pipelines.extract import extract_claims
    from pipelines.extraction.dates import parse_phrase

    claims = 0
    for _ in range(passes):
        parse_phrase.cache_clear()
        for html in pages:
            claims += len(extract_claims(parse_article(html)))
    return claims


def _lxml(pages: list[bytes], passes: int) -> int:
    import lxml.html

    for _ in range(passes):
        for html in pages:
            lxml.html.fromstring(html)
    return 0


def _trafilatura(pages: list[bytes], passes: int) -> int:
    import trafilatura

    for _ in range(passes):
        for html in pages:
            trafilatura.extract(html.decode("utf-8", "replace"))
    return 0


ENGINES = {"renewals": _renewals, "lxml": _lxml, "trafilatura": _trafilatura}


def _child(name: str, pages: list[bytes], passes: int, results: multiprocessing.Queue) -> None:
    engine = ENGINES[name]
    engine(pages, 1)  # imports, caches and first-call set-up are not timed
    started = time.perf_counter()
    claims = engine(pages, passes)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put((name, elapsed, peak_mb, claims))


def _result_of(child: multiprocessing.Process, results: multiprocessing.Queue) -> tuple | None:
    """The child's report, or None once it has died without one (an engine whose import
    fails, such as trafilatura 2 without lxml_html_clean, must not hang the benchmark)."""
    while True:
        try:
            return results.get(timeout=0.5)
        except queue.Empty:
            if not child.is_alive():
                try:
                    return results.get(timeout=0.5)  # it may have reported just before exiting
                except queue.Empty:
                    return None


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    minimum = 2000
    if "--pages" in argv:
        minimum = int(argv[argv.index("--pages") + 1])
        args = [a for a in args if a != str(minimum)]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    pages = [p.read_bytes() for p in sorted(corpus.rglob("*.html"))]
    if "--pad" in argv:
        pages = [_pad(page) for page in pages]
    if not pages:
        print(f"no .html pages under {corpus}", file=sys.stderr)
        return 2
    passes = -(-minimum // len(pages))
    total = passes * len(pages)
    size_kb = sum(map(len, pages)) / len(pages) / 1024
    print(f"{len(pages)} pages from {corpus} (mean {size_kb:.1f} KB) x {passes} = {total} pages")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    rates = {}
    for name in ENGINES:
        child = context.Process(target=_child, args=(name, pages, passes, results))
        child.start()
        result = _result_of(child, results)
        child.join()
        if result is None:
            print(f"{name:<12} died (exit code {child.exitcode}) before reporting")
            continue
        name, elapsed, peak_mb, claims = result
        rates[name] = total / elapsed
        extra = f", {claims} claims" if name == "renewals" else ""
        print(
            f"{name:<12} {rates[name]:>9.1f} pages/s  {1000 * elapsed / total:>7.3f} ms/page  "
            f"peak RSS {peak_mb:.0f} MB{extra}"
        )
    for reference in ("lxml", "trafilatura"):
        if "renewals" not in rates or reference not in rates:
            continue
        ratio = rates["renewals"] / rates[reference]
        word = "faster" if ratio >= 1 else "slower"
        print(f"renewals is {max(ratio, 1 / ratio):.1f}x {word} than {reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
