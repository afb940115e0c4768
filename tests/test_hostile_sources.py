"""Hostile and careless sources through real crawls of local sites: a blog whose canonical URL
names a trusted outlet's article, javascript: and relative canonicals."""

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import sqlite_utils

from storage import open_db
from tests.alerts_support import JsonReceiver
from tests.helpers import crawl, json_lines, run_renewals, write_sources


def page(title: str, text: str, published: str, head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}"
        f'<meta property="article:published_time" content="{published}T09:00:00+00:00">'
        f"</head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )


def rss(*paths_and_titles: tuple[str, str]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{{{{BASE}}}}{path}</link></item>"
        for path, title in paths_and_titles
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


TRADE_STORY = "/2026/05/copper-sky-renewed/index.html"


def test_a_blog_naming_a_trusted_article_as_its_canonical_cannot_replace_it(
    tmp_path, local_site
) -> None:
    trade = local_site(
        write(
            tmp_path / "trade",
            {
                "feed.xml": rss(("/2026/05/copper-sky-renewed/", "Copper Sky renewed")),
                TRADE_STORY: page(
                    "Copper Sky renewed for season 3",
                    "Netflix has renewed Copper Sky for a third season, the streamer said.",
                    "2026-05-01",
                ),
            },
        )
    )
    spoofed = trade.url("/2026/05/copper-sky-renewed/")
    blog = local_site(
        write(
            tmp_path / "blog",
            {
                "feed.xml": rss(
                    ("/copper-sky-axed/", "Copper Sky cancelled"),
                    ("/lantern-row-renewed/", "Lantern Row renewed"),
                    ("/quiet-harbor-renewed/", "Quiet Harbor renewed"),
                ),
                "copper-sky-axed/index.html": page(
                    "Copper Sky cancelled",
                    "Netflix has cancelled Copper Sky after two seasons.",
                    "2026-05-20",
                    f'<link rel="canonical" href="{spoofed}">',
                ),
                "lantern-row-renewed/index.html": page(
                    "Lantern Row renewed for season 2",
                    "Hulu has renewed Lantern Row for a second season.",
                    "2026-05-21",
                    '<link rel="canonical" href="javascript:alert(document.cookie)">',
                ),
                "quiet-harbor-renewed/index.html": page(
                    "Quiet Harbor renewed for season 4",
                    "Apple TV+ has renewed Quiet Harbor for a fourth season.",
                    "2026-05-22",
                    '<link rel="canonical" href="/elsewhere/quiet-harbor/">',
                ),
            },
        )
    )
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "trade", "tier": 1, "start_urls": [trade.url("feed.xml")]},
            {"name": "blog", "tier": 3, "start_urls": [blog.url("feed.xml")]},
        ],
    )
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))
    ok(crawl(sources, db))  # and again: nothing moves

    articles = {row["url"]: row["source"] for row in sqlite_utils.Database(db)["articles"].rows}
    assert articles == {
        spoofed: "trade",
        blog.url("/copper-sky-axed/"): "blog",
        blog.url("/lantern-row-renewed/"): "blog",
        blog.url("/quiet-harbor-renewed/"): "blog",
    }
    statuses = {
        row["show"]: (row["status"], row["season"], row["url"])
        for row in json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
    }
    assert statuses["Copper Sky"] == ("renewed", 3, spoofed)
    assert statuses["Lantern Row"][2] == blog.url("/lantern-row-renewed/")
    assert statuses["Quiet Harbor"][2] == blog.url("/quiet-harbor-renewed/")


