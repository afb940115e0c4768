"""Address safety and retry backoff, on Scrapy's own request/response objects (no network)."""

import asyncio
import ipaddress

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from crawler.middlewares import PrivateAddressMiddleware, is_public
from crawler.sources import Source

PUBLIC = Source("public", 1, ("https://93.184.215.14/feed/",))
LOCAL = Source("local", 1, ("http://127.0.0.1:8000/feed.xml",), allow_private=True)


def make_middleware() -> tuple[PrivateAddressMiddleware, object]:
    crawler = get_crawler(Spider)
    middleware = PrivateAddressMiddleware.from_crawler(crawler)
    crawler.stats.open_spider()
    spider = Spider("news")
    spider.sources = [PUBLIC, LOCAL]  # type: ignore[attr-defined]
    middleware._spider_opened(spider)
    return middleware, crawler


def check(middleware: PrivateAddressMiddleware, url: str, source: str | None) -> None:
    meta = {"source": source} if source else {}
    asyncio.run(middleware.process_request(Request(url, meta=meta)))


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1"],
)  # fmt: skip
def test_non_public_addresses(address):
    assert not is_public(ipaddress.ip_address(address))


def test_public_addresses():
    assert is_public(ipaddress.ip_address("93.184.215.14"))
    assert is_public(ipaddress.ip_address("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))


def test_a_source_not_opted_in_cannot_reach_private_addresses():
    middleware, crawler = make_middleware()
    for url in ("http://127.0.0.1:8000/x", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/x", "http://10.0.0.7/admin"):  # fmt: skip
        with pytest.raises(IgnoreRequest, match="not a public address"):
            check(middleware, url, "public")
    assert crawler.stats.get_value("renewals/source/public/refused") == 4
    check(middleware, "https://93.184.215.14/2026/05/a/", "public")  # public: passes


def test_opting_in_covers_the_sources_own_hosts_only():
    middleware, _ = make_middleware()
    check(middleware, "http://127.0.0.1:8000/2026/05/a/", "local")
    with pytest.raises(IgnoreRequest):
        check(middleware, "http://10.0.0.7/", "local")  # another private host
    check(middleware, "http://127.0.0.1:8000/robots.txt", None)  # robots.txt of an opted-in host
    with pytest.raises(IgnoreRequest):
        check(middleware, "http://192.168.0.1/robots.txt", None)


def test_a_redirect_to_a_private_address_is_refused():
    middleware, crawler = make_middleware()
    redirect = RedirectMiddleware.from_crawler(crawler)
    request = Request("https://93.184.215.14/feed/", meta={"source": "public"})
    check(middleware, request.url, "public")
    response = Response(
        request.url, status=302, headers={"Location": "http://169.254.169.254/latest/"}
    )
    followed = redirect.process_response(request, response)
    assert isinstance(followed, Request) and followed.meta["source"] == "public"
    with pytest.raises(IgnoreRequest):
        asyncio.run(middleware.process_request(followed))


def test_the_peer_address_is_checked_after_the_download():
    middleware, _ = make_middleware()
    request = Request("https://93.184.215.14/feed/", meta={"source": "public"})
    answer = Response(request.url, ip_address=ipaddress.ip_address("10.0.0.7"))
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, answer)
    fine = Response(request.url, ip_address=ipaddress.ip_address("93.184.215.14"))
    assert middleware.process_response(request, fine) is fine
