"""ssm-mw: a typed, async SDK for AWS Systems Manager maintenance-window tasks.

Everything public is importable from here; the modules behind it are private.
The desired-state and fleet-wide parts (``plan_tasks``, ``apply_plan``,
``export_tasks``, ``set_cutoff_behavior`` and their types) are imported on
first use, so that a service that only calls the four operations does not pay
for them at start-up (``python -X importtime -c "import ssm_mw"``).
"""

from typing import TYPE_CHECKING

from ._client import MaintenanceWindowClient
from ._converter import from_botocore, to_botocore
from ._enums import CutoffBehavior, DocumentHashType, NotificationEvent, NotificationType, TaskType
from ._errors import (
    ClientStateError,
    DoesNotExistError,
    FeatureNotAvailableError,
    IdempotentParameterMismatchError,
    InternalServerError,
    ResourceLimitExceededError,
    ResponseError,
    ServiceError,
    ServiceValidationError,
    SsmMwError,
    ThrottlingError,
    TransportError,
    ValidationError,
    Violation,
)
from ._invocation import (
    AutomationParameters,
    CloudWatchOutputConfig,
    LambdaParameters,
    NotificationConfig,
    RunCommandParameters,
    StepFunctionsParameters,
    TaskInvocationParameters,
    UnknownInvocationParameters,
)
from ._models import (
    Alarm,
    AlarmConfiguration,
    LoggingInfo,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskPage,
    TaskParameterValueExpression,
    TaskUpdate,
)
from ._paginator import TaskPaginator
from ._public import publish as _publish
from ._version import __version__

if TYPE_CHECKING:
    from ._apply import (
        ApplyOutcome,
        ApplyProgress,
        ApplyReport,
        StalePlanError,
        StaleTask,
        TaskResult,
        apply_plan,
    )
    from ._desired import DesiredState, MemberChange
    from ._export import ExportReport, SkippedTask, export_tasks
    from ._fleet import (
        CutoffCancelledError,
        CutoffChange,
        CutoffOutcome,
        CutoffProgress,
        CutoffReport,
        set_cutoff_behavior,
    )
    from ._plan import Plan, PlanAction, PlanConflict, PlanError, TaskPlan, plan_tasks

#: The names imported on first use, by the private module that defines them (each of
#: those modules publishes its own names as ``ssm_mw.X`` when it is imported).
_LAZY: dict[str, tuple[str, ...]] = {
    "_apply": (
        "ApplyOutcome",
        "ApplyProgress",
        "ApplyReport",
        "StalePlanError",
        "StaleTask",
        "TaskResult",
        "apply_plan",
    ),
    "_desired": (
        "DesiredState",
        "MemberChange",
    ),
    "_export": (
        "ExportReport",
        "SkippedTask",
        "export_tasks",
    ),
    "_fleet": (
        "CutoffCancelledError",
        "CutoffChange",
        "CutoffOutcome",
        "CutoffProgress",
        "CutoffReport",
        "set_cutoff_behavior",
    ),
    "_plan": (
        "Plan",
        "PlanAction",
        "PlanConflict",
        "PlanError",
        "TaskPlan",
        "plan_tasks",
    ),
}
_LAZY_MODULE = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "Alarm",
    "AlarmConfiguration",
    "ApplyOutcome",
    "ApplyProgress",
    "ApplyReport",
    "AutomationParameters",
    "ClientStateError",
    "CloudWatchOutputConfig",
    "CutoffBehavior",
    "CutoffCancelledError",
    "CutoffChange",
    "CutoffOutcome",
    "CutoffProgress",
    "CutoffReport",
    "DesiredState",
    "DocumentHashType",
    "DoesNotExistError",
    "ExportReport",
    "FeatureNotAvailableError",
    "IdempotentParameterMismatchError",
    "InternalServerError",
    "LambdaParameters",
    "LoggingInfo",
    "MaintenanceWindowClient",
    "MaintenanceWindowTask",
    "MaintenanceWindowTaskDetails",
    "MemberChange",
    "NotificationConfig",
    "NotificationEvent",
    "NotificationType",
    "Plan",
    "PlanAction",
    "PlanConflict",
    "PlanError",
    "ResourceLimitExceededError",
    "ResponseError",
    "RunCommandParameters",
    "ServiceError",
    "ServiceValidationError",
    "SkippedTask",
    "SsmMwError",
    "StalePlanError",
    "StaleTask",
    "StepFunctionsParameters",
    "Target",
    "TaskDefinition",
    "TaskFilter",
    "TaskInvocationParameters",
    "TaskPage",
    "TaskPaginator",
    "TaskParameterValueExpression",
    "TaskPlan",
    "TaskResult",
    "TaskType",
    "TaskUpdate",
    "ThrottlingError",
    "TransportError",
    "UnknownInvocationParameters",
    "ValidationError",
    "Violation",
    "__version__",
    "apply_plan",
    "export_tasks",
    "from_botocore",
    "plan_tasks",
    "set_cutoff_behavior",
    "to_botocore",
]

_publish(__name__, globals(), [name for name in __all__ if name not in _LAZY_MODULE])

if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all attribute

    def __getattr__(name: str) -> object:
        """Import a lazily exported name on first use (PEP 562), then keep it here."""
        module = _LAZY_MODULE.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """The module's names, the lazily exported ones included."""
        return sorted(set(globals()) | set(_LAZY_MODULE))


del TYPE_CHECKING  # not part of the namespace
