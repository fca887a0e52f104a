"""The real service's rules beyond the botocore model: each rule once (``docs/fidelity.md``).

Every rule of the fidelity ledger is one record here: its ledger id (``F1``,
``F2``, ...), its public source in the source's words, its condition, the
library's message (what request validation reports, at which path) and the
real service's error message (what the embedded backend answers; quoted where a
public source quotes it). The rules' users take them from these records and
restate none of them:

* request validation (``_validation``) reads the facts from a botocore request
  and reports every :class:`Breach` as a violation at its path, before sending;
* the embedded backend (``ssm_mw.testing``) reads the facts from a request and
  the stored task and refuses the first breach in the service's words;
* the test-data strategies (``tests/support/strategies.py``) generate data that
  breaks no rule, or exactly one, from :func:`allowed_limits` and
  :func:`whole_tasks` (which try every combination of facts against the records).

The conditions are stated over neutral facts, not over wire dicts or models: a
target's key and values (F1 to F3); :class:`TaskFacts`, what a request says about
the task it leads to (F4, F5, F7); which members a replace sends (F8, F10).
What the service then reports (F6) is :func:`as_reported`, on models, so that code
deciding "is the registered task the same as this definition?" (plan/apply) can
compare ``as_reported(definition)`` with what the service reports, member by member.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, cast

import attrs

from ._enums import TaskType
from ._models import Target, TaskDefinition
from ._operations import REGISTER_TASK
from ._shapes import members, operation_input_shape, snake_case

__all__ = [
    "CLIENT_RULES",
    "DEFAULT_SERVICE_ROLE",
    "EMPTY_TASK_PARAMETERS",
    "IGNORED_DEPRECATED_MEMBERS",
    "INSTANCE_IDS",
    "INSTANCE_ID_PATTERN",
    "INSTANCE_TARGETS",
    "LIMITS",
    "MAX_CONCURRENCY",
    "MAX_ERRORS",
    "MAX_TARGET_VALUES",
    "REPLACE_NEEDS_PRIORITY",
    "REPLACE_NEEDS_TASK_ARN",
    "REPLACE_RULES",
    "RULES",
    "RUN_COMMAND_NEEDS_TARGETS",
    "RUN_COMMAND_TAKES_NO_RESOURCE_IDS",
    "TARGETLESS_PLACEHOLDER",
    "TARGETLESS_PLACEHOLDERS",
    "TARGETLESS_TAKES_NO_LIMITS",
    "TARGETS_NEED_LIMITS",
    "TARGET_KEY",
    "TARGET_KEYS",
    "TARGET_KINDS",
    "TARGET_RULES",
    "TARGET_VALUE_COUNT",
    "TARGET_VALUE_FORM",
    "TARGET_VALUE_PATTERNS",
    "TASKS_PER_WINDOW",
    "TASK_RULES",
    "WINDOW_TARGETS",
    "WINDOW_TARGET_IDS",
    "WINDOW_TARGET_ID_PATTERN",
    "Breach",
    "IgnoredMembers",
    "Limit",
    "MayFillIn",
    "Placeholders",
    "PseudoParameterRule",
    "Quota",
    "Refusal",
    "ReplaceRule",
    "ReportedEmpty",
    "Rule",
    "TargetKeyRule",
    "TargetKind",
    "TargetValueCountRule",
    "TargetValueFormRule",
    "TaskFacts",
    "TaskRule",
    "allowed_limits",
    "as_reported",
    "is_targetless",
    "target_breaches",
    "task_breaches",
    "whole_task",
    "whole_tasks",
]

#: How a rule shows a value the user gave, in the library's messages (``repr`` unless the
#: caller shortens it).
Show = Callable[[object], str]


# -- the facts -----------------------------------------------------------------------


@functools.cache
def _request_member_names() -> Mapping[str, str]:
    """The register request's member names by the models' attribute names (read on first use)."""
    return {snake_case(name): name for name in members(operation_input_shape(REGISTER_TASK.name))}


class _OneMember:
    """A record about one request member, named by its models' ``attribute``."""

    __slots__ = ()
    attribute: str

    @property
    def member(self) -> str:
        """Its member name in the requests and responses (from the service model)."""
        return _request_member_names()[self.attribute]


@attrs.frozen
class Limit(_OneMember):
    """One of the two limits of a task's run: ``max_concurrency`` and ``max_errors``."""

    #: The models' attribute, and the path request validation names.
    attribute: str


