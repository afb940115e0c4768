"""The read behind the renewal scorecard: every show's current status with the evidence that
set it, whether it is disputed, and its change of the last days, if any."""

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils


def scorecard_rows(
    db: sqlite_utils.Database, recent_days: int = 7, now: datetime | None = None
) -> list[dict[str, Any]]:
    """One row per show with a status, by network then title; `changed_from` (status, season)
    is set for a show whose status changed in the last `recent_days` days."""
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=recent_days)).isoformat("T", "seconds")
    return list(
        db.query(
            """select shows.key, shows.title as show, shows.status, shows.season, shows.network,
                   shows.since, shows.url, shows.source, snapshots.evidence,
                   exists (select 1 from dispute_records d where d.show_key = shows.key)
                       as disputed,
                   recent.from_status, recent.from_season, recent.detected_at as changed_at
            from shows
            left join snapshots on snapshots.id = shows.snapshot_id
            left join changes recent on recent.id = (
                select max(id) from changes
                where changes.show_key = shows.key and changes.detected_at >= ?
            )
            where shows.status is not null
            order by shows.network is null, shows.network collate nocase,
                     shows.title collate nocase""",
            [cutoff],
        )
    )
