"""CSV written for spreadsheets: cells that would run as formulas stay text."""

import csv
import io


def csv_safe(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; prefix them so they stay text."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(header, rows) -> str:
    """A CSV document, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()
