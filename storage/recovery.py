"""What a killed run leaves behind, finished by the next command that writes: its run row
still "running", and the shows it stored claims about but never consolidated."""

import sqlite_utils

from storage.ledger import consolidate_queued, queued_shows
from storage.runs import close_dead_runs, finish_run, start_run


def finish_left_work(db: sqlite_utils.Database, kind: str) -> list[dict]:
    """Close dead runs, then consolidate the queued shows in a run of their own (`kind`).

    The caller holds the crawl lock. Returns the changes made (their alerts are queued).
    """
    close_dead_runs(db)
    if not queued_shows(db):
        return []
    run_id = start_run(db, [], kind=kind)
    try:
        changes = consolidate_queued(db, run_id)
    except BaseException:
        finish_run(db, run_id, {"reason": "failed"})
        raise
    finish_run(db, run_id, {"reason": "finished", "changes": len(changes)})
    return changes
