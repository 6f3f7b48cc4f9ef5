"""Links that leave the application (invitation e-mails, calendar subscriptions) use ENGAGE_BASE_URL.

The request's own Host header is not trusted for them: behind a proxy it is an internal address,
and a forged Host would put an attacker's domain into a secret link.
"""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    base = current_app.config["ENGAGE_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Scheduled jobs run without a request: the path comes from the URL map alone.
    return base + current_app.url_map.bind("engage.invalid", script_name="/").build(endpoint, values)
