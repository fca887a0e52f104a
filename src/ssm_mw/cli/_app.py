"""The root command group, its global options, and the one top-level error handler.

Nothing here imports the client (nor aiobotocore, botocore, rich or PyYAML) when
the module is imported: ``ssm-mw --help``, ``ssm-mw CMD --help`` and shell
completion read only the command tree. The library's names are imported where a
command uses them, when it runs.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import sys
import warnings
from collections.abc import Callable, Coroutine, Generator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from .. import __version__

if TYPE_CHECKING:
    import asyncio
    import logging

    from click.shell_completion import CompletionItem

    from .. import MaintenanceWindowClient, TransportError, Violation

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "App",
    "CliError",
    "CliUsageError",
    "EnumChoice",
    "Interrupted",
    "Settings",
    "SingleValueCommand",
    "SingleValueGroup",
    "argument_path",
    "check_window_ids",
    "cli",
    "ctrl_c_cancels",
    "global_options",
    "open_client",
    "run_async",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: Exit status of a failed operation: a service error, a transport error, a failed task.
EXIT_FAILURE = 1
#: Exit status of bad input: click's usage errors, and validation errors.
EXIT_USAGE = 2
#: The exit status of an interrupted command (128 + SIGINT), as shells report Ctrl-C.
EXIT_INTERRUPTED = 130

#: How the library's request paths read on the command line.
_ARGUMENT_NAMES: Mapping[str, str] = {
    "window_id": "WINDOW_ID",
    "window_task_id": "TASK_ID",
    "behavior": "BEHAVIOR",
    "concurrency": "--concurrency",
    "task_type": "--task-type",
    "client_token": "--client-token",
    "replace": "--replace",
    "cutoff_behavior": "--cutoff-behavior",
    "priority": "--priority",
    "max_concurrency": "--max-concurrency",
    "max_errors": "--max-errors",
    "name": "--name",
    "description": "--description",
    "region_name": "--region",
    "profile_name": "--profile",
    "endpoint_url": "--endpoint-url",
    "max_attempts": "--max-attempts",
    "connect_timeout": "--connect-timeout",
    "read_timeout": "--read-timeout",
}
_WINDOW_IDS = re.compile(r"^window_ids\[\d+\]")
_FILTERS = re.compile(r"^filters\[\d+\]")


class CliError(click.ClickException):
    """An error shown as one line, ``error: <message>``; exit status 1."""

    exit_code = EXIT_FAILURE

    def show(self, file: Any = None) -> None:
        """Print the one line on stderr (a message of several lines is joined into one)."""
        click.echo(f"error: {' '.join(self.format_message().split())}", err=True)


class CliUsageError(CliError):
    """Bad input, shown as one line; exit status 2."""

    exit_code = EXIT_USAGE


def cli_error(message: str, exit_code: int = EXIT_FAILURE) -> CliError:
    """A :class:`CliError` (status 1) or :class:`CliUsageError` (status 2)."""
    return CliUsageError(message) if exit_code == EXIT_USAGE else CliError(message)


if TYPE_CHECKING:
    _Choice = click.Choice[str]
else:  # click < 8.2: Choice is not generic
    _Choice = click.Choice

#: click >= 8.2 raises this (a UsageError) for a group run without a command.
_NO_ARGS_IS_HELP: tuple[type[Exception], ...] = tuple(
    t for t in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if isinstance(t, type)
)


class EnumChoice(_Choice):
    """A choice of enum values, in any case on input, shown upper-case in help and errors."""

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__(choices, case_sensitive=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Upper-case the value, then check it against the choices."""
        return super().convert(value.upper() if isinstance(value, str) else value, param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """The choices that start with ``incomplete``, in any case (``can`` -> ``CANCEL_TASK``)."""
        from click.shell_completion import CompletionItem

        prefix = incomplete.upper()
        return [CompletionItem(c) for c in map(str, self.choices) if c.startswith(prefix)]


def _reject_repeats(command: click.Command, ctx: click.Context, args: Sequence[str]) -> None:
    """Raise a usage error if an option that takes one value is given more than once.

    click keeps the last value silently (``--file a.json --file b.yaml``
    registers ``b.yaml``); here it is an error, before anything is done.
    Options declared ``multiple`` (``--filter``) and flags may repeat.
    """
    if ctx.resilient_parsing:  # shell completion: never an error
        return
    _, _, order = command.make_parser(ctx).parse_args(args=list(args))
    seen: dict[str, int] = {}
    for param in order:
        if not isinstance(param, click.Option) or param.multiple or param.count or param.is_flag:
            continue
        seen[param.name or ""] = seen.get(param.name or "", 0) + 1
        if seen[param.name or ""] == 2:
            names = "/".join(param.opts)
            raise click.UsageError(f"{names} may be given only once", ctx)


class SingleValueCommand(click.Command):
    """A command whose single-value options are rejected when repeated (exit 2)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Check for repeated options, then parse as click does."""
        if args:
            _reject_repeats(self, ctx, args)
        return super().parse_args(ctx, args)


class SingleValueGroup(click.Group):
    """A group whose own single-value options, and whose commands', may not repeat."""

    command_class = SingleValueCommand
    group_class = type

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Check the group's own options for repeats, then parse as click does."""
        if args:
            _reject_repeats(self, ctx, args)
        return super().parse_args(ctx, args)


@attrs.frozen(kw_only=True)
class Settings:
    """The global options, handed to every command as the context object."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    max_attempts: int | None = None
    connect_timeout: float | None = None
    read_timeout: float | None = None
    debug: bool = False


# -- errors -------------------------------------------------------------------------


def argument_path(path: str) -> str:
    """The command-line name of a library request path (``window_id`` -> ``WINDOW_ID``)."""
    if _WINDOW_IDS.match(path):
        return "WINDOW_ID"
    if _FILTERS.match(path):
        return "--filter"
    return _ARGUMENT_NAMES.get(path, path)


def describe_violations(found: Sequence[Violation]) -> str:
    """One line for every violation: ``NAME: message; NAME: message``."""
    parts = []
    for v in found:
        where = argument_path(v.path) if v.path else ""
        parts.append(f"{where}: {v.message}" if where else v.message)
    return "; ".join(parts)


def _transport_message(exc: TransportError) -> str:
    from botocore.exceptions import (
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
    )

    cause = exc.__cause__
    if isinstance(cause, (NoCredentialsError, PartialCredentialsError)):
        return (
            f"no usable AWS credentials ({cause}): set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or choose a profile with AWS_PROFILE or --profile"
        )
    if isinstance(cause, NoRegionError):
        return "no AWS Region: pass --region, or set AWS_REGION or AWS_DEFAULT_REGION"
    if isinstance(cause, EndpointConnectionError):
        return f"cannot reach the endpoint: {cause}"
    if isinstance(cause, ProfileNotFound):
        return f"{cause}: check --profile or AWS_PROFILE"
    return str(exc)


def as_cli_error(exc: Exception) -> CliError:
    """The one-line error, and exit status, for an exception from a command."""
    from .. import ServiceError, SsmMwError, TransportError, ValidationError

    if isinstance(exc, ValidationError):
        return CliUsageError(describe_violations(exc.violations))
    if isinstance(exc, TransportError):
        return CliError(_transport_message(exc))
    if isinstance(exc, ServiceError):
        return CliError(str(exc))
    if isinstance(exc, SsmMwError):
        return CliError(str(exc) or type(exc).__name__)
    detail = str(exc).splitlines()[0] if str(exc) else ""
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return CliError(f"unexpected error: {text} (run with --debug for details)")


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Show a warning as one ``warning: ...`` line on stderr (no source line, no path)."""
    click.echo(f"warning: {message}", err=True)


def _one_line_usage(exc: click.UsageError) -> CliError:
    message = exc.format_message()
    ctx = exc.ctx
    if ctx is not None:
        message = f"{message} (see '{ctx.command_path} --help')"
    return cli_error(message, exc.exit_code)


class App(SingleValueGroup):
    """The ``ssm-mw`` group: every error ends as one line on stderr and an exit status.

    ``main`` is the single top-level handler: click's usage errors exit 2,
    validation errors 2, everything else 1, and no traceback is ever shown
    (unless ``--debug``).
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; with ``standalone_mode`` (the default), exit with its status.

        A warning of the library (:class:`~ssm_mw.IgnoredMembersWarning`) is one
        ``warning: ...`` line on stderr, once per message (:func:`run_async` sets the
        filter, when a command calls the library).
        """
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            code = self._run(args, prog_name, complete_var, **extra)
        if not standalone_mode:
            return code
        sys.exit(code)

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        **extra: Any,
    ) -> int:
        try:
            result = super().main(
                args, prog_name or "ssm-mw", complete_var, standalone_mode=False, **extra
            )
            code = result if isinstance(result, int) else 0
        except click.UsageError as exc:
            error = exc if isinstance(exc, _NO_ARGS_IS_HELP) else _one_line_usage(exc)
            error.show()
            code = error.exit_code
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        except (click.Abort, KeyboardInterrupt):
            click.echo("error: aborted", err=True)
            code = EXIT_INTERRUPTED
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                code = self._unexpected(exc)
            else:  # the reader of stdout went away (`ssm-mw tasks list ... | head`)
                _silence_stdout()
                code = EXIT_FAILURE
        except Exception as exc:
            code = self._unexpected(exc)
        return code

    def _unexpected(self, exc: Exception) -> int:
        if _debug_env():
            _print_traceback(exc)
        error = as_cli_error(exc)
        error.show()
        return error.exit_code

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the subcommand, turning library errors into one-line :class:`CliError`."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            raise self._converted(ctx, exc) from exc
        except Exception as exc:
            raise self._converted(ctx, exc) from exc

    @staticmethod
    def _converted(ctx: click.Context, exc: Exception) -> CliError:
        if ctx.meta.get(_DEBUG_ON) or _debug_env():
            _print_traceback(exc)
        return as_cli_error(exc)


