"""A gazetteer of channels and streamers: who made a decision, and what is never a show title."""

import re

# canonical name -> spellings seen in copy (matched case-sensitively, longest first)
NETWORKS: dict[str, tuple[str, ...]] = {
    "Netflix": ("Netflix",),
    "Hulu": ("Hulu",),
    "Prime Video": ("Amazon Prime Video", "Prime Video", "Amazon Prime", "Freevee", "IMDb TV"),
    "Amazon": ("Amazon Studios", "Amazon MGM", "Amazon"),
    "Apple TV+": ("Apple TV+", "Apple TV Plus", "Apple TV", "Apple"),
    "HBO Max": ("HBO Max",),
    "HBO": ("HBO",),
    "Max": ("Max",),
    "Showtime": ("Showtime",),
    "Starz": ("Starz",),
    "FX": ("FX on Hulu", "FXX", "FX"),
    "AMC": ("AMC+", "AMC"),
    "TNT": ("TNT",),
    "TBS": ("TBS",),
    "USA Network": ("USA Network",),
    "Syfy": ("Syfy", "SyFy", "SYFY", "Sci-Fi Channel"),
    "NBC": ("NBC",),
    "CBS": ("CBS All Access", "CBS"),
    "ABC": ("ABC",),
    "Fox": ("FOX", "Fox"),
    "The CW": ("The CW", "CW"),
    "Peacock": ("Peacock",),
    "Paramount+": ("Paramount+", "Paramount Plus"),
    "Paramount Network": ("Paramount Network",),
    "Disney+": ("Disney+", "Disney Plus", "Disney Channel"),
    "Freeform": ("Freeform", "ABC Family"),
    "Lifetime": ("Lifetime",),
    "Bravo": ("Bravo",),
    "BBC": ("BBC One", "BBC Two", "BBC Three", "BBC Four", "BBC iPlayer", "BBC America", "BBC"),
    "ITV": ("ITVX", "ITV"),
    "Channel 4": ("Channel 4", "E4"),
    "Channel 5": ("Channel 5",),
    "Sky": ("Sky Atlantic", "Sky One", "Sky Max", "Sky"),
    "Pop TV": ("Pop TV",),
    "Yahoo Screen": ("Yahoo Screen", "Yahoo"),
    "Comedy Central": ("Comedy Central",),
    "Adult Swim": ("Adult Swim",),
    "Cartoon Network": ("Cartoon Network",),
    "Nickelodeon": ("Nickelodeon",),
    "MTV": ("MTV",),
    "A&E": ("A&E",),
    "Cinemax": ("Cinemax",),
    "MGM+": ("MGM+", "Epix", "EPIX"),
    "BET": ("BET+", "BET"),
    "OWN": ("OWN",),
    "Hallmark": ("Hallmark Channel", "Hallmark"),
    "Crackle": ("Crackle",),
    "YouTube": ("YouTube Premium", "YouTube Red", "YouTube"),
    "Acorn TV": ("Acorn TV",),
    "BritBox": ("BritBox",),
    "Shudder": ("Shudder",),
    "Sundance TV": ("SundanceTV", "Sundance TV"),
    "IFC": ("IFC",),
    "Quibi": ("Quibi",),
    "Tubi": ("Tubi",),
    "The Roku Channel": ("The Roku Channel", "Roku"),
    "WGN America": ("WGN America",),
    "National Geographic": ("National Geographic", "Nat Geo"),
    "Discovery": ("Discovery+", "Discovery"),
    "TLC": ("TLC",),
    "History": ("History Channel",),
    "Stan": ("Stan",),
    "Crave": ("Crave",),
    "CBC": ("CBC",),
    "Global": ("Global TV",),
}
_SPELLINGS = sorted(
    ((spelling, name) for name, spellings in NETWORKS.items() for spelling in spellings),
    key=lambda pair: -len(pair[0]),
)
CANONICAL = dict(_SPELLINGS)
NETWORK_RE = re.compile(
    r"(?<![\w+])(" + "|".join(re.escape(s) for s, _ in _SPELLINGS) + r")(?:'s)?(?![\w+])"
)


def find_networks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical name) for every network named in the text."""
    return [(m.start(), m.end(), CANONICAL[m.group(1)]) for m in NETWORK_RE.finditer(text)]


def is_network(text: str) -> bool:
    match = NETWORK_RE.fullmatch(text.strip())
    return match is not None
