"""The product shapes the clients depend on, and the catalog's request shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Sort = Literal["newest", "price-asc", "price-desc", "rating"]
CATEGORY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
MAX_PRICE = 1_000_000


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


Specifications = dict[str, str | int | float | bool]


def _check_specifications(specs: Specifications | None) -> None:
    if specs is None:
        return
    if len(specs) > 30:
        raise ValueError("at most 30 specifications")
    for key, value in specs.items():
        if not 1 <= len(key) <= 50 or (isinstance(value, str) and len(value) > 200):
            raise ValueError("specification names are 1-50 characters, values at most 200")


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    price: float = Field(gt=0, le=MAX_PRICE, allow_inf_nan=False)
    category: str = Field(pattern=CATEGORY_PATTERN)
    stock: int = Field(ge=0, le=1_000_000)
    specifications: Specifications | None = None

    @model_validator(mode="after")
    def _bounded_specs(self) -> ProductCreate:
        _check_specifications(self.specifications)
        return self


class ProductUpdate(BaseModel):
    """A partial update: only the fields given change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    price: float | None = Field(default=None, gt=0, le=MAX_PRICE, allow_inf_nan=False)
    category: str | None = Field(default=None, pattern=CATEGORY_PATTERN)
    stock: int | None = Field(default=None, ge=0, le=1_000_000)
    specifications: Specifications | None = None

    @model_validator(mode="after")
    def _some_change(self) -> ProductUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        nullable = {"specifications"}
        for name in self.model_fields_set - nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        _check_specifications(self.specifications)
        return self


class ProductQuery(BaseModel):
    """Filters, sort and a bounded page of the catalog."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, pattern=CATEGORY_PATTERN)
    minPrice: float | None = Field(default=None, ge=0, le=MAX_PRICE, allow_inf_nan=False)
    maxPrice: float | None = Field(default=None, ge=0, le=MAX_PRICE, allow_inf_nan=False)
    inStock: bool | None = None
    sort: Sort = "newest"
    page: int = Field(default=1, ge=1, le=500)
    pageSize: int = Field(default=20, ge=1, le=100)

    @model_validator(mode="after")
    def _price_range(self) -> ProductQuery:
        low, high = self.minPrice, self.maxPrice
        if low is not None and high is not None and low > high:
            raise ValueError("minPrice is greater than maxPrice")
        return self


def public_product(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    out["_id"] = str(doc["_id"])
    return out
