"""Claim extraction, one behaviour at a time, on short articles built in the test."""

# ruff: noqa: E501 - inline HTML fixtures read better unwrapped

import json
import subprocess
import sys
import time

import pytest

from crawler.page import ArticlePage, parse_article
from pipelines.extract import Claim, extract_claims, extract_file


def page(headline: str, *paragraphs: str, published: str | None = "2024-05-10") -> ArticlePage:
    blocks = ("<p>", "<p ", "<table", "<ul", "<ol", "<h2")
    body = "".join(p if p.startswith(blocks) else f"<p>{p}</p>" for p in paragraphs)
    return ArticlePage(
        None, headline, published, None, f"<article><h1>{headline}</h1>{body}</article>", ""
    )


def firm(article: ArticlePage) -> set[tuple[str, str, int | None]]:
    return {(c.show, c.status, c.season) for c in extract_claims(article) if c.confidence >= 0.5}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("NBC has renewed <em>Harbor Lights</em> for a third season.", ("renewed", 3)),
        ("Netflix has cancelled <em>Harbor Lights</em> after two seasons.", ("cancelled", 3)),
        ("Netflix has canceled <em>Harbor Lights</em> after one season.", ("cancelled", 2)),
        ("ITV has axed <em>Harbor Lights</em> after two series.", ("cancelled", 3)),
        ("<em>Harbor Lights</em> Season 2 has been cancelled by Hulu.", ("cancelled", 2)),
        ("<em>Harbor Lights</em> will end with season 5, NBC said.", ("ending", 5)),
        ("NBC renewed <em>Harbor Lights</em> for a fourth and final season.", ("ending", 4)),
        ("Fox picked up <em>Harbor Lights</em> for a sophomore season.", ("renewed", 2)),
        ("<em>Harbor Lights</em> is still awaiting word on Season 3.", ("pending", 3)),
        ("<em>Harbor Lights</em> has not been renewed or cancelled yet by NBC.", ("pending", None)),
        ("<em>Harbor Lights</em> moves to ABC for season 7.", ("renewed", 7)),
        ("Peacock has saved <em>Harbor Lights</em>, ordering a S4.", ("renewed", 4)),
        ("Hulu has pulled the plug on <em>Harbor Lights</em>.", ("cancelled", None)),
        ("<em>Harbor Lights</em> won't return for a third season.", ("cancelled", 3)),
        ("The CW has renewed <em>Harbor Lights</em> for Season Four.", ("renewed", 4)),
        ("<em>Harbor Lights</em> gets a season 6 order at CBS.", ("renewed", 6)),
        ("<em>Harbor Lights</em> has been handed a fifth-season renewal.", ("renewed", 5)),
    ],
)
def test_common_wordings(sentence, expected):
    assert firm(page("TV news", sentence)) == {("Harbor Lights", *expected)}


def test_lists_of_seasons_and_more_seasons():
    assert firm(page("x", "Starz renewed <em>Outlands</em> for seasons 5 and 6.")) == {
        ("Outlands", "renewed", 5),
        ("Outlands", "renewed", 6),
    }
    three_more = page(
        "NBC Renews 'Outlands' For Three More Seasons, Through Season 8",
        "NBC has handed <em>Outlands</em> a three-season renewal covering seasons six, seven and eight.",
    )
    assert firm(three_more) == {("Outlands", "renewed", n) for n in (6, 7, 8)}


def test_question_headline_counts_only_through_its_answer():
    asked = page(
        "Is 'Dune Sea' Season 2 Cancelled?", "Fans are asking whether <em>Dune Sea</em> is over."
    )
    assert firm(asked) == set()
    answered = page(
        "Is 'Dune Sea' Season 2 Cancelled?",
        "Yes. Netflix cancelled <em>Dune Sea</em> after one season in March.",
    )
    assert firm(answered) == {("Dune Sea", "cancelled", 2)}


def test_negation_hedge_and_rumour():
    article = page(
        "No, 'Mill Town' Has Not Been Cancelled",
        "Despite the rumours, HBO has not cancelled <em>Mill Town</em>.",
        "The network could renew <em>Mill Town</em> for a third season, insiders say.",
        "Fans hope <em>Mill Town</em> will be renewed.",
    )
    assert firm(article) == set()
    kept = extract_claims(article)
    assert kept and all(c.confidence < 0.5 for c in kept)


def test_correction_and_update_two_decisions():
    article = page(
        "Starz Cancels 'Ash Road' Weeks After Renewal",
        "<p><b>UPDATE:</b> Starz has reversed the renewal and cancelled <em>Ash Road</em>; the second season will not go ahead.</p>",
        "Starz renewed <em>Ash Road</em> for a second season in January.",
        "Correction: an earlier version of this story said Starz had cancelled <em>Bell Tower</em>.",
    )
    assert firm(article) == {("Ash Road", "cancelled", 2), ("Ash Road", "renewed", 2)}


