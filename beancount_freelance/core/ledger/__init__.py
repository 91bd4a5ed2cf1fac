"""Reading the ledger: config, patterns, declarations, the book, the attribution,
receivable accounts, the scan, rates, proposals, lifecycle checks."""
