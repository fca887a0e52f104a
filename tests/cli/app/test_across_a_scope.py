"""One organization, every command: ``windows list``, ``set-cutoff``, ``export``, then ``plan``,
``apply`` and ``plan`` again, across three accounts x two Regions of the embedded backend, the
scope given once before the command (as an operator's alias would)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml

from ssm_mw import AccountRegion
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.cli import Run
from support.org import reach, whole_scope
from support.org_export import seed_same_tasks


def test_windows_list_set_cutoff_export_plan_apply_plan(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """Each command covers the 6 account-Regions, each JSON item names its account and
    Region; the exported file, changed by one task, plans 6 creates, applies, and then plans
    no change."""
    org = ssm_organization

    async def seed() -> dict[AccountRegion, dict[str, str]]:
        async with reach(ssm_server, whole_scope(org)) as reached:
            return await seed_same_tasks(reached, org)

    made = asyncio.run(seed())
    pairs = {(t.account, t.region) for t in made}
    scope = ["--accounts", ",".join(org.account_ids), "--role-name", org.role_name]
    scope += ["--regions", ",".join(org.regions)]

    listed = run(*scope, "windows", "list", "--name", "window-1", "-o", "json")
    assert listed.exit_code == 0, listed.stderr
    assert {(w["account"], w["region"], w["tasks"]) for w in json.loads(listed.stdout)} == {
        (a, r, 2) for a, r in pairs
    }

    cutoff = run(*scope, "set-cutoff", "CANCEL_TASK", "--window-name", "window-1", "-o", "json")
    assert cutoff.exit_code == 0, cutoff.stderr
    report = json.loads(cutoff.stdout)
    assert {(c["account"], c["region"]) for c in report["changes"]} == pairs
    assert {t["status"] for t in report["targets"]} == {"ok"}

    exported = run(*scope, "export", "--window-name", "window-1")
    assert exported.exit_code == 0, exported.stderr
    state = yaml.safe_load(exported.stdout)
    assert state["scope"]["accounts"] == list(org.account_ids)
    assert set(state["windows"]["name:window-1"]) == {"patch", "restart"}
    state["windows"]["name:window-1"]["notify"] = {
        "TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:notify",
        "TaskType": "LAMBDA",
        "Priority": 3,
    }
    desired = tmp_path / "org.yaml"
    desired.write_text(yaml.safe_dump(state), encoding="utf-8")

    # The file's scope: is the scope; no option needed.
    planned = run("plan", str(desired), "-o", "json")
    assert planned.exit_code == 0, planned.stderr
    plan = json.loads(planned.stdout)
    creates = {
        (t["account"], t["region"], t["name"]) for t in plan["tasks"] if t["action"] == "create"
    }
    assert creates == {(a, r, "notify") for a, r in pairs}
    applied = run("apply", str(desired), "--yes", "-o", "json")
    assert applied.exit_code == 0, applied.stderr
    again = run("plan", str(desired))
    assert again.exit_code == 0, again.stderr
    assert "No changes. The live tasks match the desired state." in again.stdout
