"""An AWS Organization in moto, and the description of one that a server made (private).

:func:`build_organization` makes the organization, its organizational units
and member accounts directly in moto's Organizations backend (no requests);
:class:`Organization` describes the result. moto is imported inside
functions only: importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

__all__ = [
    "DEFAULT_ROLE_NAME",
    "ROOT_PATH",
    "Organization",
    "OrganizationAccount",
    "OrganizationalUnit",
    "build_organization",
    "check_ous",
    "dissolve_organization",
]

#: The role that AWS Organizations creates in each new member account.
DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
#: The path of the organization's root in :attr:`OrganizationAccount.path`.
ROOT_PATH = "Root"


@attrs.frozen(kw_only=True)
class OrganizationalUnit:
    """One organizational unit of an :class:`Organization`."""

    #: ``ou-…``, as ListOrganizationalUnitsForParent answers it.
    id: str
    name: str
    #: The names from the root down, joined by ``/``: ``"Prod/Web"``.
    path: str
    #: The id of the parent: the root's (``r-…``) or another unit's.
    parent_id: str


@attrs.frozen(kw_only=True)
class OrganizationAccount:
    """One member account of an :class:`Organization`."""

    account_id: str
    name: str
    email: str
    #: The id of the parent: the root's (``r-…``) or an organizational unit's.
    parent_id: str
    #: ``"Root"`` for an account in the root, else its unit's path (``"Prod/Web"``).
    path: str
    #: The role to assume into the account: ``arn:aws:iam::<account>:role/<role name>``.
    role_arn: str


def _frozen_windows(
    windows: Mapping[tuple[str, str], Sequence[str]],
) -> Mapping[tuple[str, str], tuple[str, ...]]:
    return MappingProxyType({key: tuple(ids) for key, ids in windows.items()})


@attrs.frozen(kw_only=True)
class Organization:
    """An organization that :meth:`EmbeddedSSMServer.create_organization` made.

    The server's own account is the management account; ``accounts`` are the
    members, in the order they were created (ListAccounts' order, after the
    management account). ``windows`` maps ``(account_id, region)`` to the ids
    of the maintenance windows made in that member account and Region.
    """

    id: str
    arn: str
    root_id: str
    management_account_id: str
    role_name: str
    regions: tuple[str, ...]
    accounts: tuple[OrganizationAccount, ...]
    organizational_units: tuple[OrganizationalUnit, ...]
    windows: Mapping[tuple[str, str], tuple[str, ...]] = attrs.field(
        converter=_frozen_windows, factory=dict, eq=False, hash=False
    )

    @property
    def account_ids(self) -> tuple[str, ...]:
        """The member accounts' ids, in creation order."""
        return tuple(a.account_id for a in self.accounts)

    def account(self, account_id: str) -> OrganizationAccount:
        """The member account ``account_id`` (``KeyError`` if it is not one)."""
        for account in self.accounts:
            if account.account_id == account_id:
                return account
        raise KeyError(account_id)

    def role_arn(self, account_id: str) -> str:
        """The ARN of the role to assume into member ``account_id``."""
        return self.account(account_id).role_arn

    def unit(self, path: str) -> OrganizationalUnit:
        """The organizational unit at ``path``: ``"Prod"``, ``"Prod/Web"`` (else ``KeyError``)."""
        for unit in self.organizational_units:
            if unit.path == path:
                return unit
        raise KeyError(path)

    def accounts_in(self, path: str = ROOT_PATH) -> tuple[str, ...]:
        """The ids of the accounts directly in the unit at ``path``, or in the root (``"Root"``)."""
        return tuple(a.account_id for a in self.accounts if a.path == path)

    def windows_of(self, account_id: str, region: str) -> tuple[str, ...]:
        """The ids of the windows made in ``account_id`` and ``region`` (none: ``()``)."""
        return self.windows.get((account_id, region), ())

    def lines(self) -> list[str]:
        """The organization as lines of space-separated fields, the first word naming the kind.

        ::

            organization o-… r-… <management account>
            unit ou-… Prod/Web
            account <account id> Prod/Web arn:aws:iam::<account id>:role/<role name>
            window <account id> <region> mw-…

        Units, accounts and windows come in creation order. ``python -m
        ssm_mw.testing --org-accounts N`` prints these after the endpoint.
        """
        out = [f"organization {self.id} {self.root_id} {self.management_account_id}"]
        out += [f"unit {u.id} {u.path}" for u in self.organizational_units]
        out += [f"account {a.account_id} {a.path} {a.role_arn}" for a in self.accounts]
        for (account_id, region), ids in self.windows.items():
            out += [f"window {account_id} {region} {window_id}" for window_id in ids]
        return out


