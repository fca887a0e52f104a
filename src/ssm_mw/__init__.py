"""ssm-mw: a typed, async SDK for AWS Systems Manager maintenance-window tasks.

Everything public is importable from here; the modules behind it are private.
"""

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
from ._public import publish as _publish
from ._version import __version__

__all__ = [
    "Alarm",
    "AlarmConfiguration",
    "AutomationParameters",
    "ClientStateError",
    "CloudWatchOutputConfig",
    "CutoffBehavior",
    "CutoffCancelledError",
    "CutoffChange",
    "CutoffOutcome",
    "CutoffProgress",
    "CutoffReport",
    "DocumentHashType",
    "DoesNotExistError",
    "FeatureNotAvailableError",
    "IdempotentParameterMismatchError",
    "InternalServerError",
    "LambdaParameters",
    "LoggingInfo",
    "MaintenanceWindowClient",
    "MaintenanceWindowTask",
    "MaintenanceWindowTaskDetails",
    "NotificationConfig",
    "NotificationEvent",
    "NotificationType",
    "ResourceLimitExceededError",
    "ResponseError",
    "RunCommandParameters",
    "ServiceError",
    "ServiceValidationError",
    "SsmMwError",
    "StepFunctionsParameters",
    "Target",
    "TaskDefinition",
    "TaskFilter",
    "TaskInvocationParameters",
    "TaskPage",
    "TaskPaginator",
    "TaskParameterValueExpression",
    "TaskType",
    "TaskUpdate",
    "ThrottlingError",
    "TransportError",
    "UnknownInvocationParameters",
    "ValidationError",
    "Violation",
    "__version__",
    "from_botocore",
    "set_cutoff_behavior",
    "to_botocore",
]

_publish(__name__, globals(), __all__)
