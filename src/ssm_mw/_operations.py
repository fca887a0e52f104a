"""The operation registry: one record for each SSM operation that ssm-mw wraps.

A record says what an operation is: its botocore name, the client method
that calls it (moto's handler of the same name routes it in the embedded
backend), its idempotency-token member, and the filter keys the API
reference allows where the model leaves ``Filters[].Key`` open (the client's
validation and the embedded backend both read them here). Its request and
response shapes are ``_schema.input_schema(name)`` and
``output_schema(name)``. Every module that switches on an operation takes
the record from here (the trimmed service model holds exactly these
operations; validation, the fast path, the client, fleet, plan and the
embedded backend key their own tables on it), so that an operation is named
in one place. Adding one starts with a record here (``docs/architecture.md``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from ._shapes import snake_case

__all__ = [
    "DEREGISTER_TASK",
    "DESCRIBE_TASKS",
    "DESCRIBE_WINDOWS",
    "GET_TASK",
    "INTEGER_FILTER_VALUE",
    "OPERATIONS",
    "OPERATION_NAMES",
    "REGISTER_TASK",
    "UPDATE_TASK",
    "OperationSpec",
    "operation_named",
]


#: A value of a filter on an integer member (``Priority``), as the service reads it.
INTEGER_FILTER_VALUE = re.compile(r"-?[0-9]+")


@attrs.frozen
class OperationSpec:
    """One SSM operation ssm-mw wraps, as botocore's service model names it."""

    #: The botocore operation name, e.g. ``"GetMaintenanceWindowTask"``.
    name: str
    #: The input member that carries the idempotency token, if the operation has one.
    client_token: str | None = None
    #: The ``Filters[].Key`` values the API reference allows (none: no ``Filters``).
    filter_keys: tuple[str, ...] = ()
    #: The ids of the real service's rules (``docs/fidelity.md``, records of ``_rules``)
    #: that its request is held to, before sending and by the embedded backend.
    rules: tuple[str, ...] = ()
    #: The filter keys of an integer member, whose values are integers
    #: (:data:`INTEGER_FILTER_VALUE`); the service refuses any other value.
    integer_filters: tuple[str, ...] = ()

    def refuses_filter_value(self, key: str, value: str) -> bool:
        """True when the service refuses ``value`` in a filter on ``key`` (no integer)."""
        return key in self.integer_filters and INTEGER_FILTER_VALUE.fullmatch(value) is None

    @property
    def method(self) -> str:
        """The client method (botocore's and ssm-mw's), e.g. ``"get_maintenance_window_task"``."""
        return snake_case(self.name)


# "The supported filter keys are WindowTaskId, TaskArn, Priority, and TaskType."
DESCRIBE_TASKS = OperationSpec(
    "DescribeMaintenanceWindowTasks",
    filter_keys=("WindowTaskId", "TaskArn", "Priority", "TaskType"),
    integer_filters=("Priority",),
)
# "Supported filter keys are Name and Enabled."
DESCRIBE_WINDOWS = OperationSpec("DescribeMaintenanceWindows", filter_keys=("Name", "Enabled"))
DEREGISTER_TASK = OperationSpec("DeregisterTaskFromMaintenanceWindow")
GET_TASK = OperationSpec("GetMaintenanceWindowTask")
# F1-F3 on each target; F4, F5 and F7 on the task the request leads to; F8, F10 on a replace;
# F13 on a Run Command task's parameters (the client's check); F14, a warning of members the
# service ignores.
REGISTER_TASK = OperationSpec(
    "RegisterTaskWithMaintenanceWindow",
    client_token="ClientToken",
    rules=("F1", "F2", "F3", "F4", "F5", "F7", "F13", "F14"),
)
UPDATE_TASK = OperationSpec(
    "UpdateMaintenanceWindowTask",
    rules=("F1", "F2", "F3", "F4", "F5", "F7", "F13", "F14", "F8", "F10"),
)

#: Every operation ssm-mw wraps, in the service model's (alphabetical) order.
OPERATIONS: tuple[OperationSpec, ...] = (
    DEREGISTER_TASK,
    DESCRIBE_TASKS,
    DESCRIBE_WINDOWS,
    GET_TASK,
    REGISTER_TASK,
    UPDATE_TASK,
)
#: Their botocore names: the operations the trimmed service model holds.
OPERATION_NAMES: tuple[str, ...] = tuple(op.name for op in OPERATIONS)
_BY_NAME: Mapping[str, OperationSpec] = {op.name: op for op in OPERATIONS}


def operation_named(name: str) -> OperationSpec:
    """The record of the operation ``name``; :class:`ValueError` for any other name."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"unknown operation {name!r}: expected one of {', '.join(OPERATION_NAMES)}"
        ) from None
