"""Many clients on the Clients page: the top clients, the others, the first rows.

A ledger of thousands of clients would make a page of megabytes that takes a
minute to draw: a chart of five thousand stacks, a colour for each, a timeline
and tables of a row each. The charts show the largest clients of the period and
one stack for all the others; the long lists show their first rows, largest
first, with the count and a link to them all (`rows=all`), as the invoice lists
do: CLIENT_ROWS clients, ROW_LIMIT of the others.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

#: Rows a list of clients (the table, the timeline, who pays late) shows unless
#: `rows=all` is asked: half of ROW_LIMIT, as a row of a client says more.
CLIENT_ROWS = 25
#: The stories of "Replacing lost clients" shown unless `rows=all` is asked:
#: each is a few sentences and a chart, ten times a row of a table.
STORY_ROWS = 10


_INDENTATION = re.compile(r"\n[ \t]+")


def without_indentation(html: str) -> str:
    """The page without the template's indentation: a tenth of a long table.

    The page has no `<pre>` nor `<textarea>`, where spaces would show.
    """
    return _INDENTATION.sub("\n", html)
