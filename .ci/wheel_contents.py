"""Check that a built wheel carries every file the package reads at run time.

Every file that git knows under beancount_freelance/ must be in the wheel, but for
translation sources: for each `locale/<lang>/LC_MESSAGES/<domain>.po` the wheel
must carry the compiled `<domain>.mo` instead. Exit 1 and list what is missing.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

PACKAGE = "beancount_freelance"


def expected_files() -> set[str]:
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", PACKAGE],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    expected = set()
    for name in tracked:
        path = PurePosixPath(name)
        if path.suffix == ".pot" or not Path(name).exists():
            continue
        expected.add(str(path.with_suffix(".mo") if path.suffix == ".po" else path))
    return expected


def main(wheel: str) -> int:
    with zipfile.ZipFile(wheel) as archive:
        carried = set(archive.namelist())
    missing = sorted(expected_files() - carried)
    for name in missing:
        print(f"{wheel}: missing {name}")
    if not missing:
        print(f"{wheel}: carries every file of {PACKAGE}/ ({len(carried)} files)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
