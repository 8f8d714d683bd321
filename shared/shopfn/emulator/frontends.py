"""The gateway serves the four web frontends' builds (`frontends/<app>/dist`) beside the API.

Each app is a single-page app under its own base path: a request for one of its files gets the
file, any other page path gets its index.html (the app routes in the browser). `/api/*` and the
gateway's own routes are never touched. An app that has not been built is simply not served
(`make frontends` builds them).
"""

from __future__ import annotations

from pathlib import Path

import flask

from shopfn.config import settings

# Longest base first: /svelte/... belongs to the Svelte app, everything else to Alpine at `/`.
APPS: tuple[tuple[str, str], ...] = (
    ("/svelte", "svelte"),
    ("/preact", "preact"),
    ("/solid", "solid"),
    ("", "alpine"),
)
# Paths that are never a frontend page, even when no other route claims them.
RESERVED = ("/api", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")
# Pages may load only their own scripts and call only their own origin. Alpine.js evaluates its
# attribute expressions with `new Function`, so its app alone needs 'unsafe-eval'; Chart.js sets
# inline styles on its canvases.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'{eval}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def frontends_dir() -> Path:
    override = settings().get("FRONTENDS_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[3] / "frontends"


def _reserved(path: str) -> bool:
    # `/_…` is the gateway's own (status page, broker, traces); `..` never names a page.
    if path.startswith("/_") or ".." in path.split("/"):
        return True
    return any(path == p or path.startswith(p + "/") for p in RESERVED)


def resolve(root: Path, path: str) -> tuple[Path, str] | None:
    """(dist folder, file inside it) that answers `path`, or None when no frontend does."""
    if _reserved(path):
        return None
    for base, app in APPS:
        if path != base and not path.startswith(base + "/"):
            continue
        dist = root / app / "dist"
        if not (dist / "index.html").is_file():
            return None
        inner = path[len(base) :].lstrip("/")
        candidate = (dist / inner).resolve()
        if inner and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return dist, inner
        # A missing asset is a 404, not the page: a stale index.html must not be run as JS.
        if "." in inner.rsplit("/", 1)[-1]:
            return None
        return dist, "index.html"
    return None


def register_frontends(app: flask.Flask, root: Path | None = None) -> None:
    """Answer GET/HEAD for the frontends' paths before the API's catch-all route sees them."""

    @app.before_request
    def serve_frontend() -> flask.Response | None:
        request = flask.request
        if request.method not in ("GET", "HEAD"):
            return None
        # Routes the gateway declares itself (status page, health) keep their paths; only
        # what would fall to the API's catch-all route (`/`, `/<path:path>`) may be a page.
        rule = request.url_rule
        if rule is not None and "path" not in (rule.arguments or ()):
            return None
        # API paths leave before the folder is looked up (a realpath per request otherwise).
        if _reserved(request.path):
            return None
        found = resolve(root or frontends_dir(), request.path)
        if found is None:
            return None
        dist, name = found
        response = flask.send_from_directory(dist, name, max_age=0)
        # Hashed build assets never change; the page itself is always revalidated.
        if name.startswith("assets/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        eval_ok = " 'unsafe-eval'" if dist.parent.name == "alpine" else ""
        response.headers["Content-Security-Policy"] = PAGE_CSP.format(eval=eval_ok)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response
