"""Cart: a shopper's cart in Redis with a TTL, and checkout into an order."""
