"""The async iterators over describe's pages (tasks, windows). They know tokens, not botocore.

It fetches one page ahead while the caller works on the current one
(``prefetch=True``, the default), never more than one. Leaving early, by
``break``, :meth:`TaskPaginator.aclose` or ``async with``, cancels the
request in flight and sends no further one.

A resume token is either the service's ``NextToken`` or, when iteration
stopped in the middle of a page, a token of this library's that names the
page and how many of its items were already handed out.
"""

from __future__ import annotations

import abc
import asyncio
import base64
import binascii
import contextlib
import json
from collections.abc import AsyncGenerator, Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._errors import ValidationError
from ._models import MaintenanceWindowIdentity, MaintenanceWindowTask, TaskPage, WindowPage
from ._public import publish_exported

__all__ = ["FetchPage", "Paginator", "TaskPaginator", "WindowPaginator"]

P = TypeVar("P", TaskPage, WindowPage)
Item = TypeVar("Item", MaintenanceWindowTask, MaintenanceWindowIdentity)
_Self = TypeVar("_Self", bound="Paginator[Any, Any]")

#: Fetch one page: ``(next_token, max_results) -> page``.
FetchPage = Callable[[str | None, int | None], Awaitable[P]]

_PREFIX = "ssm-mw:1:"


def _encode(service_token: str | None, skip: int) -> str:
    if skip == 0 and service_token is not None:
        return service_token
    body = json.dumps({"t": service_token, "s": skip}, separators=(",", ":"))
    return _PREFIX + base64.urlsafe_b64encode(body.encode()).decode()


