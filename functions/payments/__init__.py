"""Payments: a simulated provider with deterministic rules, charges and refunds (PostgreSQL)."""
