"""Users: accounts, profiles and admin management (MongoDB)."""
