"""`python -m beancount_freelance.cli`: the `bean-clients` command."""

from beancount_freelance.cli.commands import main

main()
