"""Rate limits and who the client is (limits.py), origins and proxies (service.py): no database, no clock."""

from __future__ import annotations

import ipaddress

import pytest

from generator.results.limits import TokenBuckets, client_key, retry_after
from generator.results.service import ADDRESS_LIMIT, Limit, network, origin


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_burst_then_rate():
    """A burst goes through at once; then one request per 1/rate seconds, and the wait is said."""
    clock = Clock()
    buckets = TokenBuckets(Limit(rate=2, burst=3), clock)
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0  # another key has its own bucket
    clock.now += 0.5
    assert buckets.take("a") == 0
    clock.now += 100
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]  # refilled to the burst, not beyond
    assert buckets.take("a") > 0


def test_factory_never_limited():
    """300 workers behind one address, each a preflight (not counted) and a post, all within a second,
    then everyone again ten minutes later: not one request waits."""
    clock = Clock()
    buckets = TokenBuckets(ADDRESS_LIMIT, clock)
    for _ in range(2):
        for worker in range(300):
            clock.now += 1 / 300
            assert buckets.take("203.0.113.9") == 0, worker
        clock.now += 600


def test_flooding_client_slowed():
    """One address sending 10,000 requests as fast as it can gets through the burst and then 10 a second."""
    clock = Clock()
    buckets = TokenBuckets(ADDRESS_LIMIT, clock)
    passed = 0
    for _ in range(10_000):
        clock.now += 0.001
        passed += buckets.take("198.51.100.1") == 0
    assert passed == pytest.approx(ADDRESS_LIMIT.burst + 10 * 10, abs=2)


def test_bucket_memory_is_bounded():
    """Past max_keys the least recently used buckets go."""
    buckets = TokenBuckets(Limit(rate=1, burst=1), Clock(), max_keys=100)
    for n in range(1000):
        buckets.take(str(n))
    assert len(buckets._buckets) == 100


@pytest.mark.parametrize("wait, header", [(0.01, "1"), (1.0, "1"), (1.2, "2"), (59.5, "60")])
def test_retry_after(wait, header):
    assert retry_after(wait) == header


PROXY = (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"))


@pytest.mark.parametrize(
    "peer, forwarded, proxies, key",
    [
        ("203.0.113.5", [], (), "203.0.113.5"),
        ("203.0.113.5", ["198.51.100.1"], (), "203.0.113.5"),  # no --proxy: the header is ignored
        ("203.0.113.5", ["198.51.100.1"], PROXY, "203.0.113.5"),  # not from a trusted proxy
        ("127.0.0.1", ["198.51.100.1"], PROXY, "198.51.100.1"),
        ("127.0.0.1", ["1.2.3.4, 198.51.100.1"], PROXY, "198.51.100.1"),  # the left part is the client's own
        ("127.0.0.1", ["198.51.100.1, 10.1.2.3"], PROXY, "198.51.100.1"),  # two proxies
        ("127.0.0.1", ["1.2.3.4", "198.51.100.1"], PROXY, "198.51.100.1"),  # two headers
        ("127.0.0.1", ["garbage, 198.51.100.1"], PROXY, "198.51.100.1"),
        ("127.0.0.1", ["198.51.100.1, garbage"], PROXY, "127.0.0.1"),
        ("127.0.0.1", [], PROXY, "127.0.0.1"),
        ("2001:db8:1:2:3:4:5:6", [], (), "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", [], (), "203.0.113.5"),
        (None, [], (), "unknown"),
        ("testclient", [], (), "testclient"),
    ],
)
def test_client_key(peer, forwarded, proxies, key):
    """The socket's address, or X-Forwarded-For read from the right past trusted proxies; IPv6 by /64."""
    assert client_key(peer, forwarded, proxies) == key


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.gov.cn/anquan/", "https://example.gov.cn"),
        ("https://Example.gov.cn:443/", "https://example.gov.cn"),
        ("http://127.0.0.1:8000/sub/", "http://127.0.0.1:8000"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("", None),
        ("example.gov.cn", None),
        ("ftp://example.gov.cn/", None),
        ("https://example.gov.cn:99999/", None),
    ],
)
def test_origin(url, expected):
    """site_url -> the Origin a browser sends from its pages (the default port left out)."""
    assert origin(url) == expected


def test_network():
    assert network("127.0.0.1") == ipaddress.ip_network("127.0.0.1/32")
    assert network("10.0.0.0/8") == ipaddress.ip_network("10.0.0.0/8")
    assert network("::1") == ipaddress.ip_network("::1/128")
    assert network("proxy.local") is None
