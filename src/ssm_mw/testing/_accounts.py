"""Which account a request belongs to, on one embedded server (private).

The base credentials, and any access key the server did not issue, belong to
the server's own account. A key that AssumeRole returned through the server
belongs to the account moto gave it: moto keeps an assumed role's temporary key
in the IAM backend of the role's account, and ``moto.iam.models.get_account_id_from``
finds it there. Keys are tracked per server, so a key issued by one server
means nothing to another.

moto is imported inside methods only: importing this module is cheap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["AccountDirectory"]


class AccountDirectory:
    """The accounts of one server's credentials (the middleware's ``Identities``).

    ``on_new_account`` is called (outside the lock) with each account the
    server learns of after its own: from a key AssumeRole issued, or from
    :meth:`add`.
    """

    def __init__(
        self, account_id: str, on_new_account: Callable[[str], None] | None = None
    ) -> None:
        self._own = account_id
        self._on_new = on_new_account
        self._lock = threading.Lock()
        self._keys: dict[str, str] = {}
        self._accounts: dict[str, None] = {account_id: None}  # ordered, as learned

    @property
    def own(self) -> str:
        """The server's own account: the base credentials'."""
        return self._own

    def accounts(self) -> tuple[str, ...]:
        """Every account the server has learned of, its own first."""
        with self._lock:
            return tuple(self._accounts)

    def add(self, account_id: str) -> None:
        """Note an account of this server (an organization's member)."""
        with self._lock:
            new = account_id not in self._accounts
            self._accounts[account_id] = None
        if new and self._on_new is not None:
            self._on_new(account_id)

    def account_of(self, access_key: str | None) -> str:
        """The account of ``access_key``: the one moto gave it if this server issued it,
        else the server's own."""
        if access_key is None:
            return self._own
        with self._lock:
            return self._keys.get(access_key, self._own)

    def issued(self, access_key: str) -> None:
        """Note a key that AssumeRole returned through this server, in moto's account for it."""
        from moto.iam.models import get_account_id_from

        account_id = get_account_id_from(access_key)
        with self._lock:
            self._keys[access_key] = account_id
        self.add(account_id)

    def caller_arn(self, access_key: str | None, account_id: str, region: str) -> str:
        """The ARN that moto's GetCallerIdentity answers for ``access_key`` in ``account_id``."""
        from moto.sts.models import sts_backends
        from moto.utilities.utils import get_partition

        backend = sts_backends[account_id][get_partition(region)]
        _, arn, _ = backend.get_caller_identity(access_key or "", region)
        return str(arn)
