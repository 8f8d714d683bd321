"""Each frontend, on a desktop screen, as an administrator: products (create, edit, delete),
users and roles, review moderation and the analytics dashboard, with axe-core checks."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.shop_page import APPS, DESKTOP, ShopPage, open_shop
from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Gateway
from tests.e2e.shop_helpers import create_product

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(params=list(APPS))
def admin_shop(
    request: pytest.FixtureRequest,
    gateway: Gateway,
    browser: Browser,
    built_frontends: None,
    screenshots: Path,
) -> Iterator[ShopPage]:
    with open_shop(browser, request.param, gateway.url, screenshots, DESKTOP, "admin") as shop:
        yield shop


def shopper_with_review(gateway: Gateway, word: str) -> tuple[str, dict[str, str], str]:
    """A registered shopper who reviewed a new product: (email, product, review title)."""
    email = f"lin-{word}@example.com"
    body = {"name": "Lin Reviewer", "email": email, "password": "correct horse battery"}
    resp = gateway.http.post(f"{gateway.url}/api/users", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    user_id = resp.json()["user"]["_id"]
    product = create_product(gateway, name=f"Kettle {word}", category="kitchen")
    title = f"Spam {word}"
    resp = gateway.http.post(
        f"{gateway.url}/api/products/{product['_id']}/reviews",
        json={"rating": 1, "title": title, "text": "buy followers at example.com"},
        headers=gateway.auth("user", user_id),
        timeout=10,
    )
    assert resp.status_code == 201, resp.text
    return email, product, title


def test_admin_manages_products_users_reviews_and_sees_analytics(
    admin_shop: ShopPage, gateway: Gateway
) -> None:
    shop, page = admin_shop, admin_shop.page
    word = uuid.uuid4().hex[:8]
    email, reviewed, review_title = shopper_with_review(gateway, word)

    shop.go("/login")
    page.get_by_label("Email").fill(os.environ.get("SHOPFN_ADMIN_EMAIL", ADMIN_EMAIL))
    page.get_by_label("Password").fill(os.environ.get("SHOPFN_ADMIN_PASSWORD", ADMIN_PASSWORD))
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Admin").click()

    # Products: create, edit, delete.
    lamp = f"Desk lamp {word}"
    page.get_by_label("Name", exact=True).fill(lamp)
    page.get_by_label("Description").fill("Warm light, dimmable")
    page.get_by_label("Price", exact=True).fill("25")
    page.get_by_label("Stock", exact=True).fill("7")
    page.get_by_label("Category", exact=True).fill("home")
    page.get_by_label("Specifications").fill("power: 8 W\ncolour: white")
    page.get_by_role("button", name="Create product").click()
    expect(page.get_by_text(f"Saved “{lamp}”.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=lamp)
    expect(row).to_contain_text("$25.00")
    shop.shot("products")
    shop.check_a11y("admin-products")

    page.get_by_role("button", name=f"Edit {lamp}").click()
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    page.get_by_label("Price", exact=True).fill("30")
    page.get_by_role("button", name="Save changes").click()
    expect(row).to_contain_text("$30.00")
    page.get_by_role("button", name=f"Delete {lamp}").click()
    expect(page.get_by_text(f"Deleted “{lamp}”.")).to_be_visible()
    expect(row).to_have_count(0)

    # Users and roles.
    page.get_by_role("link", name="Users").click()
    page.get_by_label(f"Role of {email}").select_option("admin")
    expect(page.get_by_text(f"{email} is now admin.")).to_be_visible()
    shop.shot("users")
    shop.check_a11y("admin-users")

    # Review moderation.
    page.get_by_role("link", name="Reviews").click()
    page.get_by_label("Product ID").fill(reviewed["_id"])
    page.get_by_role("button", name="Show reviews").click()
    expect(page.get_by_text(review_title)).to_be_visible()
    shop.shot("reviews")
    shop.check_a11y("admin-reviews")
    page.get_by_role("button", name=f"Hide review {review_title}").click()
    expect(page.get_by_text("No visible reviews for this product.")).to_be_visible()

    # The analytics dashboard: figures and three Chart.js charts.
    page.get_by_role("link", name="Analytics").click()
    expect(page.locator(".kpis")).to_contain_text("Orders")
    for chart in page.locator(".chart canvas").all():
        # Chart.js sizes every canvas it draws on.
        expect(chart).to_have_attribute("style", re.compile("display: block"))
    expect(page.locator(".chart canvas")).to_have_count(3)
    shop.shot("analytics")
    shop.check_a11y("admin-analytics")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
