"""The client as boto3 and aiobotocore users expect it: options, errors, the escape hatch.

Everything runs over real HTTP: against the embedded backend, a loopback socket
that never answers, or a loopback server that answers an HTML page.
"""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from botocore.exceptions import ClientError

from ssm_mw import (
    ClientStateError,
    DoesNotExistError,
    MaintenanceWindowClient,
    ServiceError,
    ServiceValidationError,
    ThrottlingError,
    TransportError,
    ValidationError,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.endpoints import HTML_PAGE, html_endpoint, silent_endpoint
from support.examples import AUTOMATION
from support.operations import DESCRIBE, GET

MISSING_TASK = "00000000-0000-4000-8000-000000000000"
_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSM",
)


@pytest.fixture
def no_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials, Region or profile anywhere: the client's options are all there is.

    Returns the (empty) directory where a test may write AWS config files.
    """
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


def on_url(url: str, **options: Any) -> MaintenanceWindowClient:
    """A client on ``url`` (in us-east-1, with dummy credentials)."""
    return MaintenanceWindowClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        **options,
    )


def on_server(server: EmbeddedSSMServer, **options: Any) -> MaintenanceWindowClient:
    """A client bound to the embedded server with its dummy-credential session."""
    return MaintenanceWindowClient(
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        session=server.aio_session(),
        **options,
    )


# -- options in boto3's words -------------------------------------------------------


async def test_credentials_and_region_as_keywords_need_no_environment(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, no_aws_env: Path
) -> None:
    """aws_access_key_id/aws_secret_access_key/aws_session_token and region_name, as boto3."""
    async with MaintenanceWindowClient(
        region_name=ssm_server.region_name,
        endpoint_url=ssm_server.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="token",
    ) as mw:
        task_id = await mw.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
        page = await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert [t.window_task_id for t in page.tasks] == [task_id]


async def test_without_credentials_the_same_call_fails(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, no_aws_env: Path
) -> None:
    """The control for the test above: with no credentials at all, nothing is sent."""
    async with MaintenanceWindowClient(
        region_name=ssm_server.region_name, endpoint_url=ssm_server.endpoint_url
    ) as mw:
        with pytest.raises(TransportError, match="credentials"):
            await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert ssm_server.request_count() == 0


async def test_profile_name_reads_the_profile(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, no_aws_env: Path
) -> None:
    """profile_name, as boto3.Session(profile_name=...): its credentials and Region are used."""
    (no_aws_env / "config").write_text(f"[profile ops]\nregion = {ssm_server.region_name}\n")
    (no_aws_env / "credentials").write_text(
        "[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    async with MaintenanceWindowClient(
        profile_name="ops", endpoint_url=ssm_server.endpoint_url
    ) as mw:
        page = await mw.describe_maintenance_window_tasks(maintenance_window_id)
        assert (await mw.aiobotocore_client()).meta.region_name == ssm_server.region_name
    assert page.tasks == ()


async def test_an_unknown_profile_is_a_transport_error(no_aws_env: Path) -> None:
    """A profile that does not exist fails when the client opens, naming it."""
    with pytest.raises(TransportError, match="nope"):
        async with MaintenanceWindowClient(profile_name="nope", region_name="us-east-1"):
            pass


async def test_config_settings_as_keywords(ssm_server: EmbeddedSSMServer) -> None:
    """max_attempts, retry_mode, connect_timeout, read_timeout, max_pool_connections."""
    async with on_server(
        ssm_server,
        max_attempts=5,
        retry_mode="adaptive",
        connect_timeout=2.5,
        read_timeout=7,
        max_pool_connections=4,
    ) as mw:
        config = (await mw.aiobotocore_client()).meta.config
        assert config.retries is not None
        assert config.retries["mode"] == "adaptive"
        assert config.retries["total_max_attempts"] == 5
        assert config.connect_timeout == 2.5
        assert config.read_timeout == 7
        assert config.max_pool_connections == 4


async def test_an_explicit_keyword_wins_over_config(ssm_server: EmbeddedSSMServer) -> None:
    """config= keeps working; a keyword given too wins over the same setting in it."""
    config = AioConfig(
        retries={"mode": "legacy", "max_attempts": 9},
        read_timeout=30,
        connect_timeout=11,
        user_agent_extra="mine",
    )
    async with on_server(ssm_server, config=config, max_attempts=2, read_timeout=3) as mw:
        used = (await mw.aiobotocore_client()).meta.config
        assert used.retries is not None
        assert used.retries["total_max_attempts"] == 2
        assert "max_attempts" not in used.retries
        assert used.retries["mode"] == "legacy"  # from config: no keyword said otherwise
        assert used.read_timeout == 3
        assert used.connect_timeout == 11
        assert used.user_agent_extra == "mine"
    assert config.retries == {"mode": "legacy", "max_attempts": 9}  # the caller's is unchanged


async def test_config_retries_keep_the_standard_mode_default(ssm_server: EmbeddedSSMServer) -> None:
    """A config that sets only an attempt count keeps the client's "standard" retry mode."""
    config = AioConfig(retries={"total_max_attempts": 4})
    async with on_server(ssm_server, config=config) as mw:
        retries = (await mw.aiobotocore_client()).meta.config.retries
        assert retries is not None
        assert retries["mode"] == "standard"
        assert retries["total_max_attempts"] == 4


