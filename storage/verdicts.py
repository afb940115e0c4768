"""Why each of a show's claims counts or not, for `renewals history`: consolidation replayed
over the show's claims, watching what each decision did to the status (storage.ledger decides;
this only reports)."""

from typing import Any

from storage.ledger import DECISIONS, FIRM_CONFIDENCE, ShowLedger, decisions

Verdict = tuple[str, str]  # (used | superseded | confirms | disputed | older news | hedged, why)


def claim_verdicts(claims: list[dict[str, Any]]) -> dict[tuple[str, str, str], Verdict]:
    """A verdict per decision, keyed by (article url, status, effective) as claims group."""
    ledger = ShowLedger()
    verdicts: dict[tuple[str, str, str], Verdict] = {}
    used: list[tuple[str, str, str]] = []
    for d in decisions(claims):
        key = (d.url, d.status, d.effective)
        before = ledger.state
        if ledger.apply(d):
            if before is not None and before.decision.url == d.url and before.status == d.status:
                verdicts[key] = ("used", "gave the season of the status")
            else:
                verdicts[key] = ("used", "set the status")
                used.append(key)
            continue
        assert before is not None  # the first decision always sets the status
        if d in ledger.disputes():
            verdicts[key] = (
                "disputed",
                f"a tier-{d.tier} source against a tier-{before.tier} status;"
                " a second independent source would overturn it",
            )
        elif d.status == before.status:
            verdicts[key] = ("confirms", "repeats the current status")
        elif d.season is not None and before.season is not None and d.season < before.season:
            verdicts[key] = ("older news", f"about season {d.season}, before the current one")
        elif d.status == "pending" and before.status in DECISIONS:
            verdicts[key] = ("older news", "'no decision yet' after the decision was made")
        else:
            verdicts[key] = ("older news", "restates a status the show already left")
    for key in used[:-1]:
        verdicts[key] = ("superseded", "a later decision changed the status")
    return verdicts


def with_verdicts(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims (as `show_history` lists them) each with `verdict` and `why`."""
    rows = [{**claim, "article_url": claim["url"], "fetched_at": None} for claim in claims]
    verdicts = claim_verdicts(rows)
    for row, claim in zip(rows, claims, strict=True):
        if (claim["confidence"] or 0) < FIRM_CONFIDENCE:
            claim["verdict"], claim["why"] = "hedged", "confidence below 0.5 never decides"
        else:
            claim["verdict"], claim["why"] = verdicts.get(
                (row["article_url"], row["status"], row["effective"]), ("older news", "")
            )
    return claims
