"""Draws a cross-language trace as an SVG tree: one box per exported span
(service, span name, kind, span id, duration), an arrow from each parent to
its children, columns by depth. Drawn from the spans the steps exported, so
the picture shows what the SDKs really recorded."""

from __future__ import annotations

from html import escape
from typing import Dict, List, Tuple

COLORS = {"node": "#3c873a", "python": "#3572a5", "go": "#00add8", "c": "#555555", "rust": "#b7410e"}
BOX_W, BOX_H, COL_GAP, ROW_GAP, MARGIN, TOP = 250, 66, 70, 16, 20, 56


def _spans(docs: Dict[str, dict]) -> List[dict]:
    return [dict(span, service=service) for service, doc in docs.items() for span in doc["spans"]]


def _layout(spans: List[dict]) -> List[Tuple[dict, int, int]]:
    """(span, depth, row) in depth-first order from the roots."""
    by_parent: Dict[object, List[dict]] = {}
    ids = {s["span_id"] for s in spans}
    for s in spans:
        parent = s["parent_span_id"] if s["parent_span_id"] in ids else None
        by_parent.setdefault(parent, []).append(s)
    placed: List[Tuple[dict, int, int]] = []

    def visit(span: dict, depth: int) -> None:
        placed.append((span, depth, len(placed)))
        for child in sorted(by_parent.get(span["span_id"], []), key=lambda c: c["start_ns"]):
            visit(child, depth + 1)

    for root in sorted(by_parent.get(None, []), key=lambda c: c["start_ns"]):
        visit(root, 0)
    return placed


def waterfall(docs: Dict[str, dict]) -> str:
    placed = _layout(_spans(docs))
    where = {s["span_id"]: (d, r) for s, d, r in placed}
    depth = max((d for _, d, _ in placed), default=0)
    width = MARGIN * 2 + (depth + 1) * BOX_W + depth * COL_GAP
    height = TOP + len(placed) * (BOX_H + ROW_GAP) + MARGIN
    trace_ids = sorted({s["trace_id"] for s, _, _ in placed})

    def box_xy(d: int, r: int) -> Tuple[int, int]:
        return MARGIN + d * (BOX_W + COL_GAP), TOP + r * (BOX_H + ROW_GAP)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{MARGIN}" y="24" font-size="15" font-weight="bold">One trace through five languages</text>',
        f'<text x="{MARGIN}" y="42" fill="#444">trace id {escape(", ".join(trace_ids))} '
        f'(every span exported by its own SDK; arrows go from parent to child)</text>',
    ]
    for span, d, r in placed:
        parent = where.get(span["parent_span_id"])
        if parent:
            px, py = box_xy(*parent)
            x, y = box_xy(d, r)
            out.append(
                f'<path d="M{px + BOX_W},{py + BOX_H // 2} C{px + BOX_W + COL_GAP // 2},{py + BOX_H // 2} '
                f'{x - COL_GAP // 2},{y + BOX_H // 2} {x},{y + BOX_H // 2}" fill="none" stroke="#444" '
                f'marker-end="url(#a)"/>'
            )
    for span, d, r in placed:
        x, y = box_xy(d, r)
        color = COLORS.get(span["service"], "#888")
        ms = max(0, span["end_ns"] - span["start_ns"]) / 1e6
        out += [
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{color}" fill-opacity="0.12" '
            f'stroke="{color}" stroke-width="2"/>',
            f'<text x="{x + 10}" y="{y + 18}" font-weight="bold" fill="{color}">{escape(span["service"])}</text>',
            f'<text x="{x + 10}" y="{y + 36}">{escape(span["name"])} ({escape(span["kind"])})</text>',
            f'<text x="{x + 10}" y="{y + 54}" fill="#444">span {escape(span["span_id"])} · {ms:.2f} ms</text>',
        ]
    out.append("</svg>")
    return "\n".join(out) + "\n"
