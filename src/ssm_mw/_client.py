"""``MaintenanceWindowClient``: the async client for the four task operations."""

from __future__ import annotations

import copy
import enum
import logging
import uuid
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Any

import attrs
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
from botocore.loaders import Loader

from ._converter import (
    describe_request,
    from_botocore,
    get_request,
    parse_register_response,
    register_request,
    update_request,
)
from ._errors import (
    ClientStateError,
    DoesNotExistError,
    FeatureNotAvailableError,
    IdempotentParameterMismatchError,
    InternalServerError,
    ResourceLimitExceededError,
    ResponseError,
    ServiceError,
    ThrottlingError,
    TransportError,
    ValidationError,
)
from ._logredact import install as install_log_redaction
from ._logredact import redacting
from ._models import (
    MaintenanceWindowTaskDetails,
    TaskDefinition,
    TaskFilter,
    TaskPage,
    TaskUpdate,
)
from ._paginator import TaskPaginator
from ._shapes import DATA_PATH
from ._validation import redact_request, validate_request

__all__ = ["MaintenanceWindowClient"]

logger = logging.getLogger("ssm_mw")

_ERROR_CLASSES: Mapping[str, type[ServiceError]] = {
    code: cls
    for cls in (
        DoesNotExistError,
        ResourceLimitExceededError,
        IdempotentParameterMismatchError,
        FeatureNotAvailableError,
        InternalServerError,
        ThrottlingError,
    )
    for code in cls.codes
}

_DEFAULT_RETRIES = {"mode": "standard"}
#: botocore keeps 10 connections by default, fewer than set_cutoff_behavior's
#: workers at higher concurrency: requests beyond the pool would queue.
_DEFAULT_POOL_CONNECTIONS = 32


def _client_config(config: AioConfig | None) -> AioConfig:
    """This client's own config: retry mode ``"standard"`` and a pool of 32 connections,
    unless ``config`` says otherwise.

    botocore completes the ``retries`` dict of the config it is given in place
    (e.g. with ``total_max_attempts`` from ``AWS_MAX_ATTEMPTS``), so each client
    gets a ``retries`` dict of its own: neither a shared default nor the
    caller's config is changed, and one client's environment never leaks into
    the next client's retry budget.
    """
    merged = AioConfig(
        retries=dict(_DEFAULT_RETRIES), max_pool_connections=_DEFAULT_POOL_CONNECTIONS
    )
    if config is not None:
        merged = merged.merge(config)
    retries: Any = getattr(merged, "retries", None)
    if isinstance(retries, dict):
        merged = merged.merge(AioConfig(retries=copy.deepcopy(retries)))
    return merged


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPENED = "opened"
    CLOSED = "closed"


def _own_session() -> AioSession:
    """A new session whose data loader finds ssm-mw's trimmed SSM model.

    The trimmed model (``ssm_mw/_data``, see :mod:`ssm_mw._shapes`) holds the
    four task operations exactly as botocore's own model has them; creating
    the client skips parsing botocore's full model (~150 operations). Its
    directory goes just before
    botocore's own data directory, so models a user put in ``AWS_DATA_PATH``
    or ``~/.aws/models`` still win. Only sessions made here are changed: a
    session passed in by the caller is used as it is.
    """
    session = get_session()
    paths: list[str] = session.get_component("data_loader").search_paths
    builtin = Loader.BUILTIN_DATA_PATH
    paths.insert(paths.index(builtin) if builtin in paths else len(paths), str(DATA_PATH))
    return session


def service_error(operation: str, exc: ClientError) -> ServiceError:
    """The typed :class:`ServiceError` for a botocore ``ClientError``."""
    error = exc.response.get("Error", {})
    metadata = exc.response.get("ResponseMetadata", {})
    code = str(error.get("Code", "Unknown"))
    cls = _ERROR_CLASSES.get(code, ServiceError)
    return cls(
        code=code,
        message=str(error.get("Message", "")),
        operation=operation,
        request_id=metadata.get("RequestId"),
        http_status=metadata.get("HTTPStatusCode"),
    )


