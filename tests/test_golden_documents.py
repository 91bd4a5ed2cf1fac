"""The JSON documents stay as they were: golden files taken before the core moved.

`tests/data/golden/` holds what `bean-clients … --json` printed on the example
ledger and the test ledgers on the commit before the core got its rooms (issue
23). Later changes may only add keys: every key and value of a golden file must
still be there, the same. `GOLDEN_WRITE=1 pytest tests/test_golden_documents.py`
writes them again (only when a change of a document is meant).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from golden import lost_or_changed

from beancount_freelance.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
LEDGERS = [
    "example_ledger/main.beancount",
    *sorted(
        str(path.relative_to(ROOT))
        for folder in ("tests/data/conventions", "tests/data/fava")
        for path in (ROOT / folder).rglob("*.beancount")
    ),
]
COMMANDS = {
    "report": ["report"],
    "invoices": ["invoices"],
    "forecast": ["forecast"],
    "pipeline": ["pipeline"],
}


def _golden_name(ledger: str, command: str) -> str:
    stem = ledger.removesuffix(".beancount").replace("/", "__")
    return f"{stem}.{command}.json"


def _run(ledger: str, command: str) -> Any:
    args = [*COMMANDS[command], str(ROOT / ledger), "--json"]
    result = CliRunner().invoke(main, args, env={"LANG": "C"})
    if result.exit_code != 0:
        return {"exit_code": result.exit_code}
    # Messages name the ledger's file: the same wherever the clone is.
    return json.loads(result.stdout.replace(str(ROOT), "<root>"))


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("ledger", LEDGERS)
def test_document_keeps_every_golden_key(ledger: str, command: str) -> None:
    path = GOLDEN / _golden_name(ledger, command)
    now = _run(ledger, command)
    if os.environ.get("GOLDEN_WRITE"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(now, ensure_ascii=False, indent=2) + "\n")
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert lost_or_changed(golden, now) == []
