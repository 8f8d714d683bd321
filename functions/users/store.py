"""The users collection: one unique index on email, documents keyed by string ids."""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, datetime
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError
from shopfn.errors import conflict
from shopfn.stores import mongo_db


@functools.cache
def users() -> Collection[dict[str, Any]]:
    return mongo_db()["users"]


def ensure_indexes() -> None:
    users().create_index("email", unique=True, name="email_unique")
    users().create_index([("createdAt", -1)], name="created_desc")


def insert_user(
    name: str, email: str, password_hash: str, role: str, phone: str | None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "_id": uuid.uuid4().hex,
        "name": name,
        "email": email.lower(),
        "passwordHash": password_hash,
        "role": role,
        "createdAt": datetime.now(UTC).replace(microsecond=0),
    }
    if phone:
        doc["phone"] = phone
    try:
        users().insert_one(doc)
    except DuplicateKeyError:
        raise conflict(f"a user with email {email} already exists") from None
    return doc
