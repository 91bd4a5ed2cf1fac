"""The plugin's configuration string: defaults, every key, every mistake."""

from __future__ import annotations

import pytest

from beancount_freelance.core.ledger.config import (
    Config,
    ConfigError,
    ledger_config,
    parse_config,
)


def test_no_config_means_the_defaults() -> None:
    assert parse_config(None) == parse_config("") == parse_config("  ") == Config()
    defaults = Config()
    assert defaults.income == r"^Income:"
    assert defaults.require_client == r"^Income:Clients(:|$)"
    assert defaults.dormant_after_days == 180
    assert defaults.max_share is None
    assert defaults.check_links is False
    assert defaults.receivables == r"^Assets:([^:]+:)*?(Accounts)?Receivables?(:|$)"
    assert defaults.client_accounts == r"^Income:Clients:(?P<client>[^:]+)"
    assert defaults.payee_accounts is None
    assert defaults.payment_terms_days == 30


def test_every_key_can_be_set() -> None:
    config = parse_config(
        "{'income': '^Income:Freelance', 'require_client': '^Income:Freelance:',"
        " 'dormant_after_days': 90, 'max_share': 0.5, 'check_links': True,"
        " 'receivables': '^Assets:Clients', 'payment_terms_days': 45}"
    )
    assert config == Config(
        income="^Income:Freelance",
        require_client="^Income:Freelance:",
        dormant_after_days=90,
        max_share=0.5,
        check_links=True,
        receivables="^Assets:Clients",
        payment_terms_days=45,
    )
    assert config.income_re.search("Income:Freelance:Workshops")
    assert not config.income_re.search("Income:Interest")
    assert config.require_client_re.search("Income:Freelance:Acme")
    assert config.receivables_re.search("Assets:Clients:Acme")


