"""The architecture diagram, drawn from the registry as a self-contained SVG.

Three columns: event types on the left, domains (their functions grouped) in the middle, stores
on the right. A blue arrow runs from a domain to each event it emits, a green one from each
event to the domains that consume it, a grey line from a domain to each store it uses. Drawn
here, in plain SVG, so the docs need no JavaScript renderer and no network to show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

from shopfn.registry import FunctionSpec

ROW = 22
TOP = 56
EVENT_X, EVENT_W = 10, 300
DOMAIN_X, DOMAIN_W = 470, 190
STORE_X, STORE_W = 820, 130
EMIT_COLOUR = "#1565c0"
CONSUME_COLOUR = "#2e7d32"
STORE_COLOUR = "#9e9e9e"


@dataclass
class Domain:
    """What the diagram shows of one domain: counts, events both ways, stores."""

    name: str
    routes: int = 0
    consumers: int = 0
    periodic: int = 0
    emits: set[str] = field(default_factory=set)
    consumes: set[str] = field(default_factory=set)
    stores: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> str:
        parts = [
            f"{n} {label}{'s' if n > 1 and label != 'periodic' else ''}"
            for n, label in (
                (self.routes, "route"),
                (self.consumers, "consumer"),
                (self.periodic, "periodic"),
            )
            if n
        ]
        return " · ".join(parts)


def domains(specs: Mapping[str, FunctionSpec]) -> dict[str, Domain]:
    """Group the registry by domain; a prefix consumer gets a note instead of 30 arrows."""
    out: dict[str, Domain] = {}
    for spec in specs.values():
        domain = out.setdefault(spec.domain, Domain(spec.domain))
        domain.emits.update(spec.emits)
        domain.stores.update(spec.stores)
        if spec.kind == "http":
            domain.routes += 1
        elif spec.kind == "periodic":
            domain.periodic += 1
        else:
            domain.consumers += 1
            if spec.sink:
                domain.notes.append("dead-letter sink")
            elif spec.prefix:
                domain.notes.append(f"consumes every {spec.event_type}* event")
            else:
                domain.consumes.add(spec.event_type)
    return dict(sorted(out.items()))


def _barycentre_order(items: Iterable[str], neighbours: Mapping[str, list[int]]) -> list[str]:
    """Sort items by the mean row of what they connect to: fewer crossing lines."""

    def key(item: str) -> tuple[float, str]:
        rows = neighbours.get(item, [])
        return (sum(rows) / len(rows) if rows else float("inf"), item)

    return sorted(items, key=key)


def _rows(names: list[str], height: float) -> dict[str, float]:
    """Centre `names` evenly over `height`: short columns are spread, not bunched at the top."""
    step = height / max(len(names), 1)
    return {name: TOP + step * (i + 0.5) for i, name in enumerate(names)}


def _box(x: float, y: float, w: float, h: float, lines: list[str], css: str) -> str:
    first = min(15.0, h / 2 + 4)  # one-line boxes: the text centred
    text = "".join(
        f'<text x="{x + 8}" y="{y + first + 13 * i:.1f}" class="{css if i == 0 else "small"}">'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    return (
        f'<rect x="{x}" y="{y:.1f}" width="{w}" height="{h}" rx="4" class="box"/>'
        f"<title>{escape(lines[0])}</title>{text}"
    )


def svg(specs: Mapping[str, FunctionSpec], event_types: Iterable[str]) -> str:
    """The diagram for `specs` and every event type known (emitted, consumed or with a schema)."""
    groups = domains(specs)
    domain_names = list(groups)
    domain_index = {name: i for i, name in enumerate(domain_names)}
    links: dict[str, list[int]] = {}
    for name, group in groups.items():
        for event in group.emits | group.consumes:
            links.setdefault(event, []).append(domain_index[name])
    events = _barycentre_order(set(event_types) | set(links), links)
    store_links: dict[str, list[int]] = {}
    for name, group in groups.items():
        for store in group.stores:
            store_links.setdefault(store, []).append(domain_index[name])
    stores = _barycentre_order(store_links, store_links)

    height = ROW * max(len(events), 1)
    event_y = _rows(events, height)
    domain_y = _rows(domain_names, height)
    store_y = _rows(stores, height)
    domain_h = 44

    parts: list[str] = []
    for name, group in groups.items():
        dy = domain_y[name]
        for store in sorted(group.stores):
            parts.append(
                f'<line x1="{DOMAIN_X + DOMAIN_W}" y1="{dy:.1f}" x2="{STORE_X}" '
                f'y2="{store_y[store]:.1f}" stroke="{STORE_COLOUR}"/>'
            )
        for event in sorted(group.emits):
            parts.append(
                f'<line x1="{DOMAIN_X}" y1="{dy - 4:.1f}" x2="{EVENT_X + EVENT_W}" '
                f'y2="{event_y[event] - 3:.1f}" stroke="{EMIT_COLOUR}" marker-end="url(#emit)"/>'
            )
        for event in sorted(group.consumes):
            parts.append(
                f'<line x1="{EVENT_X + EVENT_W}" y1="{event_y[event] + 3:.1f}" x2="{DOMAIN_X}" '
                f'y2="{dy + 4:.1f}" stroke="{CONSUME_COLOUR}" marker-end="url(#consume)"/>'
            )
    for event in events:
        parts.append(_box(EVENT_X, event_y[event] - 9, EVENT_W, 18, [event], "mono"))
    for name, group in groups.items():
        lines = [name, group.counts, *group.notes]
        h = max(domain_h, 13 * len(lines) + 8)
        parts.append(_box(DOMAIN_X, domain_y[name] - h / 2, DOMAIN_W, h, lines, "bold"))
    for store in stores:
        parts.append(_box(STORE_X, store_y[store] - 11, STORE_W, 22, [store], "bold"))

    width = STORE_X + STORE_W + 10
    total = TOP + height + 20
    header = (
        f'<text x="{EVENT_X}" y="24" class="bold">events</text>'
        f'<text x="{DOMAIN_X}" y="24" class="bold">domains (functions)</text>'
        f'<text x="{STORE_X}" y="24" class="bold">stores</text>'
        f'<text x="{EVENT_X}" y="42" class="small">'
        f'<tspan fill="{EMIT_COLOUR}">→ emits</tspan>   '
        f'<tspan fill="{CONSUME_COLOUR}">→ consumes</tspan>   '
        f'<tspan fill="{STORE_COLOUR}">— uses store</tspan></text>'
    )
    markers = "".join(
        f'<marker id="{mid}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
        f'markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>'
        for mid, colour in (("emit", EMIT_COLOUR), ("consume", CONSUME_COLOUR))
    )
    style = (
        "<style>text{font-family:sans-serif;font-size:11px;fill:#212121}"
        ".mono{font-family:monospace}.bold{font-weight:bold}.small{font-size:10px;fill:#555}"
        ".box{fill:#fafafa;stroke:#616161}line{stroke-width:1;opacity:.8}</style>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total:.0f}" '
        f'viewBox="0 0 {width} {total:.0f}" role="img" '
        f'aria-label="shopfn functions, events and stores">'
        f"{style}<defs>{markers}</defs>{header}{''.join(parts)}</svg>\n"
    )
