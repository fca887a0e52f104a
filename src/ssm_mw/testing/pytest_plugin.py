"""pytest fixtures on the embedded SSM backend. Opt in from a ``conftest.py``::

    pytest_plugins = ["ssm_mw.testing.pytest_plugin"]

The fixtures:

* ``ssm_server``, session scope: a running :class:`~ssm_mw.testing.EmbeddedSSMServer`.
* ``maintenance_window_id``: a fresh maintenance window for each test.
* ``mw_client``: an opened :class:`ssm_mw.MaintenanceWindowClient` bound to the
  server (async; needs pytest-asyncio).
* ``mw_client_factory``: a :class:`~ssm_mw.testing.MaintenanceWindowClientFactory`,
  which makes clients bound to the server with other options, for tests of
  retry budgets and timeouts.
* ``ssm_organization``: an :class:`~ssm_mw.testing.Organization` on the
  server: 3 member accounts, each with 2 empty windows in the server's Region
  and in one other, made fresh for each test.

For example::

    async def test_no_retries(ssm_server, mw_client_factory, maintenance_window_id):
        ssm_server.inject_fault("GetMaintenanceWindowTask", "ThrottlingException")
        async with mw_client_factory(max_attempts=1) as mw:
            ...

The server is reset (windows, tasks, counters, faults, latency, limits) before
each test that uses it. moto is imported only when the server starts. Override
``ssm_server`` in your own ``conftest.py`` to change how the server is built.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ._factory import MaintenanceWindowClientFactory
from ._organization import Organization
from ._server import EmbeddedSSMServer

if TYPE_CHECKING:
    from ssm_mw import MaintenanceWindowClient

__all__ = [
    "maintenance_window_id",
    "mw_client",
    "mw_client_factory",
    "ssm_organization",
    "ssm_server",
]

#: The shape of ``ssm_organization``: member accounts, and windows per account and Region.
_ORG_ACCOUNTS = 3
_ORG_WINDOWS = 2


@pytest.fixture(scope="session")
def ssm_server() -> Iterator[EmbeddedSSMServer]:
    """A running embedded SSM server, shared by the whole session."""
    with EmbeddedSSMServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _ssm_mw_reset_server(request: pytest.FixtureRequest) -> None:
    """Reset the shared server before each test that uses it."""
    if "ssm_server" in request.fixturenames:
        server = request.getfixturevalue("ssm_server")
        if isinstance(server, EmbeddedSSMServer):
            server.reset()


@pytest.fixture
def maintenance_window_id(ssm_server: EmbeddedSSMServer) -> str:
    """The id of a fresh maintenance window on ``ssm_server``."""
    return ssm_server.create_maintenance_window(name="pytest-window")


def _async_fixture(func: Callable[..., Any]) -> Any:
    """``pytest_asyncio.fixture``, or a fixture that explains that it is missing."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - depends on the environment

        @pytest.fixture(name=func.__name__)
        def unavailable() -> None:
            raise pytest.UsageError(
                f"the {func.__name__} fixture of ssm_mw.testing.pytest_plugin needs "
                "pytest-asyncio: pip install pytest-asyncio"
            )

        return unavailable
    return pytest_asyncio.fixture(func)


@_async_fixture
async def mw_client(ssm_server: EmbeddedSSMServer) -> AsyncIterator[MaintenanceWindowClient]:
    """An opened ``MaintenanceWindowClient`` bound to ``ssm_server`` (needs pytest-asyncio)."""
    from ssm_mw import MaintenanceWindowClient

    async with MaintenanceWindowClient(
        region_name=ssm_server.region_name,
        endpoint_url=ssm_server.endpoint_url,
        session=ssm_server.aio_session(),
    ) as client:
        yield client


@pytest.fixture
def mw_client_factory(ssm_server: EmbeddedSSMServer) -> MaintenanceWindowClientFactory:
    """Clients bound to ``ssm_server`` with other options: ``mw_client_factory(max_attempts=1)``."""
    return MaintenanceWindowClientFactory(ssm_server)


def _organization_regions(server: EmbeddedSSMServer) -> tuple[str, str]:
    """The server's Region and one other."""
    other = "eu-west-1" if server.region_name != "eu-west-1" else "us-east-1"
    return (server.region_name, other)


@pytest.fixture
def ssm_organization(ssm_server: EmbeddedSSMServer) -> Organization:
    """An organization on ``ssm_server``: 3 member accounts, each with 2 empty windows
    (``window-1``, ``window-2``) in the server's Region and in one other.

    The server's account is the management account. The organization is made
    once, for the first test that asks for it; its windows are made again for
    each test, after the server's reset (new ids). Assume
    ``organization.role_arn(account_id)`` with the server's credentials to act
    in a member account.
    """
    regions = _organization_regions(ssm_server)
    organization = ssm_server.organization
    if organization is None:
        return ssm_server.create_organization(
            _ORG_ACCOUNTS, regions=regions, windows_per_region=_ORG_WINDOWS
        )
    if len(organization.accounts) != _ORG_ACCOUNTS or organization.organizational_units:
        raise pytest.UsageError(
            "ssm_organization: ssm_server already has an organization of another shape "
            "(made by create_organization); use a server of your own for it"
        )
    if organization.windows:  # not reset since: the server was overridden without the reset
        return organization
    return ssm_server.populate_organization(_ORG_WINDOWS, regions=regions)
