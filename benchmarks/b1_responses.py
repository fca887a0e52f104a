"""B1, responses: ``from_botocore`` on a full get response against two baselines.

* botocore's own parse of the same HTTP body (JSON 1.1 protocol parser, the
  work every call already pays), target <= 0.35x;
* pydantic v2 ``model_validate`` of an equivalent hand-written pydantic model
  (:mod:`benchmarks.pydantic_models`), target <= 1.5x (aim: parity).
"""

from __future__ import annotations

from botocore.parsers import create_parser

from ssm_mw import MaintenanceWindowTaskDetails, from_botocore, to_botocore

from ._fixtures import full_get_response, full_get_response_body
from ._harness import Result, interleave, median, per_call
from ._models import ssm_operation_model
from .pydantic_models import MaintenanceWindowTaskDetailsModel

__all__ = ["run"]


def run(*, smoke: bool) -> list[Result]:
    """Measure ``from_botocore`` against botocore's parse and pydantic's validate."""
    body = full_get_response_body()
    parsed = full_get_response()
    output_shape = ssm_operation_model("GetMaintenanceWindowTask").output_shape
    parser = create_parser("json")

    def botocore_parse() -> object:
        return parser.parse({"status_code": 200, "headers": {}, "body": body}, output_shape)

    def ours() -> object:
        return from_botocore(parsed, MaintenanceWindowTaskDetails)

    def pydantic() -> object:
        return MaintenanceWindowTaskDetailsModel.model_validate(parsed)

    # The three contenders must do the same job: check it before timing them.
    details = from_botocore(parsed, MaintenanceWindowTaskDetails)
    assert to_botocore(details) == parsed
    botocore_result = dict(
        parser.parse({"status_code": 200, "headers": {}, "body": body}, output_shape)
    )
    botocore_result.pop("ResponseMetadata", None)
    assert botocore_result == parsed
    assert pydantic().model_dump(by_alias=True, exclude_none=True, mode="json") == parsed  # type: ignore[attr-defined]

    number, rounds = (20, 3) if smoke else (2000, 25)
    samples = interleave(
        [
            lambda: per_call(ours, number),
            lambda: per_call(botocore_parse, number),
            lambda: per_call(pydantic, number),
        ],
        rounds,
    )
    ours_s, botocore_s, pydantic_s = samples
    shape = "GetMaintenanceWindowTask response, RunCommand with 10 parameters, every member set"
    return [
        Result(
            name="B1 response vs botocore parse",
            description=f"from_botocore vs botocore's JSON parse of the HTTP body ({shape})",
            ours=median(ours_s),
            baseline=median(botocore_s),
            unit="s",
            target=0.35,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=botocore_s,
        ),
        Result(
            name="B1 response vs pydantic v2",
            description=f"from_botocore vs pydantic v2 model_validate ({shape})",
            ours=median(ours_s),
            baseline=median(pydantic_s),
            unit="s",
            target=1.5,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=pydantic_s,
        ),
    ]
