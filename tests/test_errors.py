"""The exceptions as botocore users expect them: ``ClientError``, pickling, one-line summaries.

Everything runs over real HTTP: against the embedded backend, or a loopback
server that answers an HTML page.
"""

from __future__ import annotations

import pickle

import pytest
from botocore.exceptions import ClientError

from ssm_mw import (
    DoesNotExistError,
    MaintenanceWindowClient,
    ServiceError,
    ServiceValidationError,
    ThrottlingError,
    ValidationError,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import on_url
from support.endpoints import HTML_PAGE, html_endpoint
from support.examples import AUTOMATION
from support.operations import DESCRIBE, GET

MISSING_TASK = "00000000-0000-4000-8000-000000000000"


# -- errors that fit existing handlers ----------------------------------------------


async def test_service_errors_are_botocore_client_errors(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """`except ClientError` code keeps working, with botocore's .response and .operation_name."""
    try:
        await mw_client.get_maintenance_window_task(maintenance_window_id, MISSING_TASK)
    except ClientError as exc:
        caught = exc
    else:  # pragma: no cover - the call must fail
        pytest.fail("no error")
    assert isinstance(caught, DoesNotExistError)
    assert caught.operation_name == GET == caught.operation
    assert caught.response["Error"]["Code"] == "DoesNotExistException" == caught.code
    assert caught.response["Error"]["Message"] == caught.message
    metadata = caught.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 400 == caught.http_status
    assert metadata["RequestId"] == caught.request_id
    assert isinstance(caught.__cause__, ClientError)
    assert not isinstance(caught.__cause__, ServiceError)
    assert caught.response == caught.__cause__.response
    assert str(caught) == f"{GET}: DoesNotExistException: {caught.message}"


async def test_service_errors_survive_pickling(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A ServiceError pickles and comes back with every attribute (e.g. across processes)."""
    with pytest.raises(DoesNotExistError) as caught:
        await mw_client.get_maintenance_window_task(maintenance_window_id, MISSING_TASK)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is DoesNotExistError
    assert (copy.code, copy.message, copy.operation, copy.http_status) == (
        caught.value.code,
        caught.value.message,
        caught.value.operation,
        caught.value.http_status,
    )
    assert copy.response == caught.value.response
    assert copy.operation_name == GET
    assert str(copy) == str(caught.value)


def test_a_service_error_made_by_hand_has_a_botocore_response() -> None:
    """The keyword constructor (for tests and fakes) builds botocore's response dict."""
    error = ThrottlingError(
        code="ThrottlingException", message="Rate exceeded", operation=DESCRIBE, http_status=400
    )
    assert isinstance(error, ClientError)
    assert error.response == {
        "Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    assert error.operation_name == DESCRIBE
    assert str(error) == f"{DESCRIBE}: ThrottlingException: Rate exceeded"


async def test_the_services_validation_exception_has_its_own_class(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A ValidationException the library's checks let through: ServiceValidationError."""
    ssm_server.inject_fault(
        "RegisterTaskWithMaintenanceWindow",
        "ValidationException",
        message="1 validation error detected: a rule not yet in the ledger",
    )
    with pytest.raises(ServiceValidationError) as caught:
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
    assert isinstance(caught.value, ClientError)
    assert not isinstance(caught.value, ValidationError)  # that one means "nothing was sent"
    assert caught.value.code == "ValidationException"
    assert "not yet in the ledger" in caught.value.message


async def test_a_body_that_is_not_an_ssm_error_is_summarised_in_one_line() -> None:
    """An HTML 404 (a proxy, a wrong URL): status, content type and the first characters."""
    with html_endpoint() as url:
        async with on_url(url) as mw:
            with pytest.raises(ServiceError) as caught:
                await mw.describe_maintenance_window_tasks("mw-0123456789abcdef0")
    error = caught.value
    assert error.http_status == 404
    assert "\n" not in str(error)
    assert "HTTP 404" in error.message
    assert "text/html" in error.message
    assert "<!doctype html> <html> <head><title>404" in error.message
    assert len(error.message) < 200
    assert error.response["Error"]["Message"] == HTML_PAGE.decode()  # botocore's, untouched
