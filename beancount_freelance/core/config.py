"""The package's configuration: parsed once from the plugin's string.

The same configuration serves the plugin, the analysis, the CLI and the Fava page:
each of them reads the `plugin "beancount_freelance.plugin" "{...}"` line of the
ledger, so that a user configures the package in one place.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.spelling import closest

if TYPE_CHECKING:
    from collections.abc import Mapping

PLUGIN_MODULE = "beancount_freelance.plugin"


class ConfigError(Exception):
    """The plugin's configuration string is not valid; the message says why."""


@dataclass(frozen=True)
class Config:
    """What a user may set in the plugin's configuration string.

    The regex defaults are those of a ledger with Beancount's default roots;
    `parse_config` and `ledger_config` write the ledger's own roots into them
    (`option "name_income" "Prijmy"`), see `defaults`.
    """

    income: str = r"^Income:"
    require_client: str = r"^Income:Clients(:|$)"
    dormant_after_days: int = 180
    max_share: float | None = None
    check_links: bool = False
    receivables: str = r"^Assets:([^:]+:)*?(Accounts)?Receivables?(?=:|$)"
    payment_terms_days: int = 30
    client_accounts: str = r"^Income:Clients:(?P<client>[^:]+)"
    payee_accounts: str | None = None
    # The ledger's income and assets roots (options, not keys of the string).
    roots: tuple[str, str] = ("Income", "Assets")

    @property
    def income_re(self) -> re.Pattern[str]:
        return _compiled(self.income)

    @property
    def require_client_re(self) -> re.Pattern[str]:
        return _compiled(self.require_client)

    @property
    def receivables_re(self) -> re.Pattern[str]:
        return _compiled(self.receivables)

    @property
    def client_accounts_re(self) -> re.Pattern[str]:
        return _compiled(self.client_accounts)

    @property
    def convention_re(self) -> re.Pattern[str]:
        """Beancount's documented `Income:Clients:<id>`, whatever `client_accounts`
        says: a ledger that keeps it needs no line, with or without the key."""
        return _compiled(defaults(self.roots)["client_accounts"])

    @property
    def payee_accounts_re(self) -> re.Pattern[str] | None:
        return None if self.payee_accounts is None else _compiled(self.payee_accounts)


DEFAULT_ROOTS = ("Income", "Assets")


def defaults(roots: tuple[str, str] = DEFAULT_ROOTS) -> dict[str, str]:
    """The regex defaults for a ledger whose income and assets roots are `roots`."""
    income, assets = (re.escape(root) for root in roots)
    return {
        "income": f"^{income}:",
        "require_client": f"^{income}:Clients(:|$)",
        "receivables": f"^{assets}:([^:]+:)*?(Accounts)?Receivables?(?=:|$)",
        "client_accounts": f"^{income}:Clients:(?P<client>[^:]+)",
    }


def ledger_roots(options_map: Mapping[str, Any]) -> tuple[str, str]:
    """The ledger's income and assets roots (`name_income`, `name_assets`)."""
    income = options_map.get("name_income") or DEFAULT_ROOTS[0]
    assets = options_map.get("name_assets") or DEFAULT_ROOTS[1]
    return str(income), str(assets)


# What may stand before the client's group of `client_accounts` for
# `require_client` to be read off it: `^`, then account characters.
_PLAIN_PREFIX = re.compile(r"\^(?:[\w\-]|\\[:\-])*")


def required_scope(client_accounts: str) -> str | None:
    """`require_client` following `client_accounts`: the text before its group.

    `^Income:Consulting:(?P<client>[^:]+)` gives `^Income:Consulting(:|$)`; None
    when the text before the group is not a plain account prefix.
    """
    start = client_accounts.find("(")
    if start <= 0:
        return None
    prefix = client_accounts[:start]
    if _PLAIN_PREFIX.fullmatch(prefix.replace(":", "")) is None:
        return None
    return prefix.replace("\\:", ":").removesuffix(":") + "(:|$)"