def test_a_page_whose_canonical_is_another_sources_article_is_stored_under_its_own_url(
    tmp_path, local_site
) -> None:
    """Two sources on one host: the blog's canonical is on its own host, but names the trade
    outlet's stored article. The blog's page is kept, under the URL it was fetched from."""
    day1 = write(
        tmp_path / "day1",
        {
            "trade.xml": rss(("/trade/copper-sky/", "Copper Sky renewed")),
            "blog.xml": rss(),
            "trade/copper-sky/index.html": page(
                "Copper Sky renewed for season 3",
                "Netflix has renewed Copper Sky for a third season.",
                "2026-05-01",
            ),
        },
    )
    site = local_site(day1)
    trade_story = site.url("/trade/copper-sky/")
    day2 = write(
        tmp_path / "day2",
        {
            "blog.xml": rss(("/blog/lantern-row/", "Lantern Row renewed")),
            "blog/lantern-row/index.html": page(
                "Lantern Row renewed for season 2",
                "Hulu has renewed Lantern Row for a second season.",
                "2026-05-21",
                f'<link rel="canonical" href="{trade_story}">',
            ),
        },
    )
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "trade", "tier": 1, "start_urls": [site.url("trade.xml")],
             "allow": ["/trade/"]},
            {"name": "blog", "tier": 3, "start_urls": [site.url("blog.xml")],
             "allow": ["/blog/"]},
        ],
    )  # fmt: skip
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))
    site.roots.insert(0, day2)
    ok(crawl(sources, db))
    ok(crawl(sources, db))  # and again: nothing moves

    fetched = site.url("/blog/lantern-row/")
    database = sqlite_utils.Database(db)
    articles = {row["url"]: row["source"] for row in database["articles"].rows}
    assert articles == {trade_story: "trade", fetched: "blog"}
    statuses = {
        row["show"]: (row["status"], row["season"], row["url"])
        for row in json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
    }
    assert statuses == {
        "Copper Sky": ("renewed", 3, trade_story),
        "Lantern Row": ("renewed", 2, fetched),
    }


SHOWS = ["Copper Sky", "Lantern Row", "Quiet Harbor", "Amber Meadow", "Velvet Ridge"]


def renewals_site(root: Path) -> Path:
    files = {
        "feed.xml": rss(*((f"/{s.lower().replace(' ', '-')}/", f"{s} renewed") for s in SHOWS))
    }
    for show in SHOWS:
        files[f"{show.lower().replace(' ', '-')}/index.html"] = page(
            f"{show} renewed for season 2",
            f"Netflix has renewed {show} for a second season, the streamer said.",
            "2026-05-01",
        )
    return write(root, files)


def test_articles_that_fail_to_store_are_reported_and_stored_by_the_next_run(
    tmp_path, local_site
) -> None:
    site = local_site(renewals_site(tmp_path / "site"))
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    database = open_db(db)
    # A database whose writes fail, for two articles: as on a full disk, but reproducible.
    database.execute(
        "create trigger full before insert on articles when new.url glob '*/[ql][ua][in]*'"
        " begin select raise(abort, 'database or disk is full'); end"
    )
    log = tmp_path / "crawl.log"
    failed = crawl(sources, db, "--log-file", str(log))
    assert failed.returncode == 1
    assert "2 articles could not be stored; the next crawl fetches them again" in failed.stderr
    assert database["articles"].count == 3
    assert database["feed_validators"].count == 0  # else the next run would get 304
    errors = [line for line in log.read_text().splitlines() if "not stored" in line]
    assert len(errors) == 2
    assert all(len(line) < 400 and "body_html" not in line for line in errors)

    database.execute("drop trigger full")
    site.requests.clear()
    ok(crawl(sources, db))
    assert "/lantern-row/" in site.requests and "/quiet-harbor/" in site.requests
    assert "/copper-sky/" not in site.requests  # stored the first time: not fetched again
    assert database["articles"].count == 5
    statuses = json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
    assert sorted(row["show"] for row in statuses) == sorted(SHOWS)
    assert database["feed_validators"].count == 1


