"""A task, a definition or an update as a botocore dict fit to show: sensitive values hidden.

:func:`to_botocore_redacted` is :func:`~ssm_mw.to_botocore` with every value
that the service model marks ``sensitive`` replaced by ``"***"``, driven by the
shape of the request or response the model stands for (as logs are redacted).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from ._converter import to_botocore, wire_names
from ._models import (
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    TaskDefinition,
    TaskPage,
    TaskUpdate,
)
from ._operations import DESCRIBE_TASKS, GET_TASK, REGISTER_TASK, UPDATE_TASK
from ._public import publish_exported
from ._schema import redact_request, redact_response

__all__ = ["to_botocore_redacted"]

_Redact = Callable[[Mapping[str, Any]], dict[str, Any]]

#: The member of a describe response that holds its tasks.


def _listed_task(task: Mapping[str, Any]) -> dict[str, Any]:
    """A task as describe lists it: redacted as one task of a describe response."""
    tasks = wire_names(TaskPage)["tasks"]
    page = redact_response(DESCRIBE_TASKS.name, {tasks: [task]})
    return cast("dict[str, Any]", page[tasks][0])


#: How each model's botocore dict is redacted: as the request or response it is part of.
_REDACT: Mapping[type, _Redact] = {
    TaskDefinition: lambda d: redact_request(REGISTER_TASK.name, d),
    TaskUpdate: lambda d: redact_request(UPDATE_TASK.name, d),
    MaintenanceWindowTaskDetails: lambda d: redact_response(GET_TASK.name, d),
    MaintenanceWindowTask: _listed_task,
    TaskPage: lambda d: redact_response(DESCRIBE_TASKS.name, d),
}


def to_botocore_redacted(
    obj: TaskDefinition
    | TaskUpdate
    | MaintenanceWindowTask
    | MaintenanceWindowTaskDetails
    | TaskPage,
) -> dict[str, Any]:
    """:func:`to_botocore`, with every sensitive value as ``"***"``: safe to log or show.

    The members the service model marks ``sensitive`` (a task's
    ``Description``, its ``TaskParameters``, Run Command ``Parameters``, a
    Lambda ``Payload``...) are replaced, however deep; everything else is as
    :func:`to_botocore` gives it.

    >>> to_botocore_redacted(TaskUpdate(priority=1, description="db password: hunter2"))
    {'Priority': 1, 'Description': '***'}

    It takes a task, a task's details, a page of tasks, a definition or an
    update; anything else raises ``TypeError``.
    """
    redact = _REDACT.get(type(obj))
    if redact is None:
        raise TypeError(
            "to_botocore_redacted() takes a task, a definition, an update or a page "
            f"(e.g. MaintenanceWindowTaskDetails), not {type(obj).__name__}"
        )
    return redact(to_botocore(obj))


# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
