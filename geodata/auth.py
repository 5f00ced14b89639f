"""Staff identity: local accounts with salted scrypt hashes, and OIDC identities.

Planners browse without signing in; importing, editing and restoring need a
:class:`StaffIdentity`. Local accounts live in the app's secrets, never in the
repository::

    [staff.users.wangli]
    display_name = "王丽"
    password_hash = "scrypt$131072$8$1$<salt b64>$<hash b64>"

Make the hash with ``python -m geodata.auth`` (prompts twice for the password;
never put a password on a command line). A hash names its own scrypt cost
(``scrypt$n$r$p$salt$key``), so hashes made at the older cost ``n=2**14``
still verify; :func:`needs_rehash` flags them and :func:`sign_in` returns a
fresh hash for the administrator to put in the secrets file.

The app signs staff in through :func:`sign_in`, which consults a
:class:`~geodata.throttle.SignInLimiter` before any password is checked and
logs every failure (account and client, never the password). Where the city
runs an identity provider the app signs staff in through ``st.login`` and
turns ``st.user`` into an identity with :func:`identity_from_oidc`: only a
verified e-mail address of an allowed domain makes staff.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geodata.store.base import Author

from geodata.i18n import bilingual
from geodata.settings import SCRYPT_MAX_N, SCRYPT_N, SCRYPT_P, SCRYPT_R
from geodata.throttle import SignInLimiter

_LOG = logging.getLogger(__name__)
_SCHEME = "scrypt"
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
        raise PermissionError(bilingual("auth_staff_required"))
    return identity


def _scrypt(password: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    """Return the scrypt key of a password with the given salt and cost parameters."""
    if not (1 < n <= SCRYPT_MAX_N and 0 < r <= 32 and 0 < p <= 16):
        raise ValueError(f"scrypt parameters out of range: n={n} r={r} p={p}")
    # scrypt needs 128·r·n bytes (plus a little); allow exactly that
    maxmem = 128 * r * (n + p + 2) + 2**20
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES, maxmem=maxmem
    )


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """Split a stored hash into ``n, r, p, salt, key`` (``ValueError`` if malformed)."""
    scheme, n, r, p, salt_b64, key_b64 = stored.split("$")
    if scheme != _SCHEME:
        raise ValueError(f"unknown hash scheme {scheme!r}")
    salt = base64.b64decode(salt_b64, validate=True)
    key = base64.b64decode(key_b64, validate=True)
    return int(n), int(r), int(p), salt, key


def hash_password(password: str) -> str:
    """Hash a password for the secrets file.

    Parameters
    ----------
    password : str
        The plain password (at least 8 characters).

    Returns
    -------
    str
        ``scrypt$n$r$p$salt$hash`` with base64 salt and hash, at the current
        cost (:data:`~geodata.settings.SCRYPT_N`); a fresh random salt each call.

    Raises
    ------
    ValueError
        When the password is shorter than 8 characters.
    """
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    return _make_hash(password)


def _make_hash(password: str) -> str:
    """Hash a password at the current cost with a fresh salt (no length rule)."""
    salt = os.urandom(_SALT_BYTES)
    key = _scrypt(password, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    b64 = base64.b64encode
    params = f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}"
    return f"{params}${b64(salt).decode()}${b64(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Check a password against a stored hash in constant time.

    Parameters
    ----------
    password : str
        What the user typed.
    stored : str
        A string from :func:`hash_password`, at the current or an older cost.

    Returns
    -------
    bool
        ``False`` also for a malformed stored hash or one whose cost is out of
        range.
    """
    try:
        n, r, p, salt, expected = _parse_hash(stored)
        key = _scrypt(password, salt, n=n, r=r, p=p)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, expected)


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash should be replaced by one at the current cost.

    Parameters
    ----------
    stored : str
        A string from :func:`hash_password`.

    Returns
    -------
    bool
        ``True`` when its scrypt parameters are not the current ones (for
        example the older ``n=2**14``) or it cannot be read at all.
    """
    try:
        n, r, p, _, _ = _parse_hash(stored)
    except (ValueError, TypeError):
        return True
    return (n, r, p) != (SCRYPT_N, SCRYPT_R, SCRYPT_P)


def _check(
    account: str, password: str, users: Mapping[str, Mapping[str, object]]
) -> tuple[StaffIdentity | None, str]:
    """Check a password against local accounts; return the identity and its stored hash."""
    entry = users.get(account) if account else None
    stored = str(entry.get("password_hash", "")) if isinstance(entry, Mapping) else ""
    if not stored:
        # spend the same time as a real check
        _scrypt(password, _DUMMY_SALT, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
        return None, ""
    if not verify_password(password, stored):
        return None, stored
    display = str(entry.get("display_name", "") or account)  # type: ignore[union-attr]
    identity = StaffIdentity(username=account, display_name=display, source=IdentitySource.LOCAL)
    return identity, stored


def authenticate(
    username: str, password: str, users: Mapping[str, Mapping[str, object]]
) -> StaffIdentity | None:
    """Check a member of staff's password against local accounts, with no attempt limit.

    The app signs in through :func:`sign_in`, which adds the limit, the log
    and re-hashing; this is the bare check.

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
    return _check(username.strip(), password, users)[0]


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    """What one sign-in attempt came to.

    Attributes
    ----------
    identity : StaffIdentity or None
        The signed-in member of staff; ``None`` when refused.
    locked_for : float
        Seconds until this account or client may try again (0: not locked).
    busy : bool
        Refused unchecked because too many password checks were running.
    new_hash : str
        A hash at the current cost for the administrator to put in the
        secrets file, when the stored one is older (else empty).
    """

    identity: StaffIdentity | None
    locked_for: float = 0.0
    busy: bool = False
    new_hash: str = ""


