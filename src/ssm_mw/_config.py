"""The options of :class:`~ssm_mw.MaintenanceWindowClient`, in boto3's words, checked and resolved.

A client takes what ``boto3.client("ssm", ...)`` takes (``region_name``,
``endpoint_url``, ``aws_access_key_id``, ...), ``profile_name`` as a boto3
``Session`` does, the common botocore ``Config`` settings as plain keywords
(``max_attempts``, ``retry_mode``, ``connect_timeout``, ``read_timeout``,
``max_pool_connections``), and ``session=``/``config=`` for everything else.
A keyword given explicitly wins over the same setting in ``config``, which
wins over this library's defaults (retry mode ``"standard"``, 32 pooled
connections). Bad values raise :class:`~ssm_mw.ValidationError` naming the
keyword, when the client is made: nothing is sent.
"""

from __future__ import annotations

import copy
import functools
import math
import os
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any, cast

import attrs
import botocore
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore.config import Config
from botocore.exceptions import DataNotFoundError, InvalidRegionError
from botocore.loaders import ExtrasProcessor, Loader, create_loader
from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url, validate_region_name

from ._errors import ValidationError, Violation
from ._shapes import DATA_PATH

if TYPE_CHECKING:
    from types_aiobotocore_ssm import SSMClient

__all__ = [
    "ENDPOINTS_SLICE",
    "ENDPOINT_SERVICES",
    "RETRY_MODES",
    "ClientOptions",
    "client_config",
    "own_session",
    "resolve_options",
]

#: botocore's retry modes.
RETRY_MODES = ("legacy", "standard", "adaptive")

#: The services that ssm-mw's own sessions create clients for: SSM, and STS and
#: Organizations across a scope. Their entries of botocore's endpoint table ship in
#: :data:`ENDPOINTS_SLICE`.
ENDPOINT_SERVICES = ("organizations", "ssm", "sts")
#: botocore's ``endpoints.json`` with each partition's services cut to
#: :data:`ENDPOINT_SERVICES`, and the botocore release it was cut from
#: (``tools/trim_service_model.py`` writes it).
ENDPOINTS_SLICE = DATA_PATH / "endpoints-slice.json"

_DEFAULT_RETRIES: Mapping[str, Any] = {"mode": "standard"}
#: botocore keeps 10 connections by default, fewer than set_cutoff_behavior's
#: workers at higher concurrency: requests beyond the pool would queue.
_DEFAULT_POOL_CONNECTIONS = 32


@attrs.frozen(kw_only=True)
class ClientOptions:
    """Everything a client needs to create its aiobotocore client, checked."""

    session: AioSession | None
    profile_name: str | None
    config: AioConfig
    region_name: str | None
    endpoint_url: str | None
    aws_access_key_id: str | None
    aws_secret_access_key: str | None
    aws_session_token: str | None

    def make_session(self) -> AioSession:
        """The session to create the client with: the one given, or a new one of ours."""
        return self.session if self.session is not None else own_session(self.profile_name)

    def create_client(
        self, session: AioSession, *, parameter_validation: bool = True
    ) -> AbstractAsyncContextManager[SSMClient]:
        """``session.create_client("ssm", ...)`` with these options.

        ``parameter_validation=False`` turns botocore's own validation off, for
        a client whose every request ssm-mw has validated.
        """
        config = self.config
        if not parameter_validation:
            config = config.merge(AioConfig(parameter_validation=False))
        return session.create_client(
            "ssm",
            region_name=self.region_name,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key,
            aws_session_token=self.aws_session_token,
            config=config,
        )

    @asynccontextmanager
    async def full_model_client(self, session: AioSession) -> AsyncGenerator[SSMClient, None]:
        """An SSM client with botocore's full model, on ``session`` (one of :func:`own_session`).

        Its data loader finds the trimmed model first; while the client is
        created it has botocore's usual loader instead (``AWS_DATA_PATH`` honoured).
        """
        trimmed = session.get_component("data_loader")
        path = session.get_config_variable("data_path")
        session.register_component(
            "data_loader", create_loader(path if isinstance(path, str) else None)
        )
        context = self.create_client(session)
        try:
            client = await context.__aenter__()
        finally:
            session.register_component("data_loader", trimmed)
        try:
            yield client
        finally:
            await context.__aexit__(None, None, None)


