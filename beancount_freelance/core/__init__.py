"""The core: pure functions and immutable values over Beancount's entries.

Nothing here imports a face (plugin, CLI, Fava extension, importers); see
docs/architecture.md for the path of a ledger through these modules.
"""
