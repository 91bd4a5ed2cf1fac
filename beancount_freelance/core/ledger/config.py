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

from beancount_freelance.core.ledger.config_values import (
    ConfigError,
    ceilings_value,
    client_keys_value,
    config_pattern,
    metadata_keys_value,
    vat_included_value,
)
from beancount_freelance.core.ledger.patterns import PatternError
from beancount_freelance.core.messages import N_, closest, message, quoted, verbatim

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_freelance.core.ledger.patterns import Pattern

__all__ = [
    "PLUGIN_MODULE",
    "Config",
    "ConfigError",
    "closing_roots",
    "config_from_mapping",
    "config_pattern",
    "defaults",
    "ledger_config",
    "ledger_roots",
    "parse_config",
    "required_scope",
]

PLUGIN_MODULE = "beancount_freelance.plugin"


DEFAULT_HOURS_COMMODITIES = ("H", "HR", "HRS", "HOUR", "HOURS")
_HOURS_SUFFIXES = ("HOUR", "HOURS", "_HR")
TIME_EXPENSES = r"^Expenses:Time(:|$)"


#: The `legal` values of config `reminders`: the mentions a reminder carries.
REMINDER_LEGAL = ("fr",)


@dataclass(frozen=True)
class ReminderSettings:
    """Config `reminders`: who signs the reminders, which legal mentions they carry.

    `sender` is `"Name <address>"` or a name; `legal` one of REMINDER_LEGAL.
    """

    sender: str | None = None
    legal: str | None = None


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
    receivables: str = r"^Assets:([^:]+:)*?(Accounts)?Receivables?(:|$)"
    payment_terms_days: int = 30
    client_accounts: str = r"^Income:Clients:(?P<client>[^:]+)"
    payee_accounts: str | None = None
    # Metadata keys whose value is an invoice's number (on invoice and payment).
    invoice_keys: tuple[str, ...] = ("invoice", "invoice_no", "invoice_number")
    # The ledger's income and assets roots (options, not keys of the string).
    roots: tuple[str, str] = ("Income", "Assets")
    # Yearly turnover ceilings, (label, amount in the reporting currency).
    ceilings: tuple[tuple[str, Decimal], ...] = ()
    reminders: ReminderSettings = ReminderSettings()
    # Hours (docs/time.md): the commodities that count hours, beyond the names
    # ending in HOUR, HOURS or _HR, and the accounts that keep a stock of hours.
    hours_commodities: tuple[str, ...] = DEFAULT_HOURS_COMMODITIES
    time_accounts: str = r"^Assets:(Billable|Unbilled|WIP|Time)(:|$)"
    # Metadata keys naming the client, read in order on the posting, then on
    # the transaction; the tags naming it (group `client`).
    client_keys: tuple[str, ...] = ("client", "customer")
    client_tags: str = r"^client[-/](?P<client>.+)$"
    # Income booked with VAT inside: (account regex, rate), revenue is the net.
    vat_included: tuple[tuple[str, Decimal], ...] = ()
    # The ledger's expenses and equity roots: a closing entry posts to them.
    closing_roots: tuple[str, str] = ("Expenses", "Equity")

    @property
    def income_re(self) -> Pattern:
        return config_pattern("income", self.income)

    @property
    def require_client_re(self) -> Pattern:
        return config_pattern("require_client", self.require_client)

    @property
    def receivables_re(self) -> Pattern:
        return config_pattern("receivables", self.receivables)

    @property
    def client_accounts_re(self) -> Pattern:
        return config_pattern("client_accounts", self.client_accounts)

    @property
    def convention_re(self) -> Pattern:
        """Beancount's documented `Income:Clients:<id>`, whatever `client_accounts`
        says: a ledger that keeps it needs no line, with or without the key."""
        convention = defaults(self.roots)["client_accounts"]
        return config_pattern("client_accounts", convention)

    @property
    def time_accounts_re(self) -> Pattern:
        return config_pattern("time_accounts", self.time_accounts)

    @property
    def time_expenses_re(self) -> Pattern:
        """Where hours worked and not billable go (`Expenses:Time:<client>`)."""
        return config_pattern("time_accounts", TIME_EXPENSES)

    def is_hours(self, commodity: str) -> bool:
        """Whether a commodity counts hours (config `hours_commodities`)."""
        return commodity in self.hours_commodities or commodity.endswith(
            _HOURS_SUFFIXES
        )

    @property
    def client_tags_re(self) -> Pattern:
        return config_pattern("client_tags", self.client_tags)

    @property
    def payee_accounts_re(self) -> Pattern | None:
        if self.payee_accounts is None:
            return None
        return config_pattern("payee_accounts", self.payee_accounts)


