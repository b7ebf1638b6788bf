"""Server-rendered, accessible SVG bar charts (pure functions returning markup; no JavaScript)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from api.formatting import sv_number, sv_percent, sv_sek

__all__ = ["Series", "grouped_bars", "series", "stacked_bars", "sv_number", "sv_percent", "sv_sek"]

Number = int | float | Decimal
Formatter = Callable[[Number], str]

# Each colour has at least 4.5:1 contrast against white (WCAG 1.4.11 asks 3:1 for graphics),
# and the first two (blue, orange) stay apart for the common colour-vision deficiencies.
PALETTE = ("#1f5f99", "#b24a00", "#2e6b30", "#6b3fa0", "#5a5a5a")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CHAR_WIDTH = 7.2  # rough width of one character at 13 px, enough to size the label column
WIDTH = 720
BAR_AREA_MIN = 260
VALUE_ROOM = 110  # space to the right of the longest bar for its value label


@dataclass(frozen=True)
class Series:
    """One coloured part of every bar: its legend name and colour."""

    name: str
    color: str


def series(*names: str) -> list[Series]:
    """Series named `names`, coloured from the palette in order."""
    return [Series(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)]


def _f(value: Number | None) -> float:
    return 0.0 if value is None else max(0.0, float(value))


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, *, anchor: str = "start", weight: str | None = None,
          size: int = 13) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="#1a1a1a"{bold}>{escape(content)}</text>')


def _frame(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> str:
    t_id, d_id = f"{chart_id}-title", f"{chart_id}-desc"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
            f'role="img" aria-labelledby="{escape(t_id)} {escape(d_id)}" '
            f'viewBox="0 0 {WIDTH} {_num(height)}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" font-family="{FONT}">'
            f'<title id="{escape(t_id)}">{escape(title)}</title>'
            f'<desc id="{escape(d_id)}">{escape(desc)}</desc>'
            + "".join(body) + "</svg>")


def _legend(items: Sequence[Series], y: float) -> list[str]:
    out, x = [], 0.0
    for s in items:
        out.append(f'<rect x="{_num(x)}" y="{_num(y - 11)}" width="14" height="14" '
                   f'fill="{escape(s.color)}"/>')
        out.append(_text(x + 20, y, s.name))
        x += 20 + len(s.name) * CHAR_WIDTH + 24
    return out


def _empty(chart_id: str, title: str, desc: str) -> str:
    return _frame(chart_id, title, desc, 40, [_text(0, 24, "Inga uppgifter att visa.")])


def _layout(labels: Sequence[str]) -> tuple[float, float]:
    """Width of the label column and of the bar area."""
    label_w = min(260.0, max(60.0, max((len(s) for s in labels), default=0) * CHAR_WIDTH + 12))
    return label_w, max(BAR_AREA_MIN, WIDTH - label_w - VALUE_ROOM)


def stacked_bars(chart_id: str, title: str, desc: str, labels: Sequence[str],
                 parts: Sequence[Series], values: Sequence[Sequence[Number | None]], *,
                 fmt: Formatter = sv_number, total_fmt: Formatter | None = None) -> str:
    """Horizontal bars, one per label, each split into `parts`; the total is written after it.

    values[i][j] is label i's value for part j. Each segment has its own <title> so that a
    pointer or screen reader can name it; the visible total keeps the chart readable in print.
    """
    if not labels:
        return _empty(chart_id, title, desc)
    total_fmt = total_fmt or fmt
    label_w, area = _layout(labels)
    totals = [sum(_f(v) for v in row) for row in values]
    top = max(totals, default=0.0) or 1.0
    bar_h, gap, legend_h = 22, 10, 28
    body = _legend(parts, 14)
    y = legend_h
    for label, row, total in zip(labels, values, totals):
        body.append(_text(label_w - 8, y + bar_h * 0.7, label, anchor="end"))
        x = label_w
        for part, value in zip(parts, row):
            w = _f(value) / top * area
            if w > 0:
                body.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" '
                            f'height="{bar_h}" fill="{escape(part.color)}">'
                            f'<title>{escape(f"{label}, {part.name}: {fmt(value)}")}</title></rect>')
            x += w
        body.append(_text(x + 6, y + bar_h * 0.7, total_fmt(total)))
        y += bar_h + gap
    return _frame(chart_id, title, desc, y, body)


def grouped_bars(chart_id: str, title: str, desc: str, labels: Sequence[str],
                 groups: Sequence[Series], values: Sequence[Sequence[Number | None]], *,
                 fmt: Formatter = sv_number) -> str:
    """Horizontal bars grouped by label, one bar per series, each with its value written out.

    A missing value (None) draws no bar and is written as "–", so it is not mistaken for 0.
    """
    if not labels:
        return _empty(chart_id, title, desc)
    label_w, area = _layout(labels)
    top = max((_f(v) for row in values for v in row), default=0.0) or 1.0
    bar_h, inner, gap, legend_h = 16, 2, 14, 28
    body = _legend(groups, 14) if len(groups) > 1 else []
    y = legend_h if len(groups) > 1 else 4
    for label, row in zip(labels, values):
        block = len(groups) * (bar_h + inner) - inner
        body.append(_text(label_w - 8, y + block / 2 + 4.5, label, anchor="end"))
        for group, value in zip(groups, row):
            w = _f(value) / top * area
            if w > 0:
                body.append(f'<rect x="{_num(label_w)}" y="{_num(y)}" width="{_num(w)}" '
                            f'height="{bar_h}" fill="{escape(group.color)}">'
                            f'<title>{escape(f"{label}, {group.name}: {fmt(value)}")}</title></rect>')
            body.append(_text(label_w + w + 6, y + bar_h - 3.5, fmt(value), size=12))
            y += bar_h + inner
        y += gap - inner
    return _frame(chart_id, title, desc, y, body)