def test_a_tier_3_blog_cannot_flip_a_trade_status_until_a_second_source_agrees(
    tmp_path, local_site
) -> None:
    renewed = "/2025/04/copper-sky-renewed/"
    trade = local_site(
        write(
            tmp_path / "trade",
            {
                "feed.xml": rss((renewed, "Copper Sky renewed")),
                renewed + "index.html": page(
                    "Copper Sky renewed for season 3",
                    "Netflix has renewed Copper Sky for a third season.",
                    "2025-04-01",
                ),
            },
        )
    )
    empty = rss()
    blog_day2 = {
        "feed.xml": rss(("/rumour/", "Copper Sky axed"), ("/axed/", "Copper Sky cancelled")),
        "rumour/index.html": page(
            "Copper Sky axed", "Sources say Copper Sky has been axed by Netflix.", "2026-06-01"
        ),
        "axed/index.html": page(
            "Copper Sky cancelled", "Netflix has cancelled Copper Sky.", "2026-06-02"
        ),
    }
    blog = local_site(write(tmp_path / "blog1", {"feed.xml": empty}))
    write(tmp_path / "blog2", blog_day2)
    fans = local_site(write(tmp_path / "fans1", {"feed.xml": empty}))
    write(
        tmp_path / "fans3",
        {
            "feed.xml": rss(("/copper-sky-over/", "Copper Sky cancelled")),
            "copper-sky-over/index.html": page(
                "Copper Sky cancelled",
                "Netflix has cancelled Copper Sky after two seasons.",
                "2026-06-05",
            ),
        },
    )
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "trade", "tier": 1, "start_urls": [trade.url("feed.xml")]},
            {"name": "blog", "tier": 3, "start_urls": [blog.url("feed.xml")]},
            {"name": "fans", "tier": 3, "start_urls": [fans.url("feed.xml")]},
        ],
    )
    db = tmp_path / "renewals.db"

    def status() -> dict:
        (row,) = json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
        return row

    with JsonReceiver() as hook:
        notify = ("--notify", hook.url())
        ok(crawl(sources, db, *notify))  # day 1: the trade outlet's renewal
        assert (status()["status"], status()["season"]) == ("renewed", 3)

        blog.roots = [tmp_path / "blog2"]  # day 2, fourteen months on: the blog says axed
        ok(crawl(sources, db, *notify))
        assert (status()["status"], status()["season"], status()["disputes"]) == (
            "renewed", 3, 1,
        )  # fmt: skip
        history = ok(run_renewals("history", "--db", str(db), "Copper Sky")).stdout
        assert "dispute" in history.lower() and blog.url("/axed/") in history
        disputes = list(sqlite_utils.Database(db)["disputes"].rows)
        assert [(d["claimed_status"], d["source"]) for d in disputes] == [("cancelled", "blog")]
        claims = sqlite_utils.Database(db)["claims"]
        (rumour,) = claims.rows_where("article_url = ?", [blog.url("/rumour/")])
        assert rumour["confidence"] < 0.5  # unnamed "sources say": a hedge
        assert hook.payloads == []
        assert ok(run_renewals("changes", "--db", str(db), "--json")).stdout == ""

        fans.roots = [tmp_path / "fans3"]  # day 3: an independent source agrees
        ok(crawl(sources, db, *notify))
        assert (status()["status"], status()["season"], status()["disputes"]) == (
            "cancelled", 3, 0,
        )  # fmt: skip
        (change,) = json_lines(ok(run_renewals("changes", "--db", str(db), "--json")).stdout)
        assert (change["from_status"], change["to_status"], change["to_season"]) == (
            "renewed", "cancelled", 3,
        )  # fmt: skip
        assert [p["title"] for p in hook.payloads] == [
            "Copper Sky: renewed for season 3 -> cancelled after season 2"
        ]


