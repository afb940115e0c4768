"""Stage 6a: one sentence read into claims: frames found, modality checked, shows, seasons,
network and date linked."""

import re

from pipelines.extraction import modality
from pipelines.extraction.arguments import (
    announced_for,
    arithmetic,
    network_for,
    orders_final,
    previous_complement,
    seasons_for,
)
from pipelines.extraction.claim import Claim
from pipelines.extraction.context import Context
from pipelines.extraction.coordination import coordinated
from pipelines.extraction.document import clean
from pipelines.extraction.frames import Frame, find_frames, has_cue, normalise
from pipelines.extraction.linking import clause_start, resolve, show_mention
from pipelines.extraction.networks import find_networks
from pipelines.extraction.seasons import SeasonMention, find_seasons
from pipelines.extraction.titles import Mention, find_mentions

FIRM = 0.9


HEADLINE = 0.85


TABLE = 0.85


HEDGED = 0.3


# A condition hedges only the clause it opens: "If you missed it, X was renewed" is firm.
NETWORK_ANAPHOR = re.compile(
    r"(?:\s+by\s+)?\b(?:the|that)\s+(?:\w+\s+)?(?:network|channel|streamer|broadcaster|service|cabler)\b",
    re.IGNORECASE,
)


# What a "has been confirmed" is about when it is not a renewal.
DETAIL = re.compile(
    r"\b(?:premiere|date|cast|casting|trailer|release|title|details|plot|episodes?|return date|"
    r"showrunner|director|writer|poster|teaser|filming|production)\b",
    re.IGNORECASE,
)


# "several freshman dramas are on the bubble": a claim about shows the sentence does not name.
UNNAMED_PLURAL = re.compile(
    r"(?:on\s+|about\s+|for\s+)?\b(?:several|many|some|most|a few|few|a couple of|a number of|"
    r"a handful of|a slew of|both|other|various|numerous|two|three|four|five)\s+"
    r"(?:[\w'-]+\s+){0,3}?"
    r"(?:shows|series|dramas|comedies|sitcoms|thrillers|titles|programmes|programs|"
    r"newcomers|rookies|freshmen|originals)\b",
    re.IGNORECASE,
)


WHICH_BEFORE = re.compile(r",\s*which\s+(?:[\w'-]+\s+){0,3}$", re.IGNORECASE)
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def sentence_claims(
    sentence: str, context: Context, confidence: float, headline: bool = False
) -> list[Claim]:
    if not has_cue(sentence):
        return []
    text = normalise(sentence, context.book.pattern())
    if modality.asks(text, headline):
        return []
    frames = [  # "whose second season was left in limbo" tells a past state in passing
        t
        for t in find_frames(text)
        if not (t.status == "pending" and modality.past_aside(text[: t.start]))
    ]
    if not frames:
        return []
    mentions = find_mentions(text, context.book, headline)
    season_mentions = find_seasons(text)
    masked = text
    for found in (m for m in mentions if not m.anaphor):  # "Copper Sky" names no network
        masked = masked[: found.start] + " " * (found.end - found.start) + masked[found.end :]
    claims: list[Claim] = []
    told: list[str] = []  # the shows the sentence's previous frame was about
    objects: set[int] = (
        set()
    )  # where the titles named after a previous frame, as its objects, start
    for index, frame in enumerate(frames):
        if frame.status == "asked":
            continue
        attributive = modality.describes(text[: frame.start]) and (
            frame.role != "any" or modality.COMPARISON.search(text[: frame.start][-60:])
        )
        if "confirmed" in text[frame.start : frame.end].lower() and DETAIL.search(
            text[clause_start(text, frame.start) : frame.start]
        ):
            continue  # "the premiere date has been confirmed"
        if frame.negated or attributive:
            continue
        left = frames[index - 1].end if index else 0
        right = frames[index + 1].start if index + 1 < len(frames) else len(text)
        own_start = previous_complement(text, frames[index - 1] if index else None, frame)
        free = [m for m in mentions if m.start not in objects]  # not an earlier frame's objects
        mention = show_mention(text, frame, free, left, right, headline)
        clause = text[clause_start(text, frame.start) : frame.start]
        unnamed = mention is not None and mention.anaphor and mention.start == mention.end
        after = text[frame.end : frame.end + 60]
        if unnamed and (UNNAMED_PLURAL.search(clause) or UNNAMED_PLURAL.match(after.lstrip())):
            continue
        group = coordinated(text, mention, free, frame.start)
        seasons = seasons_for(season_mentions, text, frame, max(left, own_start), right)
        if frame.needs_season and seasons == [None]:
            continue
        # "Roy rescued Ted" in a recap is no renewal: a network (or "the network") decides
        by_network = NETWORK_ANAPHOR.match(text, frame.end) if "by" in text else None
        decider = bool(find_networks(masked) or NETWORK_ANAPHOR.search(clause) or by_network)
        dated = seasons != [None]
        guessed = sum(m.guessed for m in group)  # "renewed X, Y and Z"; "X, Y, Z and W have been"
        subjects = guessed > 2 and all(m.end <= frame.start for m in group)
        mixed = guessed and len(group) > 2 and len(group) > guessed  # "'X', 'Y' and Grimm"
        listed = (decider and guessed > 1) or subjects or mixed
        group = [
            m
            for m in group
            if not m.guessed or listed or _likely_show(m.title, context, headline, decider, dated)
        ]
        shows = _told_before(text, frame, mention, mentions, told) or [
            resolve(m, context, text, frame, mentions) for m in group
        ]
        if not shows or not all(shows):
            continue
        told = shows
        objects.update(m.start for m in group if m.start >= frame.end and not m.anaphor)
        if frame.needs_subject and not dated:
            shows = [s for s in shows if s in (context.book.subject, context.focus)]
            if not shows:
                continue
        score = confidence
        before = text[clause_start(text, frame.start) : frame.start]
        if modality.retracted(text[: frame.start], text[frame.end :]):
            continue
        if modality.hedged(modality.own_clause(before)):
            score = HEDGED
        network = network_for(masked, frame, left, right)
        if network:
            context.last_network = network
        elif NETWORK_ANAPHOR.search(text[left : frame.start]):
            network = context.last_network  # "the channel has axed X"
        announced = announced_for(text, frame, left, right, context.published)
        paired = (
            len(shows) > 1
            and len(seasons) == len(shows)
            and bool(RESPECTIVELY.search(text, frame.end))
        )  # "X and Y for a third and fourth season, respectively"
        own = _own_seasons(frame, group, season_mentions, right) if len(shows) > 1 else []
        status = frame.status
        beyond = next((f.start for f in frames[index + 1 :] if f.status != "ending"), len(text))
        if status == "renewed" and orders_final(text, frame, beyond):
            status = "ending"  # "picked up X for a fifth and final season"
        if network is None and any(
            show in (context.book.subject, context.focus, context.local) or show in context.headline
            for show in shows
        ):
            network = context.fallback_network  # the lede's network, for its own shows' frame
        for position, show in enumerate(shows):
            numbers = [seasons[position]] if paired else own[position] if own else seasons
            if status == "pending" and seasons == [None]:
                numbers = [context.headline_seasons.get(show)]
            claims.extend(
                Claim(show, season, status, network, announced, score, clean(sentence))
                for season in numbers
            )
    return _sentence_rules(claims)