MAX_CONCURRENCY = Limit("max_concurrency")
MAX_ERRORS = Limit("max_errors")
#: Both limits, in the model's order.
LIMITS: tuple[Limit, ...] = (MAX_CONCURRENCY, MAX_ERRORS)


def _fullmatch(pattern: str) -> Callable[[str], object]:
    return re.compile(pattern).fullmatch


@attrs.frozen(kw_only=True)
class TargetKind:
    """A kind of window-task target (F1): its key, how many values (F2), their form (F3)."""

    #: The target key, spelled exactly so.
    key: str
    #: How many values it takes at most; every kind takes at least one.
    most: int
    #: The form of every value, for ``re.fullmatch``.
    pattern: str
    #: One value in the library's words (``a managed-node id (i-...)``).
    noun: str
    #: One value in the service's words (``instance ID``).
    service_noun: str
    #: The service's message for more than ``most`` values, where a public source quotes one.
    too_many: str | None = None
    #: ``re.fullmatch`` of ``pattern``: not ``None`` for a value of this kind's form.
    fullmatch: Callable[[str], object] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: _fullmatch(self.pattern), takes_self=True),
    )

    def matches(self, value: str) -> bool:
        """Whether ``value`` has the form of this kind's values."""
        return self.fullmatch(value) is not None


#: The target key naming managed nodes by id (F1).
INSTANCE_IDS = "InstanceIds"
#: The target key naming targets registered with the window, by id (F1).
WINDOW_TARGET_IDS = "WindowTargetIds"
#: A managed-node id, the service model's ``InstanceId`` shape (F3), for ``re.fullmatch``
#: (ASCII ``\w``, as in the model's Java pattern ``(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)``).
INSTANCE_ID_PATTERN = r"i-([A-Za-z0-9_]{8}|[A-Za-z0-9_]{17})|mi-[A-Za-z0-9_]{17}"
#: A window-target id, the service model's ``MaintenanceWindowTargetId`` shape (F3): a UUID.
WINDOW_TARGET_ID_PATTERN = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)

#: Managed nodes by id: 1 to 50 (also the model's own maximum of ``TargetValues``).
INSTANCE_TARGETS = TargetKind(
    key=INSTANCE_IDS,
    most=50,
    pattern=INSTANCE_ID_PATTERN,
    noun="a managed-node id (i-...)",
    service_noun="instance ID",
)
#: Window targets by id: 1 to 10; a real call with 11 was refused in these words
#: (hashicorp/terraform-provider-aws#18372).
WINDOW_TARGETS = TargetKind(
    key=WINDOW_TARGET_IDS,
    most=10,
    pattern=WINDOW_TARGET_ID_PATTERN,
    noun="a window-target id",
    service_noun="maintenance window target ID",
    too_many="The maximum number of window targets is 10",
)
#: The only kinds of target a maintenance-window *task* accepts, by key (F1). Tags
#: (``tag:KEY``) and resource groups are targets of the window, not of its tasks.
TARGET_KINDS: Mapping[str, TargetKind] = {k.key: k for k in (INSTANCE_TARGETS, WINDOW_TARGETS)}
#: The target keys a window task accepts (F1).
TARGET_KEYS: tuple[str, ...] = tuple(TARGET_KINDS)
#: How many values each target key takes at most (F2).
MAX_TARGET_VALUES: Mapping[str, int] = {k.key: k.most for k in TARGET_KINDS.values()}
#: The pattern each target key's values match (F3).
TARGET_VALUE_PATTERNS: Mapping[str, str] = {k.key: k.pattern for k in TARGET_KINDS.values()}


class TaskFacts(NamedTuple):
    """What a request says about the task it leads to: all that F4, F5 and F7 look at.

    ``None`` is "the request does not say": an update without ``Replace`` keeps
    the targets it does not send, and the task type is no update member. (A named
    tuple: request validation makes one for every register and update it checks.)
    """

    #: The task type (a ``TaskType`` value), or ``None``.
    task_type: str | None = None
    #: Whether the task has at least one target (an empty list is none), or ``None``.
    has_targets: bool | None = None
    #: The limits the request gives a value.
    given: frozenset[Limit] = frozenset()
    #: The limits the task ends up without a value the user gave (the placeholders of
    #: F6 are none); empty where the request cannot tell (the stored values count).
    lacking: frozenset[Limit] = frozenset()


def whole_task(task_type: str | None, has_targets: bool, given: Iterable[Limit]) -> TaskFacts:
    """The facts of a request that says the whole task (register, or update with replace).

    A limit it does not give, the task lacks.
    """
    given = frozenset(given)
    return TaskFacts(
        task_type=task_type,
        has_targets=has_targets,
        given=given,
        lacking=frozenset(LIMITS) - given,
    )


