"""Partners: the banks, payment points and civic apps that call Tirta's machine interfaces (SNAP BI, Open311)."""
