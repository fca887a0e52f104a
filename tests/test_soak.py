"""Soak: 500 registrations from 50 concurrent coroutines, 20% of requests failing, rate-limited.

The faults change every 25 requests that reach the fault slots (requests the
rate limit refused do not count, so how hard the limit bites on a loaded
machine does not decide which kinds happen) among throttling (400), internal
errors (500), unavailability (503) and lost responses (500 after the
registration committed), two kinds at a time, drawn with the backend's
``probability`` option so that one request in five fails; on top, the
backend's token bucket limits registrations to 100 a second (``Rate
exceeded``). Each call registers a task with a name of its own, so the
server's state can be reconciled with what the calls returned:

* every call returned a task id or raised one of ssm-mw's typed errors,
  carrying the call's ``client_token``;
* no two calls got the same id, and no name is registered twice;
* each successful call's task is on the server, once;
* the server holds exactly the successful calls' tasks, plus those of failed
  calls whose last response was lost after the task committed ("orphans",
  which only a lost response can make);
* every failed call is then registered again with its error's token: an
  orphan's call gets the orphan's id, any other registers its task once; and
  afterwards the server holds exactly one task per call: 0 unaccounted for;
* every request the server saw is one the client made (faults counted on
  both sides).

The deep profile runs four rounds with different seeds.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from hypothesis import settings

from ssm_mw import (
    LambdaParameters,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    ServiceError,
    SsmMwError,
    TaskDefinition,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.figures import count
from support.operations import REGISTER

REGISTRATIONS = 500
WORKERS = 50
WINDOWS = 50  # 10 tasks each: under the backend's default limit of 20 per window
FAILURE_RATE = 0.2
#: Two fault slots (the operation's own, and "any operation") fail independently.
SLOT_PROBABILITY = 1 - (1 - FAILURE_RATE) ** 0.5
PHASE_DRAWS = 25  # requests that reach the fault slots before the next phase
RATE_LIMIT = 100.0  # registrations a second
RATE_BURST = 20.0

KINDS: dict[str, dict[str, Any]] = {
    "throttling": {"code": "ThrottlingException", "status": 400},
    "internal-error": {"code": "InternalServerError", "status": 500},
    "unavailable": {"code": "ServiceUnavailable", "status": 503},
    "lost-response": {"code": "InternalServerError", "status": 500, "after_commit": True},
}
#: The first two phases arm all four kinds; the order repeats for as long as the storm lasts.
PHASES = [
    ("lost-response", "throttling"),
    ("internal-error", "unavailable"),
    ("throttling", "lost-response"),
    ("unavailable", "internal-error"),
    ("lost-response", "unavailable"),
]
DEEP = settings.default.max_examples >= 10_000
SEEDS = [20260923, 1, 2, 3] if DEEP else [20260923]


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


def definition(i: int) -> TaskDefinition:
    """The task of call ``i``: its name says which call made it."""
    return TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:soak",
        task_invocation_parameters=LambdaParameters(payload=b'{"n": %d}' % i),
        name=f"soak-{i:04d}",
    )


@dataclass(eq=False)  # registered as an event handler: hashable by identity
class Attempts:
    """Every attempt the client made, as the retry handler saw it.

    Every :data:`PHASE_DRAWS` attempts that reached the fault slots (all but
    the rate-limited ones), the server is armed with the next phase's kinds.
    """

    server: EmbeddedSSMServer
    total: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    rate_limited: int = 0
    phases: int = 1
    storm: bool = True  # phases change only during the storm

    def __call__(self, response: Any = None, **_: Any) -> None:
        self.total += 1
        parsed = response[1] if response else {}
        message = str(parsed.get("Error", {}).get("Message", ""))
        if message.startswith("soak:"):
            self.faults[message.removeprefix("soak:")] += 1
        elif message == "Rate exceeded":
            self.rate_limited += 1
            return
        if self.storm and self.drawn % PHASE_DRAWS == 0:
            set_phase(self.server, self.phases)
            self.phases += 1

    @property
    def drawn(self) -> int:
        """Attempts that reached the fault slots."""
        return self.total - self.rate_limited


def set_phase(server: EmbeddedSSMServer, phase: int) -> None:
    """Arm the two fault slots with this phase's kinds."""
    mine, anyone = PHASES[phase % len(PHASES)]
    for operation, kind in ((REGISTER, mine), (None, anyone)):
        server.inject_fault(
            operation, probability=SLOT_PROBABILITY, message=f"soak:{kind}", **KINDS[kind]
        )