_REGEX_KEYS = (
    "income",
    "require_client",
    "receivables",
    "client_accounts",
    "payee_accounts",
)
_INT_KEYS = ("dormant_after_days", "payment_terms_days")
# A hundred years: anything longer is a typo, and would overflow date arithmetic.
MAX_DAYS = 36_500
_SHOWN_CHARS = 80


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _shown(value: object) -> str:
    """A value quoted in a message, cut short so a huge one stays readable."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _known_keys() -> list[str]:
    return [field.name for field in fields(Config) if field.name != "roots"]


def parse_config(text: str | None, roots: tuple[str, str] = DEFAULT_ROOTS) -> Config:
    """Parse the plugin's configuration string, a Python dict literal.

    `roots` are the ledger's income and assets roots, for the defaults. Raises
    ConfigError with a message that says what is wrong and how to fix it.
    """
    if text is None or not text.strip():
        return config_from_mapping({}, roots)
    try:
        value = ast.literal_eval(text.strip())
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError) as exc:
        raise ConfigError(
            f"beancount_freelance config does not parse ({exc.__class__.__name__}): "
            f"{_shown(text)}; write a dict such as "
            "\"{'require_client': '^Income:Clients', 'max_share': 0.5}\""
        ) from None
    if not isinstance(value, dict):
        raise ConfigError(
            f"beancount_freelance config must be a dict, not "
            f"{type(value).__name__}: {_shown(text)}"
        )
    return config_from_mapping(value, roots)


def config_from_mapping(
    value: Mapping[Any, Any], roots: tuple[str, str] = DEFAULT_ROOTS
) -> Config:
    """Check every key and value of a configuration dict; build the Config.

    A regex left out takes its default for the ledger's `roots`; `require_client`
    left out follows `client_accounts` when that is set (see `required_scope`).
    """
    known = _known_keys()
    settings: dict[str, Any] = {}
    for key, item in value.items():
        if key not in known:
            close = closest(str(key), known)
            hint = f"did you mean {close!r}? " if close else ""
            raise ConfigError(
                f"beancount_freelance config has an unknown key {key!r}; "
                f"{hint}known keys: {', '.join(known)}"
            )
        settings[key] = _checked(key, item)
    if "require_client" not in settings and "client_accounts" in settings:
        scope = required_scope(settings["client_accounts"])
        if scope is not None:
            settings["require_client"] = scope
    for key, default in defaults(roots).items():
        settings.setdefault(key, default)
    return Config(**settings, roots=roots)


def _checked(key: str, item: Any) -> Any:
    if key == "payee_accounts" and item is None:
        return None
    if key in _REGEX_KEYS:
        if not isinstance(item, str):
            raise ConfigError(
                f"beancount_freelance config {key!r} must be a regex string"
            )
        try:
            compiled = re.compile(item)
        except re.error as exc:
            raise ConfigError(
                f"beancount_freelance config {key!r} is not a valid regex: {exc}"
            ) from None
        if key == "client_accounts" and not compiled.groups:
            raise ConfigError(
                "beancount_freelance config 'client_accounts' needs a group that "
                f"captures the client, as '^Income:Consulting:(?P<client>[^:]+)', "
                f"not {_shown(item)}"
            )
        return item
    if key in _INT_KEYS:
        if (
            isinstance(item, bool)
            or not isinstance(item, int)
            or not 0 <= item <= MAX_DAYS
        ):
            raise ConfigError(
                f"beancount_freelance config {key!r} must be a whole number of days "
                f"from 0 to {MAX_DAYS}, not {_shown(item)}"
            )
        return item
    if key == "max_share":
        if item is None:
            return None
        if isinstance(item, bool) or not isinstance(item, (int, float, Decimal)):
            raise ConfigError(
                "beancount_freelance config 'max_share' must be a number between "
                f"0 and 1, not {item!r}"
            )
        if not 0 < float(item) <= 1:
            raise ConfigError(
                "beancount_freelance config 'max_share' must be between 0 and 1 "
                f"(e.g. 0.5 for 50 %), not {item!r}"
            )
        return float(item)
    if not isinstance(item, bool):
        raise ConfigError(f"beancount_freelance config {key!r} must be True or False")
    return item


def ledger_config(options_map: Mapping[str, Any]) -> Config:
    """The configuration written on the ledger's own plugin line, if any.

    The analysis reads it so that the CLI and the Fava page agree with bean-check.
    A configuration that does not parse is reported by the plugin; here it falls
    back to the defaults.
    """
    roots = ledger_roots(options_map)
    for name, text in options_map.get("plugin", ()):
        if name == PLUGIN_MODULE:
            try:
                return parse_config(text, roots)
            except ConfigError:
                break
    return config_from_mapping({}, roots)
