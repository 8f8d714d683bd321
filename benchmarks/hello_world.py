"""The baseline: the smallest functions-framework HTTP function there is."""

from __future__ import annotations


def hello(request: object) -> str:
    return "hello"
