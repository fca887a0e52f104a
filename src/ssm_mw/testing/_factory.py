"""``MaintenanceWindowClientFactory``: clients bound to an embedded server, with other options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ._server import EmbeddedSSMServer

if TYPE_CHECKING:
    from aiobotocore.config import AioConfig

    from ssm_mw import MaintenanceWindowClient

__all__ = ["MaintenanceWindowClientFactory"]


class MaintenanceWindowClientFactory:
    """Makes :class:`ssm_mw.MaintenanceWindowClient` objects bound to one embedded server.

    Each call returns a new client, not yet opened (use ``async with``), with
    the server's endpoint, Region and dummy credentials, and the options given
    (as :class:`ssm_mw.MaintenanceWindowClient` takes them).
    """

    def __init__(self, server: EmbeddedSSMServer) -> None:
        self._server = server

    def __call__(
        self,
        *,
        max_attempts: int | None = None,
        retry_mode: Literal["legacy", "standard", "adaptive"] | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_pool_connections: int | None = None,
        config: AioConfig | None = None,
    ) -> MaintenanceWindowClient:
        """A new client on the server with these options."""
        from ssm_mw import MaintenanceWindowClient

        return MaintenanceWindowClient(
            region_name=self._server.region_name,
            endpoint_url=self._server.endpoint_url,
            session=self._server.aio_session(),
            config=config,
            max_attempts=max_attempts,
            retry_mode=retry_mode,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=max_pool_connections,
        )

    def __repr__(self) -> str:
        return f"<MaintenanceWindowClientFactory for {self._server!r}>"
