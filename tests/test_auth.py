"""Staff identity: password hashing, local sign-in, OIDC claims, refusal without identity."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import subprocess
import sys

import pytest

from geodata.auth import (
    IdentitySource,
    StaffIdentity,
    authenticate,
    hash_password,
    identity_from_oidc,
    needs_rehash,
    require_staff,
    session_expired,
    sign_in,
    system_identity,
    verify_password,
)
from geodata.settings import ROOT_DIR
from geodata.throttle import SignInLimiter


@pytest.fixture(scope="module")
def users():
    return {"wangli": {"password_hash": hash_password("correct horse"), "display_name": "王丽"}}


def test_hash_is_salted_and_verifies():
    a, b = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert a != b
    assert a.startswith("scrypt$")
    assert "s3cret-pass" not in a
    assert verify_password("s3cret-pass", a)
    assert verify_password("s3cret-pass", b)
    assert not verify_password("s3cret-pasS", a)


def test_short_password_refused():
    with pytest.raises(ValueError, match="8 characters"):
        hash_password("short")


def test_malformed_hash_is_false():
    assert not verify_password("x" * 10, "not-a-hash")
    assert not verify_password("x" * 10, "pbkdf2$1$2$3$4$5")


def test_authenticate(users):
    who = authenticate(" wangli ", "correct horse", users)
    assert who == StaffIdentity("wangli", "王丽", IdentitySource.LOCAL)
    assert who.label == "王丽 (wangli)"
    assert authenticate("wangli", "wrong horse", users) is None
    assert authenticate("nobody", "correct horse", users) is None
    assert authenticate("", "", users) is None


def test_oidc_claims():
    claims = {
        "is_logged_in": True,
        "email": "li@changzhi.gov.cn",
        "email_verified": True,
        "name": "李明",
    }
    who = identity_from_oidc(claims, allowed_domains=("Changzhi.gov.cn",))
    assert who is not None and who.source is IdentitySource.OIDC and who.display_name == "李明"
    assert who.username == "li@changzhi.gov.cn"
    assert identity_from_oidc(claims, allowed_domains=("example.org",)) is None
    assert identity_from_oidc({"is_logged_in": False}, allowed_domains=("changzhi.gov.cn",)) is None


def test_oidc_staff_needs_a_verified_address_of_an_allowed_domain():
    domains = ("changzhi.gov.cn",)
    base = {"is_logged_in": True, "email": "li@changzhi.gov.cn", "sub": "abc", "name": "李明"}
    # no claim, a false claim, a string "false": not staff
    assert identity_from_oidc(base, allowed_domains=domains) is None
    assert identity_from_oidc({**base, "email_verified": False}, allowed_domains=domains) is None
    assert identity_from_oidc({**base, "email_verified": "false"}, allowed_domains=domains) is None
    # some providers send the claim as a string
    assert identity_from_oidc({**base, "email_verified": "true"}, allowed_domains=domains)
    # a verified address but no domain list: nobody is staff
    assert identity_from_oidc({**base, "email_verified": True}) is None
    # a look-alike domain and a subject without e-mail are refused
    spoof = {**base, "email": "li@changzhi.gov.cn.evil.example", "email_verified": True}
    assert identity_from_oidc(spoof, allowed_domains=domains) is None
    no_mail = {"is_logged_in": True, "sub": "abc", "email_verified": True}
    assert identity_from_oidc(no_mail, allowed_domains=domains) is None


def _old_hash(password: str, *, n: int = 2**14) -> str:
    """A hash as the earlier code stored it (n=2**14, r=8, p=1)."""
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, dklen=32, maxmem=2**26)
    b64 = base64.b64encode
    return f"scrypt${n}$8$1${b64(salt).decode()}${b64(key).decode()}"


def test_new_hashes_name_the_current_cost():
    stored = hash_password("s3cret-pass")
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**17), "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert not needs_rehash(stored)


def test_old_hashes_verify_and_are_flagged_for_rehash():
    old = _old_hash("old-password")
    assert verify_password("old-password", old)
    assert not verify_password("old-passworD", old)
    assert needs_rehash(old)
    assert needs_rehash("garbage")


def test_a_hash_asking_for_too_much_memory_is_refused():
    # n=2**24 would need 16 GiB: refused before scrypt runs
    stored = _old_hash("whatever-pass").replace(f"${2**14}$", f"${2**24}$", 1)
    assert not verify_password("whatever-pass", stored)


def test_sign_in_rehashes_an_old_hash(caplog):
    users = {"zhao": {"password_hash": _old_hash("old-password"), "display_name": "赵"}}
    limiter = SignInLimiter()
    with caplog.at_level(logging.WARNING, logger="geodata.auth"):
        outcome = sign_in("zhao", "old-password", users, client="10.0.0.1", limiter=limiter)
    assert outcome.identity == StaffIdentity("zhao", "赵", IdentitySource.LOCAL)
    assert outcome.new_hash.startswith(f"scrypt${2**17}$8$1$")
    assert verify_password("old-password", outcome.new_hash)
    assert not needs_rehash(outcome.new_hash)
    assert "older cost" in caplog.text and "old-password" not in caplog.text
    # a current hash gives no new one
    users["zhao"]["password_hash"] = outcome.new_hash
    again = sign_in("zhao", "old-password", users, client="10.0.0.1", limiter=limiter)
    assert again.identity is not None and again.new_hash == ""


def test_sign_in_logs_failures_without_the_password(users, caplog):
    limiter = SignInLimiter()
    with caplog.at_level(logging.WARNING, logger="geodata.auth"):
        outcome = sign_in("wangli", "tr0ub4dor&3", users, client="10.0.0.9", limiter=limiter)
    assert outcome.identity is None and outcome.locked_for == 0
    assert "'wangli'" in caplog.text and "10.0.0.9" in caplog.text
    assert "tr0ub4dor" not in caplog.text


def test_sign_in_locks_out_and_refuses_even_the_right_password(users):
    clock = [1000.0]
    limiter = SignInLimiter(clock=lambda: clock[0])
    for _ in range(4):
        assert sign_in("wangli", "wrong-pass", users, client="c1", limiter=limiter).locked_for == 0
    fifth = sign_in("wangli", "wrong-pass", users, client="c1", limiter=limiter)
    assert fifth.identity is None and fifth.locked_for == 30
    # the right password during the lock-out is refused, from any client
    refused = sign_in("wangli", "correct horse", users, client="c2", limiter=limiter)
    assert refused.identity is None and refused.locked_for == 30
    clock[0] += 31
    assert sign_in("wangli", "correct horse", users, client="c2", limiter=limiter).identity


def test_session_expiry():
    assert not session_expired(100.0, now=100.0 + 30 * 60, idle_seconds=30 * 60)
    assert session_expired(100.0, now=100.0 + 30 * 60 + 1, idle_seconds=30 * 60)
    assert session_expired(None, now=0.0, idle_seconds=30 * 60)


def test_cli_prompts_and_prints_a_hash_of_the_piped_password():
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    done = subprocess.run(
        [sys.executable, "-m", "geodata.auth"],
        input="piped-pass-123\npiped-pass-123\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        start_new_session=True,  # no controlling terminal, as in a script
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('password_hash = "scrypt$131072$8$1$') and line.endswith('"')
    assert "piped-pass-123" not in done.stdout + done.stderr
    assert verify_password("piped-pass-123", line.split('"')[1])


def test_cli_refuses_differing_passwords():
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    done = subprocess.run(
        [sys.executable, "-m", "geodata.auth"],
        input="piped-pass-123\nother-pass-456\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        start_new_session=True,
        check=False,
    )
    assert done.returncode == 1 and "differ" in done.stderr and not done.stdout


def test_require_staff():
    staff = system_identity("cli-user")
    assert require_staff(staff) is staff
    with pytest.raises(PermissionError):
        require_staff(None)
    with pytest.raises(PermissionError):
        require_staff("wangli")
    with pytest.raises(ValueError):
        StaffIdentity("  ", "x")


def test_staff_identity_gives_the_store_its_author():
    from geodata.auth import IdentitySource, StaffIdentity
    from geodata.store import Author

    staff = StaffIdentity("wangli", "王丽", IdentitySource.OIDC)
    assert staff.author() == Author("wangli", "王丽", "oidc")
    assert staff.author().label == staff.label
