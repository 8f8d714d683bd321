"""Request and response shapes of GET /api/search."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from functions.catalog.models import CATEGORY_PATTERN, MAX_PRICE, Product

SearchSort = Literal["relevance", "newest", "price-asc", "price-desc", "rating"]


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    q: str = Field(default="", max_length=200)
    category: str | None = Field(default=None, pattern=CATEGORY_PATTERN)
    minPrice: float | None = Field(default=None, ge=0, le=MAX_PRICE, allow_inf_nan=False)
    maxPrice: float | None = Field(default=None, ge=0, le=MAX_PRICE, allow_inf_nan=False)
    inStock: bool | None = None
    sort: SearchSort = "relevance"
    page: int = Field(default=1, ge=1, le=100)
    pageSize: int = Field(default=20, ge=1, le=50)


class Hit(Product):
    """A product as search found it: its relevance and the matched fragments."""

    score: float | None = None
    highlight: dict[str, list[str]] = Field(default_factory=dict)


class CategoryFacet(BaseModel):
    value: str
    count: int


class PriceFacet(BaseModel):
    key: str
    min: float | None = Field(default=None, alias="from")
    max: float | None = Field(default=None, alias="to")
    count: int

    model_config = ConfigDict(populate_by_name=True)


class Facets(BaseModel):
    category: list[CategoryFacet]
    price: list[PriceFacet]


class SearchResult(BaseModel):
    source: Literal["elasticsearch", "mongo"]
    degraded: bool
    total: int
    page: int
    pageSize: int
    results: list[Hit]
    facets: Facets
    notice: str | None = None