def test_cancelled_then_saved_elsewhere():
    article = page(
        "x",
        "Fox cancelled <em>Iron Bay</em> after three seasons in May, and Hulu picked it up for a fourth season weeks later.",
    )
    claims = {(c.show, c.status, c.season, c.network) for c in extract_claims(article)}
    assert claims == {("Iron Bay", "cancelled", 4, "Fox"), ("Iron Bay", "renewed", 4, "Hulu")}


def test_the_series_and_it_resolve_to_the_subject():
    article = page(
        "'Night Ferry' Renewed at Peacock",
        "Peacock has picked up the thriller again. The streamer renewed the series for a third season on Tuesday.",
        "Peacock had already saved it from cancellation once.",
    )
    assert ("Night Ferry", "renewed", 3) in firm(article)


def test_titles_kept_whole():
    article = page(
        "x",
        "Fox has renewed \u201c9-1-1: Lone Ranger\u201d for a fourth season.",
        "Netflix has cancelled \u2018Sex/Love\u2019 after two seasons.",
        "ABC\u2019s <i>Agents of S.W.O.R.D.</i> will end with season 7.",
        "NBC has renewed Law &amp; Order: Harbor Unit for a third season.",
    )
    assert firm(article) == {
        ("9-1-1: Lone Ranger", "renewed", 4),
        ("Sex/Love", "cancelled", 3),
        ("Agents of S.W.O.R.D.", "ending", 7),
        ("Law & Order: Harbor Unit", "renewed", 3),
    }


def test_other_productions_are_not_claims_about_the_show():
    article = page(
        "x",
        "Peacock has greenlit a <em>Moss Hill</em> movie, and Netflix ordered an animated spin-off set in the <em>Moss Hill</em> universe.",
        "HBO has greenlit a <em>Moss Hill</em> stage play.",
    )
    assert firm(article) == set()


def test_status_table_one_claim_per_row():
    table = (
        "<table><tr><th>Show</th><th>Network</th><th>Status</th><th>Season</th></tr>"
        "<tr><td>Red Dune</td><td>HBO</td><td>Renewed</td><td>Season 3</td></tr>"
        "<tr><td>Blue Mesa</td><td>Fox</td><td>Cancelled</td><td>after Season 2</td></tr>"
        "<tr><td>Gold Flat</td><td>AMC</td><td>Final season</td><td>S4</td></tr></table>"
    )
    claims = {
        (c.show, c.status, c.season, c.network) for c in extract_claims(page("Scorecard", table))
    }
    assert claims == {
        ("Red Dune", "renewed", 3, "HBO"),
        ("Blue Mesa", "cancelled", 3, "Fox"),
        ("Gold Flat", "ending", 4, "AMC"),
    }


def test_announced_dates_are_read_relative_to_publication():
    article = page(
        "x",
        "NBC renewed <em>Cold Bay</em> for a second season on Tuesday.",
        "Fox cancelled <em>Hot Springs</em> after one season in January 2020.",
        "Hulu said earlier this month that <em>Dry Creek</em> will end with season 3.",
        published="2024-05-10",
    )
    dates = {c.show: c.announced for c in extract_claims(article)}
    assert dates == {"Cold Bay": "2024-05-07", "Hot Springs": "2020-01", "Dry Creek": "2024-05"}


def test_claims_come_back_from_stored_body_html_alone():
    html = "<html><body><article><h1>Hulu renews 'Slate'</h1><p>Hulu has renewed <em>Slate</em> for a second season.</p></article><aside><p>Fox cancelled Granite.</p></aside></body></html>"
    first = parse_article(html)
    rebuilt = ArticlePage(
        first.url, first.title, first.published, first.modified, first.body_html, first.text
    )
    assert extract_claims(rebuilt) == extract_claims(first)
    assert firm(rebuilt) == {("Slate", "renewed", 2)}


def test_claim_fields_and_record_shape(tmp_path):
    path = tmp_path / "saved.html"
    path.write_text(
        '<html><head><link rel="canonical" href="https://x.example/a"><meta property="article:published_time" content="2022-03-01"></head>'
        "<body><article><h1>Netflix cancels 'Soundtrack'</h1><p>Netflix cancelled <em>Soundtrack</em> after one season.</p></article></body></html>",
        encoding="utf-8",
    )
    records = extract_file(str(path))
    assert records == [
        {
            "file": str(path),
            "url": "https://x.example/a",
            "show": "Soundtrack",
            "season": 2,
            "status": "cancelled",
            "network": "Netflix",
            "announced": None,
            "published": "2022-03-01",
            "confidence": records[0]["confidence"],
            "evidence": "Netflix cancelled Soundtrack after one season.",
        }
    ]
    assert records[0]["confidence"] >= 0.7
    assert extract_file(str(path), url="https://given.example/")[0]["url"] == "https://x.example/a"


