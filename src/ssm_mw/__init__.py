"""ssm-mw: a typed, async SDK for AWS Systems Manager maintenance-window tasks.

Everything public is importable from here; the modules behind it are private.
"""

from ._apply import (
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
from ._export import ExportReport, SkippedTask, export_tasks
from ._fleet import (
    CutoffCancelledError,
    CutoffChange,
    CutoffOutcome,
    CutoffProgress,
    CutoffReport,
    set_cutoff_behavior,
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
from ._plan import Plan, PlanAction, PlanConflict, PlanError, TaskPlan, plan_tasks
from ._public import publish as _publish
from ._version import __version__

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

_publish(__name__, globals(), __all__)
