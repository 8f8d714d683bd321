"""Notifications: per-user feed (Redis), email and push."""
