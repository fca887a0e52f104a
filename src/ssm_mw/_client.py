"""``MaintenanceWindowClient``: the async client for the registry's operations."""

from __future__ import annotations

import asyncio
import enum
import logging
import time
import uuid
import warnings
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from ._config import resolve_options
from ._converter import (
    describe_request,
    get_request,
    register_request,
    request,
    update_request,
)
from ._errors import (
    ClientStateError,
    IgnoredMembersWarning,
    ResponseError,
    TransportError,
    ValidationError,
)
from ._fastpath import REGISTER, Operation, operation, taking
from ._fastpath import install as install_fast_path
from ._fastpath import read as read_result
from ._logredact import install as install_log_redaction
from ._logredact import redacting
from ._models import (
    DeregisteredTask,
    MaintenanceWindowTaskDetails,
    TaskDefinition,
    TaskFilter,
    TaskPage,
    TaskUpdate,
    WindowFilter,
    WindowPage,
)
from ._operations import DEREGISTER_TASK, DESCRIBE_TASKS, DESCRIBE_WINDOWS, GET_TASK, UPDATE_TASK
from ._paginator import TaskPaginator, WindowPaginator
from ._public import publish_exported
from ._service_errors import ServiceError, from_client_error
from ._validation import redact_request, request_warning, validate_request

if TYPE_CHECKING:
    # The ecosystem's stubs (types-aiobotocore-ssm): real types for those who
    # install them, ``Any`` for everyone else.
    from types_aiobotocore_ssm import SSMClient

__all__ = ["MaintenanceWindowClient"]

logger = logging.getLogger("ssm_mw")

T = TypeVar("T")

# The registry's operations with the models of their results.
_DESCRIBE = operation(DESCRIBE_TASKS, TaskPage)
_WINDOWS = operation(DESCRIBE_WINDOWS, WindowPage)
_GET = operation(GET_TASK, MaintenanceWindowTaskDetails)
_UPDATE = operation(UPDATE_TASK, MaintenanceWindowTaskDetails)
_DEREGISTER = operation(DEREGISTER_TASK, DeregisteredTask)


class _State(enum.Enum):
    UNOPENED = "unopened"
    OPENED = "opened"
    CLOSED = "closed"


def service_error(operation: str, exc: ClientError) -> ServiceError:
    """The typed :class:`ServiceError` for a botocore ``ClientError``."""
    return from_client_error(operation, exc)


def _log_answer(operation: str, response: Mapping[str, Any], started: float) -> None:
    """One DEBUG line for an answer: its status (and error code), time taken (retries
    included), request id and retries. Nothing of the body: no value can leak."""
    metadata: Mapping[str, Any] = response.get("ResponseMetadata") or {}
    error: Mapping[str, Any] = response.get("Error") or {}
    code = f" {error['Code']}" if error.get("Code") else ""
    logger.debug(
        "%s answered %s%s in %.0f ms (request id %s, %s retries)",
        operation,
        metadata.get("HTTPStatusCode", "?"),
        code,
        (time.perf_counter() - started) * 1000,
        metadata.get("RequestId") or "none",
        metadata.get("RetryAttempts", 0),
    )


