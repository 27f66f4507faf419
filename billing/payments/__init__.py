"""Payments and receipts: online through a gateway, cash at the counter, receipts as PDF."""
