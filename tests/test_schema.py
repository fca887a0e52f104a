"""The compiled schema: one node per shape, complete whichever thread asks first."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from ssm_mw._operations import GET_TASK, OPERATIONS
from ssm_mw._schema import Node, SchemaTable, input_schema, output_schema
from ssm_mw._shapes import Shape, members, operation_input_shape, operation_output_shape


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
