"""The emulator's trace view at `/_shopfn/traces`: recent traces as span waterfalls.

It reads the in-memory span buffer of `shopfn.tracing` (the in-process emulator's functions all
record there), so a developer sees one checkout's spans across every function it touched.
"""

from __future__ import annotations

from html import escape
from typing import Any

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}
h1{font-size:1.3rem}summary{cursor:pointer;padding:.3rem 0}code{font-size:12px}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}td,th{border-bottom:1px solid #eee;
padding:.15rem .4rem;text-align:left;font-size:13px}th{background:#f3f3f3}
.bar{position:relative;height:12px;background:#f6f6f6;min-width:240px}
.bar span{position:absolute;top:0;height:12px;background:#3d7bd9;min-width:2px}
.bar span.err{background:#c0392b}.err{color:#a40000;font-weight:600}.fn{color:#555}
"""


def _waterfall(trace: dict[str, Any]) -> str:
    total = max(float(trace["duration_ms"]), 0.001)
    depth: dict[str, int] = {}
    rows = []
    for span in trace["spans"]:
        level = depth.get(span["parent_id"], -1) + 1
        depth[span["span_id"]] = level
        left = 100 * float(span["offset_ms"]) / total
        width = max(100 * float(span["duration_ms"]) / total, 0.3)
        css = " class=err" if span["error"] else ""
        rows.append(
            "<tr>"
            f'<td style="padding-left:{0.4 + level * 1.2:.1f}rem">{escape(span["name"])}</td>'
            f"<td class=fn>{escape(span['function'])}</td><td>{escape(span['kind'])}</td>"
            f"<td>{span['offset_ms']:.1f}</td><td>{span['duration_ms']:.1f}</td>"
            f'<td><div class=bar><span{css} style="left:{left:.2f}%;width:{width:.2f}%">'
            "</span></div></td></tr>"
        )
    head = "<tr><th>span</th><th>function</th><th>kind</th><th>at ms</th><th>ms</th><th></th></tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def render_traces(traces: list[dict[str, Any]], opened: str = "") -> str:
    """The page: one collapsible waterfall per trace, newest first; `opened` starts expanded."""
    items = []
    for trace in traces:
        errors = f" <span class=err>{trace['errors']} error(s)</span>" if trace["errors"] else ""
        functions = ", ".join(trace["functions"]) or "-"
        is_open = " open" if trace["trace_id"] == opened else ""
        items.append(
            f"<details{is_open} id=t-{escape(trace['trace_id'])}><summary>"
            f"<b>{escape(trace['root'])}</b> — {len(trace['spans'])} spans, "
            f"{trace['duration_ms']:.1f} ms, functions: {escape(functions)}{errors} "
            f"<code>{escape(trace['trace_id'])}</code></summary>{_waterfall(trace)}</details>"
        )
    body = "".join(items) or "<p>no traces yet: call the API, then reload</p>"
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>shopfn traces</title><style>{_STYLE}</style></head><body>"
        f'<h1>Traces <small>(<a href="/_shopfn">status</a>, '
        '<a href="/_shopfn/traces.json">json</a>)</small></h1>'
        f"{body}</body></html>"
    )
