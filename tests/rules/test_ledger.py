"""``ssm_mw._rules``: the real service's rules, each once, and its users (docs/fidelity.md).

The facts the rules share, the definition as the service reports it (F6), and
that each rule is stated once: no user (request validation, the embedded
backend, the test-data strategies) restates a record, and every record is kept
by the client and the backend on data the strategies draw to break it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import (
    AutomationParameters,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
    TaskType,
    ValidationError,
)
from ssm_mw._converter import register_request, update_request
from ssm_mw._operations import OPERATIONS, REGISTER_TASK, UPDATE_TASK
from ssm_mw._rules import (
    CLIENT_RULES,
    DEFAULT_SERVICE_ROLE,
    EMPTY_TASK_PARAMETERS,
    IGNORED_DEPRECATED_MEMBERS,
    INSTANCE_ID_PATTERN,
    LIMITS,
    MAX_TARGET_VALUES,
    RULES,
    RUN_COMMAND_NEEDS_TARGETS,
    TARGET_KEYS,
    TARGET_KINDS,
    TARGET_RULES,
    TARGETLESS_PLACEHOLDER,
    TARGETLESS_PLACEHOLDERS,
    TARGETLESS_TAKES_NO_LIMITS,
    TASK_RULES,
    WINDOW_TARGET_ID_PATTERN,
    Refusal,
    allowed_limits,
    as_reported,
    is_targetless,
    target_breaches,
    task_breaches,
    whole_task,
    whole_tasks,
)
from ssm_mw._shapes import compile_pattern, list_member, members, operation_input_shape
from ssm_mw.testing import EmbeddedSSMServer
from support import strategies as S
from support.clients import raw_ssm
from support.loop_client import LoopClient

#: The operations that write a task's members: the ones the rules are about.
_TASK_WRITES = frozenset({REGISTER_TASK.name, UPDATE_TASK.name})


def test_the_facts() -> None:
    """F1/F2: two keys, 50 instance ids, 10 window targets; F6: the placeholder is "1"."""
    assert TARGET_KEYS == ("InstanceIds", "WindowTargetIds")
    assert dict(MAX_TARGET_VALUES) == {"InstanceIds": 50, "WindowTargetIds": 10}
    assert TARGETLESS_PLACEHOLDER == "1"
    assert is_targetless(None)
    assert is_targetless(())
    assert not is_targetless((Target.instances("i-0123456789abcdef0"),))


def test_a_targetless_task_is_reported_with_placeholders() -> None:
    """F6: without targets, max_concurrency and max_errors are reported as "1"."""
    definition = TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(parameters={"InstanceId": ("i-1",)}),
        priority=10,
        task_parameters={"level": TaskParameterValueExpression(values=("1",))},
    )
    reported = as_reported(definition)
    assert reported.max_concurrency == "1"
    assert reported.max_errors == "1"
    assert attrs.evolve(reported, max_concurrency=None, max_errors=None) == definition
    empty = attrs.evolve(definition, targets=())
    assert as_reported(empty) == attrs.evolve(empty, max_concurrency="1", max_errors="1")


#: A task with targets and without task parameters.
_PATCH = TaskDefinition(
    task_arn="AWS-RunPatchBaseline",
    task_invocation_parameters=RunCommandParameters(timeout_seconds=600),
    targets=(Target.instances("i-0123456789abcdef0"),),
    max_concurrency="2",
    max_errors="0",
)


def test_a_task_with_targets_is_reported_as_given() -> None:
    """With targets nothing is filled in (no evidence of any other default)."""
    definition = attrs.evolve(
        _PATCH, task_parameters={"level": TaskParameterValueExpression(values=("1",))}
    )
    assert as_reported(definition) is definition
    assert as_reported(definition).cutoff_behavior is None
    assert as_reported(definition).priority is None


def test_a_task_without_task_parameters_is_reported_with_an_empty_map() -> None:
    """F11: no task_parameters is reported as {}; an empty map given stays one."""
    assert as_reported(_PATCH) == attrs.evolve(_PATCH, task_parameters={})
    given_empty = attrs.evolve(_PATCH, task_parameters={})
    assert as_reported(given_empty) is given_empty


@given(definition=S.task_definitions())
def test_as_reported_is_idempotent_and_changes_only_the_placeholders(
    definition: TaskDefinition,
) -> None:
    """Applying it twice is applying it once; only the two limits of a targetless task (F6)
    and missing task parameters (F11) change."""
    once = as_reported(definition)
    assert as_reported(once) == once
    unfilled = {"max_concurrency": None, "max_errors": None, "task_parameters": None}
    assert attrs.evolve(once, **unfilled) == attrs.evolve(definition, **unfilled)
    assert once.task_parameters == (definition.task_parameters or {})
    unchanged = not is_targetless(definition.targets) and definition.task_parameters is not None
    assert (once == definition) is unchanged


@given(task_type=st.sampled_from([TaskType.AUTOMATION, TaskType.LAMBDA, TaskType.STEP_FUNCTIONS]))
def test_every_type_that_may_omit_targets_gets_placeholders(task_type: TaskType) -> None:
    """F4: Automation, Lambda and Step Functions tasks may be targetless."""
    reported = as_reported(TaskDefinition(task_arn="arn", task_type=task_type))
    assert (reported.max_concurrency, reported.max_errors) == ("1", "1")


def _full_model_pattern(shape: str) -> str:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ssm")
    return str(model.shape_for(shape).metadata["pattern"])


@pytest.mark.parametrize(
    ("rules_pattern", "shape", "samples"),
    [
        (
            INSTANCE_ID_PATTERN,
            "InstanceId",
            [
                "i-0123456789abcdef0",
                "i-01234567",
                "mi-0123456789abcdef0",
                "i-0123456789",
                "i-0123456789abcdef0\n",
                "x-0123456789abcdef0",
                "i-0123456789abcdéf0",
                "i-_123456789abcdef0",
                "mi-01234567",
                "",
            ],
        ),
        (
            WINDOW_TARGET_ID_PATTERN,
            "MaintenanceWindowTargetId",
            [
                "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3",
                "E32EECB2-646C-4F4B-8ED1-205FB0A1B2C3",
                "e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE",
                "e32eecb2646c4f4b8ed1205fb0a1b2c3",
                "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3\n",
                "",
            ],
        ),
    ],
    ids=["InstanceId", "MaintenanceWindowTargetId"],
)
def test_the_id_patterns_are_the_service_models(
    rules_pattern: str, shape: str, samples: list[str]
) -> None:
    """F3: the id patterns agree with the full SSM model's own shapes on every sample."""
    model = compile_pattern(_full_model_pattern(shape))
    for sample in samples:
        assert (re.fullmatch(rules_pattern, sample) is not None) is (
            model.search(sample) is not None
        ), sample


