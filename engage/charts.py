"""Server-side SVG charts where people compare: pure functions returning SVG text.

No JavaScript and no external resources, so the same markup works in pages and in WeasyPrint PDFs.
Every chart has a <title> and an aria-label saying its numbers in words, and is drawn inside its own
viewBox with room for every label (nothing is clipped; CSS scales it down on a phone).
"""

from functools import lru_cache
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from markupsafe import escape as escape_markup

# Ratings from "not relevant" (warm) to "extremely relevant" (cool); all pass 3:1 against white.
SCALE_COLOURS = ["#b42318", "#c4571b", "#8a6d1a", "#3b6fb6", "#1d4f91", "#123a6d", "#0b2a52"]
CANNOT_RATE_COLOUR = "#6b7280"
BAR_COLOUR = "#1f5fa8"
TEXT_COLOUR = "#1d2330"
STATUS_COLOURS = {
    "achieved": "#1b5e35",
    "on_track": "#1e6b3a",
    "at_risk": "#8a5a00",
    "off_track": "#b42318",
    "no_data": "#4b5563",
}


@lru_cache(maxsize=256)
def _attribute_name(keyword: str) -> str:
    return keyword.rstrip("_").replace("_", "-")


# Attribute-value normalisation turns these into spaces unless they are written as references.
_WHITESPACE_REFERENCES = str.maketrans({"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _attribute_value(value) -> str:
    if type(value) in (int, float):
        return str(value)
    return _escaped(str(value))


@lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    """& < > " ' as references (markupsafe's C escape), newlines and tabs too; values repeat (colours, classes,
    coordinates), so each is escaped once."""
    text = str(escape_markup(text))
    return text.translate(_WHITESPACE_REFERENCES) if "\n" in text or "\r" in text or "\t" in text else text


def attrs(**values) -> str:
    """SVG attributes from keywords: `class_` → class, `stroke_width` → stroke-width; values escaped.

    (A rating page draws 300 bars of ~50 attributes each: xml.sax's quoteattr was a third of its time.)
    """
    return " ".join(f'{_attribute_name(k)}="{_attribute_value(v)}"' for k, v in values.items())


def el(tag: str, text: str | None = None, **values) -> str:
    """One SVG element; ``text`` is escaped."""
    opening = f"<{tag} {attrs(**values)}" if values else f"<{tag}"
    return f"{opening}/>" if text is None else f"{opening}>{escape(text)}</{tag}>"


def svg_open(css_class: str, width: int, height: int, **extra) -> str:
    values = attrs(class_=css_class, width=width, height=height, viewBox=f"0 0 {width} {height}", role="img", **extra)
    return f'<svg xmlns="http://www.w3.org/2000/svg" {values}>'


def _titled(css_class: str, width: int, height: int, title: str) -> list[str]:
    return [svg_open(css_class, width, height, aria_label=title), el("title", title)]


@lru_cache(maxsize=64)
def _scale_legend(scale: tuple, left: int, legend_y: int) -> str:
    """The colour key under a distribution bar: the same for every item of a scale (a page draws hundreds)."""
    parts, lx = [], left
    for index, value in enumerate(scale):
        parts.append(el("rect", x=lx, y=legend_y - 9, width=10, height=10, fill=SCALE_COLOURS[index]))
        parts.append(el("text", str(value), x=lx + 13, y=legend_y, font_size=11, fill=TEXT_COLOUR))
        lx += 34
    return "".join(parts)


def distribution_bar(
    counts: dict,
    scale: list[int],
    *,
    agreeing: list[int],
    threshold_percent: float,
    cannot_rate: int = 0,
    own: int | str | None = None,
    width: int = 420,
) -> str:
    """One item's ratings as a 100 % bar, one segment per scale value, with the consensus line.

    The agreeing values (e.g. 4 and 5) sit at the right end; consensus is reached when their segments
    reach past the dashed line drawn at `threshold_percent` from the right. `own` (a value or
    "cannot") marks the viewer's own earlier answer. `counts` maps a value (int or str) to a count.
    """
    values = [int(counts.get(v, counts.get(str(v), 0)) or 0) for v in scale]
    total = sum(values) + cannot_rate
    agree = sum(n for v, n in zip(scale, values, strict=True) if v in agreeing)
    valid = sum(values)
    agree_pct = 100 * agree / valid if valid else 0.0
    spoken = ", ".join(f"{v}: {n}" for v, n in zip(scale, values, strict=True))
    if cannot_rate:
        spoken += ", " + _("cannot rate: %(n)d", n=cannot_rate)
    title = _(
        "Ratings %(counts)s; %(agree).0f %% agree, consensus needs %(threshold).0f %%.",
        counts=spoken,
        agree=agree_pct,
        threshold=threshold_percent,
    )
    left, bar_y, bar_h, height = 8, 18, 26, 92
    inner = width - 2 * left
    parts = _titled("distribution-bar", width, height, title)
    x = float(left)
    segments = list(zip(scale, values, strict=True)) + ([("cannot", cannot_rate)] if cannot_rate else [])
    for index, (value, n) in enumerate(segments):
        share = n / total if total else 0
        w = round(inner * share, 2)
        colour = CANNOT_RATE_COLOUR if value == "cannot" else SCALE_COLOURS[index % len(SCALE_COLOURS)]
        if w > 0:
            parts.append(el("rect", x=round(x, 2), y=bar_y, width=w, height=bar_h, fill=colour, data_value=value,
                            data_count=n))  # fmt: skip
            if w >= 18:
                parts.append(el("text", str(n), x=round(x + w / 2, 2), y=bar_y + 17, fill="#fff", font_size=12,
                                text_anchor="middle", font_weight="bold"))  # fmt: skip
        if own is not None and str(own) == str(value):
            mid = round(x + max(w, 0) / 2, 2)
            parts.append(el("path", d=f"M{mid - 5},{bar_y + bar_h + 10} l5,-7 l5,7 z", fill=TEXT_COLOUR,
                            class_="own-answer"))  # fmt: skip
            parts.append(el("text", _("your answer"), x=mid, y=bar_y + bar_h + 22, font_size=11,
                            text_anchor="middle", fill=TEXT_COLOUR, class_="own-answer"))  # fmt: skip
        x += w
    if total:
        line_x = round(left + inner * (1 - threshold_percent / 100) * (valid / total), 2)
        parts.append(el("line", x1=line_x, y1=bar_y - 6, x2=line_x, y2=bar_y + bar_h + 4, stroke=TEXT_COLOUR,
                        stroke_width=2, stroke_dasharray="4 2", class_="consensus-line"))  # fmt: skip
        parts.append(el("text", _("consensus %(t).0f %%", t=threshold_percent), x=line_x, y=bar_y - 8,
                        font_size=11, text_anchor="middle", fill=TEXT_COLOUR))  # fmt: skip
    else:
        parts.append(el("text", _("No ratings."), x=left, y=bar_y + 17, font_size=12, fill=TEXT_COLOUR))
    parts.append(_scale_legend(tuple(scale), left, height - 6))
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, limit: int) -> list[str]:
    """Words on lines of at most `limit` characters (a long word keeps its own line): SVG has no wrapping."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_list(
    rows: list[tuple[str, float | None, str]],
    *,
    title: str,
    maximum: float = 100.0,
    marker: float | None = None,
    colours: list[str] | None = None,
    width: int = 300,
) -> str:
    """Horizontal bars, one per (label, value, value text) row: "label — value text" on the lines above the
    full-width bar, wrapped so no text is cut.

    A missing value (None) is drawn as an empty bar with its text (e.g. "no panel yet"). `marker` draws a
    dashed reference line (e.g. the 70 % consensus threshold) at that value.
    """
    line_h, bar_h, gap = 15, 12, 10
    per_line = max(width // 7, 10)  # about 7 px per character at 12 px
    blocks = [(_wrap(f"{label} — {text}", per_line), value) for label, value, text in rows]
    height = 4 + sum(len(lines) * line_h + bar_h + gap for lines, _v in blocks) + (14 if marker is not None else 0)
    height = max(height, 24)
    parts = _titled("bar-list", width, height, title)
    y = 4
    bar_tops = []
    for index, (lines, value) in enumerate(blocks):
        for line in lines:
            y += line_h
            parts.append(el("text", line, x=0, y=y - 3, font_size=12, fill=TEXT_COLOUR))
        w = 0 if value is None or not maximum else round(width * min(max(value, 0), maximum) / maximum, 2)
        colour = colours[index] if colours else BAR_COLOUR
        parts.append(el("rect", x=0, y=y, width=width, height=bar_h, fill="#e8edf3"))
        if w:
            parts.append(el("rect", x=0, y=y, width=w, height=bar_h, fill=colour))
        bar_tops.append(y)
        y += bar_h + gap
    if not rows:
        parts.append(el("text", _("Nothing to show yet."), x=0, y=16, font_size=12, fill=TEXT_COLOUR))
    if marker is not None and maximum and bar_tops:
        mx = round(width * marker / maximum, 2)
        parts.append(el("line", x1=mx, y1=bar_tops[0] - 2, x2=mx, y2=y, stroke=TEXT_COLOUR, stroke_width=1.5,
                        stroke_dasharray="4 2", class_="marker-line"))  # fmt: skip
        parts.append(el("text", f"{marker:g} %", x=min(mx, width - 20), y=y + 10, font_size=11, text_anchor="middle",
                        fill=TEXT_COLOUR))  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)
