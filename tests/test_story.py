"""The story sections of the page, as values: flags, colours, history order."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from test_sentences import LEFEVRE
from typed_values import concentration, flag, portfolio

from beancount_freelance.core.revenue.replacement import ProgressMonth, Replacement
from beancount_freelance.fava_extension.panel import describe
from beancount_freelance.fava_extension.story import (
    colour_key,
    flag_rules,
    hcl_colours,
    replacement_chart,
    story_entries,
    threshold_text,
)


def test_every_threshold_is_listed_with_its_clients() -> None:
    found = concentration(
        flags=[
            flag("Law", 0.9091, 0.1, "major client"),
            flag("Law", 0.9091, 0.8333, "one main client"),
        ]
    )
    rules = flag_rules(found, {"Law": "Cabinet Law"})
    assert [(r.label, r.threshold) for r in rules] == [
        ("major client", "10 %"),
        ("high dependency", "25 %"),
        ("economic dependency", "75 %"),
        ("one main client", "5/6"),
    ]
    assert rules[0].clients == (("Law", "Cabinet Law", "91 %"),)
    assert rules[1].clients == ()
    assert "Germany" in rules[3].meaning


def test_thresholds_are_said_as_the_rules_say_them() -> None:
    assert threshold_text(Fraction(1, 10)) == "10 %"
    assert threshold_text(Fraction(5, 6)) == "5/6"


def test_colours_follow_the_sorted_accounts_as_fava_s_do() -> None:
    # Fava colours stacks by the chart's sorted account names, hcl_color_range(n):
    # that they are the bars' very colours is checked in Chromium
    # (test_browser_story.py); here, the order.
    key = colour_key(
        {"Zed": "Income:Clients:A-Zed", "Amy": "Income:Clients:B-Amy"},
        {"Zed": "Zed Ltd", "Amy": "Amy Ltd"},
    )
    first, second = hcl_colours(2)
    assert first != second
    assert [(item.client, item.name, item.colour) for item in key] == [
        ("Zed", "Zed Ltd", first),
        ("Amy", "Amy Ltd", second),
    ]


def _replacement(client: str, ended: str, progress: list[Any]) -> Replacement:
    return dataclasses.replace(
        LEFEVRE,
        client=client,
        ended=datetime.date.fromisoformat(ended),
        note="",
        monthly_lost=Decimal("300.00"),
        share_at_end=0.5,
        new_client_monthly=Decimal("100.00"),
        clients_needed=3,
        acquisition_per_month=0.25,
        months_to_replace=12.0,
        replaced_monthly=Decimal("125.00"),
        replaced_share=0.4167,
        progress=tuple(
            ProgressMonth(
                item["month"],
                Decimal(item["new_clients"]),
                Decimal(item["replaced_monthly"]),
            )
            for item in progress
        ),
    )


def test_the_chart_draws_what_the_sentence_measures_against_the_lost_level() -> None:
    found = _replacement(
        "Law",
        "2015-12-20",
        [
            {"month": "2016-01", "new_clients": "0.00", "replaced_monthly": "0"},
            {"month": "2016-02", "new_clients": "250.00", "replaced_monthly": "250"},
            {"month": "2016-03", "new_clients": "0.00", "replaced_monthly": "125"},
        ],
    )
    chart = replacement_chart(found, "EUR", "Law")
    assert chart is not None
    lost, replaced = chart.series
    assert (lost.name, replaced.name) == (
        "lost client, a month (EUR)",
        "replaced by new clients, a month (EUR)",
    )
    assert lost.css_class != replaced.css_class and lost.dashed and not replaced.dashed
    assert list(lost.values) == [Decimal(300)] * 3
    # The last point is the sentence's figure, not the month's raw revenue (0).
    assert list(replaced.values) == [Decimal(0), Decimal(250), Decimal(125)]
    assert replaced.values[-1] == found.replaced_monthly
    assert chart.months == ["2016-01", "2016-02", "2016-03"]
    assert replacement_chart(_replacement("Law", "2015-12-20", []), "EUR", "x") is None


def test_the_period_s_losses_come_first() -> None:
    old = _replacement("Law", "2015-12-20", [])
    recent = _replacement("Shop", "2017-05-01", [])
    found = portfolio(
        replacements=[old],  # the period asked for holds only the old one
        replacement_history=(recent, old),
    )
    entries = story_entries(
        found, {}, lambda r, name: describe(r, name, lambda d: f"{d} EUR")
    )
    assert [(e.client, e.in_period) for e in entries] == [
        ("Law", True),
        ("Shop", False),
    ]
    assert entries[0].heading == "Law, lost on 2015-12-20"


def test_only_the_first_stories_are_told_and_drawn() -> None:
    history = tuple(
        _replacement(f"C{n}", f"2017-{12 - n:02d}-01", []) for n in range(6)
    )
    found = portfolio(replacements=[history[4]], replacement_history=history)
    worded: list[str] = []

    def describe_counted(r: Any, name: str) -> Any:
        worded.append(name)
        return describe(r, name, lambda d: f"{d} EUR")

    entries = story_entries(found, {}, describe_counted, limit=3)
    # The period's loss first, then the newest of the others; only these worded.
    assert [e.client for e in entries] == ["C4", "C0", "C1"]
    assert worded == ["C4", "C0", "C1"]
    assert len(story_entries(found, {}, describe_counted, limit=None)) == 6
