"""The emulator's status page at `/_shopfn`: functions, recent events, dead letters."""

from __future__ import annotations

import json
from html import escape
from typing import Any

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:12px}
.up{color:#0a6b0a;font-weight:600}.down{color:#777}.bad{color:#a40000;font-weight:600}
"""


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _state(fn: dict[str, Any]) -> str:
    state = str(fn.get("state", ""))
    css = "up" if state in ("up", "in-process") else "down"
    extra = f" ({fn['cold_start_ms']} ms cold start)" if fn.get("cold_start_ms") else ""
    return f'<span class="{css}">{escape(state)}</span>{escape(extra)}'


def render_status(status: dict[str, Any]) -> str:
    functions = [
        [
            f"<code>{escape(fn['name'])}</code>",
            escape(fn["kind"]),
            escape(fn.get("route") or fn.get("event") or ""),
            escape(fn.get("auth", "")),
            _state(fn),
        ]
        for fn in status["functions"]
    ]
    recent = [
        [
            escape(str(ev.get("time", ""))),
            f"<code>{escape(str(ev.get('type', '')))}</code>",
            escape(str(ev.get("subject", ""))),
            escape(
                ", ".join(
                    f"{d.get('subscriber')}: {d.get('status')} x{d.get('attempts')}"
                    for d in ev.get("deliveries", [])
                )
            ),
        ]
        for ev in reversed(status["events"][-50:])
    ]
    dead = [
        [
            f"<code>{escape(str(dl.get('id', '')))}</code>",
            f'<span class="bad">{escape(str(dl.get("reason", "")))}</span>',
            f"<code>{escape(json.dumps(dl.get('event', {}), default=str)[:400])}</code>",
            f'<form method="post" action="/_shopfn/dead-letters/{escape(str(dl.get("id", "")))}'
            '/replay"><button>replay</button></form>',
        ]
        for dl in status["dead_letters"]
    ]
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>shopfn emulator</title><style>{_STYLE}</style></head><body>"
        f"<h1>shopfn emulator — {escape(status['mode'])} mode</h1>"
        '<p><a href="/_shopfn/traces">Traces</a></p>'
        f"<h2>Functions ({len(functions)})</h2>"
        + _table(["function", "kind", "route / event", "role", "state"], functions, "none")
        + "<h2>Recent events</h2>"
        + _table(["time", "type", "subject", "deliveries"], recent, "no events yet")
        + f"<h2>Dead letters ({len(dead)})</h2>"
        + _table(["id", "reason", "event", ""], dead, "no dead letters")
        + "</body></html>"
    )
