"""Global options, the AWS environment, and the top-level error handler."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ssm_mw import __version__
from ssm_mw.cli._app import App
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import register
from support.examples import run_command
from support.operations import GET


def test_environment_variables_replace_the_options(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """AWS_ENDPOINT_URL and AWS_REGION (or AWS_DEFAULT_REGION) work like the AWS CLI's."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    for region_var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        env = {"AWS_ENDPOINT_URL": ssm_server.endpoint_url, region_var: ssm_server.region_name}
        result = run("tasks", "list", window_id, env=env, server=False)
        assert result.exit_code == 0, result.stderr
        assert task_id in result.stdout


def test_profile_reads_credentials_and_region_from_the_config_files(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """--profile NAME (and AWS_PROFILE) picks that profile's credentials and Region."""
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text(f"[profile ops]\nregion = {ssm_server.region_name}\n")
    credentials.write_text("[ops]\naws_access_key_id = ops\naws_secret_access_key = ops\n")
    env = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_ACCESS_KEY_ID": None,
        "AWS_SECRET_ACCESS_KEY": None,
    }
    endpoint = ("--endpoint-url", ssm_server.endpoint_url)
    result = run(*endpoint, "--profile", "ops", "tasks", "list", window_id, env=env, server=False)
    assert result.exit_code == 0, result.stderr
    result = run(*endpoint, "tasks", "list", window_id, env={**env, "AWS_PROFILE": "ops"},
                 server=False)  # fmt: skip
    assert result.exit_code == 0, result.stderr


def test_an_unknown_profile_is_one_line(run: Run, window_id: str) -> None:
    """--profile naming no profile: one line naming it, exit 1."""
    assert_error_line(run("--profile", "nope", "tasks", "list", window_id), 1, "(nope)")


def test_an_unreachable_endpoint_is_one_line(run: Run, window_id: str) -> None:
    """An endpoint nobody listens on: one line saying so, exit 1."""
    result = run(
        "--endpoint-url", "http://127.0.0.1:1", "--region", "us-east-1",
        "tasks", "list", window_id,
        env={"AWS_MAX_ATTEMPTS": "1"}, server=False,
    )  # fmt: skip
    assert_error_line(result, 1, "cannot reach the endpoint", "http://127.0.0.1:1")


def test_no_region_is_one_line(run: Run, ssm_server: EmbeddedSSMServer, window_id: str) -> None:
    """No --region and no Region in the environment: one line asking for one, exit 1."""
    result = run("--endpoint-url", ssm_server.endpoint_url, "tasks", "list", window_id,
                 server=False)  # fmt: skip
    assert_error_line(result, 1, "no AWS Region", "--region")


