"""Ask Fava for the Clients page of a ledger, as a browser would; exit 1 unless 200.

Run by `package-check` in the virtual environment where only the built wheel is
installed: the page's template and script must have come with the wheel.
"""

from __future__ import annotations

import os
import sys

from beancount import loader
from fava.application import create_app
from fava.util import slugify


def main(ledger: str) -> int:
    ledger = os.path.abspath(ledger)  # Fava's loader asserts an absolute path
    _, _, options = loader.load_file(ledger)
    slug = slugify(options["title"])
    client = create_app([ledger], load=True).test_client()
    failed = 0
    for path, expected in (
        (f"/{slug}/extension/FreelanceClients/", 'id="freelance-clients"'),
        (f"/{slug}/extension/FreelanceClients/report", '"clients"'),
        (f"/{slug}/extension_js_module/FreelanceClients.js", "export default"),
    ):
        response = client.get(path)
        body = response.get_data(as_text=True)
        found = response.status_code == 200 and expected in body
        print(f"{response.status_code} {path}{'' if found else ' FAILED'}")
        failed += not found
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