def test_the_instance_maximum_is_the_models() -> None:
    """F2: 50 instance ids is also the model's own maximum of TargetValues."""
    target = list_member(
        members(operation_input_shape("RegisterTaskWithMaintenanceWindow"))["Targets"]
    )
    assert int(members(target)["Values"].metadata["max"]) == MAX_TARGET_VALUES["InstanceIds"]


# -- each rule once: the records, and their three users ---------------------------------

ROOT = Path(__file__).resolve().parents[2]
#: The users of the rules: request validation, the embedded backend, the test-data strategies.
USERS = {
    "validation": ROOT / "src/ssm_mw/_validation.py",
    "backend": ROOT / "src/ssm_mw/testing/_backend.py",
    "strategies": ROOT / "tests/support/strategies.py",
}
#: The facts the records hold, which a user reaches only through the records.
BARE_FACTS = frozenset(
    {
        "INSTANCE_IDS",
        "INSTANCE_ID_PATTERN",
        "MAX_TARGET_VALUES",
        "TARGETLESS_PLACEHOLDER",
        "TARGET_KEYS",
        "TARGET_VALUE_PATTERNS",
        "WINDOW_TARGET_IDS",
        "WINDOW_TARGET_ID_PATTERN",
        "is_targetless",
    }
)
#: What the conditions look at: the fields of the facts and of the target kinds. The
#: client's validation and the backend build the facts, and never read them back.
CONDITION_FIELDS = frozenset(
    {
        "has_targets",
        "given",
        "lacking",
        "task_types",
        "kinds",
        "most",
        "pattern",
        "fullmatch",
        "matches",
        "too_many",
    }
)


def _texts(rule: Refusal) -> list[str]:
    """Every text of a record: its source, its messages, and the words of its target kinds."""
    texts = [v for v in attrs.asdict(rule, recurse=False).values() if isinstance(v, str)]
    if rule in TARGET_RULES:
        for kind in TARGET_KINDS.values():
            texts += [kind.noun, kind.service_noun, kind.too_many or ""]
    return texts


