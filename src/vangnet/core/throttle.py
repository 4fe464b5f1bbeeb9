"""Rate limits on Django's cache: a counter per (scope, key) in a fixed window.

The key is kept only as an HMAC, so a leerlingnummer, e-mail address or BSN never sits in the
cache in readable form. With several processes the cache must be shared (VANGNET_REDIS_URL);
the local memory cache of the demo counts per process.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def _cache_key(scope: str, key: str) -> str:
    return f"throttle:{scope}:{salted_hmac('vangnet.throttle', f'{scope}:{key}').hexdigest()}"


def throttle_hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when it is over the limit (more than `limit` in `window` s)."""
    name = _cache_key(scope, key)
    cache.add(name, 0, window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, window)
        count = 1
    return count > limit


def throttle_reached(scope: str, key: str, *, limit: int) -> bool:
    """Whether the limit is already used up, without counting an attempt."""
    return int(cache.get(_cache_key(scope, key), 0)) >= limit