def is_targetless(targets: Sequence[Target] | None) -> bool:
    """Whether a task with these targets has none (``None`` and ``()`` alike) (F4)."""
    return not targets


# -- the records -----------------------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False)
class Rule:
    """A rule of the real service beyond the model: an entry of ``docs/fidelity.md``."""

    #: The ledger's id: ``F1``, ``F2``, ...
    id: str
    #: What the rule says, in one line.
    summary: str
    #: Where it is stated, in the source's words.
    source: str


@attrs.frozen(kw_only=True, eq=False)
class Refusal(Rule):
    """A rule that a request can break: the service refuses it (``ValidationException``)."""

    #: The library's message; ``str.format`` fields as each kind of rule documents.
    message: str
    #: The real service's error message (the embedded backend's); ``str.format`` fields
    #: as each kind of rule documents.
    service_message: str
    #: Whether a public source quotes ``service_message`` (else it is the backend's wording).
    quoted: bool


@attrs.frozen(kw_only=True)
class Breach:
    """One member of a request that breaks a rule, in the library's words and in the service's."""

    rule: Refusal
    #: The library's path of the member at fault: of the target for F1 to F3 (``key``,
    #: ``values``, ``values[1]``), of the request otherwise (``targets``, ``max_errors``).
    path: str
    #: What request validation says about it.
    message: str
    #: What the service answers: for a rule about several members, the one message for all.
    service_message: str


#: The help the service adds to every target error, quoted from a real call
#: (terraform-linters/tflint-ruleset-aws#524).
_SERVICE_TARGET_HELP = (
    "For Run Command tasks, you must specify at least one resource as the target of the "
    "task. You can specify between 1 and 50 instance IDs, or between 1 and 10 maintenance "
    "window target IDs"
)
_KEY_HELP = "use InstanceIds (Target.instances) or WindowTargetIds (Target.window_targets)"


@attrs.frozen(kw_only=True, eq=False)
class TargetKeyRule(Refusal):
    """F1. Fields: ``{key}`` (``message``: shown; ``service_message``: as sent, or ``null``)."""

    #: The library's message for a target without a key.
    missing_message: str
    kinds: Mapping[str, TargetKind]

    def kind_of(self, key: object) -> TargetKind | None:
        """The kind of target ``key`` names; ``None`` breaks the rule."""
        return self.kinds.get(key) if isinstance(key, str) else None

    def breach(self, key: object, show: Show = repr) -> Breach:
        """The breach of a target whose key names no kind."""
        message = self.missing_message if key is None else self.message.format(key=show(key))
        service = self.service_message.format(key="null" if key is None else key)
        return Breach(rule=self, path="key", message=message, service_message=service)


@attrs.frozen(kw_only=True, eq=False)
class TargetValueCountRule(Refusal):
    """F2. Fields: ``{count}``, ``{ids}`` (id or ids), ``{key}``, ``{most}``."""

    #: The library's message for a target without values.
    missing_message: str

    def check(self, kind: TargetKind, count: int | None) -> Breach | None:
        """A target of ``kind`` with ``count`` values (``None``: no values member at all)."""
        if count is not None and 1 <= count <= kind.most:
            return None
        fields = {"key": kind.key, "most": kind.most}
        if count is None:
            message = self.missing_message.format(**fields)
        else:
            message = self.message.format(count=count, ids="id" if count == 1 else "ids", **fields)
        service = self.service_message
        if count is not None and count > kind.most and kind.too_many is not None:
            service = kind.too_many
        return Breach(rule=self, path="values", message=message, service_message=service)


@attrs.frozen(kw_only=True, eq=False)
class TargetValueFormRule(Refusal):
    """F3. Fields: ``{value}`` (``message``: shown; ``service_message``: as sent), ``{noun}``."""

    def check(self, kind: TargetKind, values: Sequence[object], show: Show = repr) -> list[Breach]:
        """The values of a target of ``kind`` not of its form (values that are no strings,
        the model's to report, aside)."""
        fullmatch = kind.fullmatch
        found: list[Breach] = []
        for index, value in enumerate(values):
            if (type(value) is str or isinstance(value, str)) and fullmatch(value) is None:
                found.append(
                    Breach(
                        rule=self,
                        path=f"values[{index}]",
                        message=self.message.format(value=show(value), noun=kind.noun),
                        service_message=self.service_message.format(
                            value=value, noun=kind.service_noun
                        ),
                    )
                )
        return found


