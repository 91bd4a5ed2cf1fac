"""The shapes of books the first-request benchmark runs on, and the third one.

    python benchmarks/shapes.py --transactions 30000 --clients 60 --years 10 \
        --seed 5 --unpaid 0.4 --fava [--hours] -o /tmp/third.beancount

The benchmark ledger and the second shape are benchmarks/generate.py's own
books, every invoice paid unless the books end first. The third shape is the
same books where a share of the invoices is never paid (`--unpaid`): ten years
of them leave thousands of invoices open, the lists of the Clients page and of
the receivables at their longest.

`--hours` asks the generator to write hours too. The option is passed on to
benchmarks/generate.py's `Generator` under the name `HOURS_OPTION`, when the
generator has it; until then `--hours` is refused with a message.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Generator

#: The keyword of `Generator` that turns hours on, once the generator has it.
HOURS_OPTION = "hours"


@dataclass(frozen=True)
class Shape:
    """One shape of books: its size, its clients, its years, its seed."""

    name: str
    transactions: int
    clients: int
    years: int
    seed: int
    unpaid: float = 0.0  # the share of invoices never paid

    @property
    def stem(self) -> str:
        """The name of its ledger file in benchmarks/.cache, without suffix."""
        unpaid = f"-u{round(100 * self.unpaid)}" if self.unpaid else ""
        return (
            f"ledger-{self.transactions}-{self.clients}c-{self.years}y"
            f"-s{self.seed}{unpaid}"
        )


SECOND = Shape("second", 30_000, 60, 6, 3)
THIRD = Shape("third", 30_000, 60, 10, 5, unpaid=0.4)


class UnpaidInvoices(Generator):
    """The benchmark's books, where each invoice has a chance never to be paid."""

    def __init__(
        self,
        transactions: int,
        clients: int,
        years: int,
        seed: int,
        *,
        unpaid: float,
        **options: Any,
    ) -> None:
        if not 0 <= unpaid <= 1:
            raise ValueError(f"--unpaid is a share between 0 and 1, not {unpaid}")
        super().__init__(transactions, clients, years, seed, **options)
        self.unpaid = unpaid

    def left_unpaid(self) -> bool:
        # No draw without unpaid invoices: then it is the generator's own text.
        return self.unpaid > 0 and self.random.random() < self.unpaid


def writes_hours() -> bool:
    """Whether benchmarks/generate.py's generator has its hours option yet."""
    return HOURS_OPTION in inspect.signature(Generator.__init__).parameters


def generate_shape(shape: Shape, *, fava: bool = True, hours: bool = False) -> str:
    """The ledger text of a shape; the same shape, the same text."""
    options: dict[str, Any] = {"fava": fava}
    if hours:
        if not writes_hours():
            raise ValueError(
                "benchmarks/generate.py does not write hours yet: its Generator "
                f"has no `{HOURS_OPTION}` option"
            )
        options[HOURS_OPTION] = True
    generator = UnpaidInvoices(
        shape.transactions,
        shape.clients,
        shape.years,
        shape.seed,
        unpaid=shape.unpaid,
        **options,
    )
    return generator.ledger()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=THIRD.transactions)
    parser.add_argument("--clients", type=int, default=THIRD.clients)
    parser.add_argument("--years", type=int, default=THIRD.years)
    parser.add_argument("--seed", type=int, default=THIRD.seed)
    parser.add_argument(
        "--unpaid",
        type=float,
        default=THIRD.unpaid,
        help="the share of invoices never paid (default %(default)s)",
    )
    parser.add_argument("--fava", action="store_true", help="the Clients page")
    parser.add_argument("--hours", action="store_true", help="write hours too")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    shape = Shape(
        "third", args.transactions, args.clients, args.years, args.seed, args.unpaid
    )
    try:
        text = generate_shape(shape, fava=args.fava, hours=args.hours)
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
