"""Which accounts and Regions a call covers: :class:`Scope`, and its :class:`AccountRegion` pairs.

A maintenance window belongs to one account in one Region. A :class:`Scope`
names the Regions and the accounts (given, one a profile, or every ACTIVE
account of the Organization, optionally under some organizational units), how
each account is reached (a role to assume, or a profile), and optionally one
shard of the resulting pairs. It is a plain value, checked when made; the
accounts of an Organization are listed when a run starts
(:class:`~ssm_mw.ScopedClients`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import cast

import attrs

from ._errors import ValidationError, Violation
from ._identifiers import check_window_name
from ._public import publish_exported

__all__ = ["AccountRegion", "Scope", "WindowSelection", "select_shard"]

_ACCOUNT = re.compile(r"\d{12}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_OU = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}")
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")


@attrs.frozen(kw_only=True, order=True)
class AccountRegion:
    """One account-Region pair of a :class:`Scope`: where a maintenance window lives.

    ``account`` is ``None`` for the base credentials' own account when the
    scope names no accounts (it is not looked up).
    """

    account: str | None
    region: str

    def __str__(self) -> str:
        return f"{self.account or 'default'}/{self.region}"


def _strings(name: str, value: object, pattern: re.Pattern[str] | None, what: str) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError.single(
            name, f"expected a sequence of {what}, got {type(value).__name__}"
        )
    items = list(cast("Iterable[object]", value))
    problems: list[Violation] = []
    for i, item in enumerate(items):
        if not isinstance(item, str):
            problems.append(Violation(path=f"{name}[{i}]", message="expected a string"))
        elif pattern is not None and not pattern.fullmatch(item):
            problems.append(Violation(path=f"{name}[{i}]", message=f"{item!r} is not {what}"))
    if problems:
        raise ValidationError(problems)
    return list(dict.fromkeys(cast("list[str]", items)))


def _regions(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(_strings("regions", value, _REGION, "a Region name"))


def _accounts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(_strings("accounts", value, _ACCOUNT, "a 12-digit account id"))


def _ous(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(_strings("ous", value, _OU, "an organizational unit or root id"))


def _profiles(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(_strings("profiles", value, None, "a profile name"))


def _check_shard(value: tuple[int, int] | str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    given = cast(object, value)
    if isinstance(given, str):
        found = re.fullmatch(r"(\d+)/(\d+)", given.strip())
        if found is None:
            raise ValidationError.single("shard", f"expected K/N (such as 2/8), got {given!r}")
        given = (int(found.group(1)), int(found.group(2)))
    parts = cast("tuple[object, ...]", given) if isinstance(given, tuple) else ()
    if len(parts) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in parts):
        raise ValidationError.single("shard", f"expected (K, N) or 'K/N', got {given!r}")
    k, n = cast("tuple[int, int]", parts)
    if n < 1 or not 1 <= k <= n:
        raise ValidationError.single("shard", f"{k}/{n}: K must be 1 to N, N at least 1")
    return (k, n)


@attrs.frozen(kw_only=True)
class Scope:
    """The accounts and Regions a command or call covers, and how each account is reached.

    * ``regions``: the Regions (empty: the base credentials' Region).
    * The accounts, one of: ``accounts`` (12-digit ids); ``organization=True``,
      every ACTIVE account of the Organization (``ous``: only those under these
      organizational units, nested ones included); ``profiles``, one named
      profile per account (SSO profiles too; the account is the profile's).
      None of them: the base credentials' own account.
    * How an account is reached: ``role_name`` (assume
      ``arn:aws:iam::{account}:role/{role_name}`` with the base credentials,
      with ``external_id`` and ``role_session_name``), or its profile. Accounts
      given by id need ``role_name``.
    * ``shard``: ``(K, N)`` (or ``"K/N"``) keeps a deterministic 1/N of the
      account-Region pairs, the same in every run: N workers with K = 1..N
      cover each pair exactly once.

    Everything is checked when the scope is made; a bad value is a
    :class:`~ssm_mw.ValidationError` naming the field.
    """

    regions: tuple[str, ...] = attrs.field(default=(), converter=_regions)
    accounts: tuple[str, ...] = attrs.field(default=(), converter=_accounts)
    organization: bool = False
    ous: tuple[str, ...] = attrs.field(default=(), converter=_ous)
    profiles: tuple[str, ...] = attrs.field(default=(), converter=_profiles)
    role_name: str | None = None
    external_id: str | None = None
    role_session_name: str = "ssm-mw"
    shard: tuple[int, int] | None = attrs.field(default=None, converter=_check_shard)

    def __attrs_post_init__(self) -> None:
        problems: list[Violation] = []
        sources = [n for n in ("accounts", "organization", "profiles") if getattr(self, n)]
        if len(sources) > 1:
            both = " and ".join(sources)
            message = f"give one of accounts, organization, profiles, not {both}"
            problems.append(Violation(path=sources[1], message=message))
        if self.ous and not self.organization:
            problems.append(Violation(path="ous", message="needs organization=True"))
        if self.role_name is not None and self.profiles:
            problems.append(
                Violation(
                    path="role_name", message="an account of profiles is reached by its profile"
                )
            )
        if (self.accounts or self.organization) and self.role_name is None:
            problems.append(
                Violation(path="role_name", message="is required to reach accounts by id")
            )
        if self.role_name is not None and not _ROLE_NAME.fullmatch(self.role_name):
            problems.append(
                Violation(path="role_name", message=f"{self.role_name!r} is not a role name")
            )
        if not _SESSION_NAME.fullmatch(self.role_session_name):
            name = self.role_session_name
            message = f"{name!r} is not a session name (2 to 64 of A-Z a-z 0-9 +=,.@_-)"
            problems.append(Violation(path="role_session_name", message=message))
        if self.external_id is not None and self.role_name is None:
            problems.append(Violation(path="external_id", message="needs role_name"))
        if problems:
            raise ValidationError(problems)

    @property
    def is_single(self) -> bool:
        """Whether the scope is the base credentials' one account-Region (or one named pair)."""
        accounts = len(self.accounts) + len(self.profiles)
        return not self.organization and accounts <= 1 and len(self.regions) <= 1

    def pairs(
        self, accounts: Sequence[str | None], default_region: str
    ) -> tuple[AccountRegion, ...]:
        """The scope's account-Region pairs for ``accounts`` (resolved), its shard only."""
        regions = self.regions or (default_region,)
        every = [AccountRegion(account=a, region=r) for a in accounts for r in regions]
        return select_shard(every, self.shard)


def _names(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(_strings("names", value, None, "a window name"))
    problems: list[Violation] = []
    for i, name in enumerate(names):
        try:
            check_window_name(name)
        except ValidationError as exc:
            problems.extend(
                Violation(path=f"names[{i}]", message=v.message) for v in exc.violations
            )
    if problems:
        raise ValidationError(problems)
    if not names:
        raise ValidationError.single("names", "give at least one name (or WindowSelection.all())")
    return names


@attrs.frozen(kw_only=True)
class WindowSelection:
    """Which windows of each account-Region a scoped call works on: by name, or all.

    A window's id differs in every account and Region, so across a scope
    windows are found by name: ``WindowSelection.named("patching")`` is the
    window of that name in every account-Region (one missing, or two of one
    name, fails that account-Region, naming the ids); ``WindowSelection.all()``
    is every window there. ``names`` is ``None`` for all windows.
    """

    names: tuple[str, ...] | None = attrs.field(default=None, converter=_names)

    @classmethod
    def named(cls, *names: str) -> WindowSelection:
        """The windows of these names (at least one), one of each in every account-Region."""
        return cls(names=names)

    @classmethod
    def all(cls) -> WindowSelection:
        """Every window of every account-Region."""
        return cls(names=None)

    def __str__(self) -> str:
        if self.names is None:
            return "all windows"
        return ", ".join(f"name:{name}" for name in self.names)


def select_shard(
    pairs: Sequence[AccountRegion], shard: tuple[int, int] | None
) -> tuple[AccountRegion, ...]:
    """The pairs of shard ``(K, N)``: each pair's shard is a digest of ``account/region``,
    so it stays the same whatever else is in the scope (an account added or removed
    moves no other pair)."""
    if shard is None:
        return tuple(pairs)
    k, n = shard

    def index(pair: AccountRegion) -> int:
        digest = hashlib.sha256(str(pair).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % n

    return tuple(p for p in pairs if index(p) == k - 1)


publish_exported(globals(), __all__)
