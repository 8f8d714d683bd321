"""Review shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from functions.catalog.models import NoBool


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rating: Annotated[int, Field(ge=1, le=5), NoBool]
    title: str = Field(default="", max_length=120)
    text: str = Field(default="", max_length=2000)


class Review(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(alias="_id")
    productId: str
    userId: str
    userName: str = ""
    rating: int
    title: str = ""
    text: str = ""
    hidden: bool = False
    createdAt: datetime


class ReviewEnvelope(BaseModel):
    review: Review


class ReviewList(BaseModel):
    reviews: list[Review]
    total: int
    page: int
    pageSize: int


class ReviewQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=500)
    pageSize: int = Field(default=20, ge=1, le=100)
