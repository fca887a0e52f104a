"""What the real service does beyond the botocore model, on the models (no wire names).

Every rule here has an entry in ``docs/fidelity.md`` (``F1``, ``F2``, ...), with its
public source and the tests that check it. Request validation (``_validation``) and
the embedded backend (``ssm_mw.testing``) enforce the rules; this module holds the
facts they share and :func:`as_reported`, the one place that says how the service
reports a task it accepted.

It works on models only, so that code deciding "is the registered task the same as
this definition?" (plan/apply) can compare ``as_reported(definition)`` with what
the service reports, member by member.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ._models import Target, TaskDefinition

__all__ = [
    "INSTANCE_IDS",
    "INSTANCE_ID_PATTERN",
    "MAX_TARGET_VALUES",
    "TARGETLESS_PLACEHOLDER",
    "TARGET_KEYS",
    "TARGET_VALUE_PATTERNS",
    "WINDOW_TARGET_IDS",
    "WINDOW_TARGET_ID_PATTERN",
    "as_reported",
    "is_targetless",
]

#: The target key naming managed nodes by id (F1).
INSTANCE_IDS = "InstanceIds"
#: The target key naming targets registered with the window, by id (F1).
WINDOW_TARGET_IDS = "WindowTargetIds"
#: The only target keys a maintenance-window *task* accepts, spelled exactly so (F1).
#: Tags (``tag:KEY``) and resource groups are targets of the window, not of its tasks.
TARGET_KEYS: tuple[str, ...] = (INSTANCE_IDS, WINDOW_TARGET_IDS)
#: How many values each target key takes at most; every key takes at least one (F2).
MAX_TARGET_VALUES: Mapping[str, int] = {INSTANCE_IDS: 50, WINDOW_TARGET_IDS: 10}
#: A managed-node id, the service model's ``InstanceId`` shape (F3), for ``re.fullmatch``
#: (ASCII ``\w``, as in the model's Java pattern ``(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)``).
INSTANCE_ID_PATTERN = r"i-([A-Za-z0-9_]{8}|[A-Za-z0-9_]{17})|mi-[A-Za-z0-9_]{17}"
#: A window-target id, the service model's ``MaintenanceWindowTargetId`` shape (F3): a UUID.
WINDOW_TARGET_ID_PATTERN = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
#: The pattern each target key's values match (F3).
TARGET_VALUE_PATTERNS: Mapping[str, str] = {
    INSTANCE_IDS: INSTANCE_ID_PATTERN,
    WINDOW_TARGET_IDS: WINDOW_TARGET_ID_PATTERN,
}
#: What the service reports as ``max_concurrency`` and ``max_errors`` of a task
#: without targets, which may not carry either (F5, F6).
TARGETLESS_PLACEHOLDER = "1"


def is_targetless(targets: Sequence[Target] | None) -> bool:
    """Whether a task with these targets has none (``None`` and ``()`` alike) (F4)."""
    return not targets


def as_reported(definition: TaskDefinition) -> TaskDefinition:
    """``definition`` as get and describe report it after a register or a replace-update.

    For a definition the service accepts (one that passes validation), the result
    is what the service stores and reports back, member by member. The
    transformations, each with its entry in ``docs/fidelity.md``:

    * **F6, targetless placeholders.** A task without targets may not carry
      ``max_concurrency`` or ``max_errors`` (F5); the service stores ``"1"`` for
      both, and get and describe report that value.

    Nothing else is changed: the service fills in no other member that public
    evidence shows (``cutoff_behavior`` stays ``None`` when not given, though the
    service *behaves* as ``CONTINUE_TASK``; ``priority`` stays ``None``; see the
    "not filled in" section of ``docs/fidelity.md``). Applying it twice gives the
    same result as applying it once.
    """
    if is_targetless(definition.targets):
        return attrs.evolve(
            definition,
            max_concurrency=TARGETLESS_PLACEHOLDER,
            max_errors=TARGETLESS_PLACEHOLDER,
        )
    return definition
