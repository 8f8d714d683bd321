"""The users collection: one unique index on email, documents keyed by string ids."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError, OperationFailure

from shopfn.errors import conflict
from shopfn.stores import mongo_db

NO_SECRETS = {"passwordHash": 0}


def users() -> Collection[dict[str, Any]]:
    # Not cached: the collection must follow the client when `reset_clients()` replaces it.
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


def find_by_email(email: str) -> dict[str, Any] | None:
    """The user with this e-mail, password hash included (for login only)."""
    return users().find_one({"email": email.strip().lower()})


def find_user(user_id: str) -> dict[str, Any] | None:
    return users().find_one({"_id": user_id}, NO_SECRETS)


def update_user(user_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
    """Apply `changes` ($set; None values $unset); the updated user, None when absent."""
    sets = {k: v for k, v in changes.items() if v is not None}
    unsets = {k: "" for k, v in changes.items() if v is None}
    update: dict[str, Any] = {"$set": {**sets, "updatedAt": datetime.now(UTC)}}
    if unsets:
        update["$unset"] = unsets
    try:
        # FerretDB 1.24 cannot project in findAndModify: the hash is dropped here instead.
        doc = users().find_one_and_update(
            {"_id": user_id}, update, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError:
        raise conflict("another user has this email") from None
    except OperationFailure as exc:
        # FerretDB 1.24 reports a unique violation in findAndModify as a generic failure.
        if "duplicate key" not in str(exc):
            raise
        raise conflict("another user has this email") from None
    if doc is not None:
        doc.pop("passwordHash", None)
    return doc


def delete_user(user_id: str) -> bool:
    return users().delete_one({"_id": user_id}).deleted_count == 1


def page_of_users(page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
    cursor = (
        users()
        .find({}, NO_SECRETS)
        .sort([("createdAt", -1), ("_id", 1)])
        .skip((page - 1) * page_size)
        .limit(page_size)
    )
    return list(cursor), users().count_documents({})
