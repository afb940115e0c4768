"""How much the whole pipeline costs per page, compared with bare Scrapy.

Generates a local site of 2,000 article pages (every title renewal-like so the relevance filter
skips none) behind an RSS feed, serves it on 127.0.0.1 with Twisted's static file server, and
crawls it

  (a) with a bare Scrapy spider that only downloads the same article URLs, and
  (b) with `renewals crawl` into a fresh database (extract, store, flag),

both with the same concurrency and no delay; then (c) runs `renewals crawl` again on the
unchanged site. Each crawl runs in its own process (Scrapy's reactor is one-shot), which also
gives each its own peak RSS.

    python benchmarks/crawl_speed.py [--pages 2000] [--text long|short] [--runs 3]
                                     [--concurrency 16] [--keep DIR] [--profile]

`--text long` (the default) gives pages like real news articles, ~36 KB of article text among
~50 KB of markup; `--text short` the earlier pages, ~3.5 KB of text in ~60 KB of furniture,
which flatter extraction. `--runs N` repeats (a), (b) and (c) N times, interleaved, and
prints each run and the median.

Pages/second is articles downloaded divided by the crawl's own elapsed time (Scrapy's
`elapsed_time_seconds`, engine start to close: process start-up is reported separately).
Memory is the crawl process's own peak RSS and, sampled every 0.1 s, the peak of the
proportional set size (PSS, shared pages divided among their sharers) summed over the crawl
and every process under it (its extraction workers and their forkserver).
`--profile` crawls once more into another fresh database under cProfile and prints where
the time goes.
"""

import argparse
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from crawler.page import parse_article

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