@pytest.mark.parametrize("seed", SEEDS)
async def test_soak_registers_each_successful_call_exactly_once(
    ssm_server: EmbeddedSSMServer, seed: int
) -> None:
    """500 registrations, 50 at a time, 20% faults: every call accounted for, no duplicates."""
    windows = [ssm_server.create_maintenance_window(name=f"soak-{w}") for w in range(WINDOWS)]
    attempts = Attempts(ssm_server)
    outcomes: dict[int, str | BaseException] = {}
    session = ssm_server.aio_session()
    config = AioConfig(retries={"mode": "standard", "total_max_attempts": 3})
    async with session.create_client("ssm", config=config, **ssm_server.client_kwargs()) as ssm:
        ssm.meta.events.register(f"needs-retry.ssm.{REGISTER}", attempts)
        mw = MaintenanceWindowClient.from_client(ssm)
        ssm_server.reseed(seed)
        ssm_server.throttle(RATE_LIMIT, burst=RATE_BURST, operation=REGISTER)
        set_phase(ssm_server, 0)
        jobs = iter(range(REGISTRATIONS))

        async def worker() -> None:
            for i in jobs:
                try:
                    outcomes[i] = await mw.register_task_with_maintenance_window(
                        windows[i % WINDOWS], definition(i)
                    )
                except Exception as exc:  # every failure is checked below
                    outcomes[i] = exc

        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        attempts.storm = False
        ssm_server.clear_faults()
        ssm_server.throttle(None, operation=REGISTER)
        requests_of_the_storm = ssm_server.request_count(REGISTER)
        on_server = await tasks_on(mw, windows)

        # Every failed call again, with its error's token.
        recovered: dict[int, str] = {}
        for i, error in outcomes.items():
            if isinstance(error, SsmMwError):
                assert error.client_token is not None, f"call {i}: {error!r} carries no token"
                recovered[i] = await mw.register_task_with_maintenance_window(
                    windows[i % WINDOWS], definition(i), client_token=error.client_token
                )
        after_recovery = await tasks_on(mw, windows)

    assert sorted(outcomes) == list(range(REGISTRATIONS))
    succeeded = {i: o for i, o in outcomes.items() if isinstance(o, str)}
    failed = {i: o for i, o in outcomes.items() if not isinstance(o, str)}
    untyped = {i: repr(o) for i, o in failed.items() if not isinstance(o, SsmMwError)}
    assert untyped == {}, "every failure is one of ssm-mw's typed errors"
    assert all(isinstance(o, ServiceError) for o in failed.values()), failed
    assert len(set(succeeded.values())) == len(succeeded), "no two calls share an id"

    names = Counter(t.name for tasks in on_server.values() for t in tasks)
    assert [n for n, c in names.items() if c > 1] == [], "no registration is duplicated"
    where = {t.name: (w, t.window_task_id) for w, tasks in on_server.items() for t in tasks}
    for i, task_id in succeeded.items():
        assert where[f"soak-{i:04d}"] == (windows[i % WINDOWS], task_id)
    orphans = {i for i in failed if f"soak-{i:04d}" in where}
    assert sum(names.values()) == len(succeeded) + len(orphans), "the server reconciles"
    if orphans:
        assert attempts.faults["lost-response"] > 0, "only a lost response leaves an orphan"

    # The tokens: an orphan's call gets the orphan; any other call's task is made now, once.
    assert sorted(recovered) == sorted(failed)
    for i in orphans:
        assert recovered[i] == where[f"soak-{i:04d}"][1], f"call {i}: the token finds its orphan"
    registered_on_recovery = set(failed) - orphans
    names_after = Counter(t.name for tasks in after_recovery.values() for t in tasks)
    duplicates = [n for n, c in names_after.items() if c > 1]
    assert duplicates == [], "no registration is duplicated, recovery included"
    where_after = {
        t.name: (w, t.window_task_id) for w, tasks in after_recovery.items() for t in tasks
    }
    returned = {**succeeded, **recovered}
    unaccounted = set(where_after) ^ {f"soak-{i:04d}" for i in returned}
    assert unaccounted == set(), "every task on the server is a call's, and every call has one"
    for i, task_id in returned.items():
        assert where_after[f"soak-{i:04d}"] == (windows[i % WINDOWS], task_id)

    assert requests_of_the_storm == attempts.total - len(recovered), "every request was ours"
    faults = sum(attempts.faults.values())
    assert set(attempts.faults) == set(KINDS), "every kind of fault happened"
    drawn = attempts.total - len(recovered) - attempts.rate_limited  # reached the fault slots
    assert 0.12 < faults / drawn < 0.28, (faults, drawn)
    assert attempts.rate_limited == ssm_server.throttled_count(REGISTER)

    count("soak:rounds")
    count("soak:registrations", REGISTRATIONS)
    count("soak:requests", attempts.total)
    count("soak:phases", attempts.phases)
    count("soak:faults_injected", faults)
    for kind, n in attempts.faults.items():
        count(f"soak:faults_injected:{kind}", n)
    count("soak:calls_succeeded", len(succeeded))
    count("soak:calls_failed_typed", len(failed))
    count("soak:tasks_reconciled", sum(names.values()))
    count("soak:orphans_of_lost_responses", len(orphans))
    count("soak:rate_limited", attempts.rate_limited)
    count("soak:failed_calls_with_token", len(failed))
    count("soak:tokens_reconciled", len(recovered))
    count("soak:orphans_found_by_token", len(orphans))
    count("soak:registered_on_recovery", len(registered_on_recovery))
    count("soak:tasks_after_recovery", sum(names_after.values()))
    count("soak:tasks_unaccounted_for", len(unaccounted))
    count("soak:duplicates", len(duplicates))


async def tasks_on(
    mw: MaintenanceWindowClient, windows: list[str]
) -> dict[str, list[MaintenanceWindowTask]]:
    """Every task of every window, by window."""
    found: dict[str, list[MaintenanceWindowTask]] = {}
    for window in windows:
        found[window] = [t async for t in mw.paginate_maintenance_window_tasks(window)]
    return found
