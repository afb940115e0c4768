"""Downloader middlewares that only concern fetching: address safety, retry backoff, counts.

`PrivateAddressMiddleware` keeps the crawler off private, loopback and link-local networks
(SSRF): a feed can link or redirect anywhere, and a host name can resolve anywhere. Only a
source with `allow_private = true` may reach such an address, and only on its own hosts and
the ports of its start URLs.
"""

import ipaddress
import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from crawler.sources import Source

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: Address) -> bool:
    """Whether an address is on the public internet (not private, loopback, link-local...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class PrivateAddressMiddleware:
    """Refuse non-public addresses, checked before the request (literal or DNS answer) and
    after it (the peer the response came from), so redirects and DNS tricks are covered too.

    The DNS answer is taken from Scrapy's resolver cache, which the connection then reuses.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.sources: dict[str, Source] = {}
        crawler.signals.connect(self._spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "PrivateAddressMiddleware":
        return cls(crawler)

    def _spider_opened(self, spider: Any) -> None:
        self.sources = {source.name: source for source in getattr(spider, "sources", [])}

    def _may_be_private(self, request: Request) -> bool:
        """Only an opted-in source's own hosts *and ports*: `allow_private` for a test site on
        127.0.0.1:8080 must not open 127.0.0.1:6379 (a database) to links in its feed."""
        source = self.sources.get(request.meta.get("source", ""))
        if source is not None:
            return source.allow_private and source.owns(request.url)
        # Requests of no source (robots.txt): allowed on the hosts of opted-in sources.
        return any(s.allow_private and s.owns(request.url) for s in self.sources.values())

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or self._may_be_private(request):
            return
        address = _literal(host)
        if address is None:
            from twisted.internet import reactor

            resolved: Deferred[str] = reactor.resolve(host)  # type: ignore[attr-defined]
            address = ipaddress.ip_address(await maybe_deferred_to_future(resolved))
        if not is_public(address):
            self._refuse(request, address)

    def process_response(self, request: Request, response: Response) -> Response:
        peer = response.ip_address
        if request.meta.get("proxy"):
            return response  # the peer is the proxy, not the site
        if peer is not None and not is_public(peer) and not self._may_be_private(request):
            self._refuse(request, peer)
        return response

    def _refuse(self, request: Request, address: Address) -> None:
        source = request.meta.get("source", "?")
        self.crawler.stats.inc_value(f"renewals/source/{source}/refused")
        raise IgnoreRequest(
            f"refused {request.url}: {address} is not a public address "
            f"(set allow_private = true on source {source!r} to permit it)"
        )


class RetryBackoffMiddleware:
    """Wait before each retry, doubling the wait each time (Scrapy retries at once).

    Place it before every middleware that can fail a request, the address check's DNS lookup
    included: a retried request comes back in at the top of the chain.
    """

    def __init__(self, base_delay: float) -> None:
        self.base_delay = base_delay

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RetryBackoffMiddleware":
        return cls(crawler.settings.getfloat("RENEWALS_RETRY_BACKOFF"))

    async def process_request(self, request: Request) -> None:
        retries = request.meta.get("retry_times", 0)
        if retries and self.base_delay > 0:
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            delay = self.base_delay * 2 ** (retries - 1)
            await maybe_deferred_to_future(deferLater(reactor, delay))  # type: ignore[arg-type]


class SourceRequestsMiddleware:
    """Count each source's downloads (`renewals/source/<name>/requests`) for crawl health."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> "SourceRequestsMiddleware":
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        source = request.meta.get("source")
        if source:
            self.stats.inc_value(f"renewals/source/{source}/requests")
