"""The Dockerfile passes hadolint, the workflow passes actionlint, the kn dry runs print kn."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from deploy_support import ROOT, missing

KN = ROOT / "deploy" / "kn"


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_dockerfile_passes_hadolint(tool: Callable[[str], str]) -> None:
    out = run([tool("hadolint"), "--failure-threshold", "warning", "Dockerfile"])
    assert out.returncode == 0, out.stdout + out.stderr


def test_hadolint_is_not_a_rubber_stamp(tool: Callable[[str], str], tmp_path: object) -> None:
    out = subprocess.run(
        [tool("hadolint"), "--failure-threshold", "warning", "-"],
        input="FROM python:latest\nRUN pip install flask\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0


def test_workflow_passes_actionlint(tool: Callable[[str], str]) -> None:
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    out = run([tool("actionlint"), *workflows])
    assert out.returncode == 0, out.stdout + out.stderr


def test_dockerfile_runs_as_non_root_with_http_signature() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "USER 10001" in text
    assert '"--signature-type", "http"' in text
    assert text.count("FROM ") >= 2


def kn_lines(script: str, *args: str) -> list[str]:
    out = run(["bash", str(KN / script), *args, "--dry-run"])
    assert out.returncode == 0, out.stderr
    return [line for line in out.stdout.splitlines() if not line.startswith("#")]


def test_deploy_dry_run() -> None:
    assert kn_lines(
        "deploy.sh", "catalog-get", "registry.example/shopfn:abc", "--revision", "v2"
    ) == [
        "kn service update catalog-get --namespace shopfn"
        " --tag @latest=stable --traffic stable=100",
        "kn service update catalog-get --namespace shopfn --image registry.example/shopfn:abc"
        " --revision-name catalog-get-v2 --tag @latest=candidate --traffic stable=100",
    ]


def test_canary_dry_run() -> None:
    assert kn_lines("canary.sh", "catalog-get", "-n", "prod") == [
        "kn service update catalog-get --namespace prod --traffic candidate=10 --traffic stable=90"
    ]
    assert kn_lines("canary.sh", "catalog-get", "--percent", "25")[0].endswith(
        "--traffic candidate=25 --traffic stable=75"
    )


def test_promote_dry_run() -> None:
    assert kn_lines("promote.sh", "catalog-get") == [
        "kn service update catalog-get --namespace shopfn"
        " --untag stable --untag candidate --traffic @latest=100"
    ]


def test_rollback_dry_run() -> None:
    assert kn_lines("rollback.sh", "catalog-get") == [
        "kn service update catalog-get --namespace shopfn --untag candidate --traffic stable=100"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["canary.sh", "NotAFunction"],
        ["canary.sh", "catalog-get", "--percent", "100"],
        ["deploy.sh", "catalog-get"],
        ["rollback.sh"],
    ],
)
def test_kn_scripts_refuse_bad_arguments(args: list[str]) -> None:
    out = run(["bash", str(KN / args[0]), *args[1:], "--dry-run"])
    assert out.returncode == 2
    assert "kn service" not in out.stdout


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_missing_tool_fails_under_ci_and_skips_locally(
    ci: str, outcome: type[BaseException], monkeypatch: pytest.MonkeyPatch
) -> None:
    if ci:
        monkeypatch.setenv("CI", ci)
    else:
        monkeypatch.delenv("CI", raising=False)
    with pytest.raises(outcome):
        missing("helm")