def own_session(profile_name: str | None = None) -> AioSession:
    """A new session whose data loader finds ssm-mw's trimmed SSM model.

    The trimmed model (``ssm_mw/_data``, see :mod:`ssm_mw._shapes`) holds the
    four task operations exactly as botocore's own model has them; creating
    the client skips parsing botocore's full model (~150 operations). Its
    directory goes just before botocore's own data directory, so models a
    user put in ``AWS_DATA_PATH`` or ``~/.aws/models`` still win. The loader
    is a :class:`_OwnServiceLoader`, with the same search paths. Only
    sessions made here are changed: a session passed in by the caller is used
    as it is.
    """
    session = get_session() if profile_name is None else AioSession(profile=profile_name)
    paths = list(session.get_component("data_loader").search_paths)
    builtin = Loader.BUILTIN_DATA_PATH
    paths.insert(paths.index(builtin) if builtin in paths else len(paths), str(DATA_PATH))
    loader = _OwnServiceLoader(extra_search_paths=paths, include_default_search_paths=False)
    session.register_component("data_loader", loader)
    return session


class _OwnServiceLoader(Loader):
    """botocore's data loader, without its scan of every service and most of its endpoint table.

    Before it loads a model, botocore's ``load_service_model`` lists every
    service of every search path (``list_available_services``: ~430
    directories and ~2,700 ``stat`` calls for each model type, ~20 ms of CPU
    for the two a client loads) only to check that the one asked for is among
    them. That check holds exactly when the service has an API version with
    the model type in some search path, which ``list_api_versions`` finds by
    looking in that service's directories only; so this loader asks that
    instead, and loads the latest version (or the one asked for) as botocore
    does, extras included. When the service has no such model, botocore's own
    method runs and raises its own ``UnknownServiceError``.

    Every session builds its endpoint resolver from ``endpoints.json``,
    botocore's 1.25 MB table of every service in every partition; parsing it
    in a fresh process costs ~35 ms of B6's ~390 (its ~200,000 objects set off
    the garbage collector too). When the table would come from botocore's own
    data directory (no ``endpoints.json`` in ``AWS_DATA_PATH`` or
    ``~/.aws/models``) and the installed botocore is the release that
    :data:`ENDPOINTS_SLICE` was cut from, this loader gives the slice instead,
    with botocore's path, so botocore still counts it as its own data and
    resolves endpoints through the rule sets. The slice holds every partition
    whole (regions, defaults, DNS suffixes) and the services of
    :data:`ENDPOINT_SERVICES`; a partition asked for any other service parses
    botocore's full table then, once, and answers from it. With another
    botocore release, or an ``endpoints.json`` of the user's, the full table
    is loaded as botocore loads it.
    """

    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        try:
            versions: list[str] = self.list_api_versions(service_name, type_name)
        except DataNotFoundError:
            return super().load_service_model(service_name, type_name, api_version)
        version = api_version if api_version is not None else max(versions)
        model = self.load_data(os.path.join(service_name, version, type_name))
        ExtrasProcessor().process(model, self._extras(service_name, type_name, version))
        return model

    def _extras(self, service_name: str, type_name: str, version: str) -> list[Any]:
        """The extras of a model (``paginators-1.sdk-extras.json``, ...), as botocore finds them."""
        found = []
        for extras_type in self.extras_types:
            name = os.path.join(service_name, version, f"{type_name}.{extras_type}-extras")
            try:
                found.append(self.load_data(name))
            except DataNotFoundError:
                continue
        return found

    def load_data_with_path(self, name: str) -> Any:
        if name == "endpoints" and self._endpoints_slice is not None:
            return self._endpoints_slice
        return super().load_data_with_path(name)

    @functools.cached_property
    def _endpoints_slice(self) -> tuple[Any, str] | None:
        """The slice with botocore's path of ``endpoints``, or None: botocore's table then."""
        builtin = next(
            (
                path
                for path in (os.path.join(base, "endpoints") for base in self.search_paths)
                if self.file_loader.exists(path)
            ),
            None,
        )
        if builtin is None or not self.is_builtin_path(builtin):
            return None
        cut = self.file_loader.load_file(str(ENDPOINTS_SLICE.with_suffix("")))
        if cut is None or cut["botocore"] != botocore.__version__:
            return None
        table, names = cut["endpoints"], frozenset(cut["services"])
        for partition in table["partitions"]:
            full = functools.partial(self._full_services, partition["partition"])
            partition["services"] = _ServicesOnDemand(partition["services"], names, full)
        return table, builtin

    def _full_services(self, partition: str) -> Mapping[str, Any]:
        """One partition's services from botocore's full ``endpoints.json`` (loaded once)."""
        table, _ = super().load_data_with_path("endpoints")
        services: Mapping[str, Any] = next(
            p["services"] for p in table["partitions"] if p["partition"] == partition
        )
        return services


