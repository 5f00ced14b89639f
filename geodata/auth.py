"""Staff identity: local accounts with salted scrypt hashes, and OIDC identities.

Planners browse without signing in; importing, editing and restoring need a
:class:`StaffIdentity`. Local accounts live in the app's secrets, never in the
repository::

    [staff.users.wangli]
    display_name = "王丽"
    password_hash = "scrypt$16384$8$1$<salt b64>$<hash b64>"

Make the hash with ``python -m geodata.auth`` (prompts for the password) or
:func:`hash_password`. Where the city runs an identity provider the app signs
staff in through ``st.login`` and turns ``st.user`` into an identity with
:func:`identity_from_oidc`.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geodata.store.base import Author

# scrypt cost parameters (n=2**14, r=8, p=1: about 16 MiB and 50 ms per check)
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
# hash checked when the user is unknown, so an unknown name costs the same time
_DUMMY_SALT = b"changzhi-dummy-salt"


class IdentitySource(StrEnum):
    """Where a staff identity was established."""

    LOCAL = "local"
    OIDC = "oidc"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    """A signed-in member of staff.

    Attributes
    ----------
    username : str
        Account name (local) or the provider's e-mail/subject (OIDC).
    display_name : str
        Name shown in the history (``王丽``).
    source : IdentitySource
        ``local``, ``oidc``, or ``system`` (command line and first-run set-up).
    """

    username: str
    display_name: str
    source: IdentitySource = IdentitySource.LOCAL

    def __post_init__(self) -> None:
        """Refuse an identity with an empty username."""
        if not self.username.strip():
            raise ValueError("a staff identity needs a username")

    @property
    def label(self) -> str:
        """``display name (username)`` as written into the history."""
        if self.display_name and self.display_name != self.username:
            return f"{self.display_name} ({self.username})"
        return self.username

    def author(self) -> Author:
        """Return the author record the store writes into its history.

        Returns
        -------
        geodata.store.Author
            Same username and display name; ``source`` is the identity source's value.
        """
        # imported here: signing in needs no store
        from geodata.store.base import Author

        return Author(self.username, self.display_name, self.source.value)


def require_staff(identity: object) -> StaffIdentity:
    """Return ``identity`` if it is a staff identity, else refuse.

    Parameters
    ----------
    identity : object
        What the caller passed as its identity.

    Returns
    -------
    StaffIdentity
        The same object.

    Raises
    ------
    PermissionError
        When ``identity`` is ``None`` or not a :class:`StaffIdentity`.
    """
    if not isinstance(identity, StaffIdentity):
        raise PermissionError("需要工作人员登录 (staff sign-in required)")
    return identity


def _scrypt(password: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    """Return the scrypt key of a password with the given salt and cost parameters."""
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES, maxmem=2**26
    )


def hash_password(password: str) -> str:
    """Hash a password for the secrets file.

    Parameters
    ----------
    password : str
        The plain password (at least 8 characters).

    Returns
    -------
    str
        ``scrypt$n$r$p$salt$hash`` with base64 salt and hash; a fresh random
        salt each call.

    Raises
    ------
    ValueError
        When the password is shorter than 8 characters.
    """
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    salt = os.urandom(_SALT_BYTES)
    key = _scrypt(password, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a stored hash in constant time.

    Parameters
    ----------
    password : str
        What the user typed.
    stored : str
        A string from :func:`hash_password`.

    Returns
    -------
    bool
        ``False`` also for a malformed stored hash.
    """
    try:
        scheme, n, r, p, salt_b64, key_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(key_b64, validate=True)
        key = _scrypt(password, salt, n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, expected)


def authenticate(
    username: str, password: str, users: Mapping[str, Mapping[str, object]]
) -> StaffIdentity | None:
    """Sign a member of staff in against local accounts.

    Parameters
    ----------
    username : str
        Account name as typed (surrounding spaces ignored).
    password : str
        Password as typed.
    users : Mapping
        ``st.secrets["staff"]["users"]``: account name -> ``{password_hash,
        display_name}``.

    Returns
    -------
    StaffIdentity or None
        ``None`` for an unknown user or a wrong password (the two take the
        same time and give the same answer).
    """
    name = username.strip()
    entry = users.get(name) if name else None
    stored = str(entry.get("password_hash", "")) if isinstance(entry, Mapping) else ""
    if not stored:
        # spend the same time as a real check
        _scrypt(password, _DUMMY_SALT, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
        return None
    if not verify_password(password, stored):
        return None
    display = str(entry.get("display_name", "") or name)  # type: ignore[union-attr]
    return StaffIdentity(username=name, display_name=display, source=IdentitySource.LOCAL)


def identity_from_oidc(
    user: Mapping[str, object], *, allowed_domains: tuple[str, ...] = ()
) -> StaffIdentity | None:
    """Turn the claims of an OIDC login (``st.user``) into a staff identity.

    Parameters
    ----------
    user : Mapping
        Claims; ``is_logged_in``, ``email``, ``name``, ``sub`` are read.
    allowed_domains : tuple of str
        E-mail domains accepted as staff (empty: any signed-in user).

    Returns
    -------
    StaffIdentity or None
        ``None`` when not logged in or the e-mail domain is not allowed.
    """
    if not user.get("is_logged_in"):
        return None
    email = str(user.get("email") or "")
    username = email or str(user.get("sub") or "")
    if not username:
        return None
    if allowed_domains and email.rpartition("@")[2].lower() not in {
        d.lower() for d in allowed_domains
    }:
        return None
    display = str(user.get("name") or username)
    return StaffIdentity(username=username, display_name=display, source=IdentitySource.OIDC)


def system_identity(username: str | None = None) -> StaffIdentity:
    """Identity of a command-line user or of the first-run set-up.

    Parameters
    ----------
    username : str, optional
        Defaults to ``$USER`` (or ``system`` when unset).

    Returns
    -------
    StaffIdentity
        Source ``system``.
    """
    name = username or os.environ.get("USER") or os.environ.get("USERNAME") or "system"
    return StaffIdentity(username=name, display_name=name, source=IdentitySource.SYSTEM)


def main() -> int:
    """Prompt for a password and print the secrets entry for it."""
    password = getpass.getpass("password: ")
    if password != getpass.getpass("again: "):
        print("passwords differ", file=sys.stderr)
        return 1
    try:
        print(f'password_hash = "{hash_password(password)}"')
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
