"""Print the URL slug Fava gives a ledger.

`python -m beancount_freelance.fava_extension.slug FILE`:

`make demo` uses it to print the address of the Clients page.
"""

from __future__ import annotations

import sys

from beancount import loader
from fava.util import slugify


def ledger_slug(filename: str) -> str:
    """The slug of a ledger, as Fava makes it from its title."""
    _, _, options_map = loader.load_file(filename)
    return slugify(str(options_map["title"])) or "beancount"


if __name__ == "__main__":
    print(ledger_slug(sys.argv[1]))
