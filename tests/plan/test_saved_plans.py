"""Saved plans: what is not one is refused, naming why."""

from __future__ import annotations

import json

import attrs
import pytest

from ssm_mw import DesiredState, Plan, ValidationError
from support.plan import lambda_minimal


def test_a_saved_plan_that_is_not_one_is_refused() -> None:
    """Not JSON, another format or version, a task outside its desired state: ValidationError."""
    w = "mw-0123456789abcdef0"
    good = Plan(desired=DesiredState(windows={w: {"lambda-minimal": lambda_minimal()}}), tasks=())
    data = json.loads(good.dumps())
    task = {"window_id": w, "name": "other", "action": "create", "window_task_id": None}
    for text, needle in [
        ("not json", "not a saved plan"),
        (json.dumps({"windows": {}}), "not a saved plan"),
        (json.dumps({**data, "version": 99}), "version 99"),
        (json.dumps({**data, "tasks": [task]}), "not in the plan's desired state"),
        (json.dumps({**data, "tasks": [{**task, "action": "destroy"}]}), "unknown action"),
    ]:
        with pytest.raises(ValidationError, match=needle):
            Plan.loads(text)
    assert Plan.loads(good.dumps()) == good
    lambda_task = good.desired.windows[w]["lambda-minimal"]
    assert attrs.evolve(lambda_task, name=None) == lambda_minimal()