def _fragments(rule: Refusal) -> set[str]:
    """The literal parts of a record's texts (``str.format`` fields cut out), 16 characters up."""
    parts: set[str] = set()
    for text in _texts(rule):
        for part in re.split(r"\{[a-z_]*\}|\.\.\.", text):
            if len(part.strip()) >= 16:
                parts.add(part.strip())
    return parts


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _restatements(tree: ast.AST, *, builds_only: bool) -> list[str]:
    """Where ``tree`` restates a rule: each a line number and what it spells, takes or reads.

    ``builds_only``: the module builds facts and asks the records, and reads no field
    a condition looks at (the client's validation and the backend; the strategies
    read them to make data of the facts).
    """
    found: list[str] = []
    fragments = {f: rule.id for rule in RULES for f in _fragments(rule)}
    fragments[TARGETLESS_PLACEHOLDERS.source] = TARGETLESS_PLACEHOLDERS.id
    spelled = set(TARGET_KINDS) | set(RUN_COMMAND_NEEDS_TARGETS.task_types)
    for line, value in _strings(tree):
        found += [f"{line}: {rule_id} {f!r}" for f, rule_id in fragments.items() if f in value]
        if value in spelled:
            found.append(f"{line}: spells {value!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_rules"):
            bare = [a.name for a in node.names if a.name in BARE_FACTS]
            found += [f"{node.lineno}: imports {name}" for name in bare]
        if isinstance(node, ast.Attribute):
            if node.attr in RUN_COMMAND_NEEDS_TARGETS.task_types:
                found.append(f"{node.lineno}: names {node.attr}")
            # A compiled schema node (``node.pattern``) holds the model's constraints, no rule's.
            schema = isinstance(node.value, ast.Name) and node.value.id == "node"
            if builds_only and node.attr in CONDITION_FIELDS and not schema:
                found.append(f"{node.lineno}: reads .{node.attr}")
    return found


@pytest.mark.parametrize("user", list(USERS))
def test_no_user_restates_a_rule(user: str) -> None:
    """The rules' conditions, sources and messages are in ``_rules`` alone, not in their users.

    A user spells no part of a record's text (source, library or service message),
    no target key and no task type a rule names, and takes none of the bare facts
    from ``_rules``; the client's validation and the backend read no field that a
    condition looks at: they build the facts and ask the records.
    """
    tree = ast.parse(USERS[user].read_text(encoding="utf-8"))
    assert _restatements(tree, builds_only=user != "strategies") == []


def test_the_guard_sees_a_restated_rule() -> None:
    """The scan finds each kind of restatement (a broken scan would pass vacuously)."""
    restated = """
from ssm_mw._rules import TARGET_KEYS
if task_type == "RUN_COMMAND" and not facts.has_targets or key == "InstanceIds":
    raise Refused("Maintenance window tasks without targets do not support MaxErrors values.")
if params.task_type is TaskType.RUN_COMMAND:
    pass
"""
    found = set(_restatements(ast.parse(restated), builds_only=True))
    assert found == {
        "2: imports TARGET_KEYS",
        "3: spells 'RUN_COMMAND'",
        "3: spells 'InstanceIds'",
        "3: reads .has_targets",
        "4: F5 'Maintenance window tasks without targets do not support'",
        "5: names RUN_COMMAND",
    }
    assert set(_restatements(ast.parse(restated), builds_only=False)) == found - {
        "3: reads .has_targets"
    }


def test_every_rule_is_in_the_ledger() -> None:
    """Each record has its row in docs/fidelity.md, with its summary's words."""
    ledger = (ROOT / "docs/fidelity.md").read_text(encoding="utf-8")
    others = (TARGETLESS_PLACEHOLDERS, EMPTY_TASK_PARAMETERS, DEFAULT_SERVICE_ROLE)
    for rule in (*RULES, *CLIENT_RULES, IGNORED_DEPRECATED_MEMBERS, *others):
        assert f"\n| {rule.id} |" in ledger, rule.id
    assert [r.id for r in RULES] == ["F1", "F2", "F3", "F4", "F5", "F7", "F8", "F10"]