def test_unreadable_path_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        extract_file(str(tmp_path / "missing.html"))
    with pytest.raises(OSError):
        extract_file(str(tmp_path))


def test_empty_and_odd_pages_give_no_claims():
    assert extract_claims(ArticlePage(None, None, None, None, "", "")) == []
    assert extract_claims(ArticlePage(None, "Renewed!", None, None, "<article><h1>", "")) == []
    assert all(isinstance(c, Claim) for c in extract_claims(page("x", "<table><tr></tr></table>")))


def test_run_on_text_without_full_stops_stays_bounded():
    clause = "Netflix has renewed The Big Show for a second season and Fox cancelled Other Show after two seasons, "
    html = (
        "<html><body><article><h1>Big</h1>"
        + ("<p>" + clause * 200 + "</p>") * 150
        + "</article></body></html>"
    )
    started = time.perf_counter()
    claims = extract_claims(parse_article(html))
    assert time.perf_counter() - started < 15
    assert {(c.show, c.status, c.season) for c in claims} == {
        ("The Big Show", "renewed", 2),
        ("Other Show", "cancelled", 3),
    }


def test_cli_reports_unreadable_path_and_goes_on(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(
        "<article><h1>x</h1><p>Hulu has cancelled <em>Reef</em> after one season.</p></article>"
    )
    missing = tmp_path / "missing.html"
    result = subprocess.run(
        [sys.executable, "-m", "renewals", "extract", str(missing), str(good)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and str(missing) in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["show"], r["season"]) for r in records] == [(str(good), "Reef", 2)]


def test_plain_text_titles_in_a_list_and_people_are_not_shows():
    roundup = page(
        "Network renewals",
        "NBC has renewed Night Court, Quantum Leap and Lopez vs. Lopez.",
        "Night Court and Quantum Leap both grew this year, and Lopez vs. Lopez held steady.",
        "The current run brought back Meryl Streep and added guest stars.",
    )
    assert firm(roundup) == {
        ("Night Court", "renewed", None),
        ("Quantum Leap", "renewed", None),
        ("Lopez vs. Lopez", "renewed", None),
    }


def test_recap_plot_verbs_about_characters_are_not_claims():
    recap = page(
        "'Pitch Side' Season 3 Recap",
        "Ted was rescued by Roy in the finale.",
        "Later, Ted cancelled the trip and Keeley saved Ted from embarrassment.",
    )
    assert extract_claims(recap) == []


def test_reversing_a_season_renewal_is_a_cancellation_not_a_renewal():
    article = page(
        "Netflix Cancels 'Marble Coast', Reversing Season 3 Renewal",
        "Netflix has cancelled <em>Marble Coast</em>, reversing the season 3 renewal it announced in March.",
    )
    assert firm(article) == {("Marble Coast", "cancelled", 3)}


def test_last_season_and_other_shows_final_seasons_are_not_claims():
    review = page(
        "'Glass Meadow' Season 2 Review",
        "Last season, <em>Glass Meadow</em> averaged 5 million viewers.",
        "Like the final season of <em>Game of Thrones</em>, <em>Glass Meadow</em> rushes its ending.",
    )
    assert extract_claims(review) == []
    own = page(
        "'Glass Meadow' Final Season Premieres Friday",
        "<em>Glass Meadow</em> returns Friday for its final season.",
    )
    assert firm(own) == {("Glass Meadow", "ending", None)}


def test_weak_hedges_only_count_in_their_own_comma_clause():
    expected = page("x", "Netflix, as expected, has renewed <em>Kiln</em> for a second season.")
    assert firm(expected) == {("Kiln", "renewed", 2)}
    likely = page("x", "Netflix is expected to renew <em>Kiln</em> for a second season.")
    assert firm(likely) == set() and extract_claims(likely)


def test_a_spin_off_named_by_its_title_is_its_own_show():
    article = page("x", "HBO renewed the spin-off <em>Dragon House</em> for a third season.")
    assert firm(article) == {("Dragon House", "renewed", 3)}


def test_no_relative_dates_without_a_publish_date():
    article = page(
        "x", "NBC renewed <em>Cold Bay</em> for a second season last month.", published=None
    )
    assert [c.announced for c in extract_claims(article)] == [None]


def test_headlines_that_ask_without_a_question_mark():
    for headline in (
        "Is Tidepool Cancelled or Renewed for Season 3",
        "Tidepool Season 3: Renewed or Cancelled",
    ):
        article = page(headline, "Here is everything we know about <em>Tidepool</em>.")
        assert extract_claims(article) == [], headline