@pytest.mark.parametrize(("attempts", "requests"), [(1, 1), (2, 2)])
async def test_max_attempts_is_the_total_number_of_attempts(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, attempts: int, requests: int
) -> None:
    """max_attempts counts the first attempt: 1 sends one request, 2 retries once."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", times=None)
    async with on_server(ssm_server, max_attempts=attempts) as mw:
        with pytest.raises(ThrottlingError):
            await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert ssm_server.request_count(DESCRIBE) == requests


async def test_read_timeout_bounds_a_request_to_an_endpoint_that_never_answers() -> None:
    """read_timeout and max_attempts=1 against a silent socket: a TransportError, not a hang."""
    with silent_endpoint() as url:
        async with on_url(url, read_timeout=0.5, max_attempts=1) as mw:
            with pytest.raises(TransportError, match="Read timeout"):
                await mw.describe_maintenance_window_tasks("mw-0123456789abcdef0")


@pytest.mark.parametrize(
    ("options", "paths"),
    [
        ({"endpoint_url": "notaurl"}, ["endpoint_url"]),
        ({"region_name": "eu west 1"}, ["region_name"]),
        ({"max_attempts": 0}, ["max_attempts"]),
        ({"max_attempts": True}, ["max_attempts"]),
        ({"retry_mode": "fast"}, ["retry_mode"]),
        ({"connect_timeout": 0}, ["connect_timeout"]),
        ({"read_timeout": float("nan")}, ["read_timeout"]),
        ({"read_timeout": "5"}, ["read_timeout"]),
        ({"max_pool_connections": -1}, ["max_pool_connections"]),
        ({"aws_access_key_id": "AKID"}, ["aws_secret_access_key"]),
        ({"aws_secret_access_key": "secret"}, ["aws_access_key_id"]),
        ({"aws_session_token": "token"}, ["aws_session_token"]),
        ({"profile_name": ""}, ["profile_name"]),
        ({"session": "ops", "config": 42}, ["session", "config"]),
    ],
)
def test_bad_options_raise_validation_errors_naming_them(
    options: dict[str, Any], paths: list[str]
) -> None:
    """Every bad option is reported at once, by its keyword, when the client is made."""
    with pytest.raises(ValidationError) as caught:
        MaintenanceWindowClient(**options)
    assert list(caught.value.paths) == paths


def test_profile_name_and_session_together_are_refused(ssm_server: EmbeddedSSMServer) -> None:
    """A session has its own profile: giving both is ambiguous."""
    with pytest.raises(ValidationError, match="profile_name or session") as caught:
        MaintenanceWindowClient(session=ssm_server.aio_session(), profile_name="ops")
    assert caught.value.paths == ("profile_name",)


def test_a_secret_given_as_an_option_never_appears_in_the_error() -> None:
    """A validation error about the key pair does not quote the secret."""
    with pytest.raises(ValidationError) as caught:
        MaintenanceWindowClient(aws_secret_access_key="s3cr3t-value", max_attempts=0)
    assert "s3cr3t-value" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        MaintenanceWindowClient(
            aws_access_key_id="AKID",
            aws_secret_access_key=b"s3cr3t-bytes",  # type: ignore[arg-type]
        )
    assert caught.value.paths == ("aws_secret_access_key",)
    assert "s3cr3t" not in str(caught.value)
    assert "bytes" in str(caught.value)


# -- the escape hatch ---------------------------------------------------------------


async def test_aiobotocore_client_reaches_operations_outside_the_four(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Deregister through mw.aiobotocore_client: no second client needed."""
    async with on_server(ssm_server) as mw:
        task_id = await mw.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
        ssm = await mw.aiobotocore_client()
        await ssm.deregister_task_from_maintenance_window(
            WindowId=maintenance_window_id, WindowTaskId=task_id
        )
        page = await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert page.tasks == ()


async def test_the_own_sessions_escape_hatch_has_the_full_model(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, no_aws_env: Path
) -> None:
    """The client's own session loads a trimmed model; the escape hatch still has every operation.

    It is opened once, on the same options and credentials, and closed with the client.
    """
    async with MaintenanceWindowClient(
        region_name=ssm_server.region_name,
        endpoint_url=ssm_server.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        max_attempts=1,
    ) as mw:
        task_id = await mw.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
        first, second = await asyncio.gather(mw.aiobotocore_client(), mw.aiobotocore_client())
        assert first is second  # two first calls at once open one client
        ssm = await mw.aiobotocore_client()
        assert ssm is first
        assert ssm.meta.config.retries is not None
        assert ssm.meta.config.retries["total_max_attempts"] == 1
        windows = await ssm.describe_maintenance_windows()
        assert [w["WindowId"] for w in windows["WindowIdentities"]] == [maintenance_window_id]
        await ssm.deregister_task_from_maintenance_window(
            WindowId=maintenance_window_id, WindowTaskId=task_id
        )
        page = await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert page.tasks == ()
    with pytest.raises(ClientStateError):
        await mw.aiobotocore_client()


