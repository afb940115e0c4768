"""Relevance before cost: which feed entries are worth downloading."""

import pytest

from crawler.relevance import is_relevant, slug_text


@pytest.mark.parametrize(
    ("title", "summary", "url"),
    [
        ("'Copper Sky' Renewed for Season 2 at Starz", "", "https://x.example/a/"),
        ("Netflix Cancels 'Velvet Circuit' After One Season", "", "https://x.example/b/"),
        ("Is 'Wednesday' Season 3 Cancelled or Renewed?", "", "https://x.example/c/"),
        ("'Harbor Lights' to End With Season 5", "", "https://x.example/d/"),
        ("Fox axes two comedies", "", "https://x.example/e/"),
        ("Peacock picks up 'Lanterns' for a second season", "", "https://x.example/f/"),
        ("'The Expanse' saved by Amazon", "", "https://x.example/g/"),
        ("Shows on the bubble", "", "https://x.example/h/"),
        ("Lantern Row gets a third season", "", "https://x.example/i/"),
        ("TV ratings: 'Harbor Lights' slips", "", "https://x.example/j/"),
        ("", "", "https://x.example/2026/05/copper-sky-renewed/"),  # sitemap, slug only
        ("Big week", "HBO has renewed the drama for a fourth and final season.", "https://x/k"),
        ("", "", "https://x.example/news/1234567"),  # nothing to judge by: fetch
    ],
)
def test_entries_that_can_state_a_decision_are_downloaded(title, summary, url):
    assert is_relevant(title, summary, url)


@pytest.mark.parametrize(
    ("title", "url"),
    [
        ("'Succession' Season 4 Episode 3 Recap", "https://x.example/recap/"),
        ("'Harbor Lights' Midseason Review: Storm Warnings", "https://x.example/review/"),
        ("Box office: 'Dune' tops the weekend", "https://x.example/box-office/"),
        ("Taylor Swift announces tour dates", "https://x.example/music/swift-tour/"),
        ("Missing story", "https://x.example/2026/05/gone/"),
    ],
)
def test_entries_about_something_else_are_skipped(title, url):
    assert not is_relevant(title, "", url)


def test_slug_words():
    assert slug_text("https://x.example/2026/05/copper-sky-renewed/") == (
        "2026 05 copper sky renewed"
    )
