"""Inventory: stock reservations per order (PostgreSQL), mirrored into the catalog's products."""
