"""The gateway serves each frontend's build under its base path, pages fall back to index.html,
and the API and the gateway's own routes are never taken over."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest

from shopfn.emulator.frontends import register_frontends, resolve


@pytest.fixture
def builds(tmp_path: Path) -> Path:
    for app in ("alpine", "svelte"):  # preact and solid are "not built"
        (tmp_path / app / "dist" / "assets").mkdir(parents=True)
        (tmp_path / app / "dist" / "index.html").write_text(f"<title>{app}</title>")
        (tmp_path / app / "dist" / "assets" / "index-abc.js").write_text(f"/* {app} */")
    return tmp_path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("alpine", "index.html")),
        ("/products/p1", ("alpine", "index.html")),
        ("/assets/index-abc.js", ("alpine", "assets/index-abc.js")),
        ("/svelte", ("svelte", "index.html")),
        ("/svelte/orders/o1", ("svelte", "index.html")),
        ("/svelte/assets/index-abc.js", ("svelte", "assets/index-abc.js")),
        ("/sveltekit", ("alpine", "index.html")),  # not under /svelte/
    ],
)
def test_pages_and_files_of_each_app(builds: Path, path: str, expected: tuple[str, str]) -> None:
    found = resolve(builds, path)
    assert found is not None
    dist, name = found
    assert (dist.parent.name, name) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/api/products",
        "/api",
        "/_shopfn",
        "/healthz",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/assets/missing-123.js",  # a missing asset is a 404, never the page
        "/../../etc/passwd",
        "/svelte/../../secret.txt",
        "/preact/",  # not built
        "/solid/cart",
    ],
)
def test_what_no_frontend_answers(builds: Path, path: str) -> None:
    assert resolve(builds, path) is None


def test_the_gateway_app_serves_builds_before_its_catch_all(builds: Path) -> None:
    app = flask.Flask("gateway-test")
    register_frontends(app, builds)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
    @app.route("/<path:path>", methods=["GET", "POST"])
    def api(path: str) -> tuple[str, int]:
        return f"api:{path}", 404

    client = app.test_client()

    def get(path: str, method: str = "GET") -> tuple[int, str, dict[str, str]]:
        # Closed at once: a served file stays open until its response is.
        with client.open(path, method=method) as resp:
            return resp.status_code, resp.text, dict(resp.headers)

    status, text, headers = get("/svelte/search?q=shoe")
    assert (status, text) == (200, "<title>svelte</title>")
    assert headers["Cache-Control"] == "no-cache"
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    # Alpine evaluates its expressions with `new Function`: only its pages allow eval.
    assert "'unsafe-eval'" in get("/")[2]["Content-Security-Policy"]
    status, text, headers = get("/svelte/assets/index-abc.js")
    assert (status, text) == (200, "/* svelte */")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert get("/api/products")[1] == "api:api/products"
    assert get("/cart", "POST")[1] == "api:cart"  # pages are GET only
    assert get("/healthz")[1] == "ok"
