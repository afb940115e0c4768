"""Load and validate the sources file (TOML, format in SPEC "Sources file")."""

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

SOURCE_KEYS = {"name", "tier", "start_urls", "allow", "allow_private"}
TOP_LEVEL_KEYS = {"source", "alerts"}


class SourcesError(ValueError):
    """A sources file that cannot be used; the message is one line naming the problem."""


@dataclass(frozen=True)
class Source:
    name: str
    tier: int
    start_urls: tuple[str, ...]
    allow: tuple[str, ...] = ()
    allow_private: bool = False

    @property
    def domains(self) -> set[str]:
        """Hosts of the start URLs: article links are followed only within them."""
        return {urlsplit(url).hostname or "" for url in self.start_urls}

    def on_domains(self, url: str) -> bool:
        """Whether a URL's host is one of this source's domains or a subdomain of one."""
        host = urlsplit(url).hostname or ""
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def owns(self, url: str) -> bool:
        """Whether a page of this source may name `url` as its canonical URL: http(s), on
        this source's domains, and on a port one of its start URLs uses (another port of the
        same host is another site)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not self.on_domains(url):
            return False
        try:
            return parts.port in {urlsplit(start).port for start in self.start_urls}
        except ValueError:  # a port that is not a number
            return False

    def allows(self, url: str) -> bool:
        """Whether an article URL is within this source's domains and `allow` patterns."""
        if not self.on_domains(url):
            return False
        return not self.allow or any(re.search(pattern, url) for pattern in self.allow)


def bundled_sources_path() -> Path:
    """The default list of real outlets shipped with the package."""
    return Path(str(resources.files("crawler").joinpath("sources.toml")))


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Read a sources file, or the bundled one, raising SourcesError on any problem."""
    path = Path(path) if path else bundled_sources_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SourcesError(f"cannot read sources file {path}: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourcesError(f"{path}: not valid TOML: {error}") from error
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise SourcesError(f"{path}: unknown top-level key {sorted(unknown)[0]!r}")
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: no [[source]] entries")
    sources = [_parse_source(path, index, entry) for index, entry in enumerate(entries, 1)]
    names = [source.name for source in sources]
    duplicate = next((name for name in names if names.count(name) > 1), None)
    if duplicate:
        raise SourcesError(f"{path}: source name {duplicate!r} is used twice")
    return sources


def _parse_source(path: Path, index: int, entry: dict) -> Source:
    where = f"{path}: source #{index}"
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: not a table")
    if isinstance(entry.get("name"), str):
        where = f"{path}: source {entry['name']!r}"
    unknown = set(entry) - SOURCE_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: 'name' must be a non-empty string")
    tier = entry.get("tier")
    if tier not in (1, 2, 3) or isinstance(tier, bool):
        raise SourcesError(f"{where}: 'tier' must be 1, 2 or 3")
    start_urls = entry.get("start_urls")
    if not isinstance(start_urls, list) or not start_urls:
        raise SourcesError(f"{where}: 'start_urls' must be a non-empty list")
    for url in start_urls:
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise SourcesError(f"{where}: start URL {url!r} is not an http(s) URL")
    allow = entry.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(p, str) for p in allow):
        raise SourcesError(f"{where}: 'allow' must be a list of regexes")
    for pattern in allow:
        try:
            re.compile(pattern)
        except re.error as error:
            raise SourcesError(f"{where}: bad 'allow' regex {pattern!r}: {error}") from error
    allow_private = entry.get("allow_private", False)
    if not isinstance(allow_private, bool):
        raise SourcesError(f"{where}: 'allow_private' must be true or false")
    return Source(name.strip(), tier, tuple(start_urls), tuple(allow), allow_private)
