"""The one conversion of an amount into the reporting currency.

Revenue and receivables both convert here, so that one report never values the
same currency at two rates. A posting's own `@` price comes first, then its cost;
else the ledger's prices as Beancount reads them (`beancount.core.prices`): the
latest rate on or before the posting's date, inverse prices merged into one
series. docs/metrics.md describes the rule and where Fava differs.

A commodity is priced when a `price` directive, an `@` price or a cost names it
(as the thing priced or as the price), or it is an operating currency or an ISO
4217 code; vacation hours (`VACHR`) and such are never priced: they are not
money. Money is what things are priced in: an operating currency, an ISO 4217
code, a currency of a `price` directive, or the currency of an `@` price or a
cost. Hours billed `@ 300 USD` are priced but not money: an invoice of hours is
worth its `@` price.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data, prices
from beancount.core.amount import Amount
from beancount.core.position import Cost

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

__all__ = ["Rates", "rates_of"]

ONE = Decimal(1)
# The ISO 4217 currency codes, current and withdrawn: money even in a ledger that
# never prices them (an income in GBP with no rate is a missing rate, not hours).
_ISO_4217_CODES = """
    ADP AED AFA AFN ALK ALL AMD ANG AOA AOK AON AOR ARA ARL ARM ARP ARS ATS AUD
    AWG AZM AZN BAD BAM BAN BBD BDT BEC BEF BEL BGL BGM BGN BGO BHD BIF BMD BND
    BOB BOL BOP BOV BRB BRC BRE BRL BRN BRR BRZ BSD BTN BUK BWP BYB BYN BYR BZD
    CAD CDF CHE CHF CHW CLE CLF CLP CNH CNY COP COU CRC CSD CSK CUC CUP CVE CYP
    CZK DDM DEM DJF DKK DOP DZD ECS ECV EEK EGP ERN ESA ESB ESP ETB EUR FIM FJD
    FKP FRF GBP GEK GEL GHC GHS GIP GMD GNF GNS GQE GRD GTQ GWE GWP GYD HKD HNL
    HRD HRK HTG HUF IDR IEP ILP ILR ILS INR IQD IRR ISJ ISK ITL JMD JOD JPY KES
    KGS KHR KMF KPW KRH KRO KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LTT LUC LUF
    LUL LVL LVR LYD MAD MAF MCF MDC MDL MGA MGF MKD MKN MLF MMK MNT MOP MRO MRU
    MTL MTP MUR MVP MVR MWK MXN MXP MXV MYR MZE MZM MZN NAD NGN NIC NIO NLG NOK
    NPR NZD OMR PAB PEI PEN PES PGK PHP PKR PLN PLZ PTE PYG QAR RHD ROL RON RSD
    RUB RUR RWF SAR SBD SCR SDD SDG SDP SEK SGD SHP SIT SKK SLE SLL SOS SRD SRG
    SSP STD STN SUR SVC SYP SZL THB TJR TJS TMM TMT TND TOP TPE TRL TRY TTD TWD
    TZS UAH UAK UGS UGX USD USN USS UYI UYP UYU UYW UZS VEB VED VEF VES VND VNN
    VUV WST XAD XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XEU XFO XFU XOF XPD XPF
    XPT XRE XSU XTS XUA XXX YDD YER YUD YUM YUN YUR ZAL ZAR ZMK ZMW ZRN ZRZ ZWD
    ZWG ZWL ZWR
"""
ISO_4217 = frozenset(_ISO_4217_CODES.split())


class Rates:
    """The ledger's rates: the price map and the priced commodities, built once.

    Both are built on first use (a ledger in one currency needs neither) and every
    lookup is memoised: a ledger asks the same pair on the same dates again and
    again. `entries` are the ledger's directives, walked only to find what is
    priced when a conversion fails.
    """

    def __init__(
        self,
        price_entries: Sequence[data.Price],
        entries: Sequence[data.Directive] = (),
        operating: Iterable[str] = (),
    ) -> None:
        self._price_entries = price_entries
        self._entries = entries
        self._operating = frozenset(operating)
        self._map: prices.PriceMap | None = None
        self._memo: dict[tuple[str, str, datetime.date], Decimal | None] = {}
        self._priced: tuple[frozenset[str], frozenset[str]] | None = None
        self._listed = frozenset(
            name for p in price_entries for name in (p.currency, p.amount.currency)
        )

    def rate(self, base: str, quote: str, date: datetime.date) -> Decimal | None:
        """One `base` in `quote` on `date`: the latest price on or before it."""
        if base == quote:
            return ONE
        key = (base, quote, date)
        try:
            return self._memo[key]
        except KeyError:
            pass
        if self._map is None:
            # beancount.core.prices has no annotations: its results are checked.
            self._map = prices.build_price_map(self._price_entries)  # type: ignore[no-untyped-call]
        _, found = prices.get_price(self._map, (base, quote), date)  # type: ignore[no-untyped-call]
        rate = found if isinstance(found, Decimal) else None
        self._memo[key] = rate
        return rate

    def posting_rate(
        self, posting: data.Posting, currency: str, date: datetime.date
    ) -> Decimal | None:
        """One unit of a posting in `currency`: its `@` price, its cost, else a rate."""
        units = posting.units
        if units is None or not isinstance(units.number, Decimal):
            return None
        unit = str(units.currency)
        if unit == currency:
            return ONE
        for price in (posting.price, posting.cost):
            if (
                isinstance(price, (Amount, Cost))
                and price.currency == currency
                and isinstance(price.number, Decimal)
            ):
                return price.number
        return self.rate(unit, currency, date)

    def value(
        self, posting: data.Posting, currency: str, date: datetime.date
    ) -> Decimal | None:
        """A posting's units in `currency`, or None when no rate converts them."""
        rate = self.posting_rate(posting, currency, date)
        if rate is None:
            return None
        units = posting.units
        assert units is not None and isinstance(units.number, Decimal)  # rate found
        return units.number if rate is ONE else units.number * rate

    def is_money(self, commodity: str) -> bool:
        """Whether things are priced in `commodity` (or it is operating)."""
        if (
            commodity in self._operating
            or commodity in self._listed
            or commodity in ISO_4217
        ):
            return True
        return commodity in self._walked()[0]

    def is_priced(self, commodity: str) -> bool:
        """Whether anything prices `commodity`: else it is no money at all."""
        return self.is_money(commodity) or commodity in self._walked()[1]

    def _walked(self) -> tuple[frozenset[str], frozenset[str]]:
        if self._priced is None:
            self._priced = _priced(self._entries)
        return self._priced


def _priced(
    entries: Iterable[data.Directive],
) -> tuple[frozenset[str], frozenset[str]]:
    """The currencies `@` prices and costs are in, and the commodities they price."""
    quotes: set[str] = set()
    bases: set[str] = set()
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            for price in (posting.price, posting.cost):
                if price is not None and price.currency:
                    quotes.add(price.currency)
                    if posting.units is not None:
                        bases.add(str(posting.units.currency))
    return frozenset(quotes), frozenset(bases)


def rates_of(
    entries: Sequence[data.Directive], options_map: Mapping[str, Any] | None = None
) -> Rates:
    """The rates of a loaded ledger: its prices, its operating currencies."""
    operating = (options_map or {}).get("operating_currency") or ()
    price_entries = [entry for entry in entries if isinstance(entry, data.Price)]
    return Rates(price_entries, entries, operating)