class _ServicesOnDemand(Mapping[str, Any]):
    """A partition's services: the slice's for those it was cut to, botocore's for others.

    ``services`` is the partition's part of the slice, ``cut`` the services
    the slice was cut to (a partition may lack some of them), and ``full``
    the partition's services in botocore's whole table, parsed the first time
    a service outside ``cut``, or the whole list, is asked for.
    """

    def __init__(
        self,
        services: Mapping[str, Any],
        cut: frozenset[str],
        full: Callable[[], Mapping[str, Any]],
    ) -> None:
        self._services = services
        self._cut = cut
        self._full = full

    def __getitem__(self, name: str) -> Any:
        if name in self._cut:
            return self._services[name]
        return self._full()[name]

    def __contains__(self, name: object) -> bool:
        return name in self._services if name in self._cut else name in self._full()

    def __iter__(self) -> Iterator[str]:
        return iter(self._full())

    def __len__(self) -> int:
        return len(self._full())


def client_config(config: Config | None, explicit: Mapping[str, Any] | None = None) -> AioConfig:
    """This client's own config: the defaults, then ``config``, then the ``explicit`` keywords.

    The defaults are retry mode ``"standard"`` and a pool of 32 connections.
    ``retries`` merges key by key (a ``config`` that sets only
    ``total_max_attempts`` keeps the ``"standard"`` mode); ``explicit`` holds
    ``max_attempts`` (total attempts, the first included: botocore's
    ``total_max_attempts``), ``retry_mode`` and plain ``Config`` settings.

    botocore completes the ``retries`` dict of the config it is given in place
    (e.g. with ``total_max_attempts`` from ``AWS_MAX_ATTEMPTS``), so each client
    gets a ``retries`` dict of its own: neither a shared default nor the
    caller's config is changed, and one client's environment never leaks into
    the next client's retry budget.
    """
    explicit = dict(explicit or {})
    retries = dict(_DEFAULT_RETRIES)
    merged = AioConfig(max_pool_connections=_DEFAULT_POOL_CONNECTIONS)
    if config is not None:
        merged = merged.merge(cast(AioConfig, config))  # merge reads only the options set
        given: Any = getattr(config, "retries", None)
        if isinstance(given, Mapping):
            retries.update(copy.deepcopy(dict(given)))  # pyright: ignore[reportUnknownArgumentType]
    mode = explicit.pop("retry_mode", None)
    if mode is not None:
        retries["mode"] = mode
    attempts = explicit.pop("max_attempts", None)
    if attempts is not None:
        retries.pop("max_attempts", None)
        retries["total_max_attempts"] = attempts
    return merged.merge(AioConfig(retries=retries, **explicit))


def _positive_number(name: str, value: object) -> Violation | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return Violation(path=name, message=f"expected a number of seconds, got {_kind(value)}")
    if not math.isfinite(value) or value <= 0:
        return Violation(path=name, message=f"{value!r} is not a number of seconds above 0")
    return None


def _positive_int(name: str, value: object) -> Violation | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return Violation(path=name, message=f"expected an integer, got {_kind(value)}")
    if value < 1:
        return Violation(path=name, message=f"{value} is below the minimum 1")
    return None


def _kind(value: object) -> str:
    return type(value).__name__


