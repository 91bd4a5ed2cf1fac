"""The package's configuration: parsed once from the plugin's string.

The same configuration serves the plugin, the analysis, the CLI and the Fava page:
each of them reads the `plugin "beancount_freelance.plugin" "{...}"` line of the
ledger, so that a user configures the package in one place.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.patterns import PatternError, compile_pattern
from beancount_freelance.core.quoting import quoted
from beancount_freelance.i18n import N_, message, verbatim

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_freelance.core.patterns import Pattern

PLUGIN_MODULE = "beancount_freelance.plugin"


class ConfigError(Exception):
    """The plugin's configuration string is not valid; the message says why."""


@dataclass(frozen=True)
class Config:
    """What a user may set in the plugin's configuration string."""

    income: str = r"^Income:"
    require_client: str = r"^Income:Clients(:|$)"
    dormant_after_days: int = 180
    max_share: float | None = None
    check_links: bool = False
    receivables: str = r"^Assets:(Accounts)?Receivable"
    payment_terms_days: int = 30
    # Yearly turnover ceilings, (label, amount in the reporting currency).
    ceilings: tuple[tuple[str, Decimal], ...] = ()

    @property
    def income_re(self) -> Pattern:
        return config_pattern("income", self.income)

    @property
    def require_client_re(self) -> Pattern:
        return config_pattern("require_client", self.require_client)

    @property
    def receivables_re(self) -> Pattern:
        return config_pattern("receivables", self.receivables)


_REGEX_KEYS = ("income", "require_client", "receivables")
_INT_KEYS = ("dormant_after_days", "payment_terms_days")
# A hundred years: anything longer is a typo, and would overflow date arithmetic.
MAX_DAYS = 36_500


def config_pattern(key: str, text: str) -> Pattern:
    """A regex setting, compiled for linear-time matching (checked when parsed)."""
    return compile_pattern(
        text, message(N_("beancount_freelance config {key!r}"), key=key)
    )


def _known_keys() -> list[str]:
    return [field.name for field in fields(Config)]


def parse_config(text: str | None) -> Config:
    """Parse the plugin's configuration string, a Python dict literal.

    Raises ConfigError with a message that says what is wrong and how to fix it.
    """
    if text is None or not text.strip():
        return Config()
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
    return config_from_mapping(value)


def config_from_mapping(value: Mapping[Any, Any]) -> Config:
    """Check every key and value of a configuration dict; build the Config."""
    known = _known_keys()
    settings: dict[str, Any] = {}
    for key, item in value.items():
        if key not in known:
            import difflib  # only for a message: the plugin's import stays light

            close = difflib.get_close_matches(str(key), known, n=1)
            values = {"key": verbatim(quoted(key)), "known": verbatim(", ".join(known))}
            if close:
                said = message(
                    N_(
                        "beancount_freelance config has an unknown key {key}; did you "
                        "mean {close!r}? known keys: {known}"
                    ),
                    close=close[0],
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
    return Config(**settings)


def _checked(key: str, item: Any) -> Any:
    if key in _REGEX_KEYS:
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
        return item
    if key in _INT_KEYS:
        if (
            isinstance(item, bool)
            or not isinstance(item, int)
            or not 0 <= item <= MAX_DAYS
        ):
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
    if key == "max_share":
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
    if key == "ceilings":
        return _ceilings(item)
    if not isinstance(item, bool):
        raise ConfigError(
            message(
                N_("beancount_freelance config {key!r} must be True or False"),
                key=key,
            )
        )
    return item


def _ceilings(item: Any) -> tuple[tuple[str, Decimal], ...]:
    """`[('Micro BNC', 83600), ...]`: each a label and a positive yearly amount."""
    usage = message(
        N_(
            "write a list of (label, yearly amount) pairs such as "
            "[('Micro BNC', 83600)]"
        )
    )
    if not isinstance(item, (list, tuple)):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'ceilings' must be a list, not "
                    "{item}; {usage}"
                ),
                item=verbatim(quoted(item)),
                usage=usage,
            )
        )
    found: list[tuple[str, Decimal]] = []
    for pair in item:
        if (
            not isinstance(pair, (list, tuple))
            or len(pair) != 2
            or not isinstance(pair[0], str)
            or not pair[0].strip()
            or isinstance(pair[1], bool)
            or not isinstance(pair[1], (int, float, Decimal))
            or not 0 < pair[1] < 10**15
        ):
            raise ConfigError(
                message(
                    N_(
                        "beancount_freelance config 'ceilings' has {pair}, not a "
                        "label and an amount above zero; {usage}"
                    ),
                    pair=verbatim(quoted(pair)),
                    usage=usage,
                )
            )
        found.append((pair[0], Decimal(str(pair[1]))))
    return tuple(found)


def ledger_config(options_map: Mapping[str, Any]) -> Config:
    """The configuration written on the ledger's own plugin line, if any.

    The analysis reads it so that the CLI and the Fava page agree with bean-check.
    A configuration that does not parse is reported by the plugin; here it falls
    back to the defaults.
    """
    for name, text in options_map.get("plugin", ()):
        if name == PLUGIN_MODULE:
            try:
                return parse_config(text)
            except ConfigError:
                return Config()
    return Config()
