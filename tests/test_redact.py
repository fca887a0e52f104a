"""Secrets planted in every sensitive member never show in repr, str, errors or logs.

A known secret goes into every member the botocore model marks ``sensitive``
(task parameters, Run Command parameters, the Lambda payload, the Step
Functions input, the description). The client then registers, gets, updates
and lists tasks on the embedded backend, and fails in every way it can:
validation errors in those members and in others, service errors from the
backend, a transport error. Meanwhile the root logger captures every record at
DEBUG, botocore's and aiobotocore's included. The secret (and the base64 form
the payload takes on the wire) must be in none of: ``repr()``/``str()`` of
any model, any exception's message or traceback, any log record's message or
arguments. The values stay readable as attributes.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import traceback
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import attrs
import pytest
from aiobotocore.config import AioConfig
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import (
    AutomationParameters,
    DoesNotExistError,
    IdempotentParameterMismatchError,
    LambdaParameters,
    MaintenanceWindowClient,
    MaintenanceWindowTaskDetails,
    RunCommandParameters,
    ServiceError,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
    TaskUpdate,
    ThrottlingError,
    TransportError,
    ValidationError,
    from_botocore,
)
from ssm_mw.testing import EmbeddedSSMServer
from support import strategies as S
from support.clients import client_for
from support.figures import count
from support.operations import DESCRIBE, GET, REGISTER, UPDATE

#: Letters and digits only: the same in JSON, in repr() and in URLs.
SECRET = f"Sekr1t{uuid.uuid4().hex[:16]}"
PAYLOAD = json.dumps({"token": SECRET}).encode()
#: Every form the secret takes: as is, and the payload as the wire carries it (base64).
NEEDLES = (SECRET, base64.b64encode(PAYLOAD).decode())

#: The loggers of the embedded backend's side (its own threads, not the client's).
SERVER_LOGGERS = ("moto", "werkzeug", "ssm_mw.testing", "botocore", "urllib3")


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


def leaks(text: str) -> list[str]:
    """The needles found in ``text``."""
    return [needle for needle in NEEDLES if needle in text]


# -- what is planted ---------------------------------------------------------------


def _sensitive_members(shape: Any, path: str, seen: frozenset[str], out: set[str]) -> None:
    if shape.metadata.get("sensitive"):
        out.add(path)
        return
    if shape.name in seen:
        return
    seen = seen | {shape.name}
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            _sensitive_members(member, f"{path}.{name}" if path else name, seen, out)
    elif shape.type_name == "list":
        _sensitive_members(shape.member, f"{path}[]", seen, out)
    elif shape.type_name == "map":
        _sensitive_members(shape.value, f"{path}{{}}", seen, out)


def sensitive_members(operation: str, *, output: bool = False) -> set[str]:
    """The wire paths of the outermost sensitive members of an operation's input or output."""
    model = S.service_model().operation_model(operation)
    out: set[str] = set()
    _sensitive_members(model.output_shape if output else model.input_shape, "", frozenset(), out)
    return out


PLANTED = {
    "TaskParameters",
    "Description",
    "TaskInvocationParameters.RunCommand.Parameters",
    "TaskInvocationParameters.StepFunctions.Input",
    "TaskInvocationParameters.Lambda.Payload",
}


def planted_params(variant: type) -> Any:
    """Invocation parameters of ``variant`` with the secret in each sensitive member."""
    if variant is RunCommandParameters:
        return RunCommandParameters(
            parameters={"commands": (f"echo {SECRET}",)}, timeout_seconds=60
        )
    if variant is StepFunctionsParameters:
        return StepFunctionsParameters(input=json.dumps({"token": SECRET}), name="run")
    if variant is LambdaParameters:
        return LambdaParameters(payload=PAYLOAD, qualifier="$LATEST")
    return AutomationParameters(parameters={"InstanceId": ("i-0123456789abcdef0",)})


def planted_definition(variant: type) -> TaskDefinition:
    """A definition with the secret in every sensitive member that its variant has."""
    return TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
        task_invocation_parameters=planted_params(variant),
        targets=(Target.instances("i-0123456789abcdef0"),),
        max_concurrency="1",
        max_errors="0",
        task_parameters={"token": TaskParameterValueExpression(values=(SECRET, "plain"))},
        description=f"rotate {SECRET}",
        name="planted",
    )


