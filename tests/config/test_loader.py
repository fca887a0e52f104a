"""The client's own botocore session: the trimmed model first, loaded without scanning."""

from __future__ import annotations

from pathlib import Path

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


def test_the_own_file_loader_loads_what_botocore_loads_with_the_collector_paused() -> None:
    """botocore's data (ordered dicts and all), no collection while it parses, the state restored.

    ``gc.callbacks`` sees every collection: botocore's own file loader lets
    the collector run while it parses ``endpoints.json``; ours must not.
    """
    import gc

    from botocore.loaders import JSONFileLoader

    from ssm_mw._config import _PausedCollectorFileLoader

    path = str(Path(Loader.BUILTIN_DATA_PATH) / "endpoints")
    collections: list[str] = []

    def seen(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    gc.callbacks.append(seen)
    try:
        expected = JSONFileLoader().load_file(path)
        assert collections, "botocore's parse of endpoints.json triggers no collection here"
        collections.clear()
        assert gc.isenabled()
        loaded = _PausedCollectorFileLoader().load_file(path)
        assert collections == []
        assert gc.isenabled()
        gc.disable()
        try:  # a collector the caller paused stays paused
            assert _PausedCollectorFileLoader().load_file(path) == expected
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        gc.callbacks.remove(seen)
    assert loaded == expected
    assert type(loaded) is type(expected)
    assert _PausedCollectorFileLoader().load_file(path + "-no-such-file") is None


async def test_the_own_session_loads_files_with_the_collector_paused() -> None:
    """The loader of the client's own session reads files through the paused-collector loader."""
    from ssm_mw._config import _PausedCollectorFileLoader

    async with MaintenanceWindowClient(region_name="us-east-1") as mw:
        loader = mw._open_client()._loader
        assert isinstance(loader.file_loader, _PausedCollectorFileLoader)
