"""ssm-mw: a typed, async SDK for AWS Systems Manager maintenance-window tasks.

Everything public is importable from here; the modules behind it are private.
``import ssm_mw`` itself imports none of them: each public name imports its
module on first use (PEP 562), so that ``from ssm_mw import TaskDefinition``
does not pay for aiobotocore, and a program that never touches the
desired-state or fleet-wide parts (``plan_tasks``, ``apply_plan``,
``export_tasks``, ``set_cutoff_behavior``) never imports them
(``python -X importtime -c "import ssm_mw"``). Type checkers see the imports
below as they are written.
"""

from typing import TYPE_CHECKING

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
    from ._client import MaintenanceWindowClient
    from ._converter import from_botocore, to_botocore
    from ._desired import DesiredState, MemberChange
    from ._enums import (
        CutoffBehavior,
        DocumentHashType,
        NotificationEvent,
        NotificationType,
        TaskType,
    )
    from ._errors import (
        ClientStateError,
        IgnoredMembersWarning,
        ResponseError,
        SsmMwError,
        TaskFileError,
        TransportError,
        ValidationError,
        Violation,
    )
    from ._export import (
        ExportDifference,
        ExportDifferenceKind,
        ExportReport,
        SkippedTask,
        export_tasks,
    )
    from ._fleet import (
        CutoffCancelledError,
        CutoffChange,
        CutoffOutcome,
        CutoffProgress,
        CutoffReport,
        set_cutoff_behavior,
    )
    from ._identifiers import check_window_id, check_window_name, check_window_task_id
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
    from ._jsonform import to_json_value
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
    from ._organization import (
        ScopedClients,
        TargetStatus,
        TargetSummary,
        TargetWindows,
        WindowLookupError,
        WindowsReport,
        WindowSummary,
        find_windows,
        list_windows,
    )
    from ._paginator import TaskPaginator, WindowPaginator
    from ._plan import Plan, PlanAction, PlanConflict, PlanError, TaskPlan, plan_tasks
    from ._redacted import to_botocore_redacted
    from ._scope import AccountRegion, Scope, WindowSelection
    from ._service_errors import (
        DoesNotExistError,
        FeatureNotAvailableError,
        IdempotentParameterMismatchError,
        InternalServerError,
        ResourceLimitExceededError,
        ServiceError,
        ServiceValidationError,
        ThrottlingError,
    )
    from ._statefile import load_desired_state, parse_desired_state
    from ._taskfile import (
        TaskFile,
        load_task_definition,
        load_task_update,
        parse_task_definition,
        parse_task_update,
    )

#: The module of each public name (``ssm_mw.X`` imports it on first use); each module
#: publishes its own public names as ``ssm_mw.X`` however it is reached.
_SOURCES: dict[str, tuple[str, ...]] = {
    "_apply": (
        "ApplyCancelledError",
        "ApplyOutcome",
        "ApplyProgress",
        "ApplyReport",
        "StalePlanError",
        "StaleTask",
        "TaskResult",
        "apply_plan",
    ),
    "_client": ("MaintenanceWindowClient",),
    "_converter": ("from_botocore", "to_botocore"),
    "_desired": ("DesiredState", "MemberChange"),
    "_enums": (
        "CutoffBehavior",
        "DocumentHashType",
        "NotificationEvent",
        "NotificationType",
        "TaskType",
    ),
    "_errors": (
        "ClientStateError",
        "IgnoredMembersWarning",
        "ResponseError",
        "SsmMwError",
        "TaskFileError",
        "TransportError",
        "ValidationError",
        "Violation",
    ),
    "_export": (
        "ExportDifference",
        "ExportDifferenceKind",
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
    "_identifiers": ("check_window_id", "check_window_name", "check_window_task_id"),
    "_jsonform": ("to_json_value",),
    "_invocation": (
        "AutomationParameters",
        "CloudWatchOutputConfig",
        "LambdaParameters",
        "NotificationConfig",
        "RunCommandParameters",
        "StepFunctionsParameters",
        "TaskInvocationParameters",
        "UnknownInvocationParameters",
    ),
    "_models": (
        "Alarm",
        "AlarmConfiguration",
        "DeregisteredTask",
        "LoggingInfo",
        "MaintenanceWindowIdentity",
        "MaintenanceWindowTask",
        "MaintenanceWindowTaskDetails",
        "Target",
        "TargetKey",
        "TaskDefinition",
        "TaskFilter",
        "TaskPage",
        "TaskParameterValueExpression",
        "TaskUpdate",
        "WindowFilter",
        "WindowPage",
    ),
    "_organization": (
        "ScopedClients",
        "TargetStatus",
        "TargetSummary",
        "TargetWindows",
        "WindowLookupError",
        "WindowsReport",
        "WindowSummary",
        "find_windows",
        "list_windows",
    ),
    "_paginator": ("TaskPaginator", "WindowPaginator"),
    "_plan": ("Plan", "PlanAction", "PlanConflict", "PlanError", "TaskPlan", "plan_tasks"),
    "_redacted": ("to_botocore_redacted",),
    "_scope": ("AccountRegion", "Scope", "WindowSelection"),
    "_service_errors": (
        "DoesNotExistError",
        "FeatureNotAvailableError",
        "IdempotentParameterMismatchError",
        "InternalServerError",
        "ResourceLimitExceededError",
        "ServiceError",
        "ServiceValidationError",
        "ThrottlingError",
    ),
    "_statefile": ("load_desired_state", "parse_desired_state"),
    "_taskfile": (
        "TaskFile",
        "load_task_definition",
        "load_task_update",
        "parse_task_definition",
        "parse_task_update",
    ),
}

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
    "ExportDifference",
    "ExportDifferenceKind",
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
    "ScopedClients",
    "ServiceError",
    "ServiceValidationError",
    "SkippedTask",
    "SsmMwError",
    "StalePlanError",
    "StaleTask",
    "StepFunctionsParameters",
    "Target",
    "TargetKey",
    "TargetStatus",
    "TargetSummary",
    "TargetWindows",
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
    "WindowLookupError",
    "WindowPage",
    "WindowPaginator",
    "WindowSelection",
    "WindowSummary",
    "WindowsReport",
    "__version__",
    "apply_plan",
    "check_window_id",
    "check_window_name",
    "check_window_task_id",
    "export_tasks",
    "find_windows",
    "from_botocore",
    "list_windows",
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

if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all attribute
    _MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}

    def __getattr__(name: str) -> object:
        """Import the module of a public name on first use (PEP 562), then keep its names here."""
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        loaded = importlib.import_module(f"{__name__}.{module}")
        for public in _SOURCES[module]:
            globals()[public] = getattr(loaded, public)
        return globals()[name]

    def __dir__() -> list[str]:
        """The module's names, those imported on first use included."""
        return sorted(set(globals()) | set(__all__))


del TYPE_CHECKING  # not part of the namespace
