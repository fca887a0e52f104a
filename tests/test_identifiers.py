"""``check_window_id`` and ``check_window_task_id``: the request validation on one identifier."""

from __future__ import annotations

import pytest

import ssm_mw
from ssm_mw import ValidationError, check_window_id, check_window_task_id

W = "mw-0123456789abcdef0"
TASK_ID = "4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d"

# -- identifiers --------------------------------------------------------------------------


def test_a_well_formed_window_id_passes() -> None:
    """The ids of the service model's shape pass; nothing is sent, nothing returned."""
    check_window_id(W)
    check_window_task_id(TASK_ID)


@pytest.mark.parametrize(
    ("check", "value", "messages"),
    [
        (check_window_id, "mw-0c50858d01EXAMPLE", ["does not match the pattern ^mw-[0-9a-f]{17}$"]),
        (check_window_id, "mw-1", ["length 4 is below the minimum 20", "does not match"]),
        (check_window_id, 7, ["expected a string, got int"]),
        (check_window_task_id, "task-1", ["length 6 is below the minimum 36", "does not match"]),
    ],
)
def test_a_malformed_id_names_its_field(check: object, value: object, messages: list[str]) -> None:
    """Every constraint of the model's WindowId/WindowTaskId it breaks, by the argument's name."""
    with pytest.raises(ValidationError) as caught:
        check(value)  # type: ignore[operator]
    field = "window_id" if check is check_window_id else "window_task_id"
    assert caught.value.paths == (field,) * len(messages)
    for v, message in zip(caught.value.violations, messages, strict=True):
        assert message in v.message


def test_the_id_check_is_the_one_requests_get() -> None:
    """The same violations as a request holding the id: one check, not a copy of its pattern."""
    for bad in ("mw-1", "mw-0c50858d01EXAMPLE", "MW-0123456789ABCDEF0"):
        with pytest.raises(ValidationError) as by_id:
            check_window_id(bad)
        page = ssm_mw.MaintenanceWindowClient(region_name="us-east-1")
        with pytest.raises(ValidationError) as by_request:
            page.paginate_maintenance_window_tasks(bad)
        assert by_id.value.violations == by_request.value.violations
