"""The counter staff workspace under /staff/: search, the account page, audit search and today's figures."""
