"""The interface languages: which one a request is answered in, and how each is named.

A language has a short code, stored on accounts, invitations and export jobs ("en", "zh"), and a Babel
locale, which names its catalogue and its CLDR data: Simplified Chinese is `zh_Hans` (the catalogue in
engage/translations/zh_Hans), written `zh-Hans` in HTML `lang` and in `Content-Language`.

A page is in the language of, in order: the `lang` cookie the switcher writes (anonymous visitors
included), the signed-in account's preference (a bearer token's owner for the API), the browser's
Accept-Language, English. The switcher writes both the cookie and, when signed in, the account's
preference, so e-mails follow the choice too.
"""

from flask import Blueprint, Flask, Response, current_app, has_request_context, redirect, request
from flask_babel import get_locale
from flask_login import current_user

bp = Blueprint("language", __name__)

# Each language's own name for itself: the switcher shows them so, whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
BABEL_LOCALES = {"en": "en", "zh": "zh_Hans"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def language_code(value) -> str:
    """The short code of a locale or code ("zh_Hans", "zh-CN", Locale('zh') → "zh"); English otherwise."""
    text = str(value or "").replace("-", "_").lower()
    return "zh" if text.split("_")[0] == "zh" else "en"


def babel_locale(value) -> str:
    """The Babel locale (catalogue) of a language code or locale: "zh" → "zh_Hans"."""
    return BABEL_LOCALES[language_code(value)]


def html_lang(value=None) -> str:
    """The BCP 47 tag for `lang` attributes and Content-Language: "zh-Hans" or "en"."""
    return babel_locale(get_locale() if value is None else value).replace("_", "-")


def current_language() -> str:
    return language_code(get_locale())


def select_locale() -> str:
    if not has_request_context():
        return babel_locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGE_NAMES:
        return babel_locale(cookie)
    if current_user and current_user.is_authenticated:
        return babel_locale(current_user.locale)
    best = request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans", "zh-SG"])
    return babel_locale(best or "en")


def _content_language(response: Response) -> Response:
    if response.mimetype in ("text/html", "application/json", "application/problem+json", "text/plain", "text/csv"):
        response.headers.setdefault("Content-Language", html_lang())
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    return response


@bp.post("/language")
def switch():
    """The language switcher's form (on every page): the cookie, and the account's preference when signed in."""
    from flask_babel import gettext as _

    from engage.errors import ValidationError
    from engage.extensions import db
    from engage.links import safe_next

    code = request.form.get("language", "")
    if code not in LANGUAGE_NAMES:
        message = _("Choose English or Chinese.")
        raise ValidationError(message, errors={"language": [message]})
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    response = redirect(safe_next(request.form.get("next")), 303)
    secure = current_app.config.get("SESSION_COOKIE_SECURE", False)
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=secure, httponly=True)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_content_language)
    app.jinja_env.globals.update(html_lang=html_lang, language_names=LANGUAGE_NAMES, current_language=current_language)


def in_language(value):
    """`with in_language(user.locale):` — render in that language (a code or a locale), as Flask-Babel's
    force_locale does with a locale."""
    from flask_babel import force_locale

    return force_locale(babel_locale(value))