def test_max_share_of_one_and_a_whole_number() -> None:
    assert parse_config("{'max_share': 1}").max_share == 1.0
    assert parse_config("{'max_share': None}").max_share is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{'max_share': 0.5",
            "beancount_freelance config does not parse (SyntaxError): "
            "\"{'max_share': 0.5\"; write a dict such as "
            "\"{'require_client': '^Income:Clients', 'max_share': 0.5}\"",
        ),
        (
            "{'max_share': half}",
            "beancount_freelance config does not parse (ValueError): "
            "\"{'max_share': half}\"; write a dict such as "
            "\"{'require_client': '^Income:Clients', 'max_share': 0.5}\"",
        ),
        (
            "{[1]: 2}",
            "beancount_freelance config does not parse (TypeError): "
            "'{[1]: 2}'; write a dict such as "
            "\"{'require_client': '^Income:Clients', 'max_share': 0.5}\"",
        ),
        (
            "['income']",
            "beancount_freelance config must be a dict, not list: \"['income']\"",
        ),
        (
            "{'require_clients': '^Income'}",
            "beancount_freelance config has an unknown key 'require_clients'; did "
            "you mean 'require_client'? known keys: income, require_client, "
            "dormant_after_days, max_share, check_links, receivables, "
            "payment_terms_days, client_accounts, payee_accounts, invoice_keys, "
            "ceilings, reminders, hours_commodities, time_accounts, client_keys, "
            "client_tags, vat_included",
        ),
        (
            "{'colour': 'blue'}",
            "beancount_freelance config has an unknown key 'colour'; known keys: "
            "income, require_client, dormant_after_days, max_share, check_links, "
            "receivables, payment_terms_days, client_accounts, payee_accounts, "
            "invoice_keys, ceilings, reminders, hours_commodities, time_accounts, "
            "client_keys, client_tags, vat_included",
        ),
        ("{'income': 3}", "beancount_freelance config 'income' must be a regex string"),
        (
            "{'require_client': '('}",
            "beancount_freelance config 'require_client' is not a valid regex: "
            "missing ), unterminated subpattern at position 0",
        ),
        (
            "{'dormant_after_days': 'soon'}",
            "beancount_freelance config 'dormant_after_days' must be a whole number "
            "of days from 0 to 36500, not 'soon'",
        ),
        (
            "{'dormant_after_days': True}",
            "beancount_freelance config 'dormant_after_days' must be a whole number "
            "of days from 0 to 36500, not True",
        ),
        (
            "{'payment_terms_days': 100000000000000000000}",
            "beancount_freelance config 'payment_terms_days' must be a whole number "
            "of days from 0 to 36500, not 100000000000000000000",
        ),
        (
            "{'payment_terms_days': -1}",
            "beancount_freelance config 'payment_terms_days' must be a whole number "
            "of days from 0 to 36500, not -1",
        ),
        (
            "{'max_share': 'half'}",
            "beancount_freelance config 'max_share' must be a number between 0 and "
            "1, not 'half'",
        ),
        (
            "{'max_share': 2}",
            "beancount_freelance config 'max_share' must be between 0 and 1 (e.g. "
            "0.5 for 50 %), not 2",
        ),
        (
            "{'max_share': 0}",
            "beancount_freelance config 'max_share' must be between 0 and 1 (e.g. "
            "0.5 for 50 %), not 0",
        ),
        (
            "{'check_links': 'yes'}",
            "beancount_freelance config 'check_links' must be True or False",
        ),
    ],
)
def test_each_mistake_has_a_message(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert str(raised.value) == message


def test_the_ledger_config_is_read_from_the_plugin_line() -> None:
    options = {
        "plugin": [
            ("beancount.plugins.auto_accounts", None),
            ("beancount_freelance.plugin", "{'dormant_after_days': 90}"),
        ]
    }
    assert ledger_config(options).dormant_after_days == 90
    assert ledger_config({"plugin": []}) == Config()
    assert ledger_config({}) == Config()


def test_a_bad_ledger_config_falls_back_to_the_defaults() -> None:
    # The plugin reports it; the analysis still runs.
    options = {"plugin": [("beancount_freelance.plugin", "{'income': 3}")]}
    assert ledger_config(options) == Config()


def test_a_huge_config_string_is_quoted_short() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config("{" + "x" * 1_000_000)
    assert len(str(raised.value)) < 300
    assert "…" in str(raised.value)


def test_require_client_follows_client_accounts() -> None:
    consulting = parse_config(
        "{'client_accounts': '^Income:Consulting:(?P<client>[^:]+)'}"
    )
    assert consulting.require_client == "^Income:Consulting(:|$)"
    assert consulting.require_client_re.search("Income:Consulting")
    assert not consulting.require_client_re.search("Income:ConsultingFees")
    # Set both, and require_client is the user's.
    both = parse_config(
        "{'client_accounts': '^Income:Consulting:(.+)', 'require_client': '^X'}"
    )
    assert both.require_client == "^X"
    # Nothing plain before the group: the old default stays.
    odd = parse_config("{'client_accounts': '^Income:.*:Clients:([^:]+)'}")
    assert odd.require_client == r"^Income:Clients(:|$)"


def test_the_defaults_follow_the_ledgers_roots() -> None:
    options = {"name_income": "Prijmy", "name_assets": "Aktiva", "plugin": []}
    config = ledger_config(options)
    assert config.income == "^Prijmy:"
    assert config.require_client == "^Prijmy:Clients(:|$)"
    assert config.client_accounts == "^Prijmy:Clients:(?P<client>[^:]+)"
    assert config.receivables_re.search("Aktiva:Receivable:Novak")
    assert not config.receivables_re.search("Assets:Receivable:Novak")
    # A key the user sets is kept as written.
    assert parse_config(
        "{'income': '^Prijmy:Sluzby'}", ("Prijmy", "Aktiva")
    ).income == ("^Prijmy:Sluzby")


def test_the_receivables_default_takes_real_books_names() -> None:
    search = Config().receivables_re.search
    for account in (
        "Assets:Receivable:Acme",
        "Assets:AccountsReceivable:Acme",
        "Assets:Receivables:Acme:2024",
        "Assets:Current:AccountsReceivable",
    ):
        assert search(account), account
    assert not search("Assets:ReceivableX")
    assert not search("Assets:Bank")


def test_client_accounts_needs_a_group_and_payee_accounts_may_be_none() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config("{'client_accounts': '^Income:Consulting:'}")
    assert "needs a group that captures the client" in str(raised.value)
    assert parse_config("{'payee_accounts': None}").payee_accounts is None
    assert parse_config("{'payee_accounts': '^Income:Sponsors$'}").payee_accounts_re