def planted_update(variant: type) -> TaskUpdate:
    """An update that sets every sensitive member again, with the secret."""
    return TaskUpdate(
        task_invocation_parameters=planted_params(variant),
        task_parameters={"token": TaskParameterValueExpression(values=("again", SECRET))},
        description=f"again {SECRET}",
    )


VARIANTS = [RunCommandParameters, AutomationParameters, StepFunctionsParameters, LambdaParameters]


def test_the_planted_members_are_every_sensitive_member_of_the_model() -> None:
    """Every member the botocore model marks sensitive, in every operation, gets the secret."""
    for operation in (REGISTER, UPDATE):
        assert sensitive_members(operation) == PLANTED
    assert sensitive_members(GET, output=True) == PLANTED
    assert sensitive_members(UPDATE, output=True) == PLANTED
    assert sensitive_members(DESCRIBE, output=True) == {
        "Tasks[].TaskParameters",
        "Tasks[].Description",
    }
    assert sensitive_members(DESCRIBE) == set()
    assert sensitive_members(GET) == set()


# -- scanning ----------------------------------------------------------------------


class Scan:
    """Collects everything a user could see, to search it for the secret at the end."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def add(self, what: str, text: str) -> None:
        self.texts.append((what, text))

    def model(self, what: str, model: object) -> None:
        self.add(f"repr({what})", repr(model))
        self.add(f"str({what})", str(model))

    def error(self, what: str, exc: BaseException) -> None:
        self.add(f"str({what})", str(exc))
        self.add(f"repr({what})", repr(exc))
        self.add(f"args({what})", repr(exc.args))
        self.add(f"traceback({what})", "".join(traceback.format_exception(exc)))
        if isinstance(exc, ValidationError):
            for v in exc.violations:
                self.add(f"violation({what})", f"{v.path} {v.message} {v!r}")
        count("secrets:errors_scanned")

    def records(self, records: list[logging.LogRecord]) -> None:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        here = threading.get_ident()
        for record in records:
            if record.thread != here:
                # The embedded backend's threads: the fake service's own logs.
                assert record.name.startswith(SERVER_LOGGERS), record.name
                continue
            self.add(f"log {record.name}", formatter.format(record))
            self.add(f"log args {record.name}", repr(record.args) + repr(record.msg))
            count("secrets:log_records_scanned")

    def assert_clean(self) -> None:
        found = [(what, leaks(text)) for what, text in self.texts if leaks(text)]
        assert found == [], found[:5]
        count("secrets:texts_scanned", len(self.texts))


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record at DEBUG and above, from every logger (root level DEBUG)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="ssm_mw")
    return caplog


def _readable(details: MaintenanceWindowTaskDetails, variant: type, update: bool) -> None:
    """The secret values are there, as attributes."""
    word = "again" if update else "rotate"
    assert details.description == f"{word} {SECRET}"
    assert details.task_parameters is not None
    assert SECRET in (details.task_parameters["token"].values or ())
    params = details.task_invocation_parameters
    if variant is LambdaParameters:
        assert isinstance(params, LambdaParameters)
        assert params.payload == PAYLOAD
    elif variant is StepFunctionsParameters:
        assert isinstance(params, StepFunctionsParameters)
        assert params.input is not None
        assert SECRET in params.input
    elif variant is RunCommandParameters:
        assert isinstance(params, RunCommandParameters)
        assert params.parameters == {"commands": (f"echo {SECRET}",)}


class Planted(NamedTuple):
    """A task type's planted definition, a new window for it, and a scan of what a user sees."""

    variant: type
    window_id: str
    definition: TaskDefinition
    scan: Scan


@pytest.fixture(params=VARIANTS, ids=lambda v: v.__name__)
def planted(request: pytest.FixtureRequest, ssm_server: EmbeddedSSMServer) -> Planted:
    """Each invocation-parameters variant in turn, planted (a test using it runs for each)."""
    variant = request.param
    window_id = ssm_server.create_maintenance_window()
    return Planted(variant, window_id, planted_definition(variant), Scan())


