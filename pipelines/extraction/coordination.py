"""Stage 5a: coordination, every title a frame covers: "renewed X, Y and Z", "X and Y have
both been cancelled", "X for its fourth season, Y for its seventh"."""

import re

from pipelines.extraction.titles import CAPSEQ, Mention, capitalised_run

# Between two titles of one list: commas, "and", "&", "as well as", with the titles' own
# quote marks or a bracketed note ("X (Fox), Y and Z") on either side.
LIST_JOINER = re.compile(
    r"""[\s"'*]*(?:\([^()]{0,40}\)[\s"'*]*)?"""
    r"""(?:,[\s"'*]*(?:(?:and|as\s+well\s+as)[\s"'*]+)?|(?:and|&|as\s+well\s+as)[\s"'*]+)"""
    r"""(?:(?:the\s+)?(?:[\w-]+\s+)?(?:dramas|comedies|sitcoms|series|shows)[\s"'*]+)?"""
)  # "X, Y and freshman dramas Z and W": the genre before the rest of the list


# "X for its fourth season, Y for its seventh season and Z": a season between listed titles.
SEASON_JOINER = re.compile(
    r"""[\s"'*]*for\s+(?:its|a|an|the|their)\s+(?:[\w-]+\s+){0,2}(?:season|series)(?:\s+\d+)?"""
)


OBJECT_JOINER = re.compile(f"(?:{SEASON_JOINER.pattern})?(?:{LIST_JOINER.pattern})")


RUN_JOINER_BEFORE = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s+)$")


CAPSEQ_AT_END = re.compile(rf"(?:{CAPSEQ.pattern})$")


# The word before a run that makes it part of a phrase rather than a list's first title.
IN_PHRASE = re.compile(r"\b(?:season|series|for|on|in|at|to|from|of|with|by)\s+$", re.I)


CLAUSE_VERB = re.compile(
    r"[\"'\u2019\u201d*]*\s+(?:may|might|will|could|would|is|are|was|were|has|have|had|gets?|got|not)\b",
    re.I,
)


def _listed_runs(text: str, first: Mention, verb_at: int = -1) -> list[Mention]:
    """ "renewed Night Court, Quantum Leap and Lopez vs. Lopez": the runs after the first;
    in a comma list the last "and" separates titles rather than joining one. `verb_at`: where
    the list's own verb is, when the list is its subject ("X, Y and Z were all renewed")."""
    found = []
    position = first.end
    while True:
        joiner = re.match(
            r"""[\s"'\u2019\u201d*]*(?:,\s*(?:and\s+)?|and\s+|&\s+)""", text[position:]
        )
        start = position + joiner.end() if joiner else position
        run = capitalised_run(text[start:]) if joiner else None
        if not run or not text.startswith(run, start):
            return found
        verb = CLAUSE_VERB.match(text, start + len(run))
        if verb and not verb.start() <= verb_at <= verb.end() + 12:
            return found  # "Netflix Renews X, Y May Not Be So Lucky": Y opens a new clause
        parts = run.split(" and ") if joiner.group().strip() == "," else [run]
        for part in parts:
            offset = text.index(part, start)
            found.append(Mention(offset, offset + len(part), part, guessed=True))
        position = start + len(run)


def _split_pair(run: Mention, listed: bool) -> list[Mention]:
    """An unmarked "Dust Road and Iron Gate" is two titles when each side has two words or
    more, or when it ends a comma list ("X, Y and Z"); "Rizzoli and Isles" stays one."""
    parts = run.title.split(" and ")
    if len(parts) != 2 or (not listed and any(len(part.split()) < 2 for part in parts)):
        return [run]
    second = run.start + len(parts[0]) + len(" and ")
    return [
        Mention(run.start, run.start + len(parts[0]), parts[0], guessed=True),
        Mention(second, run.end, parts[1], guessed=True),
    ]


def _runs_before(text: str, last: Mention) -> list[Mention]:
    """ "X, Y and Z were all renewed": the capitalised runs listed before the last one."""
    found: list[Mention] = []
    position = last.start
    while True:
        joiner = RUN_JOINER_BEFORE.search(text, 0, position)
        if not joiner:
            return found
        head = CAPSEQ_AT_END.search(text, 0, joiner.start())
        run = capitalised_run(head.group()) if head else None
        if not run or run != head.group():
            return found
        found.insert(0, Mention(head.start(), head.end(), run, guessed=True))
        listed = text[: head.start()].rstrip().endswith(",")
        if joiner.group().strip() in {"and", "&"} and not listed:
            return found
        position = head.start()


def coordinated(
    text: str, mention: Mention | None, mentions: list[Mention], verb_at: int = -1
) -> list[Mention]:
    """Every title joined to the found one by and/commas ("renewed X and Y"); `verb_at`: the
    frame's position, for a list that is the frame's subject."""
    if mention is None:
        return []
    if mention.anaphor:
        return [mention]
    if mention.guessed:
        before = _runs_before(text, mention)
        return [*before, *_split_pair(mention, bool(before)), *_listed_runs(text, mention)]
    titles = [m for m in mentions if not m.anaphor]
    joiner = LIST_JOINER
    position = next(i for i, m in enumerate(titles) if m.start == mention.start)
    start = end = position
    while start > 0 and joiner.fullmatch(text[titles[start - 1].end : titles[start].start]):
        start -= 1
    while end + 1 < len(titles) and OBJECT_JOINER.fullmatch(
        text[titles[end].end : titles[end + 1].start]
    ):
        if CLAUSE_VERB.match(text, titles[end + 1].end):
            break  # "X for a fourth season, and Y got the axe": Y opens a clause of its own
        end += 1
    group = titles[start : end + 1]
    before = _runs_before(text, group[0])
    if before and IN_PHRASE.search(text, 0, before[0].start):
        before = []  # "back for season 3 on Hulu, and 'Y' is set": no list before 'Y'
    group = [*before, *group, *_runs_after(text, group[-1], verb_at)]
    if len(group) > 1 and not re.search(r"\band\b|&", text[group[-2].end : group[-1].start]):
        return [mention]  # "Like X, Y rushes its ending": a comma alone makes no list
    return group


def _runs_after(text: str, last: Mention, verb_at: int) -> list[Mention]:
    """Unquoted titles that go on a list of known ones: "renewed 'X', 'Y' and Grimm", up to
    the "and" that closes the list, so "renewed 'X', Jane Doe said" adds no one."""
    previous = last
    for index, run in enumerate(runs := _listed_runs(text, last, verb_at)):
        if re.search(r"\band\b|&", text[previous.end : run.start]):
            return runs[: index + 1]
        previous = run
    return []
