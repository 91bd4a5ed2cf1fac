"""The values of the configuration's keys that are more than a regex or a number.

`ceilings`, `client_keys`, `invoice_keys`, `vat_included` (and a VAT rate as an
`open`'s metadata writes it): each checked, with a message that says how to
write it. `config` parses the whole string.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ledger.patterns import PatternError, compile_pattern
from beancount_freelance.core.messages import N_, message, quoted, verbatim

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.patterns import Pattern


class ConfigError(Exception):
    """The plugin's configuration string is not valid; the message says why."""


def config_pattern(key: str, text: str) -> Pattern:
    """A regex setting, compiled for linear-time matching (checked when parsed)."""
    return compile_pattern(
        text, message(N_("beancount_freelance config {key!r}"), key=key)
    )


def ceilings_value(item: Any) -> tuple[tuple[str, Decimal], ...]:
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


def client_keys_value(item: Any) -> tuple[str, ...]:
    """`['client', 'customer']`: metadata keys, read in that order."""
    if (
        not isinstance(item, (list, tuple))
        or not item
        or not all(isinstance(key, str) and key.isidentifier() for key in item)
        or any(not key[0].islower() for key in item)
    ):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'client_keys' must be a list of "
                    "metadata keys (lowercase first letter) such as "
                    "['client', 'customer'], not {item}"
                ),
                item=verbatim(quoted(item)),
            )
        )
    return tuple(dict.fromkeys(item))


def vat_rate(value: object) -> Decimal | None:
    """A VAT rate written `"19%"`, `"0.19"` or `19` (a number above 1 is a
    percentage), as a fraction; None when it is none of these."""
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    percent = text.endswith("%")
    try:
        rate = Decimal(text.removesuffix("%").strip())
    except ArithmeticError:
        return None
    if not rate.is_finite():
        return None
    if percent or rate >= 1:
        rate /= 100
    return rate if 0 < rate < 1 else None


def vat_included_value(item: Any) -> tuple[tuple[str, Decimal], ...]:
    """`[('^Income:Umsatz', '19%')]`: each an account regex and a rate."""
    usage = message(
        N_(
            "write a list of (account regex, rate) pairs such as "
            "[('^Income:Erloese', '19%')]"
        )
    )
    if not isinstance(item, (list, tuple)):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config 'vat_included' must be a list, not "
                    "{item}; {usage}"
                ),
                item=verbatim(quoted(item)),
                usage=usage,
            )
        )
    found: list[tuple[str, Decimal]] = []
    for pair in item:
        rate = None
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            rate = vat_rate(pair[1])
        if rate is None or not isinstance(pair[0], str):
            raise ConfigError(
                message(
                    N_(
                        "beancount_freelance config 'vat_included' has {pair}, not "
                        "an account regex and a rate between 0 and 100 %; {usage}"
                    ),
                    pair=verbatim(quoted(pair)),
                    usage=usage,
                )
            )
        try:
            config_pattern("vat_included", pair[0])
        except PatternError as exc:
            raise ConfigError(exc.message) from None
        found.append((pair[0], rate))
    return tuple(found)


# A Beancount metadata key: a lowercase letter, then letters, digits, `-` or `_`.
_METADATA_KEY = re.compile(r"[a-z][A-Za-z0-9_-]*")


def metadata_keys_value(key: str, item: Any) -> tuple[str, ...]:
    """`['invoice', 'rechnungsnummer']`: a list of metadata keys, in order."""
    if (
        not isinstance(item, (list, tuple))
        or not item
        or not all(isinstance(k, str) and _METADATA_KEY.fullmatch(k) for k in item)
    ):
        raise ConfigError(
            message(
                N_(
                    "beancount_freelance config {key!r} must be a list of metadata "
                    "keys (a lowercase letter, then letters, digits, - or _), such "
                    "as {example}, not {item}"
                ),
                key=key,
                example=verbatim("['invoice', 'rechnungsnummer']"),
                item=verbatim(quoted(item)),
            )
        )
    return tuple(dict.fromkeys(item))