def _decode(token: str | None) -> tuple[str | None, int]:
    if token is None or not token.startswith(_PREFIX):
        return token, 0
    try:
        body = json.loads(base64.urlsafe_b64decode(token[len(_PREFIX) :].encode()))
        service_token, skip = body["t"], body["s"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise ValidationError.single("starting_token", "is not a token this library made") from None
    if not (service_token is None or isinstance(service_token, str)) or not (
        isinstance(skip, int) and skip >= 0
    ):
        raise ValidationError.single("starting_token", "is not a token this library made")
    return service_token, skip


class Paginator(abc.ABC, Generic[P, Item]):
    """Every item of a describe, page after page: an async iterator.

    ``async for item in paginator`` yields items; ``async for page in
    paginator.pages()`` yields pages whose ``next_token`` resumes right after
    that page (pass it as ``starting_token``). :attr:`resume_token` resumes
    right after the last item handed out. :class:`TaskPaginator` and
    :class:`WindowPaginator` are the two kinds.
    """

    @abc.abstractmethod
    def _items(self, page: P) -> tuple[Item, ...]:
        """The items of ``page``."""

    @abc.abstractmethod
    def _page(self, items: tuple[Item, ...], next_token: str | None) -> P:
        """A page of ``items`` whose ``next_token`` is ``next_token``."""

    def __init__(
        self,
        fetch: FetchPage[P],
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
        prefetch: bool = True,
    ) -> None:
        if max_items is not None and max_items < 1:
            raise ValidationError.single("max_items", f"{max_items} is below the minimum 1")
        self._fetch: FetchPage[P] = fetch
        self._page_size = page_size
        self._remaining = max_items
        self._prefetch = prefetch
        self._token, self._skip = _decode(starting_token)
        self._started = False
        self._exhausted = False
        self._in_flight: asyncio.Task[P] | None = None
        self._current: tuple[Item, ...] = ()
        self._position = 0
        self._current_token: str | None = None
        self._current_skip = 0
        self._current_next: str | None = None
        self._resume: str | None = starting_token
        # A resume token in the middle of a page, not yet encoded: (page token, items handed out).
        # Encoding costs more than handing out a task, so it waits until it is asked for.
        self._resume_mid: tuple[str | None, int] | None = None

    @property
    def resume_token(self) -> str | None:
        """A token that resumes right after the last item or page handed out.

        ``None`` before anything was handed out without a starting token, and
        once every item was handed out.
        """
        mid = self._resume_mid
        if mid is not None:
            self._resume, self._resume_mid = _encode(*mid), None
        return self._resume

    # -- pages -------------------------------------------------------------

    async def _next_page(self) -> P | None:
        """Fetch the next page, trimmed to ``max_items``; ``None`` when done."""
        if self._exhausted or self._remaining == 0:
            return None
        token, skip = self._token, self._skip
        if self._in_flight is not None:
            task, self._in_flight = self._in_flight, None
            page = await task
        else:
            page = await self._fetch(token, self._page_size)
        items = self._items(page)[skip:]
        # "If there are no additional items to return, the string is empty" (API
        # reference): an empty token ends the iteration, as in botocore's paginators.
        next_token = page.next_token or None
        resume = next_token
        if self._remaining is not None and len(items) >= self._remaining:
            cut = self._remaining
            if cut < len(items):
                resume = _encode(token, skip + cut)
            items = items[:cut]
        if self._remaining is not None:
            self._remaining -= len(items)
        self._token, self._skip = next_token, 0
        self._exhausted = next_token is None
        self._current_token, self._current_skip, self._current_next = token, skip, resume
        if self._prefetch and not self._exhausted and self._remaining != 0:
            self._in_flight = asyncio.ensure_future(self._fetch(next_token, self._page_size))
        return self._page(items, resume)

    async def pages(self) -> AsyncGenerator[P, None]:
        """Yield pages; each page's ``next_token`` resumes after it (``None`` at the end)."""
        self._claim()
        try:
            while (page := await self._next_page()) is not None:
                self._resume, self._resume_mid = page.next_token, None
                yield page
        finally:
            await self.aclose()

    # -- items -------------------------------------------------------------

    def __aiter__(self: _Self) -> _Self:
        return self

    async def __anext__(self) -> Item:
        if not self._started:
            self._claim()
        while self._position >= len(self._current):
            page = await self._next_page()
            if page is None:
                await self.aclose()
                raise StopAsyncIteration
            self._current, self._position = self._items(page), 0
        task = self._current[self._position]
        self._position += 1
        if self._position == len(self._current):
            self._resume, self._resume_mid = self._current_next, None
        else:
            self._resume_mid = (self._current_token, self._current_skip + self._position)
        return task

    def _claim(self) -> None:
        if self._started:
            raise RuntimeError(f"a {type(self).__name__} can be iterated only once")
        self._started = True

    # -- lifecycle ---------------------------------------------------------

    async def aclose(self) -> None:
        """Stop: cancel the request in flight, if any, and wait for it to end."""
        self._exhausted = True
        task, self._in_flight = self._in_flight, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def __aenter__(self: _Self) -> _Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        task = getattr(self, "_in_flight", None)  # absent if __init__ raised
        if task is not None and not task.done():
            task.cancel()
        elif task is not None and not task.cancelled():
            task.exception()  # mark a failure as seen: the caller left before needing it


class TaskPaginator(Paginator[TaskPage, MaintenanceWindowTask]):
    """Every task of a window, page after page: an async iterator of :class:`MaintenanceWindowTask`.

    ``async for task in paginator`` yields tasks; ``async for page in
    paginator.pages()`` yields :class:`TaskPage` objects whose ``next_token``
    resumes right after that page (pass it as ``starting_token``).
    :attr:`resume_token` resumes right after the last task handed out.
    """

    def _items(self, page: TaskPage) -> tuple[MaintenanceWindowTask, ...]:
        return page.tasks

    def _page(self, items: tuple[MaintenanceWindowTask, ...], next_token: str | None) -> TaskPage:
        return TaskPage(tasks=items, next_token=next_token)


class WindowPaginator(Paginator[WindowPage, MaintenanceWindowIdentity]):
    """Every window that matches, page after page: an async iterator of
    :class:`MaintenanceWindowIdentity`; ``.pages()`` yields :class:`WindowPage` objects.
    """

    def _items(self, page: WindowPage) -> tuple[MaintenanceWindowIdentity, ...]:
        return page.windows

    def _page(
        self, items: tuple[MaintenanceWindowIdentity, ...], next_token: str | None
    ) -> WindowPage:
        return WindowPage(windows=items, next_token=next_token)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
