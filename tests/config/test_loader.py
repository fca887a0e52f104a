"""The client's own botocore session: the trimmed model first, loaded without scanning."""

from __future__ import annotations

import pytest
from botocore.loaders import Loader

from ssm_mw import MaintenanceWindowClient
from ssm_mw._config import _OwnServiceLoader
from ssm_mw._operations import OPERATION_NAMES as OPERATIONS
from ssm_mw._shapes import DATA_PATH


async def test_own_session_uses_the_trimmed_model_and_a_given_session_is_untouched() -> None:
    """The client's own session finds the trimmed model; a caller's session is not changed."""
    from aiobotocore.session import AioSession

    given = AioSession()
    given.set_credentials("testing", "testing")
    before = list(given.get_component("data_loader").search_paths)
    kwargs = {"region_name": "us-east-1", "endpoint_url": "http://127.0.0.1:9"}
    async with MaintenanceWindowClient(session=given, **kwargs) as mw:
        assert len(mw._open_client().meta.service_model.operation_names) > 100
    assert given.get_component("data_loader").search_paths == before

    async with MaintenanceWindowClient(**kwargs) as mw:
        client = mw._open_client()
        assert sorted(client.meta.service_model.operation_names) == sorted(OPERATIONS)
        paths = client._loader.search_paths  # the session's loader
        assert paths.index(str(DATA_PATH)) == paths.index(Loader.BUILTIN_DATA_PATH) - 1


class _CountingLoader(_OwnServiceLoader):
    """The own session's loader, counting botocore's scan of every service directory."""

    scans = 0

    def list_available_services(self, type_name: str) -> list[str]:
        type(self).scans += 1
        return super().list_available_services(type_name)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("service", "type_name", "version"),
    [
        ("ssm", "service-2", None),
        ("ssm", "endpoint-rule-set-1", None),
        ("ssm", "paginators-1", None),
        ("ssm", "service-2", "2014-11-06"),
        ("ec2", "paginators-1", None),  # a model with extras (paginators-1.sdk-extras.json)
        ("sqs", "service-2", None),
    ],
)
def test_the_own_loader_loads_what_botocore_loads_without_scanning(
    service: str, type_name: str, version: str | None
) -> None:
    """Same search paths, same model (extras included), and no scan of every service."""
    paths = [str(DATA_PATH), Loader.BUILTIN_DATA_PATH]
    botocore_loader = Loader(extra_search_paths=paths, include_default_search_paths=False)
    ours = _CountingLoader(extra_search_paths=paths, include_default_search_paths=False)
    _CountingLoader.scans = 0
    expected = botocore_loader.load_service_model(service, type_name, version)
    assert ours.load_service_model(service, type_name, version) == expected
    assert _CountingLoader.scans == 0


def test_the_own_loader_refuses_an_unknown_service_as_botocore_does() -> None:
    """A service without the model: botocore's own UnknownServiceError, with its message."""
    from botocore.exceptions import UnknownServiceError

    paths = [str(DATA_PATH), Loader.BUILTIN_DATA_PATH]
    with pytest.raises(UnknownServiceError) as theirs:
        Loader(extra_search_paths=paths).load_service_model("no-such-service", "service-2")
    with pytest.raises(UnknownServiceError) as ours:
        _OwnServiceLoader(extra_search_paths=paths).load_service_model(
            "no-such-service", "service-2"
        )
    assert str(ours.value) == str(theirs.value)


async def test_the_own_session_has_the_own_loader() -> None:
    """The client's own session loads through ``_OwnServiceLoader``, trimmed model first."""
    async with MaintenanceWindowClient(region_name="us-east-1") as mw:
        loader = mw._open_client()._loader
        assert isinstance(loader, _OwnServiceLoader)
        assert list(loader.search_paths).count(str(DATA_PATH)) == 1