def test_reprocess_keeps_the_hedge_on_a_tier_3_blogs_unnamed_sources(tmp_path, local_site) -> None:
    """Two blogs' "sources say" would, unhedged, be two independent sources agreeing: the
    trade outlet's renewal would flip, and a show no one confirmed would get a status."""
    renewed = "/2025/04/copper-sky-renewed/"
    trade = local_site(
        write(
            tmp_path / "trade",
            {
                "feed.xml": rss((renewed, "Copper Sky renewed")),
                renewed + "index.html": page(
                    "Copper Sky renewed for season 3",
                    "Netflix has renewed Copper Sky for a third season.",
                    "2025-04-01",
                ),
            },
        )
    )
    blogs = []
    for name, day in (("blog", "2026-06-01"), ("fans", "2026-06-03")):
        blogs.append(
            local_site(
                write(
                    tmp_path / name,
                    {
                        "feed.xml": rss(
                            ("/copper-sky/", "Copper Sky axed"), ("/ash-lane/", "Ash Lane axed")
                        ),
                        "copper-sky/index.html": page(
                            "Copper Sky axed",
                            "Sources say Netflix has cancelled Copper Sky.",
                            day,
                        ),
                        "ash-lane/index.html": page(
                            "Ash Lane axed",
                            "We hear Hulu has cancelled Ash Lane after one season.",
                            day,
                        ),
                    },
                )
            )
        )
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "trade", "tier": 1, "start_urls": [trade.url("feed.xml")]},
            {"name": "blog", "tier": 3, "start_urls": [blogs[0].url("feed.xml")]},
            {"name": "fans", "tier": 3, "start_urls": [blogs[1].url("feed.xml")]},
        ],
    )
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))

    def outcome() -> tuple:
        database = sqlite_utils.Database(db)
        claims = sorted(
            (c["article_url"], c["show"], c["status"], c["confidence"])
            for c in database["claims"].rows
        )
        statuses = json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
        return claims, [(s["show"], s["status"], s["season"]) for s in statuses]

    crawled = outcome()
    assert crawled[1] == [("Copper Sky", "renewed", 3)]  # no dispute, no status for Ash Lane
    rumours = [claim for claim in crawled[0] if claim[2] == "cancelled"]
    assert len(rumours) == 4 and all(claim[3] < 0.5 for claim in rumours)
    ok(run_renewals("reprocess", "--db", str(db), "--workers", "1"))
    assert outcome() == crawled
    assert ok(run_renewals("changes", "--db", str(db), "--json")).stdout == ""


CONTROLS = "&#x1b;[2J&#x1b;]0;owned&#x7;&#x1;&#x9b;31m&#0;"


def test_control_characters_written_as_references_reach_no_terminal_feed_or_alert(
    tmp_path, local_site
) -> None:
    story = "/2026/05/copper-sky/"
    day1 = write(
        tmp_path / "day1",
        {
            "feed.xml": rss((story, "Copper Sky renewed")),
            story + "index.html": page(
                f"Copper Sky renewed for season 2{CONTROLS}",
                f"Netflix has renewed Copper Sky for a second season.{CONTROLS}",
                "2026-05-01",
            ),
        },
    )
    day2 = write(
        tmp_path / "day2",
        {
            "feed.xml": rss(("/2026/06/copper-sky/", "Copper Sky cancelled")),
            "2026/06/copper-sky/index.html": page(
                "Copper Sky cancelled",
                f"Netflix has cancelled Copper Sky{CONTROLS} after two seasons.",
                "2026-06-02",
            ),
        },
    )
    site = local_site(day1)
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    with JsonReceiver() as hook:
        ok(crawl(sources, db, "--notify", hook.url()))
        site.roots = [day2]
        ok(crawl(sources, db, "--notify", hook.url()))
    (payload,) = hook.payloads
    outputs = {
        "alert": payload["title"] + payload["message"],
        "status": ok(run_renewals("status", "--db", str(db))).stdout,
        "status --json": ok(run_renewals("status", "--db", str(db), "--json")).stdout,
        "changes": ok(run_renewals("changes", "--db", str(db))).stdout,
        "history": ok(run_renewals("history", "--db", str(db), "Copper Sky")).stdout,
    }
    assert "cancelled" in outputs["changes"]
    for name, text in outputs.items():
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), name
    feed = ok(run_renewals("feed", "--db", str(db))).stdout
    entries = ET.fromstring(feed.encode()).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    stored = (
        sqlite_utils.Database(db)
        .execute("select group_concat(title || text || body_html, '') from articles")
        .fetchone()[0]
        + sqlite_utils.Database(db)
        .execute("select group_concat(evidence, '') from claims")
        .fetchone()[0]
    )
    assert "owned" in stored and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", stored)


def test_allow_private_opens_the_sources_own_port_not_every_port_of_its_host(
    tmp_path, local_site
) -> None:
    other = local_site(write(tmp_path / "other", {"admin/index.html": "<p>internal</p>"}))
    own = local_site(
        write(tmp_path / "own", {"feed.xml": rss(), "story/index.html": "<p>story</p>"})
    )
    feed = rss(("/story/", "Copper Sky renewed")).replace(
        "</channel>",
        f"<item><title>Copper Sky renewed</title><link>{other.url('/admin/')}</link></item>"
        "</channel>",
    )
    (tmp_path / "own" / "feed.xml").write_text(feed)
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [own.url("feed.xml")]}],
    )
    result = crawl(sources, tmp_path / "renewals.db")
    assert "/story/" in own.requests
    assert other.requests == []  # same host, another port: refused before any connection
    assert "is not a public address" in result.stderr