def article_html(index: int, rng: random.Random, long_text: bool) -> tuple[str, str]:
    """One news page: the article, plus the furniture real pages carry."""
    show = f"Harbor Story {index}"
    network = NETWORKS[index % len(NETWORKS)]
    season = 2 + index % 6
    title = f"'{show}' Renewed for Season {season} at {network}"
    count = 120 if long_text else 12
    filler = [
        " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(count)
    ]
    half = count // 2
    paragraphs = [
        f"{network} has renewed {show} for season {season}, the network announced on Monday.",
        *filler[:half],
        f"The renewal of {show} comes after a strong run on {network}.",
        *filler[half:],
    ]
    nav = "".join(f'<li><a href="/section/{n}/">Section {n}</a></li>' for n in range(120))
    related = "".join(
        f'<li><a href="/2026/01/other-{n}/">Other show {n} gets news</a></li>' for n in range(40)
    )
    numbers = 150 if long_text else 2200
    script = "var config = " + repr([rng.random() for _ in range(numbers)]) + ";"
    style = "body { margin: 0 } .x { color: red } " * (10 if long_text else 60)
    footer = "<p>Copyright, terms, privacy, cookies, contact, advertise.</p>" * (
        5 if long_text else 30
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2026-05-{1 + index % 28:02d}T10:00:00Z">
<style>{style}</style>
<script>{script}</script></head>
<body><header><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1>
<time datetime="2026-05-{1 + index % 28:02d}T10:00:00Z">May 2026</time>
{body}</article>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside></main>
<footer>{footer}</footer>
</body></html>"""
    return title, page


def generate_site(root: Path, pages: int, long_text: bool) -> list[tuple[str, str]]:
    rng = random.Random(6)
    entries = []
    for index in range(pages):
        title, page = article_html(index, rng, long_text)
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


@dataclass
class Measured:
    wall: float  # seconds, process start to exit
    rss: int  # the process's own peak RSS, bytes
    tree_pss: int  # peak PSS summed over the process and its descendants, bytes
    cpu: float  # CPU seconds of the process itself
    helpers_cpu: float  # CPU seconds of its descendants (extraction workers, forkserver), sampled
    log: str  # stderr


def _tree(root: int) -> list[int]:
    """`root` and every process under it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        frontier += parents.get(pid, [])
    return found


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """CPU seconds (user and system) a live process has used."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run_measured(command: list[str], cwd: Path) -> Measured:
    """Run a command; its wall time, peak RSS, peak PSS of its process tree, the CPU time of
    the process and of its descendants, and its stderr."""
    started = time.perf_counter()
    peak = [0]
    helpers: dict[int, float] = {}  # descendant pid -> CPU seconds when last seen
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                tree = _tree(process.pid)
                peak[0] = max(peak[0], sum(_pss(pid) for pid in tree))
                for pid in tree[1:]:
                    helpers[pid] = max(helpers.get(pid, 0.0), _cpu(pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        output = err.read().decode(errors="replace")
    if process.returncode != 0:
        sys.exit(f"{command[:4]} failed ({process.returncode}):\n{output[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(wall, usage.ru_maxrss * 1024, peak[0], cpu, sum(helpers.values()), output)


def elapsed(log: str) -> float:
    match = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not match:
        sys.exit("no elapsed_time_seconds in the crawl's log")
    return float(match.group(1))


def requests_since(log_path: Path, start: int) -> list[str]:
    return log_path.read_text().splitlines()[start:]


MB = 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--text", choices=["long", "short"], default="long")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--profile", action="store_true", help="profile a renewals crawl too")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="renewals-bench-"))
    site, log_path = work / "site", work / "requests.log"
    site.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    started = time.perf_counter()
    entries = generate_site(site, args.pages, args.text == "long")
    pages = [p.read_bytes() for p in site.glob("2026/05/*/index.html")]
    text_kb = [len(parse_article(page).text.encode()) / 1024 for page in pages[:50]]
    print(
        f"generated {len(pages)} pages, mean {sum(map(len, pages)) / len(pages) / 1024:.1f} KB, "
        f"article text {sum(text_kb) / len(text_kb):.1f} KB, "
        f"in {time.perf_counter() - started:.1f} s"
    )

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(site), str(log_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    bare: list[tuple[float, Measured]] = []
    full: list[tuple[float, Measured, int, int]] = []
    again: list[tuple[Measured, list[str]]] = []
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
        db = work / "bench.db"
        renewals_cmd = [sys.executable, "-m", "renewals", "crawl", "--sources"]
        renewals_cmd += [str(work / "sources.toml"), "--db", str(db)]
        for name, value in common.items():
            renewals_cmd += ["-s", f"{name}={value}"]
        for _ in range(args.runs):
            measured = run_measured(bare_cmd, work)
            bare.append((args.pages / elapsed(measured.log), measured))
            seen = len(log_path.read_text().splitlines())

            for stale in work.glob("bench.db*"):
                stale.unlink()
            measured = run_measured(renewals_cmd, work)
            requests = requests_since(log_path, seen)
            seen += len(requests)
            articles = sum(1 for path in requests if path.startswith("/2026/"))
            full.append((articles / elapsed(measured.log), measured, len(requests), articles))

            measured = run_measured(renewals_cmd, work)
            again.append((measured, requests_since(log_path, seen)))
        if args.profile:
            profile = work / "crawl.pstats"
            profiled = [sys.executable, "-m", "cProfile", "-o", str(profile)]
            profiled += renewals_cmd[1:]
            profiled[profiled.index(str(db))] = str(work / "profiled.db")
            run_measured(profiled, work)
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"concurrency {args.concurrency}, no delay, {args.pages} article URLs, {args.text} text")
    for run, ((rate_a, a), (rate_b, b, requests_b, articles_b), (c, requests_c)) in enumerate(
        zip(bare, full, again, strict=True), 1
    ):
        print(f"run {run}:")
        print(
            f"  (a) bare Scrapy:     {rate_a:7.1f} pages/s  (crawl {elapsed(a.log):.2f} s, "
            f"process {a.wall:.2f} s, peak RSS {a.rss / MB:.0f} MB)"
        )
        print(
            f"  (b) renewals crawl:  {rate_b:7.1f} pages/s  (crawl {elapsed(b.log):.2f} s, "
            f"process {b.wall:.2f} s, peak RSS {b.rss / MB:.0f} MB, with its workers "
            f"PSS {b.tree_pss / MB:.0f} MB, {requests_b} requests, {articles_b} articles)"
        )
        print(
            f"  CPU per article: bare {1000 * a.cpu / args.pages:.2f} ms; renewals crawl "
            f"process {1000 * b.cpu / articles_b:.2f} ms, its workers "
            f"{1000 * b.helpers_cpu / articles_b:.2f} ms"
        )
        print(f"  ratio b/a: {rate_b / rate_a:.2f}")
        print(
            f"  (c) unchanged re-crawl: {len(requests_c)} requests {requests_c}, "
            f"crawl {elapsed(c.log):.2f} s, process {c.wall:.2f} s, "
            f"peak RSS {c.rss / MB:.0f} MB, with its workers PSS {c.tree_pss / MB:.0f} MB"
        )
    if args.runs > 1:
        ratios = [b[0] / a[0] for a, b in zip(bare, full, strict=True)]
        print(
            f"median: (a) {statistics.median(r for r, _ in bare):.1f} pages/s, "
            f"(b) {statistics.median(r[0] for r in full):.1f} pages/s, "
            f"ratio {statistics.median(ratios):.2f}"
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
