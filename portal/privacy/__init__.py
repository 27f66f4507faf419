"""Personal data under UU PDP 27/2022: private caching, the customer's data export and closing a portal account.

Lives in `portal` because the export and the closing reach into accounts, billing and complaints alike.
"""
