"""Scope: the accounts and Regions a call covers, checked when made; shards that partition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import AccountRegion, Scope, ValidationError
from ssm_mw._scope import select_shard

_ROLE = "MaintenanceWindowAdmin"


def _paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [v.path for v in error.value.violations]


def test_a_scope_is_its_regions_and_accounts_as_tuples() -> None:
    """Lists become tuples, duplicates go, the defaults are the base account and Region."""
    scope = Scope(
        regions=["eu-west-1", "us-east-1", "eu-west-1"],
        accounts=["111111111111", "222222222222"],
        role_name=_ROLE,
        shard="2/4",
    )
    assert scope.regions == ("eu-west-1", "us-east-1")
    assert scope.accounts == ("111111111111", "222222222222")
    assert scope.shard == (2, 4)
    assert not scope.is_single
    assert Scope().is_single
    assert Scope(regions=["eu-west-1"]).pairs([None], "us-east-1") == (
        AccountRegion(account=None, region="eu-west-1"),
    )
    assert Scope().pairs([None], "us-east-1") == (AccountRegion(account=None, region="us-east-1"),)


@pytest.mark.parametrize(
    ("kwargs", "paths"),
    [
        ({"regions": ["eu-west"]}, ["regions[0]"]),
        ({"regions": "eu-west-1"}, ["regions"]),
        ({"accounts": ["1234"], "role_name": _ROLE}, ["accounts[0]"]),
        ({"accounts": ["111111111111"]}, ["role_name"]),
        (
            {"organization": True, "accounts": ["111111111111"], "role_name": _ROLE},
            ["organization"],
        ),
        ({"ous": ["ou-ab12-cdefgh34"]}, ["ous"]),
        ({"organization": True, "ous": ["nope"], "role_name": _ROLE}, ["ous[0]"]),
        ({"profiles": ["a"], "role_name": _ROLE}, ["role_name"]),
        ({"role_name": "bad role"}, ["role_name"]),
        ({"role_session_name": "x"}, ["role_session_name"]),
        ({"external_id": "e"}, ["external_id"]),
        ({"shard": "0/4"}, ["shard"]),
        ({"shard": "5/4"}, ["shard"]),
        ({"shard": "2-4"}, ["shard"]),
        ({"shard": (True, 2)}, ["shard"]),
    ],
)
def test_a_bad_scope_names_the_field(kwargs: dict[str, object], paths: list[str]) -> None:
    """Each mistake is a ValidationError naming its field, when the scope is made."""
    with pytest.raises(ValidationError) as caught:
        Scope(**kwargs)  # type: ignore[arg-type]
    assert _paths(caught) == paths


_PAIRS = st.lists(
    st.builds(
        AccountRegion,
        account=st.from_regex(r"\d{12}", fullmatch=True),
        region=st.sampled_from(["us-east-1", "eu-west-1", "ap-south-1"]),
    ),
    unique=True,
    max_size=40,
)


@given(_PAIRS, st.integers(min_value=1, max_value=9))
def test_the_shards_cover_every_pair_exactly_once(pairs: list[AccountRegion], n: int) -> None:
    """Shards 1..N of any pairs are disjoint and together are all of them, in order."""
    shards = [select_shard(pairs, (k, n)) for k in range(1, n + 1)]
    covered = [p for shard in shards for p in shard]
    assert sorted(covered) == sorted(pairs)
    assert len(covered) == len(set(covered))
    for shard in shards:
        assert list(shard) == [p for p in pairs if p in shard]


@given(_PAIRS, st.integers(min_value=2, max_value=9))
def test_a_pair_keeps_its_shard_when_others_come_and_go(pairs: list[AccountRegion], n: int) -> None:
    """A pair's shard is its own: removing the other pairs moves it nowhere."""
    for k in range(1, n + 1):
        for pair in select_shard(pairs, (k, n)):
            assert select_shard([pair], (k, n)) == (pair,)
