"""Staff identity: password hashing, local sign-in, OIDC claims, refusal without identity."""

from __future__ import annotations

import pytest

from geodata.auth import (
    IdentitySource,
    StaffIdentity,
    authenticate,
    hash_password,
    identity_from_oidc,
    require_staff,
    system_identity,
    verify_password,
)


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
    claims = {"is_logged_in": True, "email": "li@changzhi.gov.cn", "name": "李明"}
    who = identity_from_oidc(claims)
    assert who is not None and who.source is IdentitySource.OIDC and who.display_name == "李明"
    assert identity_from_oidc(claims, allowed_domains=("example.org",)) is None
    assert identity_from_oidc({"is_logged_in": False}) is None


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
