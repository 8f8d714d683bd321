"""Users' one-time setup: indexes, and the first admin from the environment."""

from __future__ import annotations

import contextlib

from pymongo.errors import DuplicateKeyError

from functions.users.passwords import hash_password
from functions.users.store import ensure_indexes, insert_user, users
from shopfn.config import settings
from shopfn.errors import ApiError


def setup() -> None:
    ensure_indexes()
    cfg = settings()
    if not cfg.admin_email or not cfg.admin_password:
        return
    if users().find_one({"email": cfg.admin_email.lower()}, {"_id": 1}):
        return
    # Another process may create it first: that is as good.
    with contextlib.suppress(ApiError, DuplicateKeyError):
        insert_user(
            "Administrator", cfg.admin_email, hash_password(cfg.admin_password), "admin", None
        )
