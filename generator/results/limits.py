"""Rate limits: token buckets per client address and per device, and who the client is behind a proxy.

The limits are per process: with several service processes (PostgreSQL behind a load balancer)
each keeps its own buckets, so a client may get up to that many times the rate.  They exist to slow
one client flooding, not to count exactly; a factory's workers sharing one public address stay far
below them (``service.ADDRESS_LIMIT``).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from .service import Limit, Network

MAX_KEYS = 100_000
"""Buckets kept; past that the least recently used go (a full bucket is the same as none)."""


class TokenBuckets:
    """One bucket per key: ``limit.burst`` tokens, refilled at ``limit.rate`` a second; each request takes one."""

    def __init__(self, limit: Limit, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        self.limit = limit
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when ``key`` may go on (a token taken), else the seconds until its next token."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(key, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - then) * self.limit.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.limit.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    """A Retry-After header's value: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))


def client_key(peer: str | None, forwarded: Iterable[str], proxies: Sequence[Network]) -> str:
    """The client's address as a bucket key.  ``peer`` is the socket's address; X-Forwarded-For
    (``forwarded``, every such header) counts only when ``peer`` is a trusted proxy, read from the
    right: the first address that is not a trusted proxy is the client's (what is left of it was
    written by the client and may be anything).  An IPv6 client is keyed by its /64, which one
    household or phone holds whole."""
    address = _address(peer)
    if address is not None and proxies and _trusted(address, proxies):
        hops = [hop.strip() for header in forwarded for hop in header.split(",")]
        for hop in reversed(hops):
            hop_address = _address(hop)
            if hop_address is None:
                break
            address = hop_address
            if not _trusted(hop_address, proxies):
                break
    if address is None:
        return peer or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def from_trusted_proxy(peer: str | None, proxies: Sequence[Network]) -> bool:
    """Whether the socket's peer is a trusted proxy (whose X-Forwarded-* headers are believed)."""
    address = _address(peer)
    return address is not None and bool(proxies) and _trusted(address, proxies)
