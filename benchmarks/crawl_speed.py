"""How much the whole pipeline costs per page, compared with bare Scrapy.

Generates a local site of 2,000 article pages (about 60 KB each, every title renewal-like so
the relevance filter skips none) behind an RSS feed, serves it on 127.0.0.1 with Twisted's
static file server, and crawls it

  (a) with a bare Scrapy spider that only downloads the same article URLs, and
  (b) with `renewals crawl` into a fresh database (extract, store, flag),

both with the same concurrency and no delay; then (c) runs `renewals crawl` again on the
unchanged site. Each crawl runs in its own process (Scrapy's reactor is one-shot), which also
gives each its own peak RSS.

    python benchmarks/crawl_speed.py [--pages 2000] [--concurrency 16] [--keep DIR] [--profile]

Pages/second is articles downloaded divided by the crawl's own elapsed time (Scrapy's
`elapsed_time_seconds`, engine start to close: process start-up is reported separately).
`--profile` crawls once more into another fresh database under cProfile and prints where
the time goes.
"""

import argparse
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

NETWORKS = ["Netflix", "HBO", "NBC", "CBS", "ABC", "Hulu", "Peacock", "Apple TV+", "Starz", "FX"]
WORDS = [
    "the",
    "series",
    "drama",
    "comedy",
    "showrunner",
    "cast",
    "network",
    "streaming",
    "audience",
    "premiere",
    "finale",
    "episode",
    "viewers",
    "ratings",
    "production",
    "writers",
    "critics",
    "story",
    "character",
    "season",
    "studio",
]

SERVER = textwrap.dedent(
    """
    import sys
    from twisted.internet import reactor
    from twisted.web.server import Site
    from twisted.web.static import File

    class CountingSite(Site):
        def log(self, request):
            LOG.write(request.uri.decode() + "\\n")
            LOG.flush()

    LOG = open(sys.argv[2], "a")
    port = reactor.listenTCP(0, CountingSite(File(sys.argv[1])), interface="127.0.0.1")
    print(port.getHost().port, flush=True)
    reactor.run()
    """
)

BARE_SPIDER = textwrap.dedent(
    """
    import sys
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in open(sys.argv[1]).read().split():
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            pass

    settings = dict(arg.split("=", 1) for arg in sys.argv[2:])
    process = CrawlerProcess(settings)
    process.crawl(BareSpider)
    process.start()
    """
)