def test_a_feed_bigger_than_the_article_size_limit_is_read_whole(tmp_path, local_site) -> None:
    filler = "".join(
        f"<item><title>Weather report {n}</title><link>{{{{BASE}}}}/weather/{n}/</link></item>"
        for n in range(90_000)
    )  # about 6 MB, over DOWNLOAD_MAXSIZE (5 MB)
    feed = rss(("/copper-sky/", "Copper Sky renewed")).replace("<channel>", "<channel>" + filler)
    root = write(
        tmp_path / "site",
        {
            "feed.xml": feed,
            "copper-sky/index.html": page(
                "Copper Sky renewed",
                "Netflix has renewed Copper Sky for a third season.",
                "2026-05-01",
            ),
        },
    )
    assert (root / "feed.xml").stat().st_size > 5 * 1024 * 1024
    site = local_site(root)
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))
    (row,) = json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
    assert (row["show"], row["status"], row["season"]) == ("Copper Sky", "renewed", 3)


def test_a_consolidation_that_fails_exits_1_and_the_next_run_makes_its_statuses(
    tmp_path, local_site
) -> None:
    site = local_site(renewals_site(tmp_path / "site"))
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    database = open_db(db)
    # As when the database's folder turns read-only just as the crawl consolidates.
    database.execute(
        "create trigger readonly before insert on snapshots"
        " begin select raise(abort, 'attempt to write a readonly database'); end"
    )
    failed = crawl(sources, db)
    assert failed.returncode == 1
    assert "changes could not be flagged" in failed.stderr
    assert database["articles"].count == 5
    assert database["consolidation_queue"].count == 5
    assert database.execute("select status from runs").fetchall() == [("failed",)]
    assert ok(run_renewals("status", "--db", str(db))).stdout.strip() == "no statuses"

    database.execute("drop trigger readonly")
    ok(crawl(sources, db))  # nothing new to fetch, but the queued shows are consolidated
    statuses = json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
    assert sorted(row["show"] for row in statuses) == sorted(SHOWS)
    assert database["consolidation_queue"].count == 0


def test_a_crawl_whose_closing_consolidation_flags_what_its_opening_one_could_not_succeeds(
    tmp_path, local_site
) -> None:
    site = local_site(renewals_site(tmp_path / "site"))
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    database = open_db(db)
    refuse = "begin select raise(abort, 'attempt to write a readonly database'); end"
    database.execute(f"create trigger readonly before insert on snapshots {refuse}")
    assert crawl(sources, db).returncode == 1  # five shows left queued
    # Writable again only once this crawl has stored its new article: its opening
    # consolidation fails, its closing one flags the five left over and the new one.
    database.execute("drop trigger readonly")
    database.execute(
        "create trigger readonly before insert on snapshots"
        f" when (select count(*) from articles) <= 5 {refuse}"
    )
    site.roots.insert(
        0,
        write(
            tmp_path / "day2",
            {
                "feed.xml": rss(
                    ("/tin-crown/", "Tin Crown renewed"),
                    *((f"/{s.lower().replace(' ', '-')}/", f"{s} renewed") for s in SHOWS),
                ),
                "tin-crown/index.html": page(
                    "Tin Crown renewed for season 2",
                    "Netflix has renewed Tin Crown for a second season, the streamer said.",
                    "2026-05-02",
                ),
            },
        ),
    )
    second = crawl(sources, db)
    assert second.returncode == 0, second.stderr
    assert "changes could not be flagged" not in second.stderr
    assert database["consolidation_queue"].count == 0
    assert database.execute("select status from runs order by id").fetchall() == [
        ("failed",),
        ("finished",),
    ]
    statuses = json_lines(ok(run_renewals("status", "--db", str(db), "--json")).stdout)
    assert sorted(row["show"] for row in statuses) == sorted([*SHOWS, "Tin Crown"])
