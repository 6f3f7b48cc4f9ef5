"""Links that leave the application (invitation e-mails, calendar subscriptions) use ENGAGE_BASE_URL.

The request's own Host header is not trusted for them: behind a proxy it is an internal address,
and a forged Host would put an attacker's domain into a secret link.
"""

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    return current_app.config["ENGAGE_BASE_URL"].rstrip("/") + url_for(endpoint, **values)
