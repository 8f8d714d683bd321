"""Catalog: products (MongoDB with a Redis read-through cache)."""
