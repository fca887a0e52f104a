"""Reading the live tasks of many windows: every window read, the reads bounded by concurrency."""

from __future__ import annotations

import pytest

from ssm_mw import DesiredState, MaintenanceWindowClient, PlanAction, apply_plan, plan_tasks
from ssm_mw.testing import EmbeddedSSMServer
from support.in_flight import counting_client
from support.operations import DESCRIBE, GET
from support.plan import ALL_TASKS, automation_targetless


async def test_reads_are_bounded_and_all_windows_are_read(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """plan describes each window once per page and gets only the managed live tasks."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(3)]
    state = DesiredState(
        windows={w: {n: ALL_TASKS[n]() for n in ("lambda-minimal", "drain-queue")} for w in windows}
    )
    await apply_plan(mw_client, state, concurrency=2)
    for w in windows:  # plus one unmanaged task per window: listed, never read in full
        await mw_client.register_task_with_maintenance_window(w, automation_targetless())
    describes, gets = ssm_server.request_count(DESCRIBE), ssm_server.request_count(GET)
    plan = await plan_tasks(mw_client, state, concurrency=3)
    assert ssm_server.request_count(DESCRIBE) - describes == 3
    assert ssm_server.request_count(GET) - gets == 6
    assert plan.summary[PlanAction.UNCHANGED] == 6
    assert [t.window_id for t in plan.tasks] == [w for w in windows for _ in range(3)]


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_concurrency_is_bounded(ssm_server: EmbeddedSSMServer, concurrency: int) -> None:
    """At most ``concurrency`` requests are in flight, in plan and in apply."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(4)]
    state = DesiredState(
        windows={w: {n: ALL_TASKS[n]() for n in ("lambda-minimal", "drain-queue")} for w in windows}
    )
    ssm_server.inject_latency(0.02)
    async with counting_client(ssm_server) as (mw, in_flight):
        report = await apply_plan(mw, state, concurrency=concurrency)
        assert report.ok
        plan = await plan_tasks(mw, state, concurrency=concurrency)
    assert plan.summary[PlanAction.UNCHANGED] == 8
    assert in_flight.peak == concurrency
