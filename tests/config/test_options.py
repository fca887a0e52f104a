"""The client's options in boto3's words: credentials, profiles, Region, retries and timeouts.

Everything runs over real HTTP: against the embedded backend, or a loopback socket
that never answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiobotocore.config import AioConfig

from ssm_mw import MaintenanceWindowClient, ThrottlingError, TransportError, ValidationError
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import on_server, on_url
from support.endpoints import silent_endpoint
from support.examples import AUTOMATION
from support.operations import DESCRIBE

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