def test_missing_credentials_in_a_clean_environment(
    ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """The console script with no credentials anywhere: one line, exit 1, no traceback."""
    script = Path(sys.executable).with_name("ssm-mw")
    assert script.exists(), "the ssm-mw console script is installed with the package"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    process = subprocess.run(
        [str(script), "--endpoint-url", ssm_server.endpoint_url, "--region", "us-east-1",
         "tasks", "list", window_id],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert process.returncode == 1
    assert "Traceback" not in process.stderr
    assert process.stderr.startswith("error: no usable AWS credentials")
    assert len(process.stderr.strip().splitlines()) == 1
    assert ssm_server.request_count() == 0


def test_usage_errors_are_one_line_with_exit_2(run: Run) -> None:
    """Click's usage errors (unknown option, missing argument) are one line, exit 2."""
    assert_error_line(run("--bogus"), 2, "No such option", "--bogus")
    assert_error_line(run("tasks", "get"), 2, "Missing argument", "ssm-mw tasks get --help")
    assert_error_line(run("tasks", "frobnicate"), 2, "No such command")


def test_version_and_help(run: Run) -> None:
    """--version prints the package version; --help lists every command; both exit 0."""
    result = run("--version", server=False)
    assert (result.exit_code, result.stdout.strip()) == (0, f"ssm-mw, version {__version__}")
    result = run("--help", server=False)
    assert result.exit_code == 0
    for command in ("demo", "tasks", "set-cutoff", "serve"):
        assert command in result.stdout


def _failing_app(error: BaseException) -> App:
    """A group of the CLI's own class with one command that raises ``error``."""

    @click.group(cls=App)
    def app() -> None:
        """A test group."""

    @app.command()
    def boom() -> None:
        """Raise."""
        raise error

    return app


def test_an_unexpected_exception_is_one_line_and_exit_1() -> None:
    """A bug (any exception) still ends as one line and exit 1, never a traceback."""
    result = CliRunner().invoke(_failing_app(RuntimeError("boom\nsecond line")), ["boom"])
    assert_error_line(result, 1, "unexpected error: RuntimeError: boom", "--debug")
    assert "second line" not in result.stderr


def test_an_interrupt_exits_130_without_a_traceback() -> None:
    """Ctrl+C during a command: 'aborted', exit 130."""
    result = CliRunner().invoke(_failing_app(KeyboardInterrupt()), ["boom"])
    assert_error_line(result, 130, "aborted")


def test_debug_shows_the_traceback_on_request() -> None:
    """SSM_MW_DEBUG=1 (like --debug) adds the traceback for an unexpected error."""
    result = CliRunner().invoke(
        _failing_app(RuntimeError("boom")), ["boom"], env={"SSM_MW_DEBUG": "1"}
    )
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: unexpected error")


def test_debug_logs_each_request_without_secrets(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """--debug logs the requests on stderr, with sensitive values redacted."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    result = run("--debug", "tasks", "update", window_id, task_id, "--description", "hush")
    assert result.exit_code == 0, result.stderr
    assert "UpdateMaintenanceWindowTask" in result.stderr
    assert "hush" not in result.stderr
    answer = re.search(
        r"^debug: ssm_mw: UpdateMaintenanceWindowTask answered 200 in \d+ ms "
        r"\(request id \S+, 0 retries\)$",
        result.stderr,
        re.MULTILINE,
    )
    assert answer is not None, result.stderr


def test_debug_logs_each_answer_with_its_error_and_retries(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """A get throttled once, then refused (no such task): the answer's status, error code
    and retry count."""
    ssm_server.inject_fault(GET, "ThrottlingException", status=400, times=1)
    task_id = "00000000-0000-4000-8000-000000000000"
    result = run("--debug", "tasks", "get", window_id, task_id)
    assert result.exit_code == 1
    answers = re.findall(r"GetMaintenanceWindowTask answered (.*)$", result.stderr, re.MULTILINE)
    assert len(answers) == 1, result.stderr
    assert re.fullmatch(
        r"400 DoesNotExistException in \d+ ms \(request id \S+, 1 retries\)", answers[0]
    ), answers


def test_no_command_shows_the_help_and_exits_2(run: Run) -> None:
    """`ssm-mw` alone prints the usage with every command (a usage error: exit 2)."""
    result = run(server=False)
    assert result.exit_code == 2
    assert "Usage: ssm-mw" in result.output
    assert "set-cutoff" in result.output
    assert "Traceback" not in result.output


def test_global_options_may_follow_the_command(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """--endpoint-url, --region, --profile and --debug work after the command, like the AWS CLI."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    where = ("--endpoint-url", ssm_server.endpoint_url, "--region", ssm_server.region_name)
    for argv in (
        ("tasks", "list", window_id, *where),
        ("tasks", "get", *where, window_id, task_id),
        ("tasks", "update", window_id, task_id, "--priority", "3", *where),
        ("set-cutoff", "CANCEL_TASK", window_id, "--dry-run", *where),
    ):
        result = run(*argv, server=False)
        assert result.exit_code == 0, (argv, result.stderr)
    assert task_id in run("tasks", "list", window_id, *where, server=False).stdout
    after = run("tasks", "get", window_id, task_id, "-o", "json", *where, server=False)
    assert '"Priority": 3' in after.stdout


def test_an_option_after_the_command_wins_over_the_one_before(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`ssm-mw --endpoint-url A tasks list W --endpoint-url B` talks to B."""
    result = run("tasks", "list", window_id, "--endpoint-url", "http://127.0.0.1:1",
                 env={"AWS_MAX_ATTEMPTS": "1"})  # fmt: skip
    assert_error_line(result, 1, "cannot reach the endpoint", "http://127.0.0.1:1")
    result = run("--endpoint-url", "http://127.0.0.1:1", "tasks", "list", window_id,
                 "--endpoint-url", ssm_server.endpoint_url, server=False,
                 env={"AWS_REGION": ssm_server.region_name})  # fmt: skip
    assert result.exit_code == 0, result.stderr
    result = run("tasks", "list", window_id, "--profile", "nope")
    assert_error_line(result, 1, "(nope)")


def test_debug_after_the_command_logs_without_secrets(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks update ... --debug` logs the request, redacted, as `--debug tasks update` does."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    result = run("tasks", "update", window_id, task_id, "--description", "hush", "--debug")
    assert result.exit_code == 0, result.stderr
    assert "UpdateMaintenanceWindowTask" in result.stderr
    assert "hush" not in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (
            ("--endpoint-url", "ftp://x.example"),
            {},
            "--endpoint-url': 'ftp://x.example' is not an http or https URL",
        ),
        (
            (),
            {"AWS_ENDPOINT_URL_SSM": "notaurl"},
            "AWS_ENDPOINT_URL_SSM: 'notaurl' is not a valid URL",
        ),
        (
            (),
            {"AWS_ENDPOINT_URL": "ftp://x.example"},
            "AWS_ENDPOINT_URL: 'ftp://x.example' is not an http",
        ),
        (
            (),
            {"AWS_MAX_ATTEMPTS": "abc"},
            "AWS_MAX_ATTEMPTS: 'abc' is not an integer of at least 1",
        ),
        ((), {"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS: '0' is not an integer of at least 1"),
        (
            (),
            {"AWS_RETRY_MODE": "fast"},
            "AWS_RETRY_MODE: 'fast' is not one of legacy, standard, adaptive",
        ),
    ],
    ids=["ftp-option", "endpoint-ssm", "endpoint", "attempts-text", "attempts-zero", "retry-mode"],
)
def test_bad_settings_are_usage_errors_naming_them(
    run: Run,
    ssm_server: EmbeddedSSMServer,
    window_id: str,
    args: tuple[str, ...],
    env: dict[str, str],
    needle: str,
) -> None:
    """A setting botocore cannot use is exit 2, naming the option or variable; nothing is sent."""
    sent = ssm_server.request_count()
    argv = ("--region", "us-east-1", *args, "tasks", "list", window_id)
    result = run(*argv, env=env, server=False)
    assert_error_line(result, 2, needle)
    assert ssm_server.request_count() == sent
