"""The page's links and cells, built for a thousand rows.

Fava's `url_for` adds the request's filters to every link and keeps a cache of
2,048 addresses; a page with a thousand clients and their invoices asks for
more, so every call misses it and builds the address again (docs/performance.md
has the figures). `url_maker` calls it once, with a placeholder for the one
value that changes, and fills in each value encoded as werkzeug encodes a query
value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote_plus

from fava.application import url_for as fava_url_for

if TYPE_CHECKING:
    from collections.abc import Callable

# Only unreserved characters: no encoding changes it, no filter or name holds it.
_PLACEHOLDER = "beancount-freelance-placeholder-7f3a9c"
# What werkzeug leaves unencoded in a query value (werkzeug.urls._urlencode).
_QUERY_SAFE = "!$'()*,/:;?@"


def url_maker(endpoint: str, key: str, **values: str) -> Callable[[str], str]:
    """`url_for(endpoint, **values, key=value)` for any value, after one call."""
    prefix, suffix = fava_url_for(endpoint, **values, **{key: _PLACEHOLDER}).split(
        _PLACEHOLDER
    )

    def url(value: str) -> str:
        return f"{prefix}{quote_plus(value, safe=_QUERY_SAFE)}{suffix}"

    return url


class PageLinks:
    """The links of one rendering of the page, for the current request."""

    def __init__(self, extension_name: str) -> None:
        self.client = url_maker(
            "extension_report", "client", extension_name=extension_name
        )
        journal = url_maker("report", "filter", report_name="journal")
        self.journal = lambda link: journal(f"^{link}")


def share_cell(value: float | None) -> str:
    """A share of revenue as a whole percentage, or a dash."""
    return "—" if value is None else "%.0f %%" % (value * 100)


def days_cell(value: float | None) -> str:
    """A number of days as Python's `%g` writes it, or a dash."""
    # As Jinja's `"%g"|format(value)` did: the page's figures must not move.
    return "—" if value is None else "%g" % value  # noqa: UP031
