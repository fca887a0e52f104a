"""``set_cutoff_behavior``, the library function behind ``ssm-mw set-cutoff``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ssm_mw import (
    CutoffBehavior,
    DoesNotExistError,
    MaintenanceWindowClient,
    ServiceError,
    TaskDefinition,
    TaskType,
    ValidationError,
)
from ssm_mw._fleet import CutoffOutcome, CutoffProgress, set_cutoff_behavior
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import MISSING_WINDOW
from support.examples import automation, lambda_task, run_command, step_functions
from support.in_flight import counting_client
from support.operations import DESCRIBE, UPDATE

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK


async def _register(
    mw: MaintenanceWindowClient, window_id: str, definitions: list[TaskDefinition]
) -> list[str]:
    return [await mw.register_task_with_maintenance_window(window_id, d) for d in definitions]


async def _cutoffs(mw: MaintenanceWindowClient, window_id: str) -> dict[str, Any]:
    return {
        t.window_task_id: t.cutoff_behavior
        async for t in mw.paginate_maintenance_window_tasks(window_id)
    }


async def test_changed_and_unchanged_tasks(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Tasks with another behavior (or none) are changed; those with it are left unchanged."""
    w = maintenance_window_id
    ids = await _register(mw_client, w, [run_command(CONTINUE), lambda_task(CANCEL), automation()])
    report = await set_cutoff_behavior(mw_client, [w], CANCEL)
    assert report.ok
    assert (report.behavior, report.dry_run) == (CANCEL, False)
    assert [c.window_task_id for c in report.changes] == ids  # listing order
    assert [c.window_task_id for c in report.changed] == [ids[0], ids[2]]
    assert [c.window_task_id for c in report.unchanged] == [ids[1]]
    assert report.failed == ()
    first = report.changes[0]
    assert (first.window_id, first.before, first.after, first.outcome) == (
        w, CONTINUE, CANCEL, CutoffOutcome.CHANGED,
    )  # fmt: skip
    assert first.task_type == TaskType.RUN_COMMAND
    assert first.error is None
    assert report.changes[2].before is None
    assert set((await _cutoffs(mw_client, w)).values()) == {CANCEL}
    assert ssm_server.request_count(UPDATE) == 2


async def test_behavior_may_be_a_string(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The behavior may be given as its string value."""
    await _register(mw_client, maintenance_window_id, [automation(CANCEL)])
    report = await set_cutoff_behavior(mw_client, [maintenance_window_id], "CONTINUE_TASK")
    assert report.behavior is CONTINUE
    assert len(report.changed) == 1


async def test_task_type_filter(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """With task_type only tasks of that type are reported and changed."""
    w = maintenance_window_id
    ids = await _register(
        mw_client, w, [run_command(CONTINUE), lambda_task(CONTINUE), step_functions(CONTINUE)]
    )
    report = await set_cutoff_behavior(mw_client, [w], CANCEL, task_type=TaskType.LAMBDA)
    assert [c.window_task_id for c in report.changes] == [ids[1]]
    assert await _cutoffs(mw_client, w) == {ids[0]: CONTINUE, ids[1]: CANCEL, ids[2]: CONTINUE}
    assert ssm_server.request_count(UPDATE) == 1


async def test_dry_run_sends_no_update(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """dry_run reports the would-be changes and sends no UpdateMaintenanceWindowTask."""
    w = maintenance_window_id
    ids = await _register(mw_client, w, [run_command(CONTINUE), lambda_task(CANCEL)])
    report = await set_cutoff_behavior(mw_client, [w], CANCEL, dry_run=True)
    assert report.dry_run
    assert [c.window_task_id for c in report.changed] == [ids[0]]
    assert report.changed[0].after == CANCEL
    assert ssm_server.request_count(UPDATE) == 0
    assert await _cutoffs(mw_client, w) == {ids[0]: CONTINUE, ids[1]: CANCEL}


async def test_a_failed_update_is_reported_and_the_others_go_on(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A refused update is a FAILED entry with its ServiceError; the other tasks change."""
    w = maintenance_window_id
    ids = await _register(mw_client, w, [automation(CONTINUE) for _ in range(3)])
    ssm_server.inject_fault(UPDATE, "AccessDeniedException", times=1)
    report = await set_cutoff_behavior(mw_client, [w], CANCEL, concurrency=1)
    assert not report.ok
    (failed,) = report.failed
    assert failed.window_task_id == ids[0]
    assert (failed.before, failed.after, failed.outcome) == (CONTINUE, None, CutoffOutcome.FAILED)
    assert isinstance(failed.error, ServiceError)
    assert failed.error.code == "AccessDeniedException"
    assert [c.window_task_id for c in report.changed] == ids[1:]
    assert (await _cutoffs(mw_client, w))[ids[0]] == CONTINUE


async def test_a_window_whose_listing_fails_is_reported(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A window that cannot be listed is one FAILED entry (no task id); others still change."""
    w = maintenance_window_id
    (task_id,) = await _register(mw_client, w, [automation()])
    report = await set_cutoff_behavior(mw_client, [MISSING_WINDOW, w], CANCEL)
    assert [c.window_id for c in report.changes] == [MISSING_WINDOW, w]  # windows in given order
    (failed,) = report.failed
    assert failed.window_id == MISSING_WINDOW
    assert failed.window_task_id is None
    assert failed.is_listing_failure
    assert isinstance(failed.error, DoesNotExistError)
    assert [c.window_task_id for c in report.changed] == [task_id]


async def test_a_listing_failure_after_some_pages_keeps_the_tasks_found(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """When page 2 of a window fails, page 1's tasks are still changed and the failure listed."""
    w = maintenance_window_id
    ssm_server.max_tasks_per_window = 101
    await asyncio.gather(
        *(mw_client.register_task_with_maintenance_window(w, automation()) for _ in range(101))
    )
    before = ssm_server.request_count(DESCRIBE)
    # Page 1 is held 0.3 s in the server once counted: time to make the next describe fail.
    ssm_server.inject_latency(0.3, operation=DESCRIBE)
    task = asyncio.ensure_future(set_cutoff_behavior(mw_client, [w], CANCEL, concurrency=1))
    for _ in range(2000):  # up to 10 s
        if ssm_server.request_count(DESCRIBE) > before:
            break
        await asyncio.sleep(0.005)
    ssm_server.inject_fault(DESCRIBE, "AccessDeniedException", times=1)
    report = await task
    assert len(report.failed) == 1
    assert report.failed[0].window_task_id is None
    assert len(report.changed) == 100
    assert report.changes[-1].is_listing_failure  # the window's failure comes after its tasks


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"behavior": "STOP"}, "behavior"),
        ({"behavior": 3}, "behavior"),
        ({"concurrency": 0}, "concurrency"),
        ({"concurrency": -2}, "concurrency"),
        ({"concurrency": True}, "concurrency"),
        ({"concurrency": 1.5}, "concurrency"),
        ({"task_type": "SHELL"}, "task_type"),
        ({"window_ids": ["mw-0123456789abcdef0", "mw-bad"]}, "window_ids[1]"),
        ({"window_ids": []}, "window_ids"),
        ({"window_ids": "mw-0123456789abcdef0"}, "window_ids"),
    ],
)
async def test_bad_arguments_raise_validation_error_naming_the_field(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    kwargs: dict[str, Any],
    path: str,
) -> None:
    """behavior, task_type, concurrency and window ids are checked before any request."""
    arguments: dict[str, Any] = {"window_ids": ["mw-0123456789abcdef0"], "behavior": CANCEL}
    arguments.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        await set_cutoff_behavior(mw_client, **arguments)
    assert path in caught.value.paths
    assert ssm_server.request_count() == 0