async def test_a_full_round_of_calls_leaks_no_secret(
    planted: Planted, ssm_server: EmbeddedSSMServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    """Register, get, update, describe with planted secrets: no secret in repr, str or logs."""
    variant, window_id, definition, scan = planted
    update = planted_update(variant)
    scan.model("definition", definition)
    scan.model("update", update)
    async with client_for(ssm_server) as mw:
        task_id = await mw.register_task_with_maintenance_window(window_id, definition)
        details = await mw.get_maintenance_window_task(window_id, task_id)
        _readable(details, variant, update=False)
        scan.model("get result", details)
        updated = await mw.update_maintenance_window_task(window_id, task_id, update)
        _readable(updated, variant, update=True)
        scan.model("update result", updated)
        page = await mw.describe_maintenance_window_tasks(window_id)
        scan.model("describe page", page)
        async for task in mw.paginate_maintenance_window_tasks(window_id):
            assert task.description == f"again {SECRET}"
            scan.model("described task", task)
    scan.records(debug_logs.records)
    assert any(r.name == "botocore.endpoint" for r in debug_logs.records), "botocore logged"
    assert any(r.name == "botocore.parsers" for r in debug_logs.records), "bodies logged"
    assert any(r.name == "ssm_mw" for r in debug_logs.records), "ssm-mw logged its calls"
    scan.assert_clean()


def _too_long_in_each_sensitive_member(variant: type) -> Iterator[tuple[str, TaskDefinition]]:
    base = planted_definition(variant)
    yield "description", attrs.evolve(base, description="x" * 120 + SECRET)
    yield (
        "task_parameters[token].values[0]",
        attrs.evolve(
            base, task_parameters={"token": TaskParameterValueExpression(values=(SECRET * 20,))}
        ),
    )
    yield (
        "task_parameters",
        attrs.evolve(base, task_parameters={"": TaskParameterValueExpression(values=(SECRET,))}),
    )
    if variant is StepFunctionsParameters:
        params = StepFunctionsParameters(input=SECRET * 200, name="run")
        yield (
            "task_invocation_parameters.input",
            attrs.evolve(base, task_invocation_parameters=params),
        )
    if variant is LambdaParameters:
        params = LambdaParameters(payload=PAYLOAD * 200)
        yield (
            "task_invocation_parameters.payload",
            attrs.evolve(base, task_invocation_parameters=params),
        )
    if variant is RunCommandParameters:
        params = attrs.evolve(planted_params(variant), timeout_seconds=5)
        yield (
            "task_invocation_parameters.timeout_seconds",
            attrs.evolve(base, task_invocation_parameters=params),
        )
    # A member that is not sensitive is broken; the secrets sit in the others.
    yield "max_concurrency", attrs.evolve(base, max_concurrency="0")
    yield "name", attrs.evolve(base, name="not a valid name")


async def test_errors_leak_no_secret(
    planted: Planted, ssm_server: EmbeddedSSMServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    """Validation, service and transport errors about planted requests hold no secret."""
    variant, window_id, definition, scan = planted
    before = ssm_server.request_count()
    async with client_for(ssm_server, retries={"mode": "standard", "total_max_attempts": 2}) as mw:
        for path, bad in _too_long_in_each_sensitive_member(variant):
            with pytest.raises(ValidationError) as raised:
                await mw.register_task_with_maintenance_window(window_id, bad)
            assert path in raised.value.paths
            scan.error(f"validation {path}", raised.value)
            bad_update = TaskUpdate(
                description=bad.description,
                task_parameters=bad.task_parameters,
                task_invocation_parameters=bad.task_invocation_parameters,
                max_concurrency=bad.max_concurrency,
                name=bad.name,
            )
            with pytest.raises(ValidationError) as raised:
                await mw.update_maintenance_window_task(window_id, str(uuid.uuid4()), bad_update)
            scan.error(f"update validation {path}", raised.value)
        assert ssm_server.request_count() == before, "nothing invalid was sent"

        with pytest.raises(DoesNotExistError) as missing:
            await mw.register_task_with_maintenance_window("mw-00000000000000000", definition)
        scan.error("missing window", missing.value)

        token = str(uuid.uuid4())
        task_id = await mw.register_task_with_maintenance_window(
            window_id, definition, client_token=token
        )
        other = attrs.evolve(definition, description=f"other {SECRET}")
        with pytest.raises(IdempotentParameterMismatchError) as mismatch:
            await mw.register_task_with_maintenance_window(window_id, other, client_token=token)
        scan.error("token reused", mismatch.value)

        ssm_server.inject_fault(UPDATE, "ThrottlingException", times=2)
        with pytest.raises(ThrottlingError) as throttled:
            await mw.update_maintenance_window_task(window_id, task_id, planted_update(variant))
        scan.error("throttled past the budget", throttled.value)

        # The backend refuses parameters of another task type (a server-side check).
        wrong = LambdaParameters if variant is not LambdaParameters else StepFunctionsParameters
        with pytest.raises(ServiceError) as refused:
            await mw.update_maintenance_window_task(
                window_id,
                task_id,
                TaskUpdate(
                    task_invocation_parameters=planted_params(wrong),
                    description=f"wrong {SECRET}",
                ),
            )
        assert refused.value.code == "ValidationException"
        scan.error("refused by the backend", refused.value)

    unreachable = MaintenanceWindowClient(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        session=ssm_server.aio_session(),
        config=AioConfig(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    async with unreachable as mw:
        with pytest.raises(TransportError) as lost:
            await mw.register_task_with_maintenance_window(window_id, definition)
        scan.error("unreachable endpoint", lost.value)

    scan.records(debug_logs.records)
    scan.assert_clean()


def _plant(model: Any) -> Any:
    """``model`` with the secret in each sensitive attribute it has, at every depth."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(model)):
        name, value = field.name, getattr(model, field.name)
        if name == "task_parameters":
            changes[name] = {"p": TaskParameterValueExpression(values=(SECRET,))}
        elif name == "description":
            changes[name] = SECRET
        elif isinstance(model, RunCommandParameters) and name == "parameters":
            changes[name] = {"commands": (SECRET,)}
        elif isinstance(model, StepFunctionsParameters) and name == "input":
            changes[name] = SECRET
        elif isinstance(model, LambdaParameters) and name == "payload":
            changes[name] = PAYLOAD
        elif attrs.has(type(value)):
            changes[name] = _plant(value)
    return attrs.evolve(model, **changes)


@pytest.mark.parametrize(
    "cls",
    [TaskDefinition, TaskUpdate, MaintenanceWindowTaskDetails, *VARIANTS],
    ids=lambda c: c.__name__,
)
@given(data=st.data())
def test_repr_of_any_model_hides_planted_secrets(cls: type, data: st.DataObject) -> None:
    """Any model with the secret in its sensitive members: repr() and str() never show it."""
    count("examples:secrets_repr")
    model = _plant(data.draw(S.MODELS[cls](True)))
    assert leaks(repr(model)) == []
    assert leaks(str(model)) == []


@given(
    response=S.botocore_values(S.output_shape(GET), always=frozenset({"WindowId", "WindowTaskId"}))
)
def test_a_parsed_response_hides_its_secrets(response: dict[str, Any]) -> None:
    """A fuzzed get response with the secret in its sensitive members: repr() never shows it."""
    count("examples:secrets_response")
    response = dict(response)
    response["Description"] = SECRET
    response["TaskParameters"] = {"k": {"Values": [SECRET]}}
    block = response.get("TaskInvocationParameters")
    if isinstance(block, dict) and len(block) == 1:
        ((name, inner),) = block.items()
        planted = {
            "RunCommand": ("Parameters", {"c": [SECRET]}),
            "StepFunctions": ("Input", SECRET),
            "Lambda": ("Payload", PAYLOAD),
        }
        if name in planted and isinstance(inner, dict):
            key, value = planted[name]
            response["TaskInvocationParameters"] = {name: {**inner, key: value}}
    elif isinstance(block, dict):
        response["TaskInvocationParameters"] = {**block, "Future": {"Secret": SECRET}}
    details = from_botocore(response, MaintenanceWindowTaskDetails)
    assert leaks(repr(details)) == []
    assert leaks(str(details)) == []
    assert details.description == SECRET
