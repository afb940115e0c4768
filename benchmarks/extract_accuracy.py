"""Score claim extraction against a labelled corpus (SPEC "Labelled corpus format").

Usage: python benchmarks/extract_accuracy.py CORPUS_DIR [--quiet]

A prediction counts when its confidence is >= 0.5. It matches a label when the show matches
(case-insensitive, quotes/punctuation and a leading "The" stripped, or an alias), the status is
equal, and the season is equal where the label's season is not null; each label is matched at
most once. Prints per-status and overall precision/recall/F1, every error with its evidence,
and how many claims were made about distractor shows.
"""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from pipelines.extract import extract_file

THRESHOLD = 0.5
STATUSES = ("renewed", "cancelled", "ending", "pending")


def show_key(name: str) -> str:
    text = re.sub(r"[\"'\u2018\u2019\u201c\u201d]", "", name.lower()).strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def _names(label: dict) -> set[str]:
    return {show_key(label["show"]), *(show_key(a) for a in label.get("aliases", []))}


def _matches(prediction: dict, label: dict) -> bool:
    return (
        show_key(prediction["show"]) in _names(label)
        and prediction["status"] == label["status"]
        and (label["season"] is None or prediction["season"] == label["season"])
    )


def score_page(predictions: list[dict], labels: list[dict]) -> tuple[list, list, list]:
    """(true positives, false positives, missed labels) for one page, greedy one-to-one."""
    unmatched = list(labels)
    hits, wrong = [], []
    for prediction in predictions:
        label = next((lab for lab in unmatched if _matches(prediction, lab)), None)
        if label is None:
            wrong.append(prediction)
        else:
            unmatched.remove(label)
            hits.append((prediction, label))
    return hits, wrong, unmatched


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(corpus: Path, quiet: bool = False) -> dict:
    counts = {s: defaultdict(int) for s in STATUSES}
    distractor_claims = 0
    errors: list[str] = []
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        page = json.loads(line)
        records = extract_file(str(corpus / page["file"]), page.get("url"))
        predictions = [r for r in records if r["confidence"] >= THRESHOLD]
        hits, wrong, missed = score_page(predictions, page["claims"])
        distractors = {show_key(d) for d in page.get("distractors", [])}
        for prediction, _ in hits:
            counts[prediction["status"]]["tp"] += 1
        for prediction in wrong:
            counts[prediction["status"]]["fp"] += 1
            about_distractor = show_key(prediction["show"]) in distractors
            distractor_claims += about_distractor
            errors.append(
                f"{page['file']}  WRONG{' (distractor)' if about_distractor else ''}  "
                f"{prediction['show']!r} {prediction['status']} s={prediction['season']} "
                f"conf={prediction['confidence']}\n    evidence: {prediction['evidence']}"
            )
        for label in missed:
            counts[label["status"]]["fn"] += 1
            near = [r for r in records if show_key(r["show"]) in _names(label)]
            hint = "; ".join(
                f"{r['status']} s={r['season']} conf={r['confidence']}: {r['evidence'][:160]}"
                for r in near
            )
            errors.append(
                f"{page['file']}  MISSED  {label['show']!r} {label['status']} s={label['season']}"
                + (f"\n    nearest: {hint}" if hint else "")
            )
    if not quiet:
        for error in errors:
            print(error)
        print()
    totals = defaultdict(int)
    print(f"{'status':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for status in STATUSES:
        c = counts[status]
        for k in ("tp", "fp", "fn"):
            totals[k] += c[k]
        p, r, f = _prf(c["tp"], c["fp"], c["fn"])
        print(f"{status:<10} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    p, r, f = _prf(totals["tp"], totals["fp"], totals["fn"])
    row = f"{totals['tp']:>4} {totals['fp']:>4} {totals['fn']:>4} {p:>6.3f} {r:>6.3f} {f:>6.3f}"
    print(f"{'overall':<10} {row}")
    print(f"distractor claims (confidence >= {THRESHOLD}): {distractor_claims}")
    return {"precision": p, "recall": r, "f1": f, "distractor_claims": distractor_claims, **totals}


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    evaluate(Path(args[0]), quiet="--quiet" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