def _check_endpoint(url: object) -> Violation | None:
    if not isinstance(url, str):
        return Violation(path="endpoint_url", message=f"expected a URL, got {_kind(url)}")
    if not (is_valid_endpoint_url(url) or is_valid_ipv6_endpoint_url(url)):
        return Violation(
            path="endpoint_url",
            message=f"{url!r} is not a valid endpoint URL (e.g. https://ssm.eu-west-1.amazonaws.com)",
        )
    return None


def _check_region(region: object) -> Violation | None:
    if not isinstance(region, str):
        return Violation(path="region_name", message=f"expected a Region name, got {_kind(region)}")
    try:
        validate_region_name(region)
    except InvalidRegionError:
        return Violation(path="region_name", message=f"{region!r} is not a valid Region name")
    return None


def resolve_options(
    *,
    region_name: object = None,
    endpoint_url: object = None,
    profile_name: object = None,
    aws_access_key_id: object = None,
    aws_secret_access_key: object = None,
    aws_session_token: object = None,
    session: object = None,
    config: object = None,
    max_attempts: object = None,
    retry_mode: object = None,
    connect_timeout: object = None,
    read_timeout: object = None,
    max_pool_connections: object = None,
) -> ClientOptions:
    """Check every option (all violations at once) and resolve them into :class:`ClientOptions`."""
    found: list[Violation] = []

    def add(violation: Violation | None) -> None:
        if violation is not None:
            found.append(violation)

    if region_name is not None:
        add(_check_region(region_name))
    if endpoint_url is not None:
        add(_check_endpoint(endpoint_url))
    strings = {
        "profile_name": profile_name,
        "aws_access_key_id": aws_access_key_id,
        "aws_secret_access_key": aws_secret_access_key,
        "aws_session_token": aws_session_token,
    }
    for name, value in strings.items():
        if value is not None and (not isinstance(value, str) or not value):
            # Never the value itself: it may be a secret.
            got = "an empty string" if value == "" else _kind(value)
            add(Violation(path=name, message=f"expected a non-empty string, got {got}"))
    if (aws_access_key_id is None) != (aws_secret_access_key is None):
        pair = ("aws_access_key_id", "aws_secret_access_key")
        missing, other = pair if aws_access_key_id is None else pair[::-1]
        add(Violation(path=missing, message=f"is required with {other}"))
    if aws_session_token is not None and aws_access_key_id is None:
        add(Violation(path="aws_session_token", message="needs aws_access_key_id"))
    if session is not None and not isinstance(session, AioSession):
        add(Violation(path="session", message=f"expected an AioSession, got {_kind(session)}"))
    if session is not None and profile_name is not None:
        add(
            Violation(
                path="profile_name",
                message="give profile_name or session, not both (the session has its profile)",
            )
        )
    if config is not None and not isinstance(config, Config):
        add(Violation(path="config", message=f"expected an AioConfig, got {_kind(config)}"))
    if max_attempts is not None:
        add(_positive_int("max_attempts", max_attempts))
    if max_pool_connections is not None:
        add(_positive_int("max_pool_connections", max_pool_connections))
    if retry_mode is not None and retry_mode not in RETRY_MODES:
        add(
            Violation(
                path="retry_mode", message=f"{retry_mode!r} is not one of {', '.join(RETRY_MODES)}"
            )
        )
    for name, seconds in (("connect_timeout", connect_timeout), ("read_timeout", read_timeout)):
        if seconds is not None:
            add(_positive_number(name, seconds))
    if found:
        raise ValidationError(found)

    explicit = {
        name: value
        for name, value in (
            ("max_attempts", max_attempts),
            ("retry_mode", retry_mode),
            ("connect_timeout", connect_timeout),
            ("read_timeout", read_timeout),
            ("max_pool_connections", max_pool_connections),
        )
        if value is not None
    }
    return ClientOptions(
        session=session if isinstance(session, AioSession) else None,
        profile_name=_str(profile_name),
        config=client_config(config if isinstance(config, Config) else None, explicit),
        region_name=_str(region_name),
        endpoint_url=_str(endpoint_url),
        aws_access_key_id=_str(aws_access_key_id),
        aws_secret_access_key=_str(aws_secret_access_key),
        aws_session_token=_str(aws_session_token),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