@attrs.frozen(kw_only=True, eq=False)
class TaskRule(Refusal):
    """A rule on the task a request leads to (:class:`TaskFacts`)."""

    def check(self, facts: TaskFacts) -> tuple[Breach, ...]:
        """The breaches of the request these facts are of, in the model's order."""
        raise NotImplementedError


@attrs.frozen(kw_only=True, eq=False)
class TargetsRequiredRule(TaskRule):
    """F4: tasks of these types need at least one target. No fields."""

    task_types: frozenset[str]

    def check(self, facts: TaskFacts) -> tuple[Breach, ...]:
        if facts.has_targets is False and facts.task_type in self.task_types:
            return (
                Breach(
                    rule=self,
                    path="targets",
                    message=self.message,
                    service_message=self.service_message,
                ),
            )
        return ()


@attrs.frozen(kw_only=True, eq=False)
class NoLimitsRule(TaskRule):
    """F5: a task without targets takes no limits. Fields: ``{member}`` (the service's).

    The service's message has one sentence per limit given, in ``service_order``. A
    task that breaks ``first`` is refused for that alone, as the service does.
    """

    service_order: tuple[Limit, ...]
    first: TaskRule

    def check(self, facts: TaskFacts) -> tuple[Breach, ...]:
        if facts.has_targets is not False or not facts.given or self.first.check(facts):
            return ()
        service = " ".join(
            self.service_message.format(member=limit.member)
            for limit in self.service_order
            if limit in facts.given
        )
        return tuple(
            Breach(rule=self, path=limit.attribute, message=self.message, service_message=service)
            for limit in LIMITS
            if limit in facts.given
        )


@attrs.frozen(kw_only=True, eq=False)
class LimitsRequiredRule(TaskRule):
    """F7: a task with targets needs both limits. Fields: ``{members}`` (the service's)."""

    def check(self, facts: TaskFacts) -> tuple[Breach, ...]:
        if facts.has_targets is not True or not facts.lacking:
            return ()
        missing = [limit for limit in LIMITS if limit in facts.lacking]
        service = self.service_message.format(members=" and ".join(m.member for m in missing))
        return tuple(
            Breach(rule=self, path=limit.attribute, message=self.message, service_message=service)
            for limit in missing
        )


@attrs.frozen(kw_only=True, eq=False)
class ReplaceRule(Refusal, _OneMember):
    """F8, F10: a replace (``Replace=True``) sends one member. No fields in the messages."""

    #: The models' attribute of the member, and the path request validation names.
    attribute: str

    def check(self, *, replace: bool, sent: Collection[str]) -> Breach | None:
        """An update with ``Replace`` true or not, sending the members ``sent`` (wire names)."""
        if replace and self.member not in sent:
            return Breach(
                rule=self,
                path=self.attribute,
                message=self.message,
                service_message=self.service_message,
            )
        return None


@attrs.frozen(kw_only=True, eq=False)
class ReportedEmpty(Rule, _OneMember):
    """F11: a map member the service reports empty (``{}``) when none was given."""

    #: The models' attribute of the member.
    attribute: str

    def is_empty(self, value: object) -> bool:
        """Whether ``value`` (a model's or a botocore dict's) is the empty map reported."""
        return isinstance(value, Mapping) and not value


