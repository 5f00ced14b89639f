"""Failed staff sign-ins: growing lock-outs per account and per client.

A script that guesses passwords must slow down whichever way it turns: the
same account from many clients, or many accounts from one client. A
:class:`SignInLimiter` counts failed sign-ins under both keys; after
:data:`~geodata.settings.SIGNIN_FREE_FAILURES` failures a key is locked for
:data:`~geodata.settings.SIGNIN_LOCKOUT_SECONDS`, doubling with each further
failure up to :data:`~geodata.settings.SIGNIN_MAX_LOCKOUT_SECONDS`. It also
bounds how many password checks (128 MiB of scrypt each) run at once.

The limiter is security state of the whole server, not of one user: a
guessing script opens a fresh session whenever it likes, so counts kept per
session would start from zero each time. The app therefore holds one
instance per process (``st.cache_resource``); every method is thread-safe,
and the number of remembered keys is bounded.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from geodata.settings import (
    SIGNIN_CONCURRENT_CHECKS,
    SIGNIN_FORGET_SECONDS,
    SIGNIN_FREE_FAILURES,
    SIGNIN_LOCKOUT_SECONDS,
    SIGNIN_MAX_LOCKOUT_SECONDS,
    SIGNIN_TRACKED_KEYS,
)

# longest account name or client address kept as a key
_KEY_CHARS = 128


def monotonic_now() -> float:
    """Return the clock the limiter and staff idle time use (seconds, monotonic)."""
    return time.monotonic()


@dataclass(slots=True)
class _Failures:
    """Failed sign-ins under one key and when the last one happened."""

    count: int
    last: float


class SignInLimiter:
    """Count failed sign-ins per account and per client; lock out with growing delays.

    Parameters
    ----------
    free_failures : int
        Failures a key may have before it is locked.
    lockout_seconds : float
        First lock-out; doubles with each further failure.
    max_lockout_seconds : float
        Longest lock-out.
    forget_seconds : float
        A key's failures are forgotten this long after its last failure.
    max_tracked : int
        Most keys remembered; the least recently failed is dropped first.
    concurrent_checks : int
        Most password checks running at once (see :meth:`checking`).
    clock : callable, optional
        Returns the time in seconds; defaults to :func:`monotonic_now`.
    """

    def __init__(
        self,
        *,
        free_failures: int = SIGNIN_FREE_FAILURES,
        lockout_seconds: float = SIGNIN_LOCKOUT_SECONDS,
        max_lockout_seconds: float = SIGNIN_MAX_LOCKOUT_SECONDS,
        forget_seconds: float = SIGNIN_FORGET_SECONDS,
        max_tracked: int = SIGNIN_TRACKED_KEYS,
        concurrent_checks: int = SIGNIN_CONCURRENT_CHECKS,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.free_failures = free_failures
        self.lockout_seconds = lockout_seconds
        self.max_lockout_seconds = max_lockout_seconds
        self.forget_seconds = forget_seconds
        self.max_tracked = max_tracked
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._checks = threading.BoundedSemaphore(concurrent_checks)

    def _now(self) -> float:
        """Return the current time of the limiter's clock."""
        # the module clock is looked up at call time so tests can replace it
        return self._clock() if self._clock is not None else monotonic_now()

    def lockout(self, failures: int) -> float:
        """Return the lock-out in seconds that follows ``failures`` failures (0: none).

        Parameters
        ----------
        failures : int
            Failed sign-ins counted under one key.

        Returns
        -------
        float
            0 below the free failures, then the first lock-out doubling per
            failure, capped at the longest lock-out.
        """
        if failures < self.free_failures:
            return 0.0
        doublings = min(failures - self.free_failures, 32)
        return min(self.lockout_seconds * 2**doublings, self.max_lockout_seconds)

    def _keys(self, account: str, client: str) -> tuple[tuple[str, str], ...]:
        """Return the limiter keys of an attempt: its account and its client."""
        return ("account", account[:_KEY_CHARS]), ("client", client[:_KEY_CHARS])

    def _remaining(self, key: tuple[str, str], now: float) -> float:
        """Return the seconds a key stays locked (lock held by the caller)."""
        entry = self._failures.get(key)
        if entry is None:
            return 0.0
        if now - entry.last > self.forget_seconds:
            del self._failures[key]
            return 0.0
        return max(0.0, entry.last + self.lockout(entry.count) - now)

    def locked_for(self, *, account: str, client: str) -> float:
        """Return how long sign-ins of this account or from this client stay refused.

        Parameters
        ----------
        account : str
            Account name as typed (trimmed).
        client : str
            Address of the client.

        Returns
        -------
        float
            Seconds until an attempt is accepted again; 0 when it is now.
        """
        now = self._now()
        with self._lock:
            return max(self._remaining(key, now) for key in self._keys(account, client))

    def failure(self, *, account: str, client: str) -> float:
        """Record a failed sign-in and return the lock-out it starts (0: none).

        Parameters
        ----------
        account : str
            Account name as typed (trimmed); unknown names count too.
        client : str
            Address of the client.

        Returns
        -------
        float
            Seconds until this account or client may try again.
        """
        now = self._now()
        with self._lock:
            for key in self._keys(account, client):
                self._remaining(key, now)  # forgets stale failures
                entry = self._failures.pop(key, None) or _Failures(0, now)
                entry.count += 1
                entry.last = now
                self._failures[key] = entry
            # forget the least recently failed keys beyond the bound
            while len(self._failures) > self.max_tracked:
                self._failures.popitem(last=False)
            return max(self._remaining(key, now) for key in self._keys(account, client))

    def success(self, *, account: str) -> None:
        """Forget an account's failures after it signed in.

        The client's failures stay: a client that knows one password must not
        be able to clear its count between guesses at other accounts.

        Parameters
        ----------
        account : str
            Account name that signed in.
        """
        with self._lock:
            self._failures.pop(("account", account[:_KEY_CHARS]), None)

    @contextmanager
    def checking(self, *, timeout: float = 10.0) -> Iterator[bool]:
        """Hold one of the few password-check slots while a hash is computed.

        Parameters
        ----------
        timeout : float
            Seconds to wait for a slot.

        Yields
        ------
        bool
            ``True`` with a slot held; ``False`` when none came free in time
            (the caller refuses the attempt as busy).
        """
        acquired = self._checks.acquire(timeout=timeout)
        try:
            yield acquired
        finally:
            if acquired:
                self._checks.release()
