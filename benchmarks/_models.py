"""botocore's own SSM model, as the baselines use it (always botocore's full model)."""

from __future__ import annotations

import functools
from typing import Any

import botocore.session

__all__ = ["ssm_operation_model", "ssm_service_model"]


@functools.cache
def ssm_service_model() -> Any:
    """botocore's full SSM service model (a plain botocore session, no search-path changes)."""
    return botocore.session.get_session().get_service_model("ssm")


def ssm_operation_model(operation: str) -> Any:
    """One operation's botocore ``OperationModel``."""
    return ssm_service_model().operation_model(operation)
