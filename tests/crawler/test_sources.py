"""The sources file: the bundled list of real outlets, and the rules every file must follow."""

import re
from urllib.parse import urlsplit

import pytest

from crawler.sources import Source, SourcesError, load_sources


def test_bundled_sources_are_real_outlets_over_https_in_every_tier():
    sources = load_sources()
    assert {"deadline", "variety", "hollywood-reporter", "tvline"} <= {s.name for s in sources}
    assert {s.tier for s in sources} == {1, 2, 3}
    for source in sources:
        assert not source.allow_private, source.name
        for url in source.start_urls:
            parts = urlsplit(url)
            assert parts.scheme == "https" and "." in (parts.hostname or ""), url


def test_domains_and_allow_patterns_bound_what_a_source_follows():
    source = Source("d", 1, ("https://deadline.com/v/tv/feed/",), allow=(r"/20\d\d/",))
    assert source.allows("https://deadline.com/2026/05/x/")
    assert source.allows("https://www.deadline.com/2026/05/x/")  # a subdomain
    assert not source.allows("https://deadline.com/about/")  # outside `allow`
    assert not source.allows("https://notdeadline.com/2026/05/x/")
    assert not source.allows("https://deadline.com.evil.example/2026/05/x/")
    assert source.on_domains("https://deadline.com/news-sitemap.xml")


HEAD = '[[source]]\nname = "a"\ntier = 1\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[source]]\nname = "a"\ntier = 4\nstart_urls = ["https://a.example/"]', "'tier'"),
        (HEAD + 'start_urls = ["ftp://a.example/"]', "http(s)"),
        (HEAD + "start_urls = []", "'start_urls'"),
        (HEAD + 'start_urls = ["https://a/"]\nallow = ["("]', "regex"),
        (HEAD + 'start_urls = ["https://a/"]\nallow_private = 1', "true"),
        ("[[source]]\nname = ", "TOML"),
        ("", "no [[source]]"),
    ],
)
def test_bad_sources_files_are_refused_with_one_line(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=re.escape(message)):
        load_sources(path)


@pytest.mark.parametrize(
    ("url", "owned"),
    [
        ("https://news.example/2026/05/story/", True),
        ("http://www.news.example/story", True),  # a subdomain, the other scheme
        ("https://news.example:8443/story", False),  # another site on the same host
        ("https://trusted.example/2026/05/story/", False),
        ("javascript:alert(1)", False),
        ("/2026/05/story/", False),  # relative: not a URL of its own
        ("https://news.example:99999/story", False),
    ],
)
def test_a_source_owns_only_http_urls_on_its_own_hosts_and_ports(url: str, owned: bool) -> None:
    source = Source("news", 3, ("https://news.example/feed.xml",))
    assert source.owns(url) is owned
