"""`bean-clients` reads a ledger and writes nothing beside it.

Beancount's loader caches a pickle next to the ledger unless told not to
(`BEANCOUNT_DISABLE_LOAD_CACHE`); the CLI loads uncached, as Fava does, so a
user's folder stays as it was and an upgraded plugin is never answered by an
older one's cached results.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LEDGER = """\
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2016-01-01 open Assets:Bank EUR
2016-01-01 open Income:Clients:Acme EUR
2016-01-05 * "ACME" "Retainer"
  Assets:Bank             100.00 EUR
  Income:Clients:Acme    -100.00 EUR
"""


def test_report_leaves_the_ledgers_folder_as_it_was(tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text(LEDGER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}
    command = [sys.executable, "-m", "beancount_freelance.cli", "report", str(ledger)]
    for args in ([], ["--json"]):
        done = subprocess.run(
            [*command, *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.beancount"]
