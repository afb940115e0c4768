"""Score the page parser's main text against trafilatura on real article pages.

Usage: python benchmarks/page_benchmark.py BENCHMARK_DIR [--worst N]

BENCHMARK_DIR is a local copy of scrapinghub/article-extraction-benchmark (MIT): 181 real
pages in html/*.html.gz and each page's `articleBody` in ground-truth.json. Its pages are
never committed here. Scores come from the benchmark's own evaluate.py, loaded from that
directory, so the figures are comparable with the table in its README: overlapping 4-word
runs, precision and recall averaged per page.

Rows: `ArticlePage.text` (the body, the headline kept apart in `ArticlePage.title`), the same
with the headline prepended (what a reader sees), and `trafilatura.extract` called as the
benchmark's own runner calls it. Time is the best of three passes over all pages, in this
process, parsing only (no scoring); ours gets the page's bytes, as the spider does,
trafilatura the decoded text, as the benchmark's runner does. For the README's note on
beautifulsoup4, it also times a whole-page parse by lxml and by BeautifulSoup (lxml builder),
and re-reading each located article (`body_html`) with BeautifulSoup. The worst pages by our
F1 are listed last.
"""

import argparse
import gzip
import importlib.util
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

PASSES = 3
FLOOR = 0.3  # the "no page under F1 0.3"


def load_metric(directory: Path) -> ModuleType:
    """The benchmark's evaluate.py as a module (its scorer, not a re-implementation)."""
    spec = importlib.util.spec_from_file_location("aeb_evaluate", directory / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: no evaluate.py in {directory}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(directory: Path) -> tuple[dict[str, bytes], dict[str, dict]]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf8"))
    pages = {
        key: gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes()) for key in truth
    }
    return pages, truth


def timed(
    run: Callable[[str, bytes], str], pages: dict[str, bytes]
) -> tuple[dict[str, str], float]:
    """Each page's text from `run`, and the best pass's milliseconds a page."""
    best = float("inf")
    texts: dict[str, str] = {}
    for _ in range(PASSES):
        started = time.perf_counter()
        texts = {key: run(key, html) for key, html in pages.items()}
        best = min(best, time.perf_counter() - started)
    return texts, best * 1000 / len(pages)


def page_f1(metric: ModuleType, true: str, pred: str) -> float:
    tp, fp, fn = metric.string_shingle_matching(true=true, pred=pred)
    precision = metric.precision_score(tp, fp, fn)
    recall = metric.recall_score(tp, fp, fn)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="local copy of article-extraction-benchmark")
    parser.add_argument("--worst", type=int, default=10, help="how many worst pages to list")
    args = parser.parse_args()
    if not (args.directory / "ground-truth.json").is_file():
        raise SystemExit(f"error: {args.directory} has no ground-truth.json")

    import lxml.html
    import trafilatura
    from bs4 import BeautifulSoup

    from crawler.page import parse_article

    metric = load_metric(args.directory)
    pages, truth = load_pages(args.directory)
    parsed: dict[str, object] = {}

    def ours(key: str, html: bytes) -> str:
        parsed[key] = page = parse_article(html, truth[key].get("url"))
        return page.text

    def theirs(key: str, html: bytes) -> str:
        return trafilatura.extract(html.decode("utf8"), include_comments=False) or ""

    body, ours_ms = timed(ours, pages)
    headed = {key: "\n\n".join(filter(None, [parsed[key].title, body[key]])) for key in pages}
    reference, theirs_ms = timed(theirs, pages)
    _, lxml_ms = timed(lambda key, html: lxml.html.document_fromstring(html), pages)
    _, whole_soup_ms = timed(lambda key, html: BeautifulSoup(html, "lxml"), pages)
    fragments = {key: parsed[key].body_html.encode() for key in pages}
    _, soup_ms = timed(lambda key, html: BeautifulSoup(html, "lxml").get_text(), fragments)

    rows = [
        ("renewals ArticlePage.text", body, f"{ours_ms:.1f}"),
        ("same, headline prepended", headed, ""),
        (f"trafilatura {trafilatura.__version__}", reference, f"{theirs_ms:.1f}"),
    ]
    print(f"{len(pages)} pages; F1 P R are the benchmark's evaluate.py, averaged per page")
    print(f"{'system':<28} {'F1':>6} {'P':>6} {'R':>6} {'ms/page':>8} {'F1<' + str(FLOOR):>7}")
    for name, texts, ms in rows:
        shingles = [
            metric.string_shingle_matching(true=truth[key].get("articleBody", ""), pred=texts[key])
            for key in pages
        ]
        scores = metric.metrics_from_tp_fp_fns(shingles)
        low = sum(
            page_f1(metric, truth[key].get("articleBody", ""), texts[key]) < FLOOR for key in pages
        )
        print(
            f"{name:<28} {scores['f1']:>6.3f} {scores['precision']:>6.3f} "
            f"{scores['recall']:>6.3f} {ms:>8} {low:>7}"
        )
    print(f"speed: renewals is {theirs_ms / ours_ms:.1f}x faster than trafilatura")
    print(
        f"whole-page parse: lxml {lxml_ms:.1f} ms, BeautifulSoup {whole_soup_ms:.1f} ms a page; "
        f"BeautifulSoup of the located article (body_html): {soup_ms:.1f} ms a page"
    )

    ours_f1 = {key: page_f1(metric, truth[key].get("articleBody", ""), body[key]) for key in pages}
    print(f"median renewals page F1: {statistics.median(ours_f1.values()):.3f}")
    print(f"\nworst {args.worst} pages (renewals F1 / trafilatura F1, key, url):")
    for key in sorted(pages, key=ours_f1.__getitem__)[: args.worst]:
        theirs_f1 = page_f1(metric, truth[key].get("articleBody", ""), reference[key])
        print(f"  {ours_f1[key]:.3f} / {theirs_f1:.3f}  {key[:12]}  {truth[key].get('url', '')}")


if __name__ == "__main__":
    main()
