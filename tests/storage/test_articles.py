import sqlite3

import pytest

from storage import save_article, seen_urls, show_key
from storage.articles import effective_date, save_articles
from tests.storage.conftest import article, claim


def test_resaving_an_article_duplicates_nothing(db, run, store) -> None:
    claims = [claim("The Rookie", "renewed", 7, network="ABC")]
    assert store("https://d/1", claims) == {"rookie"}
    assert store("https://d/1", claims) == {"rookie"}
    assert db["articles"].count == 1
    assert db["claims"].count == 1
    assert db["shows"].count == 1
    assert db["show_aliases"].count == 1


def test_a_new_fetch_replaces_the_articles_claims(db, store) -> None:
    store("https://d/1", [claim("Soundtrack", "renewed", 2), claim("Lodge 49", "cancelled", 3)])
    store("https://d/1", [claim("Soundtrack", "cancelled", 2)])
    rows = list(db.query("select show, status from claims"))
    assert rows == [{"show": "Soundtrack", "status": "cancelled"}]


def test_first_fetch_is_kept_so_undated_claims_do_not_move(db, run, store) -> None:
    store("https://d/1", [claim("X", "renewed", 2)], fetched_at="2024-01-01T00:00:00+00:00")
    store("https://d/1", [claim("X", "renewed", 2)], fetched_at="2024-09-01T00:00:00+00:00")
    row = db["articles"].get("https://d/1")
    assert row["first_fetched_at"] == "2024-01-01T00:00:00+00:00"
    assert row["fetched_at"] == "2024-09-01T00:00:00+00:00"
    assert db.execute("select effective from claims").fetchone()[0] == "2024-01-01"


def test_effective_date_prefers_announced_then_published(db, store) -> None:
    store("https://d/1", [claim("A", "renewed", 2, announced="2020-01")], published="2022-03-01")
    store("https://d/2", [claim("B", "renewed", 2)], published="2022-03-01T10:00:00+00:00")
    rows = dict(db.execute("select show, effective from claims").fetchall())
    assert rows == {"A": "2020-01-31", "B": "2022-03-01"}


@pytest.mark.parametrize(
    ("announced", "published", "effective"),
    [
        ("2026-03-15", "2026-04-01", "2026-03-15"),
        ("2027-01-10", "2026-04-01", "2026-04-01"),  # a premiere date misread as the decision
        ("2026-03", "2026-04-01", "2026-03-31"),
        ("2026-03", "2026-03-10", "2026-03-10"),  # known by the day it was published
        ("2018", "2024-05-01", "2018-12-31"),
        ("2024-02", None, "2024-02-29"),
        ("sometime", "2026-04-01", "2026-04-01"),
        (None, "2026-04-01T23:30:00-05:00", "2026-04-01"),
    ],
)
def test_effective_date(announced: str | None, published: str | None, effective: str) -> None:
    assert effective_date(announced, published, "2099-01-01T00:00:00+00:00") == effective


def test_spellings_are_kept_as_aliases_of_one_show(db, store) -> None:
    store("https://d/1", [claim("The Rookie", "renewed", 7)])
    store(
        "https://d/2", [claim("the rookie", "renewed", 7), claim("The Rookie: Feds", "cancelled")]
    )
    assert {r["key"] for r in db["shows"].rows} == {"rookie", "rookie feds"}
    aliases = {r["alias"] for r in db["show_aliases"].rows_where("show_key = ?", ["rookie"])}
    assert aliases == {"The Rookie", "the rookie"}


def test_claims_without_a_show_are_skipped(db, store) -> None:
    assert store("https://d/1", [claim("  ", "renewed", 2), claim("?!", "renewed", 2)]) == set()
    assert db["claims"].count == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"show": "Broken"},  # no status
        {"show": "Broken", "status": "renewed?"},
        {"show": "Broken", "status": "renewed", "season": 0},
        {"show": "Broken", "status": "renewed", "season": "two"},
        {"show": "Broken", "status": "renewed", "season": 2.5},
        {"show": "Broken", "status": "renewed", "season": True},
    ],
)
def test_a_bad_claim_rolls_back_the_whole_article(db, run, bad: dict) -> None:
    with pytest.raises(ValueError, match="claim (status|season)"):
        save_article(db, article("https://d/1"), [claim("Fine", "renewed", 2), bad], run)
    assert db["articles"].count == 0
    assert db["claims"].count == 0
    assert db["shows"].count == 0


def test_american_spelling_and_numeric_strings_are_normalised(db, store) -> None:
    store("https://d/1", [{"show": "X", "status": "Canceled", "season": "3"}])
    assert list(db.query("select status, season from claims")) == [
        {"status": "cancelled", "season": 3}
    ]


def test_seen_urls(db, store) -> None:
    store("https://d/1", [])
    assert seen_urls(db, ["https://d/1", "https://d/2"]) == {"https://d/1"}
    assert seen_urls(db, []) == set()


