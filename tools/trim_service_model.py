"""Generate ssm-mw's trimmed SSM model and endpoint slice from the installed (pinned) botocore.

The trimmed model keeps, exactly as botocore ships them: the top-level
members (``version``, ``metadata``, ``documentation``), the four
maintenance-window task operations, and every shape they reach (input,
output and error shapes, recursively). Everything else is left out, so
loading it costs a fraction of the full model. ``tests/shapes/test_trimmed_model.py``
checks the shipped file against botocore, so a botocore upgrade fails the
tests until the file is regenerated.

The endpoint slice (``ssm_mw/_data/endpoints-slice.json``) is botocore's
``endpoints.json`` with every partition kept whole except its services, cut
to those ssm-mw's own sessions create clients for
(``_config.ENDPOINT_SERVICES``), under the botocore release it was cut from:
the client's own loader uses it only with that release (see
``_config._OwnServiceLoader``)::

    python tools/trim_service_model.py          # write the file
    python tools/trim_service_model.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from ssm_mw._config import ENDPOINT_SERVICES, ENDPOINTS_SLICE
from ssm_mw._operations import OPERATION_NAMES as OPERATIONS
from ssm_mw._shapes import DATA_PATH

SERVICE = "ssm"
API_VERSION = "2014-11-06"
TARGET = DATA_PATH / SERVICE / API_VERSION / "service-2.json"


def full_model() -> dict[str, Any]:
    """botocore's own SSM model, loaded by a fresh loader with its default search paths."""
    from botocore.loaders import create_loader

    model: dict[str, Any] = create_loader().load_service_model(SERVICE, "service-2", API_VERSION)
    return model


def full_endpoints() -> tuple[dict[str, Any], str]:
    """botocore's own ``endpoints.json`` and the botocore release it belongs to."""
    import botocore
    from botocore.loaders import create_loader

    table: dict[str, Any] = create_loader().load_data("endpoints")
    return table, botocore.__version__


def cut_endpoints(table: Mapping[str, Any], release: str) -> dict[str, Any]:
    """The slice: every partition as it is, with its services cut to ``ENDPOINT_SERVICES``."""
    partitions = [
        {
            key: (
                {n: s for n, s in value.items() if n in ENDPOINT_SERVICES}
                if key == "services"
                else value
            )
            for key, value in partition.items()
        }
        for partition in table["partitions"]
    ]
    rest = {key: value for key, value in table.items() if key != "partitions"}
    return {
        "botocore": release,
        "services": sorted(ENDPOINT_SERVICES),
        "endpoints": {"partitions": partitions, **rest},
    }


def _refs(shape: Mapping[str, Any]) -> Iterable[str]:
    """The names of the shapes a shape refers to directly."""
    for member in shape.get("members", {}).values():
        yield member["shape"]
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]


def reachable_shapes(model: Mapping[str, Any], operations: Iterable[str]) -> list[str]:
    """Every shape the operations reach, in the full model's order."""
    shapes = model["shapes"]
    todo: list[str] = []
    for name in operations:
        operation = model["operations"][name]
        for key in ("input", "output"):
            if key in operation:
                todo.append(operation[key]["shape"])
        todo.extend(error["shape"] for error in operation.get("errors", []))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs(shapes[name]))
    return [name for name in shapes if name in seen]


def trim(model: Mapping[str, Any], operations: Iterable[str] = OPERATIONS) -> dict[str, Any]:
    """The trimmed model: top-level members, ``operations`` and the shapes they reach."""
    operations = tuple(operations)
    trimmed = {key: value for key, value in model.items() if key not in ("operations", "shapes")}
    trimmed["operations"] = {name: model["operations"][name] for name in operations}
    trimmed["shapes"] = {
        name: model["shapes"][name] for name in reachable_shapes(model, operations)
    }
    return trimmed


def render(model: Mapping[str, Any]) -> str:
    """The file's text (stable: the same model always gives the same bytes)."""
    return json.dumps(model, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the trimmed model and the endpoint slice, or with ``--check`` check both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    files = {
        TARGET: render(trim(full_model())),
        ENDPOINTS_SLICE: render(cut_endpoints(*full_endpoints())),
    }
    stale = 0
    for target, text in files.items():
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if current != text:
                print(f"{target} is out of date: run python tools/trim_service_model.py")
                stale = 1
            else:
                print(f"{target} is current")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target} ({len(text)} bytes)")
    return stale


if __name__ == "__main__":
    sys.exit(main())