def check_ous(accounts: object, ous: object) -> dict[str, int]:
    """``ous`` as a dict of unit paths to account counts, checked against ``accounts``.

    The parameters are ``object``: callers may not be type-checked.
    """
    if isinstance(accounts, bool) or not isinstance(accounts, int) or accounts < 0:
        raise ValueError(f"accounts must be an integer >= 0, not {accounts!r}")
    if ous is None:
        return {}
    if not isinstance(ous, Mapping):
        raise ValueError(f"ous must map unit paths to account counts, not {ous!r}")
    checked: dict[str, int] = {}
    for path, count in dict(ous).items():  # pyright: ignore[reportUnknownArgumentType]
        names = path.split("/") if isinstance(path, str) else []
        if not names or not all(n.strip() == n and n and n != ROOT_PATH for n in names):
            raise ValueError(
                f"an ous key must be a unit path such as 'Prod' or 'Prod/Web', not {path!r}"
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"ous[{path!r}] must be an integer >= 0, not {count!r}")
        checked[str(path)] = count
    placed = sum(checked.values())
    if placed > accounts:
        raise ValueError(f"ous place {placed} accounts, more than accounts={accounts}")
    return checked


def build_organization(
    *,
    management_account_id: str,
    region: str,
    accounts: int,
    ous: Mapping[str, int],
    role_name: str,
) -> Organization:
    """Make an organization in moto, ``management_account_id`` its management account.

    Units are made for every path in ``ous`` (and the paths above them); the
    first accounts go to the units, as many as ``ous`` says, in its order; the
    rest stay in the root. Each account gets the role ``role_name``, which
    trusts the management account. No windows yet (``regions`` is empty).
    """
    from moto.organizations.models import organizations_backends
    from moto.utilities.utils import get_partition

    partition = get_partition(region)
    backend = organizations_backends[management_account_id][partition]
    if backend.org is not None or management_account_id in organizations_backends.master_accounts:
        raise RuntimeError(f"account {management_account_id} is already in an organization")
    described = backend.create_organization(region=region, FeatureSet="ALL")["Organization"]
    root_id = str(backend.list_roots()["Roots"][0]["Id"])
    units: dict[str, OrganizationalUnit] = {}
    for path in ous:
        names = path.split("/")
        for depth in range(1, len(names) + 1):
            sub = "/".join(names[:depth])
            if sub in units:
                continue
            parent = units["/".join(names[: depth - 1])].id if depth > 1 else root_id
            made = backend.create_organizational_unit(Name=names[depth - 1], ParentId=parent)
            unit_id = str(made["OrganizationalUnit"]["Id"])
            units[sub] = OrganizationalUnit(
                id=unit_id, name=names[depth - 1], path=sub, parent_id=parent
            )
    places = [path for path, count in ous.items() for _ in range(count)]
    places += [ROOT_PATH] * (accounts - len(places))
    members: list[OrganizationAccount] = []
    for number, path in enumerate(places, start=1):
        name = f"account-{number}"
        email = f"{name}@example.com"
        status = backend.create_account(AccountName=name, Email=email, RoleName=role_name)
        account_id = str(status["CreateAccountStatus"]["AccountId"])
        parent = root_id
        if path != ROOT_PATH:
            parent = units[path].id
            backend.move_account(
                AccountId=account_id, SourceParentId=root_id, DestinationParentId=parent
            )
        members.append(
            OrganizationAccount(
                account_id=account_id,
                name=name,
                email=email,
                parent_id=parent,
                path=path,
                role_arn=f"arn:{partition}:iam::{account_id}:role/{role_name}",
            )
        )
    return Organization(
        id=str(described["Id"]),
        arn=str(described["Arn"]),
        root_id=root_id,
        management_account_id=management_account_id,
        role_name=role_name,
        regions=(),
        accounts=tuple(members),
        organizational_units=tuple(units.values()),
    )


def dissolve_organization(management_account_id: str) -> None:
    """Remove the organization of ``management_account_id`` from moto, if it has one."""
    from moto.organizations.models import organizations_backends

    masters = organizations_backends.master_accounts
    for member, (owner, _) in list(masters.items()):
        if owner == management_account_id:
            masters.pop(member, None)
    if management_account_id in organizations_backends:
        organizations_backends[management_account_id].reset()
