"""``to_botocore_redacted``: a task, a definition or an update as a botocore dict fit to show."""

from __future__ import annotations

import pytest

from ssm_mw import (
    LambdaParameters,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskPage,
    TaskParameterValueExpression,
    TaskType,
    TaskUpdate,
    to_botocore,
    to_botocore_redacted,
)

W = "mw-0123456789abcdef0"
TASK_ID = "4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d"


# -- redaction ----------------------------------------------------------------------------


def test_redacted_dicts_hide_every_sensitive_value_and_keep_the_rest() -> None:
    """Description, parameters, payload: ***; every other member as to_botocore gives it."""
    definition = TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
        task_type=TaskType.LAMBDA,
        task_invocation_parameters=LambdaParameters(payload=b'{"password": "hunter2"}'),
        description="the password is hunter2",
        priority=1,
    )
    assert to_botocore_redacted(definition) == {
        **to_botocore(definition),
        "Description": "***",
        "TaskInvocationParameters": {"Lambda": {"Payload": "***"}},
    }
    details = MaintenanceWindowTaskDetails(
        window_id=W,
        window_task_id=TASK_ID,
        task_invocation_parameters=RunCommandParameters(parameters={"commands": ("hunter2",)}),
        targets=(Target.instances("i-0123456789abcdef0"),),
    )
    shown = to_botocore_redacted(details)
    hidden = {"RunCommand": {"Parameters": {"commands": ["***"]}}}
    assert shown["TaskInvocationParameters"] == hidden
    assert shown["Targets"] == to_botocore(details)["Targets"]
    listed = MaintenanceWindowTask(
        window_id=W,
        window_task_id=TASK_ID,
        task_parameters={"a": TaskParameterValueExpression(values=("hunter2",))},
    )
    assert "hunter2" not in repr(to_botocore_redacted(listed))
    assert "hunter2" not in repr(to_botocore_redacted(TaskPage(tasks=(listed,))))
    assert to_botocore_redacted(TaskUpdate(priority=2)) == {"Priority": 2}
    with pytest.raises(TypeError, match="not Target"):
        to_botocore_redacted(Target.instances("i-0123456789abcdef0"))  # type: ignore[arg-type]
