"""Keeps secrets out of botocore's and aiobotocore's DEBUG logs (private).

At DEBUG, botocore logs the body of every request (``"Making request for ...
with params: {... 'body': b'{...}'}"``, logger ``botocore.endpoint``) and of
every response (``"Response body: ..."``, logger ``botocore.parsers``, which
aiobotocore's parser uses too). Those bodies hold the values of the members
the model marks sensitive: task parameters, Run Command parameters, the Step
Functions input, the Lambda payload (base64-encoded) and descriptions.

While one of ssm-mw's calls runs (:func:`redacting`), :class:`RedactingFilter`
rewrites each record that botocore and aiobotocore log for it:

* a JSON body is rendered again with every sensitive member blanked (the
  model's ``sensitive`` flags decide, as in :func:`redact_request`; members the
  model does not know are blanked too);
* a body that is not JSON is replaced by its size;
* any sensitive value of the request still left in the message (as it is,
  JSON-escaped or base64-encoded) is blanked, whatever logged it.

The record keeps its logger, level and everything else; only its message
changes (``args`` are merged into ``msg``, so no handler or formatter can see
the originals). Records of other requests, or of code that does not use
ssm-mw, pass unchanged. The filter is installed on every ``botocore`` and
``aiobotocore`` logger when a client opens (a logger's filters do not apply to
its children's records).
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import functools
import json
import logging
from collections.abc import Generator, Iterator, Mapping
from typing import Any, cast

from ._redact import REDACTED
from ._schema import redact_request, redact_response

__all__ = ["RedactingFilter", "install", "redacting"]

#: Values shorter than this are left to the structural redaction: blanking every
#: occurrence of a one- or two-character string would garble every message.
_MIN_LITERAL = 4
_LOGGER_PREFIXES = ("botocore", "aiobotocore")
#: Members of an error body that say what went wrong (kept, as in exceptions).
_ERROR_MEMBERS = frozenset({"__type", "message", "Message", "code", "Code"})


class _Call:
    """The request of one ssm-mw call; its secrets are found only when a record needs them."""

    def __init__(self, operation: str, params: Mapping[str, Any]) -> None:
        self.operation = operation
        self.params = params

    @functools.cached_property
    def literals(self) -> tuple[str, ...]:
        """Every sensitive value of the request as it may appear in text, longest first."""
        found: set[str] = set()
        _collect(self.params, redact_request(self.operation, self.params), found)
        return tuple(sorted((s for s in found if len(s) >= _MIN_LITERAL), key=len, reverse=True))


_CURRENT: contextvars.ContextVar[_Call | None] = contextvars.ContextVar(
    "ssm_mw_current_call", default=None
)


def _forms(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        yield json.dumps(value)[1:-1]
        yield json.dumps(value, ensure_ascii=False)[1:-1]
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        yield base64.b64encode(data).decode("ascii")
        yield repr(data)[2:-1]
        yield from _forms(data.decode("utf-8", "replace"))


def _collect(original: Any, redacted: Any, out: set[str]) -> None:
    """Add the values that ``redacted`` blanks in ``original`` to ``out``."""
    if isinstance(original, Mapping) and isinstance(redacted, Mapping):
        for key, value in original.items():
            _collect(value, redacted.get(key), out)
    elif isinstance(original, (list, tuple)) and isinstance(redacted, list):
        for value, blank in zip(original, redacted, strict=False):
            _collect(value, blank, out)
    elif redacted == REDACTED and original != REDACTED:
        out.update(_forms(original))


def _redact_body(call: _Call, body: Any, *, response: bool) -> str:
    """A body as text, with every sensitive member blanked (or just its size)."""
    if isinstance(body, (bytes, bytearray)):
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(body)} bytes withheld by ssm-mw>"
    elif isinstance(body, str):
        text = body
    else:
        return f"<{type(body).__name__} body withheld by ssm-mw>"
    if not text:
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return f"<{len(text)} characters withheld by ssm-mw>"
    if not isinstance(data, dict):
        return f"<{type(data).__name__} body withheld by ssm-mw>"
    fields = cast(dict[str, Any], data)
    if response:
        kept = {k: v for k, v in fields.items() if k in _ERROR_MEMBERS and "__type" in fields}
        redacted = {**redact_response(call.operation, fields), **kept}
    else:
        redacted = redact_request(call.operation, fields)
    return json.dumps(redacted, default=str)


def _redact_arg(call: _Call, arg: Any) -> Any:
    if isinstance(arg, Mapping) and "body" in arg:
        request = dict(cast(Mapping[str, Any], arg))
        request["body"] = _redact_body(call, request["body"], response=False)
        return request
    if isinstance(arg, (bytes, bytearray)):
        return _redact_body(call, arg, response=True)
    if isinstance(arg, str) and arg.lstrip().startswith("{"):
        return _redact_body(call, arg, response=True)
    return arg


def _message(call: _Call, record: logging.LogRecord) -> str:
    args: Any = record.args
    if isinstance(args, tuple):
        args = tuple(_redact_arg(call, a) for a in args)
    elif args:
        args = _redact_arg(call, args)
    message = str(record.msg) % args if args else str(record.msg)
    for literal in call.literals:
        message = message.replace(literal, REDACTED)
    return message


class RedactingFilter(logging.Filter):
    """Blanks sensitive values in the records of ssm-mw's calls; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        call = _CURRENT.get()
        if call is None:
            return True
        try:
            message = _message(call, record)
        except Exception:  # never let redaction break logging, and never leak on failure
            message = f"<a {record.name} record was withheld by ssm-mw: it could not be redacted>"
        record.msg, record.args = message, ()
        return True


_FILTER = RedactingFilter()
_installed: set[str] = set()


def install() -> None:
    """Put the filter on every botocore and aiobotocore logger that exists now."""
    names = [
        name
        for name in list(logging.root.manager.loggerDict)
        if name not in _installed and name.split(".", 1)[0] in _LOGGER_PREFIXES
    ]
    for name in ("botocore.endpoint", "botocore.parsers", *names):
        if name not in _installed:
            logging.getLogger(name).addFilter(_FILTER)
            _installed.add(name)


@contextlib.contextmanager
def redacting(operation: str, params: Mapping[str, Any]) -> Generator[None, None, None]:
    """Redact what botocore logs while this block sends ``params`` for ``operation``."""
    token = _CURRENT.set(_Call(operation, params))
    try:
        yield
    finally:
        _CURRENT.reset(token)
