"""The trimmed SSM model that ssm-mw ships equals botocore's for the four task operations.

``src/ssm_mw/_data/ssm/2014-11-06/service-2.json`` is made by
``tools/trim_service_model.py`` from the installed (pinned) botocore. These
tests compare it with what botocore ships now, so a botocore upgrade that
changes anything the file holds fails here until it is regenerated.

At another botocore than the pinned one (``constraints.txt``; the lowest and
newest sessions of ``make matrix``), the documentation strings may differ, and
the tests compare everything else: the contract.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import pytest
from botocore.loaders import create_loader
from botocore.model import ServiceModel

from ssm_mw._config import ENDPOINTS_SLICE
from ssm_mw._operations import OPERATION_NAMES as OPERATIONS
from ssm_mw._shapes import DATA_PATH, service_model

ROOT = Path(__file__).resolve().parents[2]
TRIMMED_FILE = DATA_PATH / "ssm" / "2014-11-06" / "service-2.json"
PINNED_BOTOCORE = next(
    line.split("==", 1)[1].strip()
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    if line.startswith("botocore==")
)
AT_PIN = botocore.__version__ == PINNED_BOTOCORE


def _contract(data: Any) -> Any:
    """``data`` itself at the pinned botocore; elsewhere without its documentation strings."""
    if AT_PIN:
        return data
    if isinstance(data, Mapping):
        return {k: _contract(v) for k, v in data.items() if k != "documentation"}
    if isinstance(data, list):
        return [_contract(v) for v in data]
    return data


@pytest.fixture(scope="module")
def full() -> dict[str, Any]:
    """botocore's own SSM model, from botocore's default search paths only."""
    model: dict[str, Any] = create_loader().load_service_model("ssm", "service-2")
    return model


@pytest.fixture(scope="module")
def trimmed() -> dict[str, Any]:
    """The shipped file, as JSON."""
    data: dict[str, Any] = json.loads(TRIMMED_FILE.read_text(encoding="utf-8"))
    return data


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "trim_tool", ROOT / "tools" / "trim_service_model.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reachable(model: Mapping[str, Any], operation: str) -> Iterator[str]:
    """Every shape name an operation reaches (input, output, errors, recursively)."""
    op = model["operations"][operation]
    todo = [op[k]["shape"] for k in ("input", "output") if k in op]
    todo += [e["shape"] for e in op.get("errors", [])]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        yield name
        shape = model["shapes"][name]
        todo += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]


def test_the_file_is_what_the_tool_makes_from_the_pinned_botocore() -> None:
    """Byte for byte: regenerate with ``python tools/trim_service_model.py`` after an upgrade."""
    tool = _tool()
    made = tool.render(tool.trim(tool.full_model()))
    if AT_PIN:
        assert TRIMMED_FILE.read_text(encoding="utf-8") == made
    else:
        assert _contract(json.loads(TRIMMED_FILE.read_text(encoding="utf-8"))) == _contract(
            json.loads(made)
        )


def test_the_endpoint_slice_is_what_the_tool_cuts_from_the_installed_botocore() -> None:
    """Byte for byte at the pinned botocore; at any other, it names a release not installed."""
    tool = _tool()
    shipped = ENDPOINTS_SLICE.read_text(encoding="utf-8")
    if AT_PIN:
        assert shipped == tool.render(tool.cut_endpoints(*tool.full_endpoints()))
    else:
        assert json.loads(shipped)["botocore"] == PINNED_BOTOCORE != botocore.__version__


def test_service_metadata_and_top_level_members_are_botocore_s(
    full: dict[str, Any], trimmed: dict[str, Any]
) -> None:
    """version, metadata and documentation are exactly botocore's."""
    assert set(trimmed) == set(full)
    for key in full:
        if key not in ("operations", "shapes") and (AT_PIN or key != "documentation"):
            assert _contract(trimmed[key]) == _contract(full[key]), key


def test_exactly_the_registry_s_operations_each_equal(
    full: dict[str, Any], trimmed: dict[str, Any]
) -> None:
    """The operations are the registry's, each exactly as botocore has it."""
    assert tuple(trimmed["operations"]) == OPERATIONS
    for name in OPERATIONS:
        assert _contract(trimmed["operations"][name]) == _contract(full["operations"][name]), name


def test_every_shape_reached_is_equal_and_nothing_else_is_there(
    full: dict[str, Any], trimmed: dict[str, Any]
) -> None:
    """Input, output and error shapes, recursively, are botocore's; no other shape ships."""
    reached = {name for op in OPERATIONS for name in _reachable(full, op)}
    assert set(trimmed["shapes"]) == reached
    for name in reached:
        assert _contract(trimmed["shapes"][name]) == _contract(full["shapes"][name]), name
    # The same closure, computed on the trimmed model itself, is complete.
    assert {name for op in OPERATIONS for name in _reachable(trimmed, op)} == reached


def _describe(shape: Any, seen: frozenset[str] = frozenset()) -> Any:
    """A botocore Shape as plain data, recursively (what botocore's model objects expose)."""
    node: dict[str, Any] = {
        "name": shape.name,
        "type": shape.type_name,
        "metadata": dict(shape.metadata),
        "serialization": dict(shape.serialization),
        "documentation": shape.documentation if AT_PIN else None,
        "required": list(getattr(shape, "required_members", [])),
    }
    if shape.name in seen:
        return node
    seen = seen | {shape.name}
    if shape.type_name == "structure":
        node["members"] = {k: _describe(v, seen) for k, v in shape.members.items()}
    elif shape.type_name == "list":
        node["member"] = _describe(shape.member, seen)
    elif shape.type_name == "map":
        node["key"] = _describe(shape.key, seen)
        node["value"] = _describe(shape.value, seen)
    return node


def test_botocore_builds_the_same_operation_models(
    full: dict[str, Any], trimmed: dict[str, Any]
) -> None:
    """Through botocore's ServiceModel: same operation models, shapes, errors and metadata."""
    big, small = ServiceModel(full, "ssm"), ServiceModel(trimmed, "ssm")
    assert small.operation_names == sorted(OPERATIONS)
    assert small.metadata == big.metadata
    assert small.service_id == big.service_id
    assert small.signing_name == big.signing_name
    assert small.protocol == big.protocol
    for name in OPERATIONS:
        a, b = big.operation_model(name), small.operation_model(name)
        assert b.http == a.http
        assert b.metadata == a.metadata
        assert b.auth_type == a.auth_type
        assert _describe(b.input_shape) == _describe(a.input_shape)
        assert _describe(b.output_shape) == _describe(a.output_shape)
        assert [_describe(e) for e in b.error_shapes] == [_describe(e) for e in a.error_shapes]


def test_shapes_helpers_load_the_trimmed_model() -> None:
    """_shapes.service_model() is the trimmed model."""
    assert sorted(service_model().operation_names) == sorted(OPERATIONS)
