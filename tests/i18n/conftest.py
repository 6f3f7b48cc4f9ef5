import pytest
from flask_babel import force_locale, gettext


@pytest.fixture
def zh(app):
    """The catalogue's Chinese for a message, as a zh_Hans reader sees it (the catalogue is the reference)."""

    def translate(msgid: str, **values) -> str:
        with app.test_request_context(), force_locale("zh_Hans"):
            text = str(gettext(msgid, **values))
        assert text != msgid % values if values else text != msgid, f"{msgid!r} has no Chinese translation"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        return text

    return translate
