"""What a stranger installs and wires in: the version, the pre-commit hook definition.

The built wheel itself is checked by `make package-check` (`.ci/package-check`),
which installs it alone in a fresh virtual environment.
"""

from __future__ import annotations

import importlib.metadata
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import tomllib
import yaml
from click.testing import CliRunner

from beancount_freelance import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example_ledger"


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = [hook for hook in hooks if hook["id"] == "bean-check"]
    return dict(hook)


def _run_hook(hook: dict[str, Any], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The hook's command line as pre-commit builds it: entry, then args."""
    entry = shlex.split(hook["entry"])
    # pre-commit runs the entry from the hook's own virtual environment: here,
    # the one running the tests.
    executable = Path(sys.executable).parent / entry[0]
    command = [str(executable), *entry[1:], *hook["args"]]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_bean_clients_version_is_the_package_version() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    version = declared["project"]["version"]
    result = CliRunner().invoke(cli.main, ["--version"], prog_name="bean-clients")
    assert result.exit_code == 0
    assert result.output == f"bean-clients, version {version}\n"
    # The installed metadata says the same: pyproject.toml is the one source.
    assert importlib.metadata.version("beancount-freelance") == version


def test_the_hook_checks_the_whole_ledger_from_its_top_file() -> None:
    hook = _hook()
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["main.beancount"]
    assert "-C" in shlex.split(hook["entry"])  # no pickle cache beside the ledger


def test_docs_ci_shows_the_hook_definition_as_it_is() -> None:
    definition = (REPO / ".pre-commit-hooks.yaml").read_text("utf-8")
    lines = [line for line in definition.splitlines() if not line.startswith("#")]
    assert "```yaml\n" + "\n".join(lines) + "\n```" in (
        REPO / "docs" / "ci.md"
    ).read_text("utf-8")


def test_the_hook_passes_on_the_example_ledger() -> None:
    result = _run_hook(_hook(), EXAMPLE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_the_hook_fails_on_a_broken_ledger_with_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "books")
    with open(tmp_path / "books" / "main.beancount", "a", encoding="utf-8") as main:
        main.write('\n2017-12-30 custom "client-lost" "Lefevrre" "typo"\n')
    result = _run_hook(_hook(), tmp_path / "books")
    assert result.returncode == 1
    assert "main.beancount:" in result.stderr + result.stdout
    assert "Unknown client 'Lefevrre'" in result.stderr + result.stdout
    assert not list((tmp_path / "books").glob("*.picklecache"))