DEFAULT_ROOTS = ("Income", "Assets")


def defaults(roots: tuple[str, str] = DEFAULT_ROOTS) -> dict[str, str]:
    """The regex defaults for a ledger whose income and assets roots are `roots`."""
    income, assets = (re.escape(root) for root in roots)
    return {
        "income": f"^{income}:",
        "require_client": f"^{income}:Clients(:|$)",
        "receivables": f"^{assets}:([^:]+:)*?(Accounts)?Receivables?(:|$)",
        "client_accounts": f"^{income}:Clients:(?P<client>[^:]+)",
        "time_accounts": f"^{assets}:(Billable|Unbilled|WIP|Time)(:|$)",
    }


def ledger_roots(options_map: Mapping[str, Any]) -> tuple[str, str]:
    """The ledger's income and assets roots (`name_income`, `name_assets`)."""
    income = options_map.get("name_income") or DEFAULT_ROOTS[0]
    assets = options_map.get("name_assets") or DEFAULT_ROOTS[1]
    return str(income), str(assets)


def closing_roots(options_map: Mapping[str, Any]) -> tuple[str, str]:
    """The ledger's expenses and equity roots (`name_expenses`, `name_equity`)."""
    expenses = options_map.get("name_expenses") or "Expenses"
    equity = options_map.get("name_equity") or "Equity"
    return str(expenses), str(equity)


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
    "time_accounts",
    "client_tags",
)
_INT_KEYS = ("dormant_after_days", "payment_terms_days")
# A hundred years: anything longer is a typo, and would overflow date arithmetic.
MAX_DAYS = 36_500


def _known_keys() -> list[str]:
    return [
        field.name
        for field in fields(Config)
        if field.name not in ("roots", "closing_roots")
    ]


def parse_config(
    text: str | None,
    roots: tuple[str, str] = DEFAULT_ROOTS,
    closing: tuple[str, str] = ("Expenses", "Equity"),
) -> Config:
    """Parse the plugin's configuration string, a Python dict literal.

    `roots` are the ledger's income and assets roots, for the defaults. Raises
    ConfigError with a message that says what is wrong and how to fix it.
    """
    if text is None or not text.strip():
        return config_from_mapping({}, roots, closing)
    try:
        value = ast.literal_eval(text.strip())
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError) as exc:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config does not parse ({error}): {text!r}; "
                    "write a dict such as {example}"
                ),
                error=exc.__class__.__name__,
                text=text,
                example=verbatim(
                    "\"{'require_client': '^Income:Clients', 'max_share': 0.5}\""
                ),
            )
        ) from None
    if not isinstance(value, dict):
        raise ConfigError(
            message(
                N_("beancount_freelance config must be a dict, not {type}: {text!r}"),
                type=type(value).__name__,
                text=text,
            )
        )
    return config_from_mapping(value, roots, closing)


def config_from_mapping(
    value: Mapping[Any, Any],
    roots: tuple[str, str] = DEFAULT_ROOTS,
    closing: tuple[str, str] = ("Expenses", "Equity"),
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
            values = {"key": verbatim(quoted(key)), "known": verbatim(", ".join(known))}
            if close:
                said = message(
                    N_(
                        "beancount_freelance config has an unknown key {key}; did you "
                        "mean {close!r}? known keys: {known}"
                    ),
                    close=close,
                    **values,
                )
            else:
                said = message(
                    N_(
                        "beancount_freelance config has an unknown key {key}; known "
                        "keys: {known}"
                    ),
                    **values,
                )
            raise ConfigError(said)
        settings[key] = _checked(key, item)
    if "require_client" not in settings and "client_accounts" in settings:
        scope = required_scope(settings["client_accounts"])
        if scope is not None:
            settings["require_client"] = scope
    for key, default in defaults(roots).items():
        settings.setdefault(key, default)
    return Config(**settings, roots=roots, closing_roots=closing)


def _checked(key: str, item: Any) -> Any:
    """The value of a config key, checked (ConfigError: what is wrong with it)."""
    if key == "payee_accounts" and item is None:
        return None
    if key in _REGEX_KEYS:
        return _regex(key, item)
    if key in _INT_KEYS:
        return _days(key, item)
    if key == "max_share":
        return _max_share(item)
    if key == "ceilings":
        return ceilings_value(item)
    if key == "reminders":
        return _reminders(item)
    if key == "hours_commodities":
        return _hours_commodities(item)
    if key == "client_keys":
        return client_keys_value(item)
    if key == "vat_included":
        return vat_included_value(item)
    if key == "invoice_keys":
        return metadata_keys_value(key, item)
    if not isinstance(item, bool):
        raise ConfigError(
            message(
                N_("beancount_freelance config {key!r} must be True or False"),
                key=key,
            )
        )
    return item


def _regex(key: str, item: Any) -> str:
    if not isinstance(item, str):
        raise ConfigError(
            message(
                N_("beancount_freelance config {key!r} must be a regex string"),
                key=key,
            )
        )
    try:
        config_pattern(key, item)
    except PatternError as exc:
        raise ConfigError(exc.message) from None
    if key == "client_tags" and "client" not in re.compile(item).groupindex:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'client_tags' needs a group "
                    "named client, as '^client[-/](?P<client>.+)$', not {value}"
                ),
                value=verbatim(quoted(item)),
            )
        )
    if key == "client_accounts" and not re.compile(item).groups:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'client_accounts' needs a group "
                    "that captures the client, as "
                    "'^Income:Consulting:(?P<client>[^:]+)', not {value}"
                ),
                value=verbatim(quoted(item)),
            )
        )
    return item


