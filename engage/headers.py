"""Security headers on every response: no MIME sniffing, no referrer outside the site, no framing, and a
Content-Security-Policy.

Pages get a policy that allows only the site's own files: scripts from static/engage.js (no inline
script, no on… handler attributes, no 'unsafe-inline'), styles from static/style.css — no inline styles
either: the server-side SVG charts use presentation attributes (fill, stroke), which CSP does not treat
as inline style, so style-src needs no 'unsafe-inline'. Everything else (JSON, CSV, SVG, PDF, iCalendar,
static files) gets a policy that allows nothing at all, so an SVG or a file opened directly runs no
script. Referrer-Policy same-origin: sign-up and calendar-feed links carry secrets in their path, which
must never reach another site in a Referer header.
"""

from flask import Flask, Response

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
RESOURCE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", PAGE_POLICY if response.mimetype == "text/html" else RESOURCE_POLICY)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_security_headers)
