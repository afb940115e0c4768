"""A status and its season as a reader says them: "cancelled after season 1", not
"cancelled 2". The stored `season` keeps the SPEC's meaning (for a cancellation, the first
season that will not be made); tables, feeds, alerts and the scorecard show these words."""


def status_words(status: str | None, season: int | None) -> str:
    """E.g. "renewed for season 3", "cancelled after season 2", "ending with season 5"."""
    if status is None:
        return "no status"
    if season is None:
        return status
    if status == "renewed":
        return f"renewed for season {season}"
    if status == "cancelled":
        return f"cancelled after season {season - 1}" if season > 1 else "cancelled before airing"
    if status == "ending":
        return f"ending with season {season}"
    return f"{status}: season {season} undecided"