class MaintenanceWindowClient:
    """An async client for maintenance-window tasks, on aiobotocore.

    Open it with ``async with``; it creates its own aiobotocore SSM client
    with the standard AWS credential and Region resolution, retry mode
    ``"standard"`` and up to 32 pooled connections (unless told otherwise)::

        async with MaintenanceWindowClient(region_name="eu-west-1") as mw:
            async for task in mw.paginate_maintenance_window_tasks("mw-0123456789abcdef0"):
                print(task.window_task_id, task.cutoff_behavior)

    The options are boto3's: ``region_name``, ``endpoint_url``,
    ``aws_access_key_id``, ``aws_secret_access_key``, ``aws_session_token``
    (as ``boto3.client``), ``profile_name`` (as ``boto3.Session``), and the
    common botocore ``Config`` settings as keywords: ``max_attempts`` (total
    attempts, the first included, as ``AWS_MAX_ATTEMPTS``), ``retry_mode``,
    ``connect_timeout``, ``read_timeout`` (seconds) and
    ``max_pool_connections``. ``config`` takes any other ``AioConfig``
    setting; a keyword given explicitly wins over ``config``. ``session`` is
    an aiobotocore session to use as it is. Bad options raise
    :class:`~ssm_mw.ValidationError` here, naming the keyword.

    :meth:`from_client` wraps an aiobotocore client that the caller opens and
    closes; :meth:`aiobotocore_client` hands out an open aiobotocore client, for
    the SSM operations this client does not wrap. A client cannot be reopened once
    closed.

    Without ``session``, the client's own session loads a copy of botocore's
    SSM model trimmed to the registry's operations (faster to create, the same
    for those operations). A ``session`` given is used unchanged, with
    whatever model it loads.

    Each call logs DEBUG lines on the ``ssm_mw`` logger: the request, with
    sensitive values redacted, then the answer's status (and error code), time
    taken, request id and retries (or that no answer came). What botocore and
    aiobotocore log at DEBUG for the call (request and response bodies
    included) has every sensitive value blanked too.
    """

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        profile_name: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        session: AioSession | None = None,
        config: AioConfig | None = None,
        max_attempts: int | None = None,
        retry_mode: Literal["legacy", "standard", "adaptive"] | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_pool_connections: int | None = None,
    ) -> None:
        self._options = resolve_options(
            region_name=region_name,
            endpoint_url=endpoint_url,
            profile_name=profile_name,
            aws_access_key_id=aws_access_key_id,
            aws_secret_access_key=aws_secret_access_key,
            aws_session_token=aws_session_token,
            session=session,
            config=config,
            max_attempts=max_attempts,
            retry_mode=retry_mode,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=max_pool_connections,
        )
        self._config = self._options.config
        self._state = _State.UNOPENED
        self._owned = True
        self._client: Any = None
        self._own_session: AioSession | None = None  # made here, with the trimmed model
        self._full_client: Any = None
        self._full_client_lock = asyncio.Lock()
        self._exit_stack = AsyncExitStack()

    @classmethod
    def from_client(cls, ssm_client: SSMClient) -> MaintenanceWindowClient:
        """Wrap an open aiobotocore SSM client; the caller keeps opening and closing it.

        It puts ssm-mw's fast path on the client, once (wrapping it again
        changes nothing more): a ``before-parse`` handler on the client's
        events, and two of the client's objects given a subclass of their
        botocore class: its User-Agent builder (``UserAgentString``), which
        keeps the strings it builds for ssm-mw's calls, and, when botocore's
        validation is on, its validating serializer
        (``ParamValidationDecorator``), which does not validate again a
        request that ssm-mw validated. All three act only inside calls made
        through a ``MaintenanceWindowClient``: the caller's own calls on the
        client, concurrent ones included, are validated, given their
        User-Agent and parsed by botocore as they always are.
        """
        self = cls()
        install_log_redaction()
        self._client = ssm_client
        install_fast_path(ssm_client)
        self._owned = False
        self._state = _State.OPENED
        return self

    async def aiobotocore_client(self) -> SSMClient:
        """The open aiobotocore SSM client, for the SSM operations not wrapped here.

        ``ssm = await mw.aiobotocore_client()``, then e.g.
        ``await ssm.deregister_task_from_maintenance_window(...)``. It is the
        client underneath when that one has the full SSM model (a ``session``
        given, or :meth:`from_client`). With the client's own session, whose
        model is trimmed to the registry's operations, the first call opens a
        client with the full model on the same session, options and
        credentials; it is closed with this client. Calls through it are plain
        aiobotocore calls: no validation, typed models or
        :class:`~ssm_mw.ServiceError` (botocore's ``ClientError`` instead).
        Raises :class:`~ssm_mw.ClientStateError` unless the client is open.
        """
        client: SSMClient = self._open_client()
        if self._own_session is None:
            return client
        async with self._full_client_lock:  # two first calls at once open one client
            if self._full_client is None:
                full = await self._enter(self._options.full_model_client(self._own_session))
                if self._state is _State.CLOSED:  # closed while it opened: close it too
                    await self._exit_stack.aclose()
                    raise ClientStateError("this MaintenanceWindowClient is closed")
                self._full_client = full
        opened: SSMClient = self._full_client
        return opened

    # -- lifecycle ---------------------------------------------------------

    async def __aenter__(self) -> MaintenanceWindowClient:
        if self._state is _State.CLOSED:
            raise ClientStateError("this MaintenanceWindowClient is closed; create a new one")
        if self._state is _State.OPENED:
            if self._owned:
                raise ClientStateError("this MaintenanceWindowClient is already open")
            return self
        options = self._options
        try:
            session = options.make_session()
            if options.session is None:
                self._own_session = session
        except BotoCoreError as exc:
            raise TransportError(f"cannot create the SSM client: {exc}") from exc
        # The client of ssm-mw's own session is never handed out (aiobotocore_client()
        # opens another one for that): every request it sends passes ssm-mw's
        # validation, stricter than botocore's, so botocore's is switched off.
        # A client of a session given is handed out, and keeps it for the
        # caller's requests (the fast path spares it ssm-mw's own).
        self._client = await self._enter(
            options.create_client(session, parameter_validation=options.session is not None)
        )
        install_fast_path(self._client)
        install_log_redaction()
        self._state = _State.OPENED
        return self

    async def _enter(self, context: AbstractAsyncContextManager[SSMClient]) -> SSMClient:
        """Open an aiobotocore client, to be closed with this one."""
        try:
            client: SSMClient = await self._exit_stack.enter_async_context(context)
        except (BotoCoreError, ValueError) as exc:
            # ValueError: botocore's "Invalid endpoint" for AWS_ENDPOINT_URL or the config file.
            raise TransportError(f"cannot create the SSM client: {exc}") from exc
        return client

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
        self._full_client = None
        await self._exit_stack.aclose()

    def _open_client(self) -> Any:
        if self._state is _State.UNOPENED:
            raise ClientStateError(
                "MaintenanceWindowClient is not open: use `async with MaintenanceWindowClient(...)`"
            )
        if self._state is _State.CLOSED:
            raise ClientStateError("this MaintenanceWindowClient is closed")
        return self._client

    async def _call(self, op: Operation[T], params: dict[str, Any]) -> T:
        """Validate, send and read one call; its response takes the fast path where it can."""
        client = self._open_client()
        operation = op.name
        validate_request(operation, params)
        ignored = request_warning(operation, params)
        if ignored is not None:
            # 1: here; 2: the client's method; 3: the caller that awaited it.
            warnings.warn(ignored, IgnoredMembersWarning, stacklevel=3)
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("%s %s", operation, redact_request(operation, params))
        started = time.perf_counter()
        try:
            with redacting(operation, params), taking(op, params):
                response = await getattr(client, op.method)(**params)
        except ClientError as exc:
            if debug:
                _log_answer(operation, exc.response, started)
            raise service_error(operation, exc) from exc
        except ParamValidationError as exc:
            # Our own validation is stricter; this is a safety net. botocore's
            # message can quote values, so it is not repeated here.
            raise ValidationError.single("", f"botocore rejected the {operation} request") from exc
        except BotoCoreError as exc:
            if debug:
                elapsed = (time.perf_counter() - started) * 1000
                logger.debug(
                    "%s: no answer after %.0f ms: %s", operation, elapsed, type(exc).__name__
                )
            raise TransportError(f"{operation}: {exc}") from exc
        if debug:
            _log_answer(operation, response, started)
        return read_result(op, response)

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
        return await self._call(_DESCRIBE, params)

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
        _check_paging(_DESCRIBE, describe_request(window_id, filters, page_size, None))
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

    async def describe_maintenance_windows(
        self,
        *,
        filters: Sequence[WindowFilter] = (),
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> WindowPage:
        """One page of the windows of the client's account and Region (DescribeMaintenanceWindows).

        ``filters`` on ``Name`` and ``Enabled`` (:class:`WindowFilter`);
        ``max_results`` from 10 to 100.
        """
        params = request(
            _WINDOWS.name, filters=filters, max_results=max_results, next_token=next_token
        )
        return await self._call(_WINDOWS, params)

    def paginate_maintenance_windows(
        self,
        *,
        filters: Sequence[WindowFilter] = (),
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
        prefetch: bool = True,
    ) -> WindowPaginator:
        """Every window that matches ``filters``, over all pages: an async iterator.

        ``async for window in mw.paginate_maintenance_windows(filters=[WindowFilter.enabled()])``;
        ``.pages()`` hands out :class:`WindowPage` objects with resume tokens.
        The arguments are validated here, before any request; the rest is as
        :meth:`paginate_maintenance_window_tasks`.
        """
        _check_paging(_WINDOWS, request(_WINDOWS.name, filters=filters, max_results=page_size))
        filters = tuple(filters)

        async def fetch(token: str | None, size: int | None) -> WindowPage:
            return await self.describe_maintenance_windows(
                filters=filters, max_results=size, next_token=token
            )

        return WindowPaginator(
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
        return await self._call(_GET, get_request(window_id, window_task_id))

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
            return await self._call(REGISTER, request)
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
        return await self._call(_UPDATE, update_request(window_id, window_task_id, update, replace))

    async def deregister_task_from_maintenance_window(
        self, window_id: str, window_task_id: str
    ) -> DeregisteredTask:
        """Remove a task from its window (DeregisterTaskFromMaintenanceWindow).

        A task that does not exist raises :class:`DoesNotExistError`, also when
        it was just deregistered: calling twice is not harmless.
        """
        params = request(_DEREGISTER.name, window_id=window_id, window_task_id=window_task_id)
        return await self._call(_DEREGISTER, params)


def _check_paging(op: Operation[Any], request: dict[str, Any]) -> None:
    """Validate a paginator's first request; ``max_results`` is ``page_size`` there."""
    try:
        validate_request(op.name, request)
    except ValidationError as exc:
        raise ValidationError(
            [
                attrs.evolve(v, path="page_size") if v.path == "max_results" else v
                for v in exc.violations
            ]
        ) from None


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
