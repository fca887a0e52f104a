"""The compiled schema: one node per shape, complete whichever thread asks; its sensitive paths."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from ssm_mw._operations import GET_TASK, OPERATIONS
from ssm_mw._redact import REDACTED
from ssm_mw._schema import (
    Node,
    SchemaTable,
    input_schema,
    is_sensitive_path,
    output_schema,
    redact_response,
    sensitive_paths,
)
from ssm_mw._shapes import Shape, members, operation_input_shape, operation_output_shape
from support.operations import DESCRIBE, GET, REGISTER


@pytest.fixture
def fine_switching() -> Iterator[None]:
    """Threads switch as often as CPython allows, so a race shows in a few rounds."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _structures(node: Node, seen: set[int]) -> Iterator[Node]:
    if id(node) in seen:
        return
    seen.add(id(node))
    if node.kind == "structure":
        yield node
    for child in [m.node for m in node.members.values()] + [node.item, node.key, node.value]:
        if child is not None:
            yield from _structures(child, seen)


def _compile_at_once(shapes: list[Shape], threads: int) -> list[str]:
    """Compile ``shapes`` from ``threads`` threads into one fresh table; the incomplete nodes."""
    table = SchemaTable()
    barrier = threading.Barrier(threads)
    expected = {shape.name: len(members(shape)) for shape in shapes}
    incomplete: list[str] = []

    def compile_all(reverse: bool) -> None:
        barrier.wait()
        for shape in reversed(shapes) if reverse else shapes:
            node = table.node(shape)
            if len(node.members) != expected[shape.name]:
                incomplete.append(shape.name)
            incomplete.extend(
                s.name for s in _structures(node, set()) if s.required - set(s.members)
            )

    workers = [threading.Thread(target=compile_all, args=(i % 2 == 1,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return incomplete


@pytest.mark.usefixtures("fine_switching")
def test_threads_sharing_a_table_each_get_complete_nodes() -> None:
    """Eight threads compile every operation's shapes into one fresh table at once.

    Every structure any thread gets back has its members: no thread sees a
    node another is still filling (a response encoder built from one would
    drop members such as ``WindowId``).
    """
    shapes = [
        shape
        for spec in OPERATIONS
        for shape in (operation_input_shape(spec.name), operation_output_shape(spec.name))
    ]
    for _ in range(10):
        assert _compile_at_once(shapes, 8) == []


def test_each_operation_is_compiled_once() -> None:
    """The registry's schemas are one table: asking twice gives the same node."""
    for spec in OPERATIONS:
        assert input_schema(spec.name) is input_schema(spec.name)
        assert output_schema(spec.name) is output_schema(spec.name)
    assert (
        input_schema(GET_TASK.name).members["WindowId"].node
        is output_schema(GET_TASK.name).members["WindowId"].node
    )


# -- sensitive values ---------------------------------------------------------------

TASK_ID = "e32eecb2-646c-4f4b-8ed1-205fbaabbccd"
SECRET = "s3cr3t-9f1c2d"


def test_sensitive_paths_from_the_model() -> None:
    """The model's sensitive flags give the outermost sensitive members of a request."""
    assert sensitive_paths(REGISTER) == {
        "TaskParameters",
        "Description",
        "TaskInvocationParameters.RunCommand.Parameters",
        "TaskInvocationParameters.StepFunctions.Input",
        "TaskInvocationParameters.Lambda.Payload",
    }
    assert sensitive_paths(GET) == frozenset()
    assert sensitive_paths(DESCRIBE, output=True) == {
        "Tasks[].Description",
        "Tasks[].TaskParameters",
    }


@pytest.mark.parametrize(
    ("operation", "path", "output", "expected"),
    [
        (REGISTER, "Description", False, True),
        (REGISTER, "TaskParameters{}.Values[]", False, True),
        (REGISTER, "TaskInvocationParameters.Lambda.Payload", False, True),
        (REGISTER, "TaskInvocationParameters.Lambda.Qualifier", False, False),
        (REGISTER, "TaskParametersX", False, False),
        (DESCRIBE, "Tasks[].Description", True, True),
        (DESCRIBE, "Tasks[].Name", True, False),
        (GET, "WindowId", False, False),
    ],
)
def test_is_sensitive_path(operation: str, path: str, output: bool, expected: bool) -> None:
    """A wire member is sensitive when it or an enclosing member is marked so."""
    assert is_sensitive_path(operation, path, output=output) is expected


def test_redact_response_keeps_metadata() -> None:
    """redact_response blanks sensitive response members and keeps ResponseMetadata."""
    response = {
        "Tasks": [{"WindowTaskId": TASK_ID, "Description": SECRET}],
        "ResponseMetadata": {"RequestId": "r-1"},
    }
    assert redact_response(DESCRIBE, response) == {
        "Tasks": [{"WindowTaskId": TASK_ID, "Description": REDACTED}],
        "ResponseMetadata": {"RequestId": "r-1"},
    }
