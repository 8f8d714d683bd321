"""Auth: log in, refresh with rotation and reuse detection, log out, guest sessions (Redis)."""
