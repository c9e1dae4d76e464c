"""Small charts as inline SVG, drawn on the server: no script, nothing fetched by the browser.

Every label passes through `escape`; colours come from CSS classes in app.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from markupsafe import Markup


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def stacked(parts: Sequence[dict], *, width: int = 300, height: int = 18, label: str = "") -> Markup:
    """One horizontal bar split into parts ({label, count, kind}); parts with no count are left out."""
    total = sum(p["count"] for p in parts)
    if not total:
        return Markup("")
    x = 0.0
    rects = []
    for p in parts:
        if not p["count"]:
            continue
        w = width * p["count"] / total
        rects.append(
            f'<rect class="k-{escape(p["kind"])}" x="{_fmt(x)}" y="0" width="{_fmt(w)}" height="{height}">'
            f"<title>{escape(p['label'])}: {p['count']} ({percent(p['count'] / total)})</title></rect>"
        )
        x += w
    return Markup(
        f'<svg class="chart stacked" viewBox="0 0 {width} {height}" width="100%" height="{height}" '
        f'preserveAspectRatio="none" role="img" aria-label="{escape(label)}">{"".join(rects)}</svg>'
    )


def percent(share: float) -> str:
    """A share as a whole percentage; a share above 0 that rounds to 0 is "<1%" (1 in 332 is not none),
    one below 1 that rounds to 100 is ">99%"."""
    value = round(100 * share)
    if value == 0 and share > 0:
        return "<1%"
    if value == 100 and share < 1:
        return ">99%"
    return f"{value}%"


def legend(parts: Sequence[dict]) -> Markup:
    """The key of a `stacked` bar: a swatch, the label, the count and the share of each part with a count."""
    total = sum(p["count"] for p in parts)
    items = [
        f'<li><span class="swatch k-{escape(p["kind"])}"></span>{escape(p["label"])}'
        f'<span class="count">{p["count"]} · {percent(p["count"] / total)}</span></li>'
        for p in parts
        if p["count"]
    ]
    return Markup(f'<ul class="mix chart-legend">{"".join(items)}</ul>') if items else Markup("")


def bars(
    rows: Sequence[tuple[str, int]],
    *,
    width: int = 420,
    bar: int = 18,
    label: str = "",
    links: Sequence[str] | None = None,
) -> Markup:
    """Horizontal bars with their labels on the left and values on the right; `links`: one URL per row,
    which the row's label links to (escaped)."""
    if not rows:
        return Markup("")
    top = max(v for _, v in rows) or 1
    text_w, gap = 150, 6
    room = width - text_w - 36
    height = len(rows) * (bar + gap)
    items = []
    for i, (name, value) in enumerate(rows):
        y = i * (bar + gap)
        w = max(1.0, room * value / top)
        short = name if len(name) <= 26 else name[:25] + "…"
        text = (
            f'<text class="label" x="{text_w - 6}" y="{y + bar - 5}" text-anchor="end">{escape(short)}'
            f"<title>{escape(name)}</title></text>"
        )
        if links:
            text = f'<a href="{escape(links[i])}">{text}</a>'
        items.append(
            text
            + f'<rect class="bar" x="{text_w}" y="{y}" width="{_fmt(w)}" height="{bar}" rx="2"/>'
            + f'<text class="value" x="{_fmt(text_w + w + 4)}" y="{y + bar - 5}">{value}</text>'
        )
    return Markup(
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'role="img" aria-label="{escape(label)}">{"".join(items)}</svg>'
    )


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end and len(out) < 1200:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def timeline(counts: dict[str, int], *, width: int = 420, height: int = 130, label: str = "") -> Markup:
    """Columns per month (keys YYYY-MM or YYYY-MM-DD), gaps filled with zero months."""
    monthly: dict[str, int] = {}
    for day, n in counts.items():
        if day and len(day) >= 7 and day[:4].isdigit() and day[5:7].isdigit():
            monthly[day[:7]] = monthly.get(day[:7], 0) + n
    if not monthly:
        return Markup("")
    months = months_between(min(monthly), max(monthly))
    top = max(monthly.values())
    base, left = height - 20, 28
    step = (width - left) / len(months)
    items = [
        f'<line class="axis" x1="{left}" y1="{base}" x2="{width}" y2="{base}"/>',
        f'<text class="value" x="{left - 4}" y="12" text-anchor="end">{top}</text>',
        f'<text class="value" x="{left - 4}" y="{base}" text-anchor="end">0</text>',
    ]
    every = max(1, -(-len(months) // 6))  # at most six month labels
    for i, month in enumerate(months):
        n = monthly.get(month, 0)
        h = (base - 8) * n / top
        x = left + i * step
        if n:
            items.append(
                f'<rect class="bar" x="{_fmt(x + step * 0.15)}" y="{_fmt(base - h)}" '
                f'width="{_fmt(step * 0.7)}" height="{_fmt(h)}"><title>{month}: {n}</title></rect>'
            )
        if i % every == 0:
            items.append(
                f'<text class="label" x="{_fmt(x + step / 2)}" y="{height - 4}" text-anchor="middle">{month}</text>'
            )
    return Markup(
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'role="img" aria-label="{escape(label)}">{"".join(items)}</svg>'
    )


def appearances(rows: Sequence[dict], *, width: int = 640, lane: int = 26, label: str = "") -> Markup:
    """A statement's timeline: one lane per outlet (in order of first appearance), a dot per appearance
    at its date (filled: a quotation; hollow: a paraphrase; ringed: its words changed), undated ones in a
    column of their own at the right.  Rows: {n, publisher, published (YYYY-MM-DD or None), type, changed}."""
    if not rows:
        return Markup("")
    lanes: dict[str, int] = {}
    for r in rows:
        lanes.setdefault(r.get("publisher") or "—", len(lanes))
    days = sorted({_day(r.get("published")) for r in rows} - {None})
    left, right, top = 150, 56 if any(_day(r.get("published")) is None for r in rows) else 16, 8
    height = top + lane * len(lanes) + 22
    span = max(1, (days[-1] - days[0]).days) if days else 1
    room = width - left - right - 12

    def x_of(r: dict) -> float:
        day = _day(r.get("published"))
        if day is None:
            return width - right / 2
        return left + 6 + (room * (day - days[0]).days / span if len(days) > 1 else room / 2)

    items = [f'<line class="axis" x1="{left}" y1="{height - 20}" x2="{width}" y2="{height - 20}"/>']
    for name, i in lanes.items():
        y = top + i * lane + lane / 2
        short = name if len(name) <= 24 else name[:23] + "…"
        items.append(f'<text class="label" x="{left - 8}" y="{_fmt(y + 4)}" text-anchor="end">{escape(short)}</text>')
        items.append(f'<line class="axis" x1="{left}" y1="{_fmt(y)}" x2="{width}" y2="{_fmt(y)}"/>')
    for r in rows:
        x, y = x_of(r), top + lanes[r.get("publisher") or "—"] * lane + lane / 2
        quoted = r.get("type") in ("direct", "mixed")
        fill = "#3b82f6" if quoted else "#ffffff"
        ring = ' stroke="#dc2626" stroke-width="3"' if r.get("changed") else ' stroke="#3b82f6" stroke-width="2"'
        tip = f"{r.get('n')}. {r.get('publisher') or '—'}, {r.get('published') or 'no date'}, {r.get('type')}"
        items.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="7" fill="{fill}"{ring}><title>{escape(tip)}</title></circle>'
        )
    if days:
        items.append(f'<text class="value" x="{left + 6}" y="{height - 6}">{days[0].isoformat()}</text>')
        if len(days) > 1:
            end = f'<text class="value" x="{width - right - 6}" y="{height - 6}" text-anchor="end">'
            items.append(f"{end}{days[-1].isoformat()}</text>")
    if right > 16:
        undated = f'<text class="value" x="{width - right / 2}" y="{height - 6}" text-anchor="middle">'
        items.append(f"{undated}no date</text>")
    return Markup(
        f'<svg class="chart appearances" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'role="img" aria-label="{escape(label)}">{"".join(items)}</svg>'
    )


def _day(value: object) -> date | None:
    """A YYYY-MM-DD value as a date, or None (no date, or not a date)."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
