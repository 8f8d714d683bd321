"""The user shapes the clients depend on: `_id, name, email, role, phone?, createdAt`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

Role = Literal["admin", "user", "guest"]
# Not EmailStr: it refuses reserved domains (.test, .local) a shop's staff may well use.
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=8, max_length=128)]
# Optional in a PATCH but never null: absent from the schema's types, refused when sent.
Unset = SkipJsonSchema[None]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name
    email: Email
    password: Password
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()-]{5,20}$")


class UserUpdate(BaseModel):
    """A partial update; `phone: null` removes the phone, `role` is for admins only."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"minProperties": 1}
    )

    name: Name | Unset = None
    email: Email | Unset = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()-]{5,20}$")
    password: Password | Unset = None
    role: Role | Unset = None

    @model_validator(mode="after")
    def _not_empty(self) -> UserUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        for name in ("name", "email", "password", "role"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class User(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(alias="_id")
    name: str
    email: str
    role: Role
    phone: str | None = None
    createdAt: datetime


class UserEnvelope(BaseModel):
    user: User


class UserList(BaseModel):
    users: list[User]
    total: int
    page: int
    pageSize: int


def public_user(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored user document without secrets, ids as strings."""
    out = {k: v for k, v in doc.items() if k in ("name", "email", "role", "phone", "createdAt")}
    out["_id"] = str(doc["_id"])
    return out