class MaintenanceWindowClient:
    """An async client for maintenance-window tasks, on aiobotocore.

    Open it with ``async with``; it creates its own aiobotocore SSM client
    with the standard AWS credential and Region resolution, retry mode
    ``"standard"`` and up to 32 pooled connections (unless ``config`` says
    otherwise)::

        async with MaintenanceWindowClient(region_name="eu-west-1") as mw:
            async for task in mw.paginate_maintenance_window_tasks("mw-0c50858d01EXAMPLE"):
                print(task.window_task_id, task.cutoff_behavior)

    :meth:`from_client` wraps an aiobotocore client that the caller opens and
    closes. A client cannot be reopened once closed.

    Without ``session``, the client's own session loads a copy of botocore's
    SSM model trimmed to the four task operations (faster to create, the same
    for those operations). A ``session`` given is used unchanged, with
    whatever model it loads.

    Each call logs one DEBUG line on the ``ssm_mw`` logger, with sensitive
    values redacted. What botocore and aiobotocore log at DEBUG for the call
    (request and response bodies included) has every sensitive value blanked too.
    """

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        session: AioSession | None = None,
        config: AioConfig | None = None,
    ) -> None:
        self._region_name = region_name
        self._endpoint_url = endpoint_url
        self._session = session
        self._config = _client_config(config)
        self._state = _State.UNOPENED
        self._owned = True
        self._client: Any = None
        self._exit_stack = AsyncExitStack()

    @classmethod
    def from_client(cls, ssm_client: Any) -> MaintenanceWindowClient:
        """Wrap an open aiobotocore SSM client; the caller keeps opening and closing it."""
        self = cls()
        install_log_redaction()
        self._client = ssm_client
        self._owned = False
        self._state = _State.OPENED
        return self

    # -- lifecycle ---------------------------------------------------------

    async def __aenter__(self) -> MaintenanceWindowClient:
        if self._state is _State.CLOSED:
            raise ClientStateError("this MaintenanceWindowClient is closed; create a new one")
        if self._state is _State.OPENED:
            if self._owned:
                raise ClientStateError("this MaintenanceWindowClient is already open")
            return self
        session = self._session if self._session is not None else _own_session()
        try:
            self._client = await self._exit_stack.enter_async_context(
                session.create_client(
                    "ssm",
                    region_name=self._region_name,
                    endpoint_url=self._endpoint_url,
                    config=self._config,
                )
            )
        except BotoCoreError as exc:
            raise TransportError(f"cannot create the SSM client: {exc}") from exc
        install_log_redaction()
        self._state = _State.OPENED
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client (and the aiobotocore client it owns). Closing twice is harmless."""
        if self._state is _State.CLOSED:
            return
        self._state = _State.CLOSED
        self._client = None
        await self._exit_stack.aclose()

    def _open_client(self) -> Any:
        if self._state is _State.UNOPENED:
            raise ClientStateError(
                "MaintenanceWindowClient is not open: use `async with MaintenanceWindowClient(...)`"
            )
        if self._state is _State.CLOSED:
            raise ClientStateError("this MaintenanceWindowClient is closed")
        return self._client

    async def _call(self, operation: str, method: str, params: dict[str, Any]) -> Any:
        client = self._open_client()
        validate_request(operation, params)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s", operation, redact_request(operation, params))
        try:
            with redacting(operation, params):
                return await getattr(client, method)(**params)
        except ClientError as exc:
            raise service_error(operation, exc) from exc
        except ParamValidationError as exc:
            # Our own validation is stricter; this is a safety net. botocore's
            # message can quote values, so it is not repeated here.
            raise ValidationError.single("", f"botocore rejected the {operation} request") from exc
        except BotoCoreError as exc:
            raise TransportError(f"{operation}: {exc}") from exc

    # -- operations --------------------------------------------------------

    async def describe_maintenance_window_tasks(
        self,
        window_id: str,
        *,
        filters: Sequence[TaskFilter] = (),
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> TaskPage:
        """One page of a window's tasks (DescribeMaintenanceWindowTasks).

        ``filters`` on ``WindowTaskId``, ``TaskArn``, ``Priority`` and
        ``TaskType``; ``max_results`` from 10 to 100.
        """
        params = describe_request(window_id, filters, max_results, next_token)
        response = await self._call(
            "DescribeMaintenanceWindowTasks", "describe_maintenance_window_tasks", params
        )
        return from_botocore(response, TaskPage)

    def paginate_maintenance_window_tasks(
        self,
        window_id: str,
        *,
        filters: Sequence[TaskFilter] = (),
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
        prefetch: bool = True,
    ) -> TaskPaginator:
        """Every task of a window, over all pages: an async iterator.

        ``async for task in mw.paginate_maintenance_window_tasks(window_id)``;
        ``.pages()`` hands out :class:`TaskPage` objects with resume tokens.
        With ``prefetch`` (the default) the next page is fetched while the
        caller works on the current one. The arguments are validated here,
        before any request.
        """
        try:
            validate_request(
                "DescribeMaintenanceWindowTasks",
                describe_request(window_id, filters, page_size, None),
            )
        except ValidationError as exc:
            raise ValidationError(
                [
                    attrs.evolve(v, path="page_size") if v.path == "max_results" else v
                    for v in exc.violations
                ]
            ) from None
        filters = tuple(filters)

        async def fetch(token: str | None, size: int | None) -> TaskPage:
            return await self.describe_maintenance_window_tasks(
                window_id, filters=filters, max_results=size, next_token=token
            )

        return TaskPaginator(
            fetch,
            page_size=page_size,
            max_items=max_items,
            starting_token=starting_token,
            prefetch=prefetch,
        )

    async def get_maintenance_window_task(
        self, window_id: str, window_task_id: str
    ) -> MaintenanceWindowTaskDetails:
        """One task in full, invocation parameters included (GetMaintenanceWindowTask)."""
        response = await self._call(
            "GetMaintenanceWindowTask",
            "get_maintenance_window_task",
            get_request(window_id, window_task_id),
        )
        return from_botocore(response, MaintenanceWindowTaskDetails)

    async def register_task_with_maintenance_window(
        self,
        window_id: str,
        definition: TaskDefinition,
        *,
        client_token: str | None = None,
    ) -> str:
        """Register a task; return its new ``WindowTaskId`` (RegisterTaskWithMaintenanceWindow).

        Without ``client_token`` one is made for this call and reused on every
        retry of it, so a retry never registers the task twice.

        Every error raised once the request was sent (:class:`ServiceError`,
        :class:`TransportError`, :class:`ResponseError`) carries the token as
        ``error.client_token``: the task may exist even though the call failed
        (an attempt's answer was lost). Calling again with
        ``client_token=error.client_token`` returns that task's id, or
        registers the task once. A :class:`ValidationError` carries none:
        nothing was sent.
        """
        token = client_token if client_token is not None else str(uuid.uuid4())
        request = register_request(window_id, definition, token)
        try:
            response = await self._call(
                "RegisterTaskWithMaintenanceWindow",
                "register_task_with_maintenance_window",
                request,
            )
            return parse_register_response(response)
        except (ServiceError, TransportError, ResponseError) as exc:
            exc.client_token = token
            raise

    async def update_maintenance_window_task(
        self,
        window_id: str,
        window_task_id: str,
        update: TaskUpdate,
        *,
        replace: bool = False,
    ) -> MaintenanceWindowTaskDetails:
        """Change a task; return it as the service now has it (UpdateMaintenanceWindowTask).

        Without ``replace`` only the members set in ``update`` change. With
        ``replace=True`` members left unset are cleared, and ``update`` must
        hold everything register requires.
        """
        response = await self._call(
            "UpdateMaintenanceWindowTask",
            "update_maintenance_window_task",
            update_request(window_id, window_task_id, update, replace),
        )
        return from_botocore(response, MaintenanceWindowTaskDetails)
