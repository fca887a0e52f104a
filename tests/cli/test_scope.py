"""The scope options and the window arguments of the commands that work across a scope
(``cli/_scope.py``): each mistake is one line naming the option, and nothing is sent."""

from __future__ import annotations

import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line

#: Each command that takes ``[WINDOW_ID]...``, ``--window-name`` and ``--all-windows``.
COMMANDS = (("set-cutoff", "CANCEL_TASK"), ("export",))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["mw-0123456789abcdef0", "--regions", "us-east-1,eu-west-1"],
            "WINDOW_ID: a window id belongs to one account and Region",
        ),
        (["--window-name", "window-1", "mw-0123456789abcdef0"], "WINDOW_ID: give window ids"),
        (["--window-name", "a b"], "--window-name: 'a b' does not match"),
        (["--all-windows", "--window-name", "window-1"], "--all-windows: give --all-windows"),
        ([], "missing WINDOW_ID..., --window-name NAME or --all-windows"),
        (["--all-windows", "--accounts", "1234"], "--accounts[0]: '1234' is not a 12-digit"),
        (["--all-windows", "--shard", "3/2"], "--shard: 3/2: K must be 1 to N"),
        (["--all-windows", "--per-target-concurrency", "0"], "--per-target-concurrency"),
        (["--all-windows", "--ou", "ou-ab12-cdefgh34"], "--ou: needs organization=True"),
    ],
)
def test_bad_input_is_one_line_and_sends_nothing(
    run: Run,
    ssm_server: EmbeddedSSMServer,
    command: tuple[str, ...],
    args: list[str],
    message: str,
) -> None:
    """Each mistake: one `error:` line naming the option or argument, exit 2, nothing on
    stdout, no request."""
    before = ssm_server.request_count(None)
    result = run(*command, *args)
    assert_error_line(result, 2, message)
    assert result.stdout == ""
    assert ssm_server.request_count(None) == before
