"""The small bar chart of a distribution on the rating page: server-side SVG, drawn in Python.

A round's rating page shows one per carried item — hundreds on a large survey — so it is a function
returning markup rather than a template macro (each macro call copies the whole template context).
Presentation attributes only (fill, font-size): no inline style, which the pages' CSP would block.
"""

from markupsafe import Markup, escape

BAR, OWN = "#2563eb", "#c2410c"


def distribution_chart(stats: dict, scale: list[int], own: dict | None, label: str, you: str) -> Markup:
    """Bars for each scale value ({value: count} in `stats["distribution"]`), the viewer's own earlier
    answer (`own["value"]`) marked in another colour and with `you`; `label` names the chart."""
    counts = {value: stats["distribution"].get(str(value), 0) for value in scale}
    top = max(max(counts.values(), default=0), 1)
    width = 36 * len(scale)
    summary = ", ".join(f"{value} = {count}" for value, count in counts.items())
    parts = [
        f'<svg class="delphi-chart" role="img" width="{width}" height="96" viewBox="0 0 {width} 96" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}: {summary}</title>",
    ]
    for index, (value, count) in enumerate(counts.items()):
        height = round(60 * count / top)
        mine = own is not None and own.get("value") == value
        x = index * 36
        parts += [
            f'<rect x="{x + 6}" y="{70 - height}" width="24" height="{height}" fill="{OWN if mine else BAR}"></rect>',
            f'<text x="{x + 18}" y="{66 - height}" font-size="10" text-anchor="middle">{count}</text>',
            f'<text x="{x + 18}" y="84" font-size="11" text-anchor="middle">{value}</text>',
        ]
        if mine:
            mark = f'<text x="{x + 18}" y="95" font-size="9" text-anchor="middle" class="own-answer">'
            parts.append(f"{mark}▲ {escape(you)}</text>")
    parts.append("</svg>")
    return Markup("\n".join(parts))