def _print_traceback(exc: BaseException) -> None:
    import traceback

    traceback.print_exception(exc)


def _debug_env() -> bool:
    return os.environ.get("SSM_MW_DEBUG", "").lower() not in ("", "0", "false", "no")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. under a test runner)
        pass


# -- helpers for commands -----------------------------------------------------------


class Interrupted(Exception):
    """Ctrl-C stopped a :func:`ctrl_c_cancels` block; ``cancelled`` is what the block raised."""

    def __init__(self, cancelled: asyncio.CancelledError) -> None:
        super().__init__("interrupted")
        self.cancelled = cancelled


@contextmanager
def ctrl_c_cancels() -> Generator[None]:
    """While the block runs, Ctrl-C (SIGINT) cancels the running task; the block's
    :class:`asyncio.CancelledError` then comes out as :class:`Interrupted`.

    Through the event loop, so that it behaves the same on Python 3.10 to 3.13:
    the run sees a cancellation (its requests in flight end, a library call
    raises its partial report), never a ``KeyboardInterrupt`` raised at random.
    Where the loop cannot handle signals (Windows, another thread), Ctrl-C stays
    Python's ``KeyboardInterrupt``. A cancellation from elsewhere passes through.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    pressed = False

    def interrupt() -> None:
        nonlocal pressed
        pressed = True
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGINT, interrupt)
    except (NotImplementedError, RuntimeError, ValueError):
        yield
        return
    try:
        yield
    except asyncio.CancelledError as exc:
        if not pressed:
            raise
        uncancel = getattr(task, "uncancel", None)  # Python 3.11+: the task goes on
        if uncancel is not None:
            uncancel()
        raise Interrupted(exc) from None
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine to the end.

    Every command that calls the library runs it here: a warning of the library
    (:class:`~ssm_mw.IgnoredMembersWarning`) is shown once per message, as one
    ``warning: ...`` line on stderr (``App.main`` restores the filters after the
    command line).
    """
    import asyncio

    from .. import IgnoredMembersWarning

    warnings.simplefilter("default", IgnoredMembersWarning)
    return asyncio.run(coro)


