"""ssm-mw: a typed, async SDK for AWS Systems Manager maintenance-window tasks.

Everything public is importable from here; the modules behind it are private.
The desired-state and fleet-wide parts (``plan_tasks``, ``apply_plan``,
``export_tasks``, ``set_cutoff_behavior`` and their types) are imported on
first use, so that a service that only calls the registry's operations does not pay
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
    IgnoredMembersWarning,
    InternalServerError,
    ResourceLimitExceededError,
    ResponseError,
    ServiceError,
    ServiceValidationError,
    SsmMwError,
    TaskFileError,
    ThrottlingError,
    TransportError,
    ValidationError,
    Violation,
)
from ._identifiers import check_window_id, check_window_task_id
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
    DeregisteredTask,
    LoggingInfo,
    MaintenanceWindowIdentity,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    Target,
    TargetKey,
    TaskDefinition,
    TaskFilter,
    TaskPage,
    TaskParameterValueExpression,
    TaskUpdate,
    WindowFilter,
    WindowPage,
)
from ._paginator import TaskPaginator, WindowPaginator
from ._public import publish as _publish
from ._version import __version__

if TYPE_CHECKING:
    from ._apply import (
        ApplyCancelledError,
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
    from ._jsonform import to_json_value
    from ._plan import Plan, PlanAction, PlanConflict, PlanError, TaskPlan, plan_tasks
    from ._redacted import to_botocore_redacted
    from ._scope import AccountRegion, Scope
    from ._statefile import load_desired_state, parse_desired_state
    from ._taskfile import (
        TaskFile,
        load_task_definition,
        load_task_update,
        parse_task_definition,
        parse_task_update,
    )

#: The modules of the desired-state, fleet-wide and file parts, imported together on first
#: use of any of their names; each publishes its own public names as ``ssm_mw.X``.
_ON_FIRST_USE = (
    "_apply",
    "_desired",
    "_export",
    "_fleet",
    "_jsonform",
    "_plan",
    "_redacted",
    "_scope",
    "_statefile",
    "_taskfile",
)

__all__ = [
    "AccountRegion",
    "Alarm",
    "AlarmConfiguration",
    "ApplyCancelledError",
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
    "DeregisteredTask",
    "DesiredState",
    "DocumentHashType",
    "DoesNotExistError",
    "ExportReport",
    "FeatureNotAvailableError",
    "IdempotentParameterMismatchError",
    "IgnoredMembersWarning",
    "InternalServerError",
    "LambdaParameters",
    "LoggingInfo",
    "MaintenanceWindowClient",
    "MaintenanceWindowIdentity",
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
    "Scope",
    "ServiceError",
    "ServiceValidationError",
    "SkippedTask",
    "SsmMwError",
    "StalePlanError",
    "StaleTask",
    "StepFunctionsParameters",
    "Target",
    "TargetKey",
    "TaskDefinition",
    "TaskFile",
    "TaskFileError",
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
    "WindowFilter",
    "WindowPage",
    "WindowPaginator",
    "__version__",
    "apply_plan",
    "check_window_id",
    "check_window_task_id",
    "export_tasks",
    "from_botocore",
    "load_desired_state",
    "load_task_definition",
    "load_task_update",
    "parse_desired_state",
    "parse_task_definition",
    "parse_task_update",
    "plan_tasks",
    "set_cutoff_behavior",
    "to_botocore",
    "to_botocore_redacted",
    "to_json_value",
]

_publish(__name__, globals(), [name for name in __all__ if name in globals()])

if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all attribute

    def __getattr__(name: str) -> object:
        """Import the names of ``_ON_FIRST_USE`` on first use (PEP 562), then keep them here."""
        if name in __all__:
            import importlib

            exported = set(__all__)
            for module in _ON_FIRST_USE:
                loaded = importlib.import_module(f"{__name__}.{module}")
                for public in exported.intersection(loaded.__all__):
                    globals()[public] = getattr(loaded, public)
            if name in globals():
                return globals()[name]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        """The module's names, those imported on first use included."""
        return sorted(set(globals()) | set(__all__))


del TYPE_CHECKING  # not part of the namespace
