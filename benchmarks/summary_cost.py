"""What reading feed summaries with BeautifulSoup costs, next to parsing the feed itself.

Usage: python benchmarks/summary_cost.py [--items N]

Builds an RSS feed of N items (default 200) whose descriptions are HTML fragments of the usual
size (a paragraph, a link, about 300 characters), then times `parse_listing` on it and
`summary_text` on the raw fragments alone, and, for scale, lxml's own fragment parser reading
the same fragments' text. Best of five passes each, on one core.
"""

import argparse
import time
from xml.sax.saxutils import escape

import lxml.html

from crawler.feeds import parse_listing, summary_text

PASSES = 5
FRAGMENT = (
    "<p>Starz has renewed <b>Copper Sky</b> for a season {n}, the network said on Tuesday, "
    "after the first run drew its biggest audience in years &amp; strong reviews.</p>"
    '<p><img src="https://news.example/i/{n}.jpg"> <a href="https://news.example/{n}/">'
    "Continue reading</a></p>"
)


def best(run) -> float:
    times = []
    for _ in range(PASSES):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    fragments = [FRAGMENT.format(n=n) for n in range(args.items)]
    items = "".join(
        f"<item><title>Story {n}</title><link>https://news.example/{n}/</link>"
        f"<description>{escape(fragment)}</description></item>"
        for n, fragment in enumerate(fragments)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    listing = best(lambda: parse_listing(feed, "https://news.example/feed/"))
    summaries = best(lambda: [summary_text(fragment) for fragment in fragments])
    bare = best(
        lambda: [
            lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()
            for fragment in fragments
        ]
    )
    print(f"{args.items} items, {len(feed)} bytes of feed")
    print(f"parse_listing, summaries included: {listing * 1000:.2f} ms a feed")
    print(
        f"summary_text alone: {summaries * 1e6 / args.items:.0f} us a summary, "
        f"{summaries / listing:.0%} of parse_listing"
    )
    print(f"lxml fragment text, for scale: {bare * 1e6 / args.items:.0f} us a summary")


if __name__ == "__main__":
    main()
