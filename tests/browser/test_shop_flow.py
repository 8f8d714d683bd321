"""Each frontend, on a phone-sized screen: register, search, add to cart, check out, see the
order confirmed by the saga and its notification, with axe-core checks along the way."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.shop_page import APPS, PHONE, ShopPage, open_shop
from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, eventually, search

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ACCESS_TOKEN = "() => JSON.parse(localStorage.getItem('shopfn.session')).accessToken"
# The same claims with a signature the server refuses (401), as an expired token would be.
SPOIL_ACCESS_TOKEN = """() => {
  const session = JSON.parse(localStorage.getItem('shopfn.session'));
  session.accessToken = session.accessToken.replace(/[^.]+$/, 'c3BvaWxlZA');
  localStorage.setItem('shopfn.session', JSON.stringify(session));
  return session.accessToken;
}"""


@pytest.fixture(params=list(APPS))
def shop(
    request: pytest.FixtureRequest,
    gateway: Gateway,
    browser: Browser,
    built_frontends: None,
    screenshots: Path,
) -> Iterator[ShopPage]:
    with open_shop(browser, request.param, gateway.url, screenshots, PHONE, "shop") as shop:
        yield shop


def test_register_search_buy_and_get_notified(shop: ShopPage, gateway: Gateway) -> None:
    word = f"zephyr{uuid.uuid4().hex[:6]}"
    product = create_product(
        gateway, name=f"Trail shoe {word}", category="shoes", price=89.5, stock=20
    )
    # The search index follows the catalog through events.
    eventually(lambda: search(gateway, q=word)["total"] == 1, timeout=30)
    page = shop.page

    shop.go("/")
    expect(page.get_by_role("heading", name="Products")).to_be_visible()
    expect(page.locator(".loading:visible")).to_have_count(0)
    shop.shot("products")
    shop.check_a11y("products")

    page.get_by_role("link", name="Register").click()
    page.get_by_label("Name").fill("Ada Shopper")
    page.get_by_label("Email").fill(f"ada-{word}@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    shop.check_a11y("register")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_role("searchbox", name="Search products").fill(word)
    page.get_by_role("button", name="Search", exact=True).click()
    result = page.get_by_role("link", name=product["name"])
    expect(result).to_be_visible()
    expect(page.get_by_text("1 result", exact=True)).to_be_visible()
    shop.shot("search")
    shop.check_a11y("search")

    result.click()
    expect(page.get_by_role("heading", name=product["name"])).to_be_visible()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Added to your cart.")).to_be_visible()
    shop.shot("product")
    shop.check_a11y("product")

    # A refused access token is renewed quietly with the refresh token: the cart still loads.
    spoiled = page.evaluate(SPOIL_ACCESS_TOKEN)
    shop.go("/cart")
    expect(page.get_by_role("link", name=product["name"])).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.evaluate(ACCESS_TOKEN) != spoiled
    page.get_by_label("Shipping address").fill("1 Main Street, Springfield")
    shop.shot("cart")
    shop.check_a11y("cart")
    page.get_by_role("button", name="Place order").click()

    expect(page).to_have_url(re.compile(r"/orders/[^/]+$"))
    # The order page polls while the saga reserves stock, charges and confirms.
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible(timeout=60_000)
    shop.shot("order-confirmed")
    shop.check_a11y("order")

    badge = page.locator(".badge")
    expect(badge).to_have_text(re.compile(r"^[1-9]\d*$"), timeout=30_000)
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Order .* confirmed$"))).to_be_visible()
    shop.shot("notifications")
    shop.check_a11y("notifications")

    page.get_by_role("link", name="My orders").click()
    expect(page.get_by_text("CONFIRMED")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
