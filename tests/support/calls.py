"""Client calls as data: an operation and its arguments, its wire request, and back from one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ssm_mw import (
    MaintenanceWindowClient,
    TaskDefinition,
    TaskFilter,
    TaskUpdate,
    WindowFilter,
    from_botocore,
)
from ssm_mw._converter import (
    describe_request,
    get_request,
    register_request,
    request,
    update_request,
)
from support.operations import DESCRIBE, GET, REGISTER, UPDATE, WINDOWS

__all__ = ["Call", "call_from_wire"]


@dataclass
class Call:
    """One client call: the operation and the arguments of its client method.

    ``args`` hold models, as a user passes them: ``window_id``,
    ``window_task_id``, ``definition``, ``client_token``, ``update``,
    ``replace``, ``filters``, ``max_results``, ``next_token``.
    """

    operation: str
    args: dict[str, Any] = field(default_factory=lambda: {})

    def wire(self) -> dict[str, Any]:
        """The request dict the client sends for this call (the client's own builders)."""
        a = self.args
        if self.operation == REGISTER:
            return register_request(a["window_id"], a["definition"], a["client_token"])
        if self.operation == UPDATE:
            return update_request(
                a["window_id"], a["window_task_id"], a["update"], a.get("replace", False)
            )
        if self.operation == DESCRIBE:
            return describe_request(
                a["window_id"], a.get("filters", ()), a.get("max_results"), a.get("next_token")
            )
        if self.operation == WINDOWS:
            return request(
                WINDOWS,
                filters=a.get("filters", ()),
                max_results=a.get("max_results"),
                next_token=a.get("next_token"),
            )
        return get_request(a["window_id"], a["window_task_id"])

    async def invoke(self, client: MaintenanceWindowClient) -> Any:
        """Make this call with ``client``."""
        a = self.args
        if self.operation == REGISTER:
            return await client.register_task_with_maintenance_window(
                a["window_id"], a["definition"], client_token=a.get("client_token")
            )
        if self.operation == UPDATE:
            return await client.update_maintenance_window_task(
                a["window_id"], a["window_task_id"], a["update"], replace=a.get("replace", False)
            )
        if self.operation == DESCRIBE:
            return await client.describe_maintenance_window_tasks(
                a["window_id"],
                filters=a.get("filters", ()),
                max_results=a.get("max_results"),
                next_token=a.get("next_token"),
            )
        if self.operation == WINDOWS:
            return await client.describe_maintenance_windows(
                filters=a.get("filters", ()),
                max_results=a.get("max_results"),
                next_token=a.get("next_token"),
            )
        return await client.get_maintenance_window_task(a["window_id"], a["window_task_id"])


def call_from_wire(operation: str, wire: Mapping[str, Any]) -> Call:
    """The call whose request is ``wire``, with models built by ``from_botocore``.

    Building a model can itself raise :class:`ssm_mw.ValidationError` (a task
    type that disagrees with the invocation parameters).
    """
    body = dict(wire)
    args: dict[str, Any] = {}
    if "WindowId" in body:
        args["window_id"] = body.pop("WindowId")
    if operation in (UPDATE, GET) and "WindowTaskId" in body:
        args["window_task_id"] = body.pop("WindowTaskId")
    if operation == REGISTER:
        args["client_token"] = body.pop("ClientToken", None)
        args["definition"] = from_botocore(body, TaskDefinition)
    elif operation == UPDATE:
        args["replace"] = body.pop("Replace", False)
        args["update"] = from_botocore(body, TaskUpdate)
    elif operation in (DESCRIBE, WINDOWS):
        kind = TaskFilter if operation == DESCRIBE else WindowFilter
        args["filters"] = tuple(from_botocore(f, kind) for f in body.pop("Filters", []))
        args["max_results"] = body.pop("MaxResults", None)
        args["next_token"] = body.pop("NextToken", None)
    return Call(operation, args)
