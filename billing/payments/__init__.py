"""Payments and receipts (issue 4): online through a gateway, cash at the counter, receipts as PDF."""
