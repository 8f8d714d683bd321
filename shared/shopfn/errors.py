"""The one error type: anything a function refuses becomes an RFC 9457 problem+json answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """Raise it anywhere in a function; the web adapter renders it as problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or _TITLES.get(status, "Error").lower().replace(" ", "-")
        self.headers = dict(headers or {})
        self.extra = extra

    @property
    def title(self) -> str:
        return _TITLES.get(self.status, "Error")

    def to_problem(self, instance: str = "", request_id: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://shopfn.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if request_id:
            body["requestId"] = request_id
        body.update(self.extra)
        return body


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found", code="not-found")


def conflict(detail: str) -> ApiError:
    return ApiError(409, detail, code="conflict")


def forbidden(detail: str = "you may not do this") -> ApiError:
    return ApiError(403, detail, code="forbidden")


def unauthorized(detail: str = "authentication required") -> ApiError:
    return ApiError(401, detail, code="unauthorized", headers={"WWW-Authenticate": "Bearer"})
