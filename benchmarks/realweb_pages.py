"""Turn real-web excerpts and their labels into a corpus folder that extract_accuracy.py scores.

Usage: python benchmarks/realweb_pages.py LABELS EXCERPTS OUT_DIR

LABELS is one of this project's label files (benchmarks/realweb/*.jsonl: ids, search queries,
ranks, urls and labels, never page text). EXCERPTS is a JSON-lines file written outside the
repository by re-reading those queries through the search tool ({"id", "url", "excerpt"}, see
benchmarks/realweb/README.md). OUT_DIR gets one HTML page per excerpt and a labels.jsonl in the
SPEC's corpus format, so the scorer and its matching rules are the same as for every other set.
"""

import json
import sys
from html import escape
from pathlib import Path

# An excerpt line this short with no closing punctuation reads as a heading, not a paragraph.
HEADING_MAX = 120


def _block(line: str, first: bool) -> str:
    text = escape(line.strip())
    if len(line) <= HEADING_MAX and not line.rstrip().endswith((".", "!", "\u201d", '"', ",")):
        return f"<h1>{text}</h1>" if first else f"<h2>{text}</h2>"
    return f"<p>{text}</p>"


def excerpt_page(excerpt: str, url: str, published: str | None) -> str:
    """A plain article page: the excerpt's lines as headline, headings and paragraphs."""
    lines = [line for line in excerpt.splitlines() if line.strip()]
    body = "\n".join(_block(line, index == 0) for index, line in enumerate(lines))
    meta = (
        f'<meta property="article:published_time" content="{escape(published)}">'
        if published
        else ""
    )
    return (
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<link rel="canonical" href="{escape(url)}">{meta}</head>'
        f"<body><article>\n{body}\n</article></body></html>\n"
    )


def build(labels: Path, excerpts: Path, out: Path) -> int:
    texts = {}
    for line in excerpts.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts[record["id"]] = record
    out.mkdir(parents=True, exist_ok=True)
    written, missing = [], []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        record = texts.get(label["id"])
        if record is None or record["url"] != label["url"]:
            missing.append(label["id"])
            continue
        name = f"{label['id']}.html"
        (out / name).write_text(
            excerpt_page(record["excerpt"], label["url"], label.get("published")),
            encoding="utf-8",
        )
        written.append(
            {
                "file": name,
                "url": label["url"],
                "published": label.get("published"),
                "claims": label["claims"],
                "distractors": label.get("distractors", []),
            }
        )
    with (out / "labels.jsonl").open("w", encoding="utf-8") as handle:
        for entry in written:
            handle.write(json.dumps(entry) + "\n")
    print(f"{len(written)} pages written to {out}; {len(missing)} without a matching excerpt")
    for item in missing:
        print(f"  missing: {item}", file=sys.stderr)
    return 0 if written else 1


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    return build(Path(argv[0]), Path(argv[1]), Path(argv[2]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
