"""The JSON document of an analysis (docs/metrics.md, "JSON rounding").

The CLI's `--json` and the Fava endpoint return this same document; the faces
format it and never recompute a number. Every JSON object of the package is
built in this package: the report here, the outlook, the receivables and
the plan in its modules, all with the one money formatter
(`core.money.amount`). Amounts are strings rounded to cents,
shares and rates are floats rounded to 4 decimals, dates are ISO strings.
"""
