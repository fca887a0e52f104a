"""export_tasks on the embedded backend: what is live, as a desired state that plans unchanged."""

from __future__ import annotations

import attrs

from ssm_mw import DesiredState, MaintenanceWindowClient, PlanAction, export_tasks, plan_tasks
from ssm_mw.testing import EmbeddedSSMServer
from support.plan import ALL_TASKS, automation_targetless, run_command_full


async def test_export_then_plan_is_unchanged(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """Windows with every task type and member set export to a state that plans all unchanged."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(2)]
    for window in windows:
        for name, make in ALL_TASKS.items():
            await mw_client.register_task_with_maintenance_window(
                window, attrs.evolve(make(), name=name)
            )
    unnamed = await mw_client.register_task_with_maintenance_window(
        windows[0], automation_targetless()
    )
    exported = await export_tasks(mw_client, windows)
    assert [s.window_task_id for s in exported.skipped] == [unnamed]
    assert set(exported.desired.windows) == set(windows)
    assert len(exported.desired) == 2 * len(ALL_TASKS)
    assert exported.desired.windows[windows[0]]["patch-linux"] == attrs.evolve(
        run_command_full(), name="patch-linux"
    )
    plan = await plan_tasks(mw_client, exported.desired)
    managed = [t for t in plan.tasks if t.action is not PlanAction.UNMANAGED]
    assert {t.action for t in managed} == {PlanAction.UNCHANGED}
    assert len(managed) == 2 * len(ALL_TASKS)
    (other,) = plan.with_action(PlanAction.UNMANAGED)
    assert (other.name, other.window_task_id) == (None, unnamed)
    # The state round-trips through the file's mapping unchanged.
    assert DesiredState.from_botocore(exported.desired.to_botocore()) == exported.desired
