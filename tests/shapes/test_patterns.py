"""The model's helpers: snake_case names, and its Java patterns translated for Python's re."""

from __future__ import annotations

import functools
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw._shapes import (
    _category_table,  # pyright: ignore[reportPrivateUsage]
    compile_pattern,
    snake_case,
    translate_pattern,
)

# -- names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "attribute"),
    [
        ("S3BucketName", "s3_bucket_name"),
        ("OutputS3KeyPrefix", "output_s3_key_prefix"),
        ("CloudWatchLogGroupName", "cloud_watch_log_group_name"),
        ("TaskInvocationParameters", "task_invocation_parameters"),
        ("MaxResults", "max_results"),
        ("ServiceRoleArn", "service_role_arn"),
        ("WindowTaskId", "window_task_id"),
        ("DocumentHashType", "document_hash_type"),
        ("CloudWatchOutputEnabled", "cloud_watch_output_enabled"),
        ("IgnorePollAlarmFailure", "ignore_poll_alarm_failure"),
        ("ServiceRoleARN", "service_role_arn"),
        ("ARNValue", "arn_value"),
    ],
)
def test_snake_case_examples(wire: str, attribute: str) -> None:
    """snake_case gives the library's attribute names, runs of capitals included."""
    assert snake_case(wire) == attribute


def test_snake_case_agrees_with_botocore_on_every_ssm_member() -> None:
    """snake_case matches botocore's xform_name for all member names in the SSM model."""
    from botocore import xform_name
    from botocore.loaders import create_loader

    shapes = create_loader().load_service_model("ssm", "service-2")["shapes"].values()
    names = {name for shape in shapes for name in shape.get("members", {})}
    assert len(names) > 500
    assert {n: snake_case(n) for n in names} == {n: xform_name(n) for n in names}


TARGET_KEY = (
    r"^[\p{L}\p{Z}\p{N}_.:/=\-@]*$|resource-groups:ResourceTypeFilters|resource-groups:Name"
)


def test_category_table_matches_a_full_scan() -> None:
    """The shortcut that skips unassigned and private-use planes changes nothing."""
    assert _category_table() == _category_table(full_scan=True)


@functools.cache
def _every_code_point() -> tuple[str, dict[str, str]]:
    everything = "".join(map(chr, range(0x110000)))
    by_category: dict[str, list[str]] = {}
    for c in everything:
        by_category.setdefault(unicodedata.category(c), []).append(c)
    return everything, {k: "".join(v) for k, v in by_category.items()}


@pytest.mark.parametrize("prop", ["L", "Z", "N", "Lu", "Nd", "IsZ"])
def test_property_classes_cover_exactly_their_category(prop: str) -> None:
    r"""\p{X} matches exactly the code points whose category is X, \P{X} all the others."""
    everything, by_category = _every_code_point()
    bare = prop.removeprefix("Is")
    expected = "".join(sorted("".join(v for k, v in by_category.items() if k.startswith(bare))))
    assert "".join(compile_pattern(rf"\p{{{prop}}}").findall(everything)) == expected
    assert compile_pattern(rf"\P{{{prop}}}").sub("", everything) == expected


def test_java_dot_and_dollar() -> None:
    """`.` excludes every Java line terminator and `$` matches only at the very end."""
    rx = compile_pattern("^.+$")
    assert rx.search("abc")
    for text in ("a\rb", "a\u2028b", "a\x85b", "abc\n"):
        assert rx.search(text) is None


@pytest.mark.parametrize(
    "pattern", [r"\p{IsLatin}", "[a[b]]", "[a&&b]", "(?i)x", r"\Qx\E", "[]a]", "(?<n>x)", "[ab"]
)
def test_untranslatable_patterns_are_refused(pattern: str) -> None:
    """Java constructs that Python's re cannot mirror raise instead of matching wrongly."""
    with pytest.raises(ValueError, match=r"unsupported|nested|ambiguous|unterminated"):
        translate_pattern(pattern)


def _target_key_oracle(key: str) -> bool:
    if "resource-groups:ResourceTypeFilters" in key or "resource-groups:Name" in key:
        return True
    return all(unicodedata.category(c)[0] in "LZN" or c in "_.:/=-@" for c in key)


@given(st.text(max_size=30))
def test_target_key_pattern_against_an_oracle(key: str) -> None:
    """For any text, the translated TargetKey pattern agrees with a unicodedata oracle."""
    assert (compile_pattern(TARGET_KEY).search(key) is not None) is _target_key_oracle(key)
