"""The configuration written on a ledger's own plugin line, for the importers.

beangulp hands an import hook the ledger's entries but not its options, so the
hook reads the plugin line itself: the ledger is parsed (its includes followed,
no plugin run, nothing written beside it) and `config.ledger_config` reads the
line as the CLI and the Fava page do. A ledger that cannot be read gives the
defaults: bean-check is where its errors are reported.
"""

from __future__ import annotations

import os

from beancount import loader

from beancount_freelance.core.ledger.config import Config, ledger_config


def plugin_config(path: str) -> Config:
    """The package's configuration on the ledger's plugin line, else the defaults."""
    try:
        # Parsing alone: loading would run every plugin and may write a cache.
        _, _, options_map = loader._parse_recursive(
            [(os.path.abspath(path), True)], None
        )
    except Exception:  # a ledger Beancount itself cannot parse
        return Config()
    return ledger_config(options_map)
