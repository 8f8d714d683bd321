"""The product shapes the clients depend on, and the catalog's request shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema, WithJsonSchema

Sort = Literal["newest", "price-asc", "price-desc", "rating"]
CATEGORY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
MAX_PRICE = 1_000_000


def not_a_boolean(value: Any) -> Any:
    """JSON `true` is no number: pydantic's lax mode would take it as 1."""
    if isinstance(value, bool):
        raise ValueError("a number is required, not a boolean")
    return value


NoBool = BeforeValidator(not_a_boolean)
Name = Annotated[str, Field(min_length=1, max_length=200)]
Description = Annotated[str, Field(max_length=5000)]
Price = Annotated[float, Field(gt=0, le=MAX_PRICE, allow_inf_nan=False), NoBool]
Category = Annotated[str, Field(pattern=CATEGORY_PATTERN)]
Stock = Annotated[int, Field(ge=0, le=1_000_000), NoBool]
# MongoDB field names: no dots, no leading dollar.
SpecName = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[^.$][^.]*$")]
# Strict: lax mode would read a too-long string of digits as a number.
SpecValue = Annotated[str, Field(max_length=200)] | StrictInt | StrictFloat | StrictBool
# Written out: pydantic would say `patternProperties`, which lets other names through.
SPECIFICATIONS_SCHEMA = {
    "type": "object",
    "maxProperties": 30,
    "propertyNames": {"minLength": 1, "maxLength": 50, "pattern": r"^[^.$][^.]*$"},
    "additionalProperties": {
        "anyOf": [
            {"type": "string", "maxLength": 200},
            {"type": "integer"},
            {"type": "number"},
            {"type": "boolean"},
        ]
    },
}
Specifications = Annotated[
    dict[SpecName, SpecValue], Field(max_length=30), WithJsonSchema(SPECIFICATIONS_SCHEMA)
]
# Optional in a PATCH but never null: absent from the schema's types, refused when sent.
Unset = SkipJsonSchema[None]


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


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name
    description: Description = ""
    price: Price
    category: Category
    stock: Stock
    specifications: Specifications | None = None


class ProductUpdate(BaseModel):
    """A partial update: only the fields given change."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"minProperties": 1}
    )

    name: Name | Unset = None
    description: Description | Unset = None
    price: Price | Unset = None
    category: Category | Unset = None
    stock: Stock | Unset = None
    specifications: Specifications | None = None

    @model_validator(mode="after")
    def _some_change(self) -> ProductUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        nullable = {"specifications"}
        for name in self.model_fields_set - nullable:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
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


def public_product(doc: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    out["_id"] = str(doc["_id"])
    return out
