"""The interface languages: which one a request is answered in, and how each is named.

A language has a short code, stored on accounts, invitations and export jobs ("en", "zh"), and a Babel
locale, which names its catalogue and its CLDR data: Simplified Chinese is `zh_Hans` (the catalogue in
engage/translations/zh_Hans), written `zh-Hans` in HTML `lang` and in `Content-Language`.

A page is in the language of, in order: the `lang` cookie the switcher writes (anonymous visitors
included), the signed-in account's preference, the browser's Accept-Language, English. An API response
follows the request's Accept-Language, else the token owner's preference, else English. The switcher
writes both the cookie and, when signed in, the account's preference, so e-mails follow the choice too.

Consortium content is bilingual: English in a field's column, Chinese in `<field>_zh`; `localized()`
(the `tr` filter) shows the viewer's wording, else the other one marked "English original".
"""

from functools import lru_cache

from babel import Locale
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


def format_percent(value: float | None, digits: int = 1) -> str:
    """A percentage as the reader writes it: CLDR digits and grouping of the page's locale, and the
    catalogue's pattern for the sign ("72.5 %" in English, "72.5%" in Chinese); "—" for none."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal
    from flask_babel import gettext as _

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    number = format_decimal(value, format=pattern, locale=get_locale() or "en")
    return _("%(number)s %%", number=number)


def current_language() -> str:
    return language_code(get_locale())


def select_locale() -> str:
    if not has_request_context():
        return babel_locale(current_app.config["BABEL_DEFAULT_LOCALE"])
    best = request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans", "zh-SG"])
    if request.path.startswith("/api/") and best:
        # An API client names the language it wants per request; else the token owner's language.
        return babel_locale(best)
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGE_NAMES:
        return babel_locale(cookie)
    if current_user and current_user.is_authenticated:
        return babel_locale(current_user.locale)
    return babel_locale(best or "en")


@lru_cache(maxsize=16)
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


def request_locale() -> Locale:
    """Flask-Babel's locale selector: `select_locale()`, parsed once per locale name rather than on every request
    (Flask-Babel parses a string answer each time; a Locale it takes as it is)."""
    return _parsed(select_locale())


def _content_language(response: Response) -> Response:
    if response.mimetype in ("text/html", "application/json", "application/problem+json", "text/plain", "text/csv"):
        response.headers.setdefault("Content-Language", html_lang())
        response.vary.update(("Cookie", "Accept-Language"))
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
    # `{{ workshop|tr('title') }}`: content in the viewer's language (fallback marked);
    # `{{ action|tr_html('description_html') }}` for stored HTML.
    app.jinja_env.filters.update(tr=localized, tr_html=localized_html, tr_text=localized_text, pct=format_percent)


def in_language(value):
    """`with in_language(user.locale):` — render in that language (a code or a locale), as Flask-Babel's
    force_locale does with a locale."""
    from flask_babel import force_locale

    return force_locale(babel_locale(value))


# Bilingual content: English in a field's own column, Chinese in `<field>_zh`. A reader gets the wording
# of their language, else the other one, marked with its language ("English original").
CONTENT_LANGUAGES = ("en", "zh")


def content_column(field: str, language: str) -> str:
    return field if language == "en" else f"{field}_{language}"


class Localized(str):
    """A content text in the viewer's language, or the other language's as fallback.

    A str (so it sorts, compares and formats as its text) that knows its language: `language` is that of
    the text, `is_fallback` says it is not the viewer's. In a template it renders escaped, and a fallback
    is wrapped with its `lang` and followed by the "English original" / "Chinese original" marker.
    """

    language: str
    is_fallback: bool

    def __new__(cls, text: str, language: str, is_fallback: bool):
        value = super().__new__(cls, text)
        value.language, value.is_fallback = language, is_fallback
        return value

    def __html__(self) -> str:
        from markupsafe import Markup, escape

        if not self.is_fallback or not str(self):
            return str(escape(str(self)))
        return str(
            Markup('<span lang="{}">{}</span> <small class="original-language">({})</small>').format(
                html_lang(self.language), str(self), original_marker(self.language)
            )
        )


def original_marker(language: str) -> str:
    from flask_babel import gettext as _

    return _("English original") if language == "en" else _("Chinese original")


def _wording(obj, column: str) -> str:
    # Frozen content (approved minutes' snapshots) is a dict with the same keys as the columns.
    return (obj.get(column) if isinstance(obj, dict) else getattr(obj, column, "")) or ""


def localized(obj, field: str, language: str | None = None) -> Localized:
    """`obj.<field>` (or `obj[field]`) in the viewer's language (or `language`), else in the other, marked as
    fallback."""
    wanted = language_code(language) if language else current_language()
    order = [wanted] + [code for code in CONTENT_LANGUAGES if code != wanted]
    for code in order:
        text = _wording(obj, content_column(field, code))
        if text.strip():
            return Localized(text, code, code != wanted)
    return Localized("", wanted, False)


def localized_text(obj, field: str, language: str | None = None) -> str:
    """The wording as plain text, without markup: for `<title>`, attributes, calendar and CSV cells."""
    return str.__str__(localized(obj, field, language))


def localized_html(obj, field: str, language: str | None = None):
    """A stored, already sanitised HTML field (`description_html`, `body_html`) in the viewer's language;
    a fallback sits in a block carrying its `lang`, after its marker."""
    from markupsafe import Markup

    text = localized(obj, field, language)
    if not text.is_fallback:
        return Markup(str(text))
    return Markup('<div lang="{}"><p><small class="original-language">({})</small></p>{}</div>').format(
        html_lang(text.language), original_marker(text.language), Markup(str(text))
    )


def both_wordings(obj, field: str) -> dict[str, str]:
    """Each language's wording of a field ({"en": …, "zh": …}), for results, exports and reports."""
    return {code: _wording(obj, content_column(field, code)) for code in CONTENT_LANGUAGES}