async def test_concurrency_bounds_requests_in_flight_across_windows(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """At most `concurrency` requests are in flight, and the bound is reached across windows."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(4)]
    async with counting_client(ssm_server) as (mw, in_flight):
        for w in windows:
            await _register(mw, w, [automation(CONTINUE) for _ in range(3)])
        ssm_server.inject_latency(0.05)
        for concurrency, behavior in ((3, CANCEL), (1, CONTINUE), (8, CANCEL)):
            in_flight.peak = 0
            report = await set_cutoff_behavior(mw, windows, behavior, concurrency=concurrency)
            assert len(report.changed) == 12
            assert in_flight.peak == concurrency


async def test_progress_reports_every_step(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """The progress callback sees windows listed and tasks done grow to the totals."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(2)]
    await _register(mw_client, windows[0], [automation(), automation(CANCEL)])
    await _register(mw_client, windows[1], [lambda_task()])
    seen: list[CutoffProgress] = []
    await set_cutoff_behavior(mw_client, windows, CANCEL, progress=seen.append)
    assert seen[0] == CutoffProgress(windows_total=2, windows_listed=0, tasks_total=0, tasks_done=0)
    assert seen[-1] == CutoffProgress(
        windows_total=2, windows_listed=2, tasks_total=3, tasks_done=3
    )
    done = [p.tasks_done for p in seen]
    assert done == sorted(done)


async def test_an_error_in_the_progress_callback_propagates(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A raising progress callback is the caller's bug: it propagates, nothing hangs."""
    await _register(mw_client, maintenance_window_id, [automation()])
    calls: list[CutoffProgress] = []

    def progress(p: CutoffProgress) -> None:
        calls.append(p)
        if len(calls) == 2:
            raise RuntimeError("progress broke")

    with pytest.raises(RuntimeError, match="progress broke"):
        await asyncio.wait_for(
            set_cutoff_behavior(mw_client, [maintenance_window_id], CANCEL, progress=progress),
            timeout=30,
        )


async def test_a_window_given_twice_is_done_once(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Duplicate window ids are processed once: one entry and one update call per task.

    The calls are counted on this test's own client (``before-call``, once per
    call whatever its retries), not by the shared server, which may still
    receive a request another test cancelled.
    """
    updates: list[str] = []
    session = ssm_server.aio_session()
    async with session.create_client("ssm", **ssm_server.client_kwargs()) as client:
        client.meta.events.register(
            f"before-call.ssm.{UPDATE}", lambda **kwargs: updates.append(UPDATE)
        )
        mw = MaintenanceWindowClient.from_client(client)
        await _register(mw, maintenance_window_id, [automation()])
        report = await set_cutoff_behavior(
            mw, [maintenance_window_id, maintenance_window_id], CANCEL
        )
    assert len(report.changes) == 1
    assert updates == [UPDATE]
