"""Decide from a feed entry, before downloading it, whether an article can be about a renewal.

Pure and cheap: it reads only what the feed already gave us (title, summary, URL slug). It errs
on the side of downloading: a missed cancellation costs more than one extra page, so an entry
is skipped only when there is text to judge and none of it speaks of a show's future.
"""

import re
from urllib.parse import unquote, urlsplit

# Words that, alone, make an entry worth a download.
DECISION = re.compile(
    r"\b(?:renew\w*|cancel\w*|un-?cancel\w*|axe[ds]?|axing|scrap(?:s|ped|ping)?|"
    r"pulls? the plug|pulled the plug|final season|last season|final seasons|"
    r"(?:end|ends|ending|conclude[sd]?|wrap(?:s|ping)? up) (?:with|after|its run|run)|"
    r"series finale|comes? to an end|won'?t (?:be )?(?:return|back|coming back)|"
    r"will not return|not returning|not coming back|(?:return|back) for (?:a |an )?\w+ season|"
    r"pick(?:s|ed)? up|pickup|season \w+ order|orders? (?:a )?(?:second|third|fourth|fifth|"
    r"\w+th|new) season|reviv\w+|rescued|saved by|on the bubble|bubble show|fate|"
    r"limited series|shelved|dropped by|reversed?|u-turn)\b",
    re.IGNORECASE,
)
# Words that make an entry relevant unless it is plainly a review, recap or trailer.
SEASON = re.compile(
    r"\b(?:seasons? (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)|"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th)) "
    r"(?:and final )?(?:season|series)|series (?:\d+|two|three|four|five)|"
    r"return\w*|future|ratings)\b",
    re.IGNORECASE,
)
ROUTINE = re.compile(
    r"\b(?:recap|review|trailer|teaser|first look|photos?|episode \d+|box office|"
    r"interview|podcast|quiz|how to watch|where to (?:watch|stream))\b",
    re.IGNORECASE,
)
SLUG_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+", re.IGNORECASE)
# Path words that say nothing about the story.
GENERIC = {
    "news",
    "tv",
    "television",
    "article",
    "articles",
    "story",
    "stories",
    "html",
    "htm",
    "php",
    "amp",
    "index",
    "category",
    "post",
    "posts",
    "www",
    "feed",
    "the",
}


def slug_text(url: str) -> str:
    """The words of a URL path: "/2026/05/copper-sky-renewed/" -> "2026 05 copper sky renewed"."""
    return " ".join(SLUG_WORDS.findall(unquote(urlsplit(url).path).replace("-", " ")))


def is_relevant(title: str, summary: str, url: str) -> bool:
    """Whether an article announced with this title, summary and URL may state a decision."""
    slug = " ".join(w for w in slug_text(url).split() if w.lower() not in GENERIC)
    text = " ".join(part for part in (title, summary, slug) if part)
    if not re.search(r"[a-z]{3}", text, re.IGNORECASE):
        return True  # nothing to judge by (e.g. "/news/123456" without a title): fetch it
    if DECISION.search(text):
        return True
    return bool(SEASON.search(text)) and not ROUTINE.search(text)