@functools.cache
def _pseudo_parameters(names: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of the pseudo parameters ``names`` as written (``{{ TARGET_ID }}``)."""
    return re.compile(r"\{\{\s*(?:" + "|".join(map(re.escape, names)) + r")\s*\}\}")


@attrs.frozen(kw_only=True, eq=False)
class PseudoParameterRule(Refusal):
    """F13: pseudo parameters a task type cannot take; the client refuses them before sending.

    ``message`` has the field ``{name}`` (the pseudo parameter, braces included). What
    the service answers is not established: the embedded backend does not check it.
    """

    #: The pseudo parameters, without braces (``TARGET_ID``).
    names: tuple[str, ...]
    #: The task type that cannot take them.
    task_type: str

    @staticmethod
    def may_hold(text: str) -> bool:
        """Whether ``text`` may hold a pseudo parameter at all (most values do not)."""
        return "{{" in text

    def found(self, text: str) -> list[str]:
        """The pseudo parameters of :attr:`names` in ``text``, as written (``{{TARGET_ID}}``)."""
        if not self.may_hold(text):
            return []
        return _pseudo_parameters(self.names).findall(text)

    def breaches(self, task_type: object, texts: Iterable[tuple[str, object]]) -> list[Breach]:
        """One breach per pseudo parameter in ``texts`` (path, value) of a task of ``task_type``."""
        if task_type != self.task_type:
            return []
        found: list[Breach] = []
        for path, value in texts:
            if isinstance(value, str):
                for name in self.found(value):
                    message = self.message.format(name=name)
                    found.append(
                        Breach(rule=self, path=path, message=message, service_message=message)
                    )
        return found


@attrs.frozen(kw_only=True, eq=False)
class IgnoredMembers(Rule):
    """F14: deprecated members the service ignores; the client warns and sends them.

    A task of :attr:`used_by` uses them only when its request gives no
    invocation parameters; a task of any other type never does.
    """

    #: The models' attributes of the members.
    attributes: tuple[str, ...]
    #: The one task type that may use them.
    used_by: str

    @property
    def members(self) -> tuple[str, ...]:
        """Their member names in the requests (from the service model)."""
        names = _request_member_names()
        return tuple(names[a] for a in self.attributes)

    def ignored(
        self, task_type: str | None, sent: Mapping[str, object], has_invocation: bool
    ) -> str | None:
        """The warning for a request of a task of ``task_type`` sending members ``sent``
        (wire names), or ``None`` when the service uses what it sends (or the type is unknown).
        An empty member (``{}``) sends nothing to ignore."""
        pairs = zip(self.attributes, self.members, strict=True)
        given = [a for a, m in pairs if sent.get(m) not in (None, {})]
        if not given or task_type is None or (task_type == self.used_by and not has_invocation):
            return None
        names = " and ".join(given)
        if task_type == self.used_by:
            return (
                f"{names}: ignored by the service for a Run Command task whose request has "
                "task_invocation_parameters (deprecated: give the parameters there)"
            )
        article = "an" if task_type[:1] in tuple("AEIOU") else "a"
        return (
            f"{names}: ignored by the service for {article} {task_type} task (deprecated: only a "
            "Run Command task without task_invocation_parameters uses them)"
        )


@attrs.frozen(kw_only=True)
class Quota:
    """A service quota these operations can reach (``docs/fidelity.md``, "Quotas")."""

    #: Its name on the quota page.
    name: str
    #: Its default value, per account and Region.
    default: int
    #: Where it is stated.
    source: str


@attrs.frozen(kw_only=True, eq=False)
class MayFillIn(Rule, _OneMember):
    """F12: a member the service may fill in when none is given; not filled in here.

    Whether the service reports its default is not established, so a live value
    of it is no difference from a definition that leaves it out.
    """

    #: The models' attribute of the member.
    attribute: str


@attrs.frozen(kw_only=True, eq=False)
class Placeholders(Rule):
    """F6: what the service stores and reports as the limits of a task without targets."""

    value: str

    def for_task(self, *, has_targets: bool) -> Mapping[Limit, str]:
        """The limits the service fills in for a task with or without targets."""
        return {} if has_targets else dict.fromkeys(LIMITS, self.value)


TARGET_KEY = TargetKeyRule(
    id="F1",
    summary="A window task's target key is InstanceIds or WindowTargetIds, spelled exactly so",
    source=(
        'A real call: "target-ks-scan-patch is an invalid window task target type, use '
        'WindowTargetIds or InstanceIds. ..." (terraform-linters/tflint-ruleset-aws#524); '
        '"instanceids" fails (awsdocs/aws-cloudformation-user-guide#311); '
        "resource-groups:Name does not work for a window task (#728)"
    ),
    message="{key} is not a window task target: " + _KEY_HELP,
    missing_message="is required: " + _KEY_HELP,
    service_message=(
        "{key} is an invalid window task target type, use WindowTargetIds or InstanceIds. "
        + _SERVICE_TARGET_HELP
    ),
    quoted=True,
    kinds=TARGET_KINDS,
)
TARGET_VALUE_COUNT = TargetValueCountRule(
    id="F2",
    summary="InstanceIds takes 1 to 50 ids, WindowTargetIds 1 to 10",
    source=(
        'tflint-ruleset-aws#524: "You can specify between 1 and 50 instance IDs, or between 1 '
        'and 10 maintenance window target IDs"; a real call: "The maximum number of window '
        'targets is 10" (hashicorp/terraform-provider-aws#18372)'
    ),
    message="has {count} {ids}: a {key} target takes 1 to {most}",
    missing_message="is required: a {key} target takes 1 to {most} ids",
    service_message=_SERVICE_TARGET_HELP,
    quoted=True,
)
TARGET_VALUE_FORM = TargetValueFormRule(
    id="F3",
    summary="The values are ids of the key's kind: instance ids, window-target ids (UUIDs)",
    source=(
        'API reference, Targets: "Key=InstanceIds,Values=<instance-id-1>,..." and '
        '"Key=WindowTargetIds,Values=<window-target-id-1>,..."; the model\'s InstanceId and '
        "MaintenanceWindowTargetId shapes"
    ),
    message="{value} is not {noun}",
    service_message="{value} is not a valid {noun}. " + _SERVICE_TARGET_HELP,
    quoted=False,
)
RUN_COMMAND_NEEDS_TARGETS = TargetsRequiredRule(
    id="F4",
    summary="Run Command tasks need at least one target; the other types may have none",
    source=(
        'API reference, Targets: "One or more targets must be specified for maintenance '
        "window Run Command-type tasks. Depending on the task, targets are optional for other "
        'maintenance window task types (Automation, Lambda, and Step Functions)."'
    ),
    message="a RUN_COMMAND task needs a target",
    service_message=_SERVICE_TARGET_HELP,
    quoted=False,
    task_types=frozenset({TaskType.RUN_COMMAND.value}),
)
TARGETLESS_PLACEHOLDERS = Placeholders(
    id="F6",
    summary='For a task without targets the service stores and reports "1" for both limits',
    source=(
        'User guide, targetless tasks: "Instead, the system inserts a placeholder value of 1, '
        "which may be reported in the response to commands such as "
        'describe-maintenance-window-tasks and get-maintenance-window-task."'
    ),
    value="1",
)
TASKS_PER_WINDOW = Quota(
    name="Tasks per maintenance window",
    default=20,
    source=(
        "AWS General Reference, Systems Manager endpoints and quotas, service quotas for "
        "Maintenance Windows: Tasks per maintenance window, 20"
    ),
)
RUN_COMMAND_TAKES_NO_RESOURCE_IDS = PseudoParameterRule(
    id="F13",
    summary="{{TARGET_ID}} and {{RESOURCE_ID}} cannot be used in Run Command tasks",
    source=(
        'User guide, maintenance-window-tasks-pseudo-parameters: "{{TARGET_ID}} and '
        "{{RESOURCE_ID}} can be used to pass IDs of AWS resources only to Automation, Lambda, "
        "and Step Functions tasks. These two pseudo parameters can't be used with Run Command "
        'tasks."'
    ),
    names=("TARGET_ID", "RESOURCE_ID"),
    task_type=TaskType.RUN_COMMAND.value,
    message=(
        "{name} cannot be used in a Run Command task (only Automation, Lambda and Step "
        "Functions tasks take it)"
    ),
    service_message="",
    quoted=False,
)
IGNORED_DEPRECATED_MEMBERS = IgnoredMembers(
    id="F14",
    summary=(
        "TaskParameters and LoggingInfo apply to Run Command tasks only without "
        "TaskInvocationParameters; other task types ignore them"
    ),
    source=(
        'API reference, MaintenanceWindowRunCommandParameters: "For RUN_COMMAND tasks, Systems '
        "Manager uses specified values for TaskParameters and LoggingInfo only if no values are "
        'specified for TaskInvocationParameters"; MaintenanceWindowLambdaParameters and '
        'MaintenanceWindowStepFunctionsParameters: "Systems Manager ignores any values specified '
        'for TaskParameters and LoggingInfo"; MaintenanceWindowAutomationParameters: "For '
        "AUTOMATION task types, Amazon Web Services Systems Manager ignores any values specified "
        'for these parameters"'
    ),
    attributes=("task_parameters", "logging_info"),
    used_by=TaskType.RUN_COMMAND.value,
)
DEFAULT_SERVICE_ROLE = MayFillIn(
    id="F12",
    summary=(
        "Without a ServiceRoleArn the service uses the account's service-linked role; whether "
        "get reports it is not established"
    ),
    source=(
        'API reference, ServiceRoleArn: "If you do not specify a service role ARN, Systems '
        "Manager uses your account's service-linked role\"; the Terraform provider marks "
        "service_role_arn computed (hashicorp/terraform-provider-aws#12200)"
    ),
    attribute="service_role_arn",
)
EMPTY_TASK_PARAMETERS = ReportedEmpty(
    id="F11",
    summary="The service reports TaskParameters as {} when none were given (not established)",
    source=(
        "aws-cli's example outputs (awscli/examples/ssm/*maintenance-window-task*.rst): "
        '"TaskParameters": {} in 7 of 7 outputs of get, describe and update, and in the user '
        "guide's CLI tutorial, tasks registered without TaskParameters included"
    ),
    attribute="task_parameters",
)
#: What the service reports as ``max_concurrency`` and ``max_errors`` of a task
#: without targets, which may not carry either (F5, F6).
TARGETLESS_PLACEHOLDER = TARGETLESS_PLACEHOLDERS.value
TARGETLESS_TAKES_NO_LIMITS = NoLimitsRule(
    id="F5",
    summary="A task without targets may not carry MaxConcurrency or MaxErrors",
    source=(
        'User guide, targetless tasks: "For maintenance window tasks without a target '
        'specified, you cannot supply values for --max-errors and --max-concurrency"; a real '
        'call: "Maintenance window tasks without targets do not support MaxErrors values. '
        'Maintenance window tasks without targets do not support MaxConcurrency values." '
        "(hashicorp/terraform-provider-aws#19396)"
    ),
    message=(
        "must not be given for a task without targets "
        f"(the service refuses it and reports {TARGETLESS_PLACEHOLDER!r})"
    ),
    service_message="Maintenance window tasks without targets do not support {member} values.",
    service_order=(MAX_ERRORS, MAX_CONCURRENCY),  # as the quoted message has them
    quoted=True,
    first=RUN_COMMAND_NEEDS_TARGETS,
)
TARGETS_NEED_LIMITS = LimitsRequiredRule(
    id="F7",
    summary="A task with targets needs both MaxConcurrency and MaxErrors",
    source=(
        'API reference, MaxConcurrency and MaxErrors: "Although this element is listed as '
        "'Required: No', a value can be omitted only when you are registering or updating a "
        'targetless task. You must provide a value in all other cases."'
    ),
    message="is required when targets are given",
    service_message="{members} must be given for a task with targets",
    quoted=False,
)
REPLACE_NEEDS_TASK_ARN = ReplaceRule(
    id="F8",
    summary="Replace=True needs what register needs: the task ARN",
    source=(
        'API reference, UpdateMaintenanceWindowTask, Replace: "If True, then all fields that '
        "are required by the RegisterTaskWithMaintenanceWindow operation are also required "
        'for this API request."'
    ),
    attribute="task_arn",
    message="is required when replace is True",
    service_message="Value null at 'TaskArn' failed to satisfy constraint: Member must not be null",
    quoted=False,
)
REPLACE_NEEDS_PRIORITY = ReplaceRule(
    id="F10",
    summary="Replace=True needs a Priority, which register does not",
    source=(
        "hashicorp/terraform-provider-aws#17871 and #17885 (an update with Replace=true and "
        "no priority): \"ValidationException: Value null at 'Priority' failed to satisfy "
        'constraint: Member must not be null"'
    ),
    attribute="priority",
    message="is required when replace is True (the service cannot clear it)",
    service_message=(
        "Value null at 'Priority' failed to satisfy constraint: Member must not be null"
    ),
    quoted=True,
)

#: The rules on one target, in the order they are checked.
TARGET_RULES: tuple[Refusal, ...] = (TARGET_KEY, TARGET_VALUE_COUNT, TARGET_VALUE_FORM)
#: The rules on the task a request leads to, in the order they are checked.
TASK_RULES: tuple[TaskRule, ...] = (
    RUN_COMMAND_NEEDS_TARGETS,
    TARGETLESS_TAKES_NO_LIMITS,
    TARGETS_NEED_LIMITS,
)
#: The members a replace must send, in the order they are checked.
REPLACE_RULES: tuple[ReplaceRule, ...] = (REPLACE_NEEDS_TASK_ARN, REPLACE_NEEDS_PRIORITY)
#: Every rule a request can break that the service (and the embedded backend) refuses.
RULES: tuple[Refusal, ...] = (*TARGET_RULES, *TASK_RULES, *REPLACE_RULES)
#: Rules the client checks before sending, where what the service does is not established.
CLIENT_RULES: tuple[PseudoParameterRule, ...] = (RUN_COMMAND_TAKES_NO_RESOURCE_IDS,)


def _held(breaches: list[Breach], held: Collection[str] | None) -> list[Breach]:
    return breaches if held is None else [b for b in breaches if b.rule.id in held]


def target_breaches(
    key: object,
    values: object,
    show: Show = repr,
    *,
    most_counted: int | None = None,
    held: Collection[str] | None = None,
) -> list[Breach]:
    """Every breach of one target (F1 to F3), in order; empty if none.

    A key of no kind is the one breach of its target, and so is a target without
    values. ``values`` that are no list or tuple are the model's to report, and so
    are counts above ``most_counted`` (the model's own maximum, where the caller
    checks the model too). ``show`` shows a value in the library's messages.
    ``held``: the ids of the rules an operation's record holds its request to
    (``OperationSpec.rules``); every rule when ``None``.
    """
    return _held(_target_breaches(key, values, show, most_counted), held)


def _target_breaches(
    key: object, values: object, show: Show, most_counted: int | None
) -> list[Breach]:
    kind = TARGET_KEY.kind_of(key)
    if kind is None:
        return [TARGET_KEY.breach(key, show)]
    if not isinstance(values, (list, tuple)):
        missing = TARGET_VALUE_COUNT.check(kind, None) if values is None else None
        return [] if missing is None else [missing]
    values = cast("Sequence[object]", values)
    count = len(values)
    breaches = TARGET_VALUE_FORM.check(kind, values, show)
    if most_counted is None or count <= most_counted:
        wrong = TARGET_VALUE_COUNT.check(kind, count)
        if wrong is not None:
            breaches.insert(0, wrong)
    return breaches


def task_breaches(facts: TaskFacts, held: Collection[str] | None = None) -> tuple[Breach, ...]:
    """Every breach of the task rules (:data:`TASK_RULES`), in their order; empty if none.

    ``held``: the ids of the rules to check (``OperationSpec.rules``); all when ``None``.
    """
    found: tuple[Breach, ...] = ()
    for rule in TASK_RULES:
        if held is None or rule.id in held:
            found += rule.check(facts)
    return found


# -- every combination of facts, for generated data -------------------------------------


def _limit_sets() -> Iterable[frozenset[Limit]]:
    for n in range(len(LIMITS) + 1):
        for given in itertools.combinations(LIMITS, n):
            yield frozenset(given)


def allowed_limits(
    task_type: str | None, has_targets: bool | None, *, whole: bool
) -> tuple[frozenset[Limit], ...]:
    """Every set of limits a request may give, the rest of its facts given; empty if none.

    ``whole``: the request says the whole task (register, replace); otherwise the
    task keeps the limits it has (the request cannot tell what they are).
    """
    out: list[frozenset[Limit]] = []
    for given in _limit_sets():
        if whole and has_targets is not None:
            facts = whole_task(task_type, has_targets, given)
        else:
            facts = TaskFacts(task_type=task_type, has_targets=has_targets, given=given)
        if not task_breaches(facts):
            out.append(given)
    return tuple(out)


def whole_tasks(task_type: str | None, breaking: TaskRule | None = None) -> tuple[TaskFacts, ...]:
    """The facts of every whole task of ``task_type`` that breaks no rule, or only ``breaking``."""
    wanted = set() if breaking is None else {breaking}
    out: list[TaskFacts] = []
    for has_targets in (True, False):
        for given in _limit_sets():
            facts = whole_task(task_type, has_targets, given)
            if {b.rule for b in task_breaches(facts)} == wanted:
                out.append(facts)
    return tuple(out)


# -- what the service reports -----------------------------------------------------------


def as_reported(definition: TaskDefinition) -> TaskDefinition:
    """``definition`` as get and describe report it after a register or a replace-update.

    For a definition the service accepts (one that passes validation), the result
    is what the service stores and reports back, member by member. The
    transformations, each with its entry in ``docs/fidelity.md``:

    * **F6, targetless placeholders.** A task without targets may not carry
      ``max_concurrency`` or ``max_errors`` (F5); the service stores ``"1"`` for
      both, and get and describe report that value.
    * **F11, an empty map.** A task registered without ``task_parameters``
      reports ``{}`` (what every public example output shows).

    Nothing else is changed: the service fills in no other member that public
    evidence shows (``cutoff_behavior`` stays ``None`` when not given, though the
    service *behaves* as ``CONTINUE_TASK``; ``priority`` stays ``None``; see the
    "not filled in" section of ``docs/fidelity.md``). Applying it twice gives the
    same result as applying it once. Comparisons (plans, exports) take ``{}`` and
    absence of such a member as the same, so whether the service reports it does
    not decide a difference.
    """
    changes: dict[str, Any] = {}
    if getattr(definition, EMPTY_TASK_PARAMETERS.attribute) is None:
        changes[EMPTY_TASK_PARAMETERS.attribute] = {}
    filled = TARGETLESS_PLACEHOLDERS.for_task(has_targets=not is_targetless(definition.targets))
    changes.update((limit.attribute, value) for limit, value in filled.items())
    return attrs.evolve(definition, **changes) if changes else definition
