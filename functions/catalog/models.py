"""The product shapes the clients depend on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Product(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(alias="_id")
    name: str
    description: str = ""
    price: float
    category: str
    stock: int
    rating: float = 0.0
    ratingCount: int = 0
    specifications: dict[str, Any] | None = None
    createdAt: datetime
    updatedAt: datetime | None = None
    version: int = 1


class ProductEnvelope(BaseModel):
    product: Product


class ProductList(BaseModel):
    products: list[Product]
    total: int
    page: int
    pageSize: int


def public_product(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    out["_id"] = str(doc["_id"])
    return out
