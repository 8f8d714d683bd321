"""Shipping: shipments with tracking ids (PostgreSQL), scheduled, cancelled and dispatched."""
