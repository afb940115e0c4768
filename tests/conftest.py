"""Shared fixtures: real HTTP servers on 127.0.0.1, each stopped when its test ends."""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewals.localsite import LocalSite


@pytest.fixture
def local_site() -> Iterator:
    """Start LocalSite servers on demand; every one is stopped when the test ends."""
    sites: list[LocalSite] = []

    def start(*roots: Path) -> LocalSite:
        site = LocalSite(*roots).start()
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.stop()


@pytest.fixture
def refused_url() -> str:
    """A loopback URL whose port nothing listens on: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
