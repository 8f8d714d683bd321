"""Search: full-text product search on Elasticsearch, kept in step by product events."""