def _own_seasons(
    frame: Frame, group: list[Mention], found: list[SeasonMention], right: int
) -> list[list[int | None]]:
    """ "renewed X for its fourth season, Y for its seventh and Z for its third": each title
    followed by a season of its own, before the next title."""
    if any(m.start < frame.end for m in group):
        return []
    seasons = []
    for index, mention in enumerate(group):
        end = group[index + 1].start if index + 1 < len(group) else right
        own = [m for m in found if mention.end <= m.start < end]
        if not own:
            return []
        seasons.append(arithmetic(frame.status, own) or [None])
    return seasons


def _told_before(
    text: str, frame: Frame, mention: Mention | None, mentions: list[Mention], told: list[str]
) -> list[str]:
    """The shows of the sentence's previous frame, when this frame names none of its own:
    "X was axed in 2019, but Netflix revived it", "renewed X for a fifth season, which
    will be its last"."""
    if not told:
        return []
    if mention is None:
        return told if WHICH_BEFORE.search(text, 0, frame.start) else []
    if mention.anaphor and mention.start == mention.end:  # the wording names no show
        return told if frame.role == "any" else []  # "renewed for a fourth and final season"
    named_before = any(not m.anaphor and m.end <= mention.start for m in mentions)
    return told if mention.anaphor and not named_before else []


def _likely_show(
    title: str, context: Context, in_headline: bool, decider: bool, seasoned: bool
) -> bool:
    """Whether an unmarked capitalised run is a show rather than a person or a character:
    the headline names it, or a network acts in the sentence and a season is given or the
    body names it again. A run read in the headline itself must recur in the body."""
    count = context.body.count(title)
    if in_headline:
        return count >= 1 or seasoned
    if title in context.headline:
        return True
    return decider and (seasoned or count >= 2 or len(title.split()) >= 2)


def _sentence_rules(claims: list[Claim]) -> list[Claim]:
    """A final season ordered is `ending` only; a cancelled show's "final chapter" was hoped;
    a limited series that "will not return" has ended rather than been cancelled; a renewal
    revoked in the same sentence ("cancelled months after renewing it for a third season")
    cancels the season it had ordered, and a revival orders the season a cancellation
    ruled out."""
    ordered = {c.show: c.season for c in claims if c.status == "renewed" and c.season}
    dropped = {c.show: c.season for c in claims if c.status == "cancelled" and c.season}
    for claim in claims:
        if claim.status == "cancelled" and claim.season is None and claim.show in ordered:
            claim.season = ordered[claim.show]
        if claim.status == "renewed" and claim.season is None and claim.show in dropped:
            claim.season = dropped[claim.show]  # "axed after three seasons; revived it"
    shows_ending = {c.show for c in claims if c.status == "ending"}
    shows_cancelled = {c.show for c in claims if c.status == "cancelled" and c.confidence >= 0.5}
    kept = []
    for claim in claims:
        limited = re.search(r"\b(?:limited series|miniseries)\b", claim.evidence, re.IGNORECASE)
        if claim.status == "renewed" and claim.show in shows_ending:
            continue
        if claim.status == "ending" and claim.show in shows_cancelled and not limited:
            continue
        if claim.status == "cancelled" and claim.show in shows_ending and limited:
            continue
        kept.append(claim)
    return kept
