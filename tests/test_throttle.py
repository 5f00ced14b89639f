"""Failed sign-in limiter: per account, per client, growing lock-outs, bounded, thread-safe."""

from __future__ import annotations

import threading

import pytest

from geodata.throttle import SignInLimiter


@pytest.fixture
def clock() -> list[float]:
    return [5000.0]


@pytest.fixture
def limiter(clock) -> SignInLimiter:
    return SignInLimiter(
        free_failures=5,
        lockout_seconds=30,
        max_lockout_seconds=900,
        forget_seconds=3600,
        max_tracked=100,
        clock=lambda: clock[0],
    )


def test_five_failures_lock_the_account_for_thirty_seconds(limiter, clock):
    for i in range(4):
        assert limiter.failure(account="wang", client=f"10.0.0.{i}") == 0
    assert limiter.locked_for(account="wang", client="10.9.9.9") == 0
    assert limiter.failure(account="wang", client="10.0.0.9") == 30
    # the account is locked from any client; another account from a fresh client is not
    assert limiter.locked_for(account="wang", client="192.168.1.1") == 30
    assert limiter.locked_for(account="li", client="192.168.1.1") == 0
    clock[0] += 29
    assert limiter.locked_for(account="wang", client="192.168.1.1") == pytest.approx(1)
    clock[0] += 1.5
    assert limiter.locked_for(account="wang", client="192.168.1.1") == 0


def test_lock_out_doubles_and_is_capped(limiter, clock):
    waits = []
    for _ in range(12):
        waits.append(limiter.failure(account="wang", client="c"))
        clock[0] += waits[-1]
    assert waits[:8] == [0, 0, 0, 0, 30, 60, 120, 240]
    assert waits[-1] == 900


def test_one_client_spraying_many_accounts_is_locked(limiter):
    for i in range(5):
        limiter.failure(account=f"user{i}", client="10.0.0.1")
    assert limiter.locked_for(account="user99", client="10.0.0.1") == 30
    assert limiter.locked_for(account="user99", client="10.0.0.2") == 0


def test_success_clears_the_account_but_not_the_client(limiter):
    for _ in range(4):
        limiter.failure(account="wang", client="10.0.0.1")
    limiter.success(account="wang")
    # the account starts over; the client keeps its four failures
    assert limiter.failure(account="wang", client="10.0.0.2") == 0
    assert limiter.failure(account="li", client="10.0.0.1") == 30


def test_failures_are_forgotten_after_a_quiet_period(limiter, clock):
    for _ in range(4):
        limiter.failure(account="wang", client="c")
    clock[0] += 3601
    for _ in range(4):
        assert limiter.failure(account="wang", client="c") == 0


def test_remembered_keys_are_bounded(limiter):
    for i in range(1000):
        limiter.failure(account=f"u{i}" + "x" * 5000, client=f"c{i}")
    assert len(limiter._failures) <= 100
    assert all(len(name) <= 128 for _, name in limiter._failures)


def test_counts_are_exact_under_threads(clock):
    limiter = SignInLimiter(free_failures=10_000, clock=lambda: clock[0])

    def hammer() -> None:
        for _ in range(500):
            limiter.failure(account="wang", client="c")

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert limiter._failures[("account", "wang")].count == 4000


def test_check_slots_are_bounded():
    limiter = SignInLimiter(concurrent_checks=1)
    with limiter.checking(timeout=1) as first:
        assert first
        with limiter.checking(timeout=0.05) as second:
            assert not second
    with limiter.checking(timeout=0.05) as again:
        assert again
