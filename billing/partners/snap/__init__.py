"""SNAP BI virtual accounts with Tirta as the biller: token, signatures, inquiry, payment, status, reconciliation."""
