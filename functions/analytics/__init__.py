"""Analytics: counters per event type, sales and products over time, in Cassandra."""