def article_html(index: int, rng: random.Random) -> tuple[str, str]:
    """One news page of about 60 KB: the article, plus the furniture real pages carry."""
    show = f"Harbor Story {index}"
    network = NETWORKS[index % len(NETWORKS)]
    season = 2 + index % 6
    title = f"'{show}' Renewed for Season {season} at {network}"
    filler = [" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(12)]
    paragraphs = [
        f"{network} has renewed {show} for season {season}, the network announced on Monday.",
        *filler[:6],
        f"The renewal of {show} comes after a strong run on {network}.",
        *filler[6:],
    ]
    nav = "".join(f'<li><a href="/section/{n}/">Section {n}</a></li>' for n in range(120))
    related = "".join(
        f'<li><a href="/2026/01/other-{n}/">Other show {n} gets news</a></li>' for n in range(40)
    )
    script = "var config = " + repr([rng.random() for _ in range(2200)]) + ";"
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2026-05-{1 + index % 28:02d}T10:00:00Z">
<style>{"body { margin: 0 } .x { color: red } " * 60}</style>
<script>{script}</script></head>
<body><header><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1>
<time datetime="2026-05-{1 + index % 28:02d}T10:00:00Z">May 2026</time>
{body}</article>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside></main>
<footer>{"<p>Copyright, terms, privacy, cookies, contact, advertise.</p>" * 30}</footer>
</body></html>"""
    return title, page


def generate_site(root: Path, pages: int) -> list[tuple[str, str]]:
    rng = random.Random(6)
    entries = []
    for index in range(pages):
        title, page = article_html(index, rng)
        path = f"2026/05/story-{index}-renewed/index.html"
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(page, encoding="utf-8")
        entries.append((title, path.removesuffix("index.html")))
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    return entries


def write_feed(root: Path, base: str, entries: list[tuple[str, str]]) -> list[str]:
    urls = [f"{base}/{path}" for _, path in entries]
    items = "".join(
        f"<item><title>{title.replace('&', '&amp;')}</title><link>{url}</link></item>"
        for (title, _), url in zip(entries, urls, strict=True)
    )
    (root / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{items}'
        "</channel></rss>",
        encoding="utf-8",
    )
    return urls


def run_measured(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run a command; return its wall time, its peak RSS in bytes, and its stderr."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        output = err.read().decode(errors="replace")
    if process.returncode != 0:
        sys.exit(f"{command[:4]} failed ({process.returncode}):\n{output[-3000:]}")
    return wall, usage.ru_maxrss * 1024, output


def elapsed(log: str) -> float:
    match = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not match:
        sys.exit("no elapsed_time_seconds in the crawl's log")
    return float(match.group(1))


def requests_since(log_path: Path, start: int) -> list[str]:
    return log_path.read_text().splitlines()[start:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--profile", action="store_true", help="profile a renewals crawl too")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="renewals-bench-"))
    site, log_path = work / "site", work / "requests.log"
    site.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    started = time.perf_counter()
    entries = generate_site(site, args.pages)
    sizes = [p.stat().st_size for p in site.glob("2026/05/*/index.html")]
    print(
        f"generated {len(sizes)} pages, mean {sum(sizes) / len(sizes) / 1024:.1f} KB, "
        f"in {time.perf_counter() - started:.1f} s"
    )

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(site), str(log_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        urls = write_feed(site, base, entries)
        (work / "urls.txt").write_text("\n".join(urls))
        (work / "sources.toml").write_text(
            f'[[source]]\nname = "bench"\ntier = 1\nstart_urls = ["{base}/feed.xml"]\n'
            "allow_private = true\n"
        )
        common = {
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            "CONCURRENT_ITEMS": 4,  # renewals' own setting: the bare spider gets it too
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "LOG_LEVEL": "INFO",
        }
        bare_settings = {**common, "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False}
        bare_cmd = [sys.executable, "-c", BARE_SPIDER, str(work / "urls.txt")]
        bare_cmd += [f"{k}={v}" for k, v in bare_settings.items()]
        wall_a, rss_a, log_a = run_measured(bare_cmd, work)
        seen = len(log_path.read_text().splitlines())
        time_a = elapsed(log_a)

        db = work / "bench.db"
        db.unlink(missing_ok=True)
        renewals_cmd = [sys.executable, "-m", "renewals", "crawl", "--sources"]
        renewals_cmd += [str(work / "sources.toml"), "--db", str(db)]
        for name, value in common.items():
            renewals_cmd += ["-s", f"{name}={value}"]
        wall_b, rss_b, log_b = run_measured(renewals_cmd, work)
        requests_b = requests_since(log_path, seen)
        seen += len(requests_b)
        time_b = elapsed(log_b)

        wall_c, rss_c, log_c = run_measured(renewals_cmd, work)
        requests_c = requests_since(log_path, seen)
        if args.profile:
            profile = work / "crawl.pstats"
            profiled = [sys.executable, "-m", "cProfile", "-o", str(profile)]
            profiled += renewals_cmd[1:]
            profiled[profiled.index(str(db))] = str(work / "profiled.db")
            run_measured(profiled, work)
    finally:
        server.terminate()
        server.wait(timeout=10)

    articles_b = sum(1 for path in requests_b if path.startswith("/2026/"))
    rate_a, rate_b = args.pages / time_a, articles_b / time_b
    print(f"concurrency {args.concurrency}, no delay, {args.pages} article URLs")
    print(
        f"(a) bare Scrapy:     {rate_a:7.1f} pages/s  (crawl {time_a:.2f} s, "
        f"process {wall_a:.2f} s, peak RSS {rss_a / 2**20:.0f} MB)"
    )
    print(
        f"(b) renewals crawl:  {rate_b:7.1f} pages/s  (crawl {time_b:.2f} s, "
        f"process {wall_b:.2f} s, peak RSS {rss_b / 2**20:.0f} MB, "
        f"{len(requests_b)} requests, {articles_b} articles)"
    )
    print(f"ratio b/a: {rate_b / rate_a:.2f}")
    print(
        f"(c) unchanged re-crawl: {len(requests_c)} requests {requests_c}, "
        f"crawl {elapsed(log_c):.2f} s, process {wall_c:.2f} s, peak RSS {rss_c / 2**20:.0f} MB"
    )
    if args.profile:
        print("\nwhere a renewals crawl spends its time (cProfile, cumulative):")
        stats = pstats.Stats(str(work / "crawl.pstats"))
        stats.sort_stats("cumulative").print_stats(r"/(crawler|pipelines|storage)/", 25)
    if args.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
