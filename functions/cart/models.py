"""The cart's shapes: what clients send and what they get back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CartItem(BaseModel):
    productId: str
    name: str
    unitPrice: float  # snapshotted when the item was added
    quantity: int
    lineTotal: float


class Cart(BaseModel):
    userId: str
    items: list[CartItem]
    itemCount: int
    total: float
    currency: str


class CartEnvelope(BaseModel):
    cart: Cart


class AddItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    productId: str = Field(min_length=1, max_length=100)
    quantity: int = Field(default=1, ge=1, le=1000)


class SetQuantity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1, le=1000)


class CheckoutBody(BaseModel):
    """Payment and delivery for the simulated providers (a card ending 0002 is declined; an
    address containing UNDELIVERABLE fails shipping). Only the card's last 4 digits are kept."""

    model_config = ConfigDict(extra="forbid")

    cardNumber: str = Field(default="4242424242424242", pattern=r"^[0-9][0-9 -]{10,22}[0-9]$")
    shippingAddress: str = Field(default="1 Main Street, Springfield", min_length=3, max_length=300)

    @property
    def card_last4(self) -> str:
        digits = "".join(ch for ch in self.cardNumber if ch.isdigit())
        return digits[-4:]