def check_window_ids(window_ids: Sequence[str]) -> None:
    """Check the WINDOW_ID arguments before a client is made: a usage error for the first bad one.

    The same check as every request's (:func:`ssm_mw.check_window_id`), so that
    a malformed id is named as such even without a Region or credentials.
    """
    from .. import ValidationError, check_window_id

    for window_id in window_ids:
        try:
            check_window_id(window_id)
        except ValidationError as exc:
            raise CliUsageError(describe_violations(exc.violations)) from None


def open_client(settings: Settings, *, pool: int | None = None) -> MaintenanceWindowClient:
    """A (not yet opened) client for the global options and the standard AWS environment.

    ``--region`` wins over ``AWS_REGION``, which wins over what botocore finds
    itself (``AWS_DEFAULT_REGION``, the profile). ``--endpoint-url`` wins over
    ``AWS_ENDPOINT_URL``/``AWS_ENDPOINT_URL_SSM`` (read by botocore).
    ``pool`` raises the HTTP connection pool to at least that many connections.
    """
    from .. import MaintenanceWindowClient

    check_environment(settings)
    region = settings.region or os.environ.get("AWS_REGION") or None
    return MaintenanceWindowClient(
        region_name=region,
        endpoint_url=settings.endpoint_url,
        profile_name=settings.profile or None,
        max_attempts=settings.max_attempts,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        max_pool_connections=pool if pool is not None and pool > 10 else None,
    )