def test_full_text_search_over_titles_and_text(db, store) -> None:
    store("https://d/1", [], title="Netflix axes Soundtrack", text="after one season")
    store("https://d/2", [], title="Other news", text="nothing here")
    assert [r["url"] for r in db["articles"].search("axes")] == ["https://d/1"]
    store("https://d/1", [], title="Netflix renews nothing", text="updated")
    assert list(db["articles"].search("axes")) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Rookie", "rookie"),
        ("Grey's Anatomy", "Greys Anatomy"),
        ("GREY’S ANATOMY", "grey's anatomy"),
        ("9-1-1", "911"),
        ("Law & Order", "Law and Order"),
        ("Pokémon", "Pokemon"),
        ("  The   Office ", "office"),
    ],
)
def test_show_key_ignores_case_punctuation_and_the(a: str, b: str) -> None:
    assert show_key(a) == show_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Rookie", "The Rookie: Feds"),
        ("9-1-1", "9-1-1: Lone Star"),
        ("The Office", "Office Space"),
    ],
)
def test_spin_offs_are_other_shows(a: str, b: str) -> None:
    assert show_key(a) != show_key(b)


def test_a_show_called_the_keeps_its_name() -> None:
    assert show_key("The") == "the"


def test_another_source_cannot_replace_a_stored_article_or_its_claims(db, store) -> None:
    from storage.articles import ArticleOfAnotherSource

    store("https://d/1", [claim("Soundtrack", "renewed", 2)], source="deadline")
    with pytest.raises(ArticleOfAnotherSource, match="source 'deadline'"):
        store("https://d/1", [claim("Soundtrack", "cancelled", 2)], source="seoblog")
    assert db["articles"].get("https://d/1")["source"] == "deadline"
    rows = list(db.query("select status, source from claims"))
    assert rows == [{"status": "renewed", "source": "deadline"}]


def test_a_canonical_that_is_another_sources_article_stores_under_the_fetched_url(
    db, run, store
) -> None:
    from storage.articles import ArticleOfAnotherSource

    store("https://d/1", [claim("Soundtrack", "renewed", 2)], source="deadline")
    page = {**article("https://d/1", "seoblog", text="lodge news"), "fetched_url": "https://d/9"}
    assert save_article(db, page, [claim("Lodge 49", "cancelled", 3)], run) == {"lodge 49"}
    assert {r["url"]: r["source"] for r in db["articles"].rows} == {
        "https://d/1": "deadline",
        "https://d/9": "seoblog",
    }
    rows = db.query("select article_url, show, source from claims order by article_url")
    assert [tuple(r.values()) for r in rows] == [
        ("https://d/1", "Soundtrack", "deadline"),
        ("https://d/9", "Lodge 49", "seoblog"),
    ]
    assert _search(db, "lodge") == ["https://d/9"]
    with pytest.raises(ArticleOfAnotherSource, match="https://d/9 is an article of source"):
        save_article(db, {**page, "source": "fanpage"}, [], run)  # both URLs taken


def test_storing_claims_queues_their_shows_and_the_ones_the_article_dropped(db, store) -> None:
    from storage.ledger import consolidate_queued, queued_shows

    store("https://d/1", [claim("Soundtrack", "renewed", 2), claim("Lodge 49", "renewed", 2)])
    assert queued_shows(db) == {"soundtrack", "lodge 49"}
    consolidate_queued(db, 1)
    assert queued_shows(db) == set()
    store("https://d/1", [claim("Soundtrack", "cancelled", 3)])  # Lodge 49's claim is gone
    assert queued_shows(db) == {"soundtrack", "lodge 49"}


def _search(db, words: str) -> list[str]:
    return [
        row["url"]
        for row in db.query(
            "select articles.url from articles_fts join articles"
            " on articles.rowid = articles_fts.rowid where articles_fts match ? order by url",
            [words],
        )
    ]


def _index_matches_articles(db) -> bool:
    try:  # FTS5's check of the index against its content table
        db.execute("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def test_full_text_search_finds_each_articles_latest_text(db, run) -> None:
    batch = [
        (
            article("https://d/1", text="Harbour Lights is renewed"),
            [claim("Harbour Lights", "renewed", 2)],
        ),
        (article("https://d/2", text="Copper Sky ends"), [claim("Copper Sky", "ending", 3)]),
    ]
    assert save_articles(db, batch, run) == [{"harbour lights"}, {"copper sky"}]
    save_article(db, article("https://d/1", text="Harbour Lights is cancelled"), [], run)
    assert _search(db, "cancelled") == ["https://d/1"]
    assert _search(db, "renewed") == []
    assert _search(db, "copper") == ["https://d/2"]
    assert _index_matches_articles(db)


def test_an_article_that_fails_in_a_batch_keeps_its_stored_text_searchable(db, run) -> None:
    save_article(db, article("https://d/1", text="first words"), [], run)
    bad = claim("Broken", "maybe", 2)
    results = save_articles(
        db,
        [
            (article("https://d/1", text="second words"), [bad]),
            (article("https://d/2", text="other words"), []),
        ],
        run,
    )
    assert isinstance(results[0], ValueError) and results[1] == set()
    assert db["articles"].get("https://d/1")["text"] == "first words"
    assert _search(db, "first") == ["https://d/1"]
    assert _search(db, "second") == []
    assert _search(db, "words") == ["https://d/1", "https://d/2"]
    assert _index_matches_articles(db)
