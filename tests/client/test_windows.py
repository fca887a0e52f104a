"""Windows by name: ``describe_maintenance_windows`` and its paginator, over real HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from ssm_mw import (
    MaintenanceWindowClient,
    MaintenanceWindowIdentity,
    ValidationError,
    WindowFilter,
    WindowPage,
    WindowPaginator,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.operations import WINDOWS


def _names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{i}" for i in range(count)]


async def test_a_window_is_found_by_name_with_its_schedule(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """The identity holds what the service reports, typed."""
    window_id = ssm_server.create_maintenance_window(
        name="by-name-weekly", schedule="rate(7 days)", duration=4, cutoff=2
    )
    found = [
        w
        async for w in mw_client.paginate_maintenance_windows(
            filters=[WindowFilter.name("by-name-weekly")]
        )
    ]
    assert found == [
        MaintenanceWindowIdentity(
            window_id=window_id,
            name="by-name-weekly",
            enabled=True,
            duration=4,
            cutoff=2,
            schedule="rate(7 days)",
        )
    ]


async def test_the_paginator_covers_every_match_once_in_order(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """25 matching windows over pages of 10: each once, oldest first, three requests."""
    names = _names("paged-client", 25)
    ids = [ssm_server.create_maintenance_window(name=n) for n in names]
    before = ssm_server.request_count(WINDOWS)
    paginator = mw_client.paginate_maintenance_windows(
        filters=[WindowFilter.name(*names), WindowFilter.enabled()], page_size=10
    )
    assert isinstance(paginator, WindowPaginator)
    assert [w.window_id async for w in paginator] == ids
    assert ssm_server.request_count(WINDOWS) - before == 3


async def test_pages_and_max_items_resume_exactly(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """``max_items`` stops mid-page; its resume token continues with the next window."""
    names = _names("resume-client", 14)
    ids = [ssm_server.create_maintenance_window(name=n) for n in names]
    filters = [WindowFilter.name(*names)]
    first = mw_client.paginate_maintenance_windows(filters=filters, page_size=10, max_items=4)
    assert [w.window_id async for w in first] == ids[:4]
    rest = mw_client.paginate_maintenance_windows(
        filters=filters, page_size=10, starting_token=first.resume_token
    )
    pages = [page async for page in rest.pages()]
    assert all(isinstance(p, WindowPage) for p in pages)
    assert [w.window_id for p in pages for w in p.windows] == ids[4:]
    assert pages[-1].next_token is None


async def test_one_page_with_a_token(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """``describe_maintenance_windows`` is one page; its token fetches the next."""
    names = _names("one-page", 11)
    for name in names:
        ssm_server.create_maintenance_window(name=name)
    filters = [WindowFilter.name(*names)]
    page = await mw_client.describe_maintenance_windows(filters=filters, max_results=10)
    assert len(page.windows) == 10
    assert page.next_token is not None
    last = await mw_client.describe_maintenance_windows(filters=filters, next_token=page.next_token)
    assert [w.name for w in last.windows] == ["one-page-10"]
    assert last.next_token is None


@pytest.mark.parametrize(
    ("call", "path"),
    [
        (lambda mw: mw.describe_maintenance_windows(max_results=5), "max_results"),
        (
            lambda mw: mw.describe_maintenance_windows(
                filters=[WindowFilter(key="Schedule", values=("x",))]
            ),
            "filters[0].key",
        ),
        (
            lambda mw: mw.describe_maintenance_windows(filters=[WindowFilter.name("")]),
            "filters[0].values[0]",
        ),
    ],
)
async def test_a_bad_request_names_its_field_and_sends_nothing(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    call: Callable[[MaintenanceWindowClient], Awaitable[WindowPage]],
    path: str,
) -> None:
    """Validation refuses before sending, naming the argument."""
    before = ssm_server.request_count(WINDOWS)
    with pytest.raises(ValidationError) as raised:
        await call(mw_client)
    assert raised.value.paths == (path,)
    assert ssm_server.request_count(WINDOWS) == before


def test_paginator_arguments_are_checked_at_once(mw_client: MaintenanceWindowClient) -> None:
    """A bad ``page_size`` or filter is refused when the paginator is made."""
    with pytest.raises(ValidationError) as raised:
        mw_client.paginate_maintenance_windows(page_size=101)
    assert raised.value.paths == ("page_size",)
    with pytest.raises(ValidationError):
        mw_client.paginate_maintenance_windows(filters=[WindowFilter(key="Owner", values=("me",))])