#: ``ctx.meta`` key: the ``ssm_mw`` logger already logs to stderr for this command line.
_DEBUG_ON = "ssm_mw.cli.debug"


def _enable_debug(ctx: click.Context) -> None:
    """Log the ``ssm_mw`` logger's records to stderr until the command line ends (once)."""
    if ctx.meta.get(_DEBUG_ON):
        return
    import logging

    ctx.meta[_DEBUG_ON] = True
    logger = logging.getLogger("ssm_mw")
    handler, level = _stderr_handler(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def undo() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    ctx.find_root().call_on_close(undo)


def _endpoint_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--endpoint-url`` as botocore will (a usage error, not a failure later).

    Not while the shell completes a word (``ctx.resilient_parsing``): completion
    never fails, and never imports botocore.
    """
    if ctx.resilient_parsing:
        return value
    problem = None if value is None else _url_problem(value)
    if problem is not None:
        raise click.BadParameter(problem, ctx, param)
    return value


def _url_problem(value: str) -> str | None:
    """Why ``value`` cannot be the service's endpoint (an http or https URL), or ``None``."""
    import urllib.parse

    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url

    if not (is_valid_endpoint_url(value) or is_valid_ipv6_endpoint_url(value)):
        return f"{value!r} is not a valid URL (e.g. http://127.0.0.1:5000)"
    if urllib.parse.urlsplit(value).scheme.lower() not in ("http", "https"):
        return f"{value!r} is not an http or https URL (e.g. http://127.0.0.1:5000)"
    return None


#: The AWS environment variables botocore reads for the client, checked before it does.
_RETRY_MODES = ("legacy", "standard", "adaptive")


def check_environment(settings: Settings) -> None:
    """Refuse, as a usage error naming the variable, an AWS setting botocore cannot use."""
    if settings.endpoint_url is None:
        for name in ("AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL"):
            value = os.environ.get(name)
            problem = None if not value else _url_problem(value)
            if problem is not None:
                raise CliUsageError(f"{name}: {problem}")
    attempts = os.environ.get("AWS_MAX_ATTEMPTS")
    if attempts and settings.max_attempts is None:
        try:
            valid = int(attempts) >= 1
        except ValueError:
            valid = False
        if not valid:
            raise CliUsageError(f"AWS_MAX_ATTEMPTS: {attempts!r} is not an integer of at least 1")
    mode = os.environ.get("AWS_RETRY_MODE")
    if mode and mode not in _RETRY_MODES:
        raise CliUsageError(f"AWS_RETRY_MODE: {mode!r} is not one of {', '.join(_RETRY_MODES)}")


#: The checks of the global options, by parameter name (they run before and after a command).
_GLOBAL_CHECKS: Mapping[str, Callable[[click.Context, click.Parameter, Any], Any]] = {
    "endpoint_url": _endpoint_url,
}

#: The types of the global options that are numbers.
_ATTEMPTS = click.IntRange(min=1)
_SECONDS = click.FloatRange(min=0, min_open=True)
_HELP = {
    "max_attempts": "Total attempts per request, the first included (default: 3, or "
    "AWS_MAX_ATTEMPTS); 1 turns retries off.",
    "connect_timeout": "Seconds to wait for a connection (default 60).",
    "read_timeout": "Seconds to wait for data on a connection (default 60).",
}


def _set_global(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Callback of a global option given after a command: it wins over the one before."""
    if value is None or value is False:
        return
    check = _GLOBAL_CHECKS.get(param.name or "")
    if check is not None:
        value = check(ctx, param, value)
    settings = ctx.find_object(Settings) or Settings()
    ctx.obj = attrs.evolve(settings, **{param.name: value})
    if param.name == "debug":
        _enable_debug(ctx)


def global_options(command: F) -> F:
    """Accept the global options after the command too (``ssm-mw tasks list W --region R``).

    The value given after the command wins over the one given before it.
    """

    def late(*decls: str, **kwargs: Any) -> Callable[[F], F]:
        return click.option(*decls, expose_value=False, callback=_set_global, **kwargs)

    options = (
        late("--region", metavar="REGION", help="AWS Region (may also precede the command)."),
        late("--profile", metavar="NAME", help="Named profile (may also precede the command)."),
        late("--endpoint-url", metavar="URL", help="SSM endpoint (may also precede the command)."),
        late("--max-attempts", type=_ATTEMPTS, metavar="N", help=_HELP["max_attempts"]),
        late("--connect-timeout", type=_SECONDS, metavar="S", help=_HELP["connect_timeout"]),
        late("--read-timeout", type=_SECONDS, metavar="S", help=_HELP["read_timeout"]),
        late("--debug", is_flag=True, help="Log requests and answers, show tracebacks."),
    )
    for option in reversed(options):
        command = option(command)
    return command


# -- the root group -----------------------------------------------------------------


def _stderr_handler() -> logging.Handler:
    """A handler that logs records to whatever ``sys.stderr`` is when they are emitted.

    For ``--debug``; the class is made here, so that logging is imported only then.
    """
    import logging

    class _StderrHandler(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.setFormatter(logging.Formatter("debug: %(name)s: %(message)s"))

        def emit(self, record: logging.LogRecord) -> None:
            """Write one record."""
            try:
                click.echo(self.format(record), err=True)
            except Exception:  # pragma: no cover - logging must never break the command
                self.handleError(record)

    return _StderrHandler()


@click.group(
    "ssm-mw",
    cls=App,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    no_args_is_help=True,
)
@click.option(
    "--region",
    metavar="REGION",
    help="AWS Region (default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's).",
)
@click.option("--profile", metavar="NAME", help="Named profile of the AWS config files.")
@click.option(
    "--endpoint-url",
    metavar="URL",
    callback=_endpoint_url,
    help="SSM endpoint, e.g. the one `ssm-mw serve` prints (default: AWS_ENDPOINT_URL_SSM, "
    "then AWS_ENDPOINT_URL).",
)
@click.option("--max-attempts", type=_ATTEMPTS, metavar="N", help=_HELP["max_attempts"])
@click.option("--connect-timeout", type=_SECONDS, metavar="S", help=_HELP["connect_timeout"])
@click.option("--read-timeout", type=_SECONDS, metavar="S", help=_HELP["read_timeout"])
@click.option(
    "--debug",
    is_flag=True,
    envvar="SSM_MW_DEBUG",
    help="Log requests (sensitive values redacted) and their answers, show tracebacks.",
)
@click.version_option(__version__, "--version", prog_name="ssm-mw")
@click.pass_context
def cli(
    ctx: click.Context,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
    max_attempts: int | None,
    connect_timeout: float | None,
    read_timeout: float | None,
    debug: bool,
) -> None:
    """ssm-mw: see and change AWS SSM maintenance-window tasks.

    Try it without an AWS account: `ssm-mw demo`.
    """
    ctx.obj = Settings(
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
        max_attempts=max_attempts,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        debug=debug,
    )
    if debug:
        _enable_debug(ctx)