def _refused(account: str, client: str, *, wait: float, busy: bool) -> SignInOutcome:
    """Log and return a sign-in refused before its password was checked."""
    _LOG.warning(
        "staff sign-in refused unchecked: account %r, client %r, locked for %.0f s%s",
        account[:64],
        client,
        wait,
        ", check slots busy" if busy else "",
    )
    return SignInOutcome(None, locked_for=wait, busy=busy)


def sign_in(
    username: str,
    password: str,
    users: Mapping[str, Mapping[str, object]],
    *,
    client: str,
    limiter: SignInLimiter,
) -> SignInOutcome:
    """Sign a member of staff in: attempt limit, password check, log, re-hash.

    Parameters
    ----------
    username : str
        Account name as typed (surrounding spaces ignored).
    password : str
        Password as typed; never logged or stored.
    users : Mapping
        Local accounts, as for :func:`authenticate`.
    client : str
        Address of the client, the second key of the attempt limit.
    limiter : SignInLimiter
        The server's limiter.

    Returns
    -------
    SignInOutcome
        Refused without a check while the account or the client is locked
        out or every check slot is busy; otherwise the result of the check.
    """
    account = username.strip()
    wait = limiter.locked_for(account=account, client=client)
    if wait > 0:
        return _refused(account, client, wait=wait, busy=False)
    with limiter.checking() as slot:
        # checked again inside the slot: attempts queued behind a lock-out stop here
        wait = limiter.locked_for(account=account, client=client)
        if wait > 0 or not slot:
            return _refused(account, client, wait=wait, busy=not slot)
        identity, stored = _check(account, password, users)
        new_hash = _make_hash(password) if identity and needs_rehash(stored) else ""
    if identity is None:
        wait = limiter.failure(account=account, client=client)
        _LOG.warning(
            "failed staff sign-in: account %r, client %r, locked for %.0f s",
            account[:64],
            client,
            wait,
        )
        return SignInOutcome(None, locked_for=wait)
    limiter.success(account=account)
    if new_hash:
        _LOG.warning(
            "staff account %r has a password hash of an older cost; "
            "the administrator should replace it in the secrets file",
            account,
        )
    return SignInOutcome(identity, new_hash=new_hash)


def session_expired(last_active: float | None, *, now: float, idle_seconds: float) -> bool:
    """Whether a staff session has been idle too long.

    Parameters
    ----------
    last_active : float or None
        Clock time of the session's last activity (``None``: unknown, which
        counts as expired).
    now : float
        Clock time now (same clock).
    idle_seconds : float
        Longest idle time allowed.

    Returns
    -------
    bool
        ``True`` when the session must be signed out.
    """
    return last_active is None or now - last_active > idle_seconds


def _claim_true(value: object) -> bool:
    """Read a boolean claim that some providers send as a string."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def identity_from_oidc(
    user: Mapping[str, object], *, allowed_domains: tuple[str, ...] = ()
) -> StaffIdentity | None:
    """Turn the claims of an OIDC login (``st.user``) into a staff identity.

    Parameters
    ----------
    user : Mapping
        Claims; ``is_logged_in``, ``email``, ``email_verified`` and ``name``
        are read.
    allowed_domains : tuple of str
        E-mail domains whose users are staff (empty: nobody is).

    Returns
    -------
    StaffIdentity or None
        ``None`` when not logged in, when the provider has not verified the
        e-mail address, or when its domain is not allowed.
    """
    if not user.get("is_logged_in") or not _claim_true(user.get("email_verified")):
        return None
    email = str(user.get("email") or "").strip()
    local, at, domain = email.rpartition("@")
    allowed = {d.strip().lower() for d in allowed_domains}
    if not (local and at and domain.lower() in allowed):
        return None
    display = str(user.get("name") or email)
    return StaffIdentity(username=email, display_name=display, source=IdentitySource.OIDC)


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


def _prompt(label: str) -> str:
    """Read a password: hidden at a terminal, one line of standard input otherwise."""
    if sys.stdin.isatty():
        return getpass.getpass(label)
    # piped (scripts, tests): getpass would look for /dev/tty instead
    return sys.stdin.readline().rstrip("\r\n")


def main() -> int:
    """Prompt twice for a password and print the secrets entry for it."""
    password = _prompt("password: ")
    if password != _prompt("again: "):
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
