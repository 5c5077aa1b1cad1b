"""Each token's rate limit: at most ``rate_per_minute`` requests in each clock minute.

Counted in Django's cache (``CACHES["default"]``): with Redis configured the count is
shared by every app server; with the local-memory cache each process counts alone.
"""

import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{token.digest[:24]}:{window}"
        # add() then incr(): atomic on Redis, and per process with the local cache.
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
        self.limit = token.rate_per_minute
        self.remaining = max(self.limit - count, 0)
        self.reset_in = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
        request.rate_limit = (self.limit, self.remaining, self.reset_in)
        return count <= self.limit

    def wait(self) -> float:
        return float(self.reset_in)
