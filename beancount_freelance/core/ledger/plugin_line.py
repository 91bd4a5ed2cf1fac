"""The plugin line that says a configuration: what the advice proposes to paste.

`plugin_line(config, added)` writes the ledger's current configuration (every
key that differs from its default, so that nothing the user set is lost) with
the proposed keys added or replaced, as one `plugin "…" "{…}"` line. Pure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.config import (
    PLUGIN_MODULE,
    config_from_mapping,
    required_scope,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_freelance.core.ledger.config import Config

__all__ = ["config_text", "plugin_line"]

# The fields of Config that are no keys of the string.
_NOT_KEYS = ("roots", "closing_roots")


def config_text(config: Config, added: Mapping[str, object]) -> str:
    """The config string: the keys set today, then the added ones."""
    default = config_from_mapping({}, config.roots, config.closing_roots)
    kept: dict[str, object] = {}
    for name in config.__dataclass_fields__:
        if name in _NOT_KEYS or name in added:
            continue
        value = getattr(config, name)
        if value != getattr(default, name):
            kept[name] = value
    kept.update(added)
    client_accounts = kept.get("client_accounts", config.client_accounts)
    if isinstance(client_accounts, str) and kept.get("require_client") == (
        required_scope(client_accounts)
    ):
        del kept["require_client"]  # it follows client_accounts
    body = ", ".join(
        f"{_literal(key)}: {_literal(value)}" for key, value in kept.items()
    )
    return "{" + body + "}"


def plugin_line(config: Config, added: Mapping[str, object]) -> str:
    """`plugin "beancount_freelance.plugin" "{…}"`, ready to paste."""
    return f'plugin "{PLUGIN_MODULE}" "{config_text(config, added)}"'


def _literal(value: object) -> str:
    """A Python literal as a user writes it in the config string."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (tuple, list)):
        items = ", ".join(_literal(item) for item in value)
        return f"({items})" if _is_pair(value) else f"[{items}]"
    if isinstance(value, str) and "'" not in value:
        return f"'{value}'"  # as written: a regex's backslashes stay single
    return repr(value)


def _is_pair(value: tuple[object, ...] | list[object]) -> bool:
    """(label, amount) and (regex, rate): pairs, written in parentheses."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], (Decimal, int, float))
    )
