"""The client's own botocore session: the trimmed model first, no scan, and the endpoint slice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.loaders import Loader

from ssm_mw import MaintenanceWindowClient
from ssm_mw._config import ENDPOINT_SERVICES, ENDPOINTS_SLICE, _OwnServiceLoader, own_session
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


def _pinned() -> bool:
    """Whether the installed botocore is the release the endpoint slice was cut from."""
    import botocore

    cut = json.loads(ENDPOINTS_SLICE.read_text(encoding="utf-8"))
    return bool(cut["botocore"] == botocore.__version__)


def _resolver(session: Any) -> Any:
    """The session's endpoint resolver, as botocore builds it for every client."""
    return session._get_internal_component("endpoint_resolver")


def _full_table_loaded(session: Any) -> bool:
    """Whether the session's loader has parsed botocore's whole ``endpoints.json``."""
    return ("load_data_with_path", "endpoints") in session.get_component("data_loader")._cache


def _answers(resolver: Any, service: str) -> list[Any]:
    """Everything a resolver says about ``service``: every partition, region and variant."""
    answers: list[Any] = []
    for partition in resolver.get_available_partitions():
        answers.append(resolver.get_service_endpoints_data(service, partition))
        answers.append(resolver.get_available_endpoints(service, partition))
        answers.append(resolver.get_available_endpoints(service, partition, True, ["fips"]))
        answers.append(resolver.get_partition_dns_suffix(partition, ["dualstack"]))
    regions = sorted(
        {r for p in resolver._endpoint_data["partitions"] for r in p["regions"]}
        | {"aws-global", "us-east-1-fips", "xx-nowhere-1", "eu-future-9"}
    )
    for region in [None, *regions]:
        for fips, dualstack in [(False, False), (True, False), (False, True), (True, True)]:
            try:
                answers.append(resolver.construct_endpoint(service, region, None, dualstack, fips))
            except Exception as exc:
                answers.append((type(exc).__name__, str(exc)))
    return answers


def test_the_own_session_resolves_its_services_from_the_slice_as_botocore_does() -> None:
    """botocore's answers for SSM, STS and Organizations; at its own release, from the slice."""
    from botocore.session import Session

    ours, theirs = own_session(), Session()
    assert _resolver(ours).uses_builtin_data is True
    for service in ENDPOINT_SERVICES:
        assert _answers(_resolver(ours), service) == _answers(_resolver(theirs), service)
    assert _resolver(ours).get_partition_for_region("cn-north-1") == "aws-cn"
    assert _full_table_loaded(ours) is not _pinned()

    # Any other service: botocore's full table, parsed once, gives the answers.
    for service in ("ec2", "s3", "iam", "no-such-service"):
        assert _answers(_resolver(ours), service) == _answers(_resolver(theirs), service)
    assert _full_table_loaded(ours)
    first = [_resolver(s)._endpoint_data["partitions"][0]["services"] for s in (ours, theirs)]
    assert sorted(first[0]) == sorted(first[1])


async def test_a_client_of_the_own_session_never_parses_the_full_table() -> None:
    """Creating the client and a first call read the slice only (at the slice's botocore)."""
    async with MaintenanceWindowClient(region_name="eu-west-1") as mw:
        client = mw._open_client()
        assert client.meta.endpoint_url == "https://ssm.eu-west-1.amazonaws.com"
        loaded = ("load_data_with_path", "endpoints") in client._loader._cache
    assert loaded is not _pinned()


def test_another_botocore_release_loads_botocore_s_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slice cut from another release is never used: botocore's own table is."""
    import botocore

    monkeypatch.setattr(botocore, "__version__", "0.0.0")
    session = own_session()
    assert _resolver(session).uses_builtin_data is True
    assert _full_table_loaded(session)
    assert "ec2" in _resolver(session)._endpoint_data["partitions"][0]["services"]


def test_an_endpoints_file_of_the_user_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``endpoints.json`` in ``AWS_DATA_PATH``: loaded as botocore loads it, not as botocore's."""
    table = json.loads(ENDPOINTS_SLICE.read_text(encoding="utf-8"))["endpoints"]
    table["partitions"][0]["services"]["ssm"]["endpoints"]["eu-west-1"] = {
        "hostname": "ssm.example.internal"
    }
    (tmp_path / "endpoints.json").write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    resolver = _resolver(own_session())
    assert resolver.uses_builtin_data is False
    assert resolver.construct_endpoint("ssm", "eu-west-1")["hostname"] == "ssm.example.internal"
