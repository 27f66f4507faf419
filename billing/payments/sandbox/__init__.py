"""The sandbox: a built-in stand-in for an Indonesian gateway (provider, hosted checkout page, notifications)."""
