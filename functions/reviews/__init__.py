"""Reviews: one per user and product, 1-5 stars, moderated by admins (MongoDB)."""
