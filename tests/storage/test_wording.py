"""A status and season in the words a reader uses."""

import pytest

from storage.wording import status_words


@pytest.mark.parametrize(
    "status, season, words",
    [
        ("renewed", 3, "renewed for season 3"),
        ("cancelled", 2, "cancelled after season 1"),  # SPEC: "cancelled after one season" -> 2
        ("cancelled", 1, "cancelled before airing"),
        ("ending", 5, "ending with season 5"),
        ("pending", 3, "pending: season 3 undecided"),
        ("cancelled", None, "cancelled"),
        (None, None, "no status"),
    ],
)
def test_status_words(status, season, words) -> None:
    assert status_words(status, season) == words
