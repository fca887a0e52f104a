"""B2, requests: our validation plus ``to_botocore`` against botocore's own.

Ours: ``to_botocore`` of a full ``TaskDefinition`` into the register request,
then ssm-mw's validation of it (what ``register_task_with_maintenance_window``
does before handing the request to aiobotocore). Baseline: botocore's
parameter validation and JSON serialization of the same request (what every
call already pays, in the client). Target: <= 0.5x.
"""

from __future__ import annotations

from botocore.serialize import create_serializer

from ssm_mw._converter import register_request
from ssm_mw._validation import validate_request

from ._fixtures import CLIENT_TOKEN, WINDOW_ID, full_task_definition
from ._harness import Result, interleave, median, per_call
from ._models import ssm_operation_model

__all__ = ["run"]

_OPERATION = "RegisterTaskWithMaintenanceWindow"


def run(*, smoke: bool) -> list[Result]:
    """Measure request building and checking against botocore's validate-and-serialize."""
    definition = full_task_definition()
    operation_model = ssm_operation_model(_OPERATION)
    serializer = create_serializer("json", include_validation=True)
    params = register_request(WINDOW_ID, definition, CLIENT_TOKEN)

    def ours() -> object:
        request = register_request(WINDOW_ID, definition, CLIENT_TOKEN)
        validate_request(_OPERATION, request)
        return request

    def botocore_validate_serialize() -> object:
        return serializer.serialize_to_request(params, operation_model)

    ours()  # build the checkers once (the first call compiles them)
    botocore_validate_serialize()
    number, rounds = (20, 3) if smoke else (1000, 25)
    ours_s, botocore_s = interleave(
        [lambda: per_call(ours, number), lambda: per_call(botocore_validate_serialize, number)],
        rounds,
    )
    return [
        Result(
            name="B2 request vs botocore",
            description=(
                "to_botocore + validation of a full TaskDefinition (RunCommand, 10 parameters) "
                "vs botocore's parameter validation + JSON serialization of the same request"
            ),
            ours=median(ours_s),
            baseline=median(botocore_s),
            unit="s",
            target=0.5,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=botocore_s,
        )
    ]