async def test_aiobotocore_client_only_while_open(ssm_server: EmbeddedSSMServer) -> None:
    """Before opening and after closing, it raises ClientStateError."""
    mw = on_server(ssm_server)
    with pytest.raises(ClientStateError, match="not open"):
        await mw.aiobotocore_client()
    async with mw:
        assert await mw.aiobotocore_client() is await mw.aiobotocore_client()
    with pytest.raises(ClientStateError, match="closed"):
        await mw.aiobotocore_client()


async def test_from_client_hands_back_the_same_client(ssm_server: EmbeddedSSMServer) -> None:
    """A wrapped caller-owned client is the escape hatch itself."""
    session = ssm_server.aio_session()
    async with session.create_client("ssm", **ssm_server.client_kwargs()) as ssm:
        assert await MaintenanceWindowClient.from_client(ssm).aiobotocore_client() is ssm


# -- errors that fit existing handlers ----------------------------------------------


async def test_service_errors_are_botocore_client_errors(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """`except ClientError` code keeps working, with botocore's .response and .operation_name."""
    try:
        await mw_client.get_maintenance_window_task(maintenance_window_id, MISSING_TASK)
    except ClientError as exc:
        caught = exc
    else:  # pragma: no cover - the call must fail
        pytest.fail("no error")
    assert isinstance(caught, DoesNotExistError)
    assert caught.operation_name == GET == caught.operation
    assert caught.response["Error"]["Code"] == "DoesNotExistException" == caught.code
    assert caught.response["Error"]["Message"] == caught.message
    metadata = caught.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 400 == caught.http_status
    assert metadata["RequestId"] == caught.request_id
    assert isinstance(caught.__cause__, ClientError)
    assert not isinstance(caught.__cause__, ServiceError)
    assert caught.response == caught.__cause__.response
    assert str(caught) == f"{GET}: DoesNotExistException: {caught.message}"


async def test_service_errors_survive_pickling(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A ServiceError pickles and comes back with every attribute (e.g. across processes)."""
    with pytest.raises(DoesNotExistError) as caught:
        await mw_client.get_maintenance_window_task(maintenance_window_id, MISSING_TASK)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is DoesNotExistError
    assert (copy.code, copy.message, copy.operation, copy.http_status) == (
        caught.value.code,
        caught.value.message,
        caught.value.operation,
        caught.value.http_status,
    )
    assert copy.response == caught.value.response
    assert copy.operation_name == GET
    assert str(copy) == str(caught.value)


def test_a_service_error_made_by_hand_has_a_botocore_response() -> None:
    """The keyword constructor (for tests and fakes) builds botocore's response dict."""
    error = ThrottlingError(
        code="ThrottlingException", message="Rate exceeded", operation=DESCRIBE, http_status=400
    )
    assert isinstance(error, ClientError)
    assert error.response == {
        "Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    assert error.operation_name == DESCRIBE
    assert str(error) == f"{DESCRIBE}: ThrottlingException: Rate exceeded"


async def test_the_services_validation_exception_has_its_own_class(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A ValidationException the library's checks let through: ServiceValidationError."""
    ssm_server.inject_fault(
        "RegisterTaskWithMaintenanceWindow",
        "ValidationException",
        message="1 validation error detected: a rule not yet in the ledger",
    )
    with pytest.raises(ServiceValidationError) as caught:
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
    assert isinstance(caught.value, ClientError)
    assert not isinstance(caught.value, ValidationError)  # that one means "nothing was sent"
    assert caught.value.code == "ValidationException"
    assert "not yet in the ledger" in caught.value.message


async def test_a_body_that_is_not_an_ssm_error_is_summarised_in_one_line() -> None:
    """An HTML 404 (a proxy, a wrong URL): status, content type and the first characters."""
    with html_endpoint() as url:
        async with on_url(url) as mw:
            with pytest.raises(ServiceError) as caught:
                await mw.describe_maintenance_window_tasks("mw-0123456789abcdef0")
    error = caught.value
    assert error.http_status == 404
    assert "\n" not in str(error)
    assert "HTTP 404" in error.message
    assert "text/html" in error.message
    assert "<!doctype html> <html> <head><title>404" in error.message
    assert len(error.message) < 200
    assert error.response["Error"]["Message"] == HTML_PAGE.decode()  # botocore's, untouched
