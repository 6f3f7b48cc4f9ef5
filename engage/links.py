"""Links that leave the application (invitation e-mails, calendar subscriptions) use ENGAGE_BASE_URL.

The request's own Host header is not trusted for them: behind a proxy it is an internal address,
and a forged Host would put an attacker's domain into a secret link.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    base = current_app.config["ENGAGE_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Scheduled jobs run without a request: the path comes from the URL map alone.
    return base + current_app.url_map.bind("engage.invalid", script_name="/").build(endpoint, values)


# The largest id the `<int:…>` converter accepts: a marker no real path segment can contain by chance.
_MARKER = 999999999


def _maker(url: str):
    prefix, _marker, suffix = url.rpartition(str(_MARKER))
    return lambda value: f"{prefix}{int(value)}{suffix}"


def external_url_maker(endpoint: str, key: str):
    """`id -> external_url(endpoint, key=id)` for a list: the URL map is consulted once, not once per row."""
    return _maker(external_url(endpoint, **{key: _MARKER}))


def url_maker(endpoint: str, key: str):
    """`id -> url_for(endpoint, key=id)` for a list, built once."""
    return _maker(url_for(endpoint, **{key: _MARKER}))


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirects)."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target