def test_each_operation_record_lists_the_rules_its_request_is_held_to() -> None:
    """Register holds F1-F5, F7, F13, F14; update adds F8, F10; the others none; each rule is
    held."""
    held = {op.name: op.rules for op in OPERATIONS}
    assert held[REGISTER_TASK.name] == ("F1", "F2", "F3", "F4", "F5", "F7", "F13", "F14")
    assert held[UPDATE_TASK.name] == (*held[REGISTER_TASK.name], "F8", "F10")
    assert {ids for name, ids in held.items() if name not in _TASK_WRITES} == {()}
    checked = (*RULES, *CLIENT_RULES, IGNORED_DEPRECATED_MEMBERS)
    assert {i for ids in held.values() for i in ids} == {r.id for r in checked}


def test_a_rule_no_record_holds_is_not_checked() -> None:
    """``held`` narrows the breaches to the record's rules: the others are not reported."""
    assert [b.rule for b in target_breaches("Bogus", ["x"])] == [TARGET_RULES[0]]
    assert target_breaches("Bogus", ["x"], held=("F2", "F3")) == []
    limited = whole_task(TaskType.LAMBDA.value, False, frozenset(LIMITS))
    assert {b.rule for b in task_breaches(limited)} == {TARGETLESS_TAKES_NO_LIMITS}
    assert task_breaches(limited, ("F4", "F7")) == ()
    untargeted = whole_task(TaskType.RUN_COMMAND.value, False, frozenset())
    assert {b.rule for b in task_breaches(untargeted)} == {RUN_COMMAND_NEEDS_TARGETS}
    assert {b.rule for b in task_breaches(untargeted, ("F4",))} == {RUN_COMMAND_NEEDS_TARGETS}
    assert task_breaches(untargeted, ("F5",)) == ()


def test_the_valid_facts_come_from_the_records() -> None:
    """What the strategies draw: Run Command needs targets; limits go with targets alone."""
    run, lam = TaskType.RUN_COMMAND.value, TaskType.LAMBDA.value
    both = frozenset(LIMITS)
    assert allowed_limits(run, False, whole=True) == ()
    assert allowed_limits(run, True, whole=True) == (both,)
    assert allowed_limits(lam, False, whole=True) == (frozenset(),)
    assert allowed_limits(None, False, whole=False) == (frozenset(),)
    assert len(allowed_limits(None, None, whole=False)) == 4
    for task_type in [t.value for t in TaskType]:
        for facts in whole_tasks(task_type):
            assert task_breaches(facts) == ()
        for rule in TASK_RULES:
            for facts in whole_tasks(task_type, rule):
                assert {b.rule for b in task_breaches(facts)} == {rule}
    assert whole_tasks(lam, RUN_COMMAND_NEEDS_TARGETS) == ()


@pytest.fixture(scope="module")
def raw_client(loop_client: LoopClient, ssm_server: EmbeddedSSMServer) -> Iterator[Any]:
    """A plain aiobotocore client on ``loop_client``'s loop (nothing of ssm-mw in the way)."""
    opened = raw_ssm(ssm_server)
    client = loop_client.run(opened.__aenter__())
    try:
        yield client
    finally:
        loop_client.run(opened.__aexit__(None, None, None))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
@given(data=st.data())
def test_every_rule_is_kept_by_the_client_and_the_backend(
    rule: Refusal,
    data: st.DataObject,
    loop_client: LoopClient,
    raw_client: Any,
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Each record, through its three users: data the strategies draw to break it alone is
    refused by the client (before sending) as the record says, and by the backend in the
    record's service message."""
    broken: S.Broken = data.draw(S.breaking(rule))
    window_id = ssm_server.create_maintenance_window(name="rules")
    mw = loop_client.client
    task_id = "00000000-0000-4000-8000-000000000000"
    if broken.update is None:
        call = mw.register_task_with_maintenance_window(window_id, broken.definition)
        request = register_request(window_id, broken.definition, "token")
        send = raw_client.register_task_with_maintenance_window
    else:
        task_id = loop_client.run(
            mw.register_task_with_maintenance_window(window_id, broken.definition)
        )
        call = mw.update_maintenance_window_task(window_id, task_id, broken.update, replace=True)
        request = update_request(window_id, task_id, broken.update, True)
        send = raw_client.update_maintenance_window_task
    before = ssm_server.request_count()
    with pytest.raises(ValidationError) as caught:
        loop_client.run(call)
    assert ssm_server.request_count() == before
    assert [(v.path, v.message) for v in caught.value.violations] == list(broken.violations)
    with pytest.raises(ClientError) as refused:
        loop_client.run(send(**request))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert refused.value.response["Error"]["Message"] == broken.service_message