def _days(key: str, item: Any) -> int:
    if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= MAX_DAYS:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config {key!r} must be a whole number "
                    "of days from 0 to {max}, not {item}"
                ),
                key=key,
                max=MAX_DAYS,
                item=verbatim(quoted(item)),
            )
        )
    return item


def _max_share(item: Any) -> float | None:
    if item is None:
        return None
    if isinstance(item, bool) or not isinstance(item, (int, float, Decimal)):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'max_share' must be a number "
                    "between 0 and 1, not {item}"
                ),
                item=verbatim(quoted(item)),
            )
        )
    if not 0 < float(item) <= 1:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'max_share' must be between 0 "
                    "and 1 (e.g. 0.5 for 50 %), not {item}"
                ),
                item=verbatim(quoted(item)),
            )
        )
    return float(item)


def _reminders(item: Any) -> ReminderSettings:
    """`{'sender': 'Name <address>', 'legal': 'fr'}`, both keys optional."""
    usage = message(
        N_("write a dict such as {example}"),
        example=verbatim("{'sender': 'Jane Doe <jane@example.org>', 'legal': 'fr'}"),
    )
    if not isinstance(item, dict) or not set(item) <= {"sender", "legal"}:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'reminders' takes the keys 'sender' "
                    "and 'legal', not {item}; {usage}"
                ),
                item=verbatim(quoted(item)),
                usage=usage,
            )
        )
    sender = item.get("sender")
    if sender is not None and (
        not isinstance(sender, str)
        or not sender.strip()
        or any(not char.isprintable() for char in sender)
    ):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'reminders' has the sender {item}, "
                    "not a name on one line; {usage}"
                ),
                item=verbatim(quoted(sender)),
                usage=usage,
            )
        )
    legal = item.get("legal")
    if legal is not None and legal not in REMINDER_LEGAL:
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'reminders' has the legal mentions "
                    "{item}; the one known is 'fr' (French business law)"
                ),
                item=verbatim(quoted(legal)),
            )
        )
    return ReminderSettings(None if sender is None else sender.strip(), legal)


def _hours_commodities(item: Any) -> tuple[str, ...]:
    """`['H', 'WORK_HOUR']`: commodity names (names ending in HOUR, HOURS or
    _HR count whatever the list says)."""
    if not isinstance(item, (list, tuple)) or not all(
        isinstance(name, str) and name.strip() for name in item
    ):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'hours_commodities' must be a list "
                    "of commodity names such as ['H', 'HOURS'], not {item}"
                ),
                item=verbatim(quoted(item)),
            )
        )
    return tuple(name.strip() for name in item)


def ledger_config(options_map: Mapping[str, Any]) -> Config:
    """The configuration written on the ledger's own plugin line, if any.

    The analysis reads it so that the CLI and the Fava page agree with bean-check.
    A configuration that does not parse is reported by the plugin; here it falls
    back to the defaults.
    """
    roots = ledger_roots(options_map)
    closing = closing_roots(options_map)
    for name, text in options_map.get("plugin", ()):
        if name == PLUGIN_MODULE:
            try:
                return parse_config(text, roots, closing)
            except ConfigError:
                break
    return config_from_mapping({}, roots, closing)
