"""marshmallow's validation messages, translated when shown (one validation system, every language).

marshmallow formats some messages when a schema class is defined, long before anyone's language is
known, so messages are templates that are translated and filled in only when turned into text.
"""

from flask import has_app_context
from flask_babel import gettext
from marshmallow import Schema, fields, validate


class _Message(str):
    """An English message that remembers its message id and values, to be translated when shown.

    It is a str because marshmallow passes messages around as strings; `translate` turns it into
    the reader's language at the one place errors leave the application.
    """

    def __new__(cls, msgid: str, values: dict | None = None):
        values = values or {}
        try:
            text = msgid.format(**values)
        except (KeyError, IndexError):
            text = msgid
        message = super().__new__(cls, text)
        message.msgid, message.values = msgid, values
        return message

    def format(self, *args, **values) -> "_Message":
        return _Message(self.msgid, {**self.values, **values})

    def translated(self) -> str:
        try:
            return gettext(self.msgid).format(**self.values)
        except (KeyError, IndexError):
            return str(self)


def N_(msgid: str) -> _Message:  # noqa: N802 - the conventional marker that pybabel extracts
    return _Message(msgid)


def install() -> None:
    fields.Field.default_error_messages.update(
        {
            "required": N_("This field is required."),
            "null": N_("This field may not be empty."),
            "validator_failed": N_("This value is not valid."),
        }
    )
    fields.String.default_error_messages.update({"invalid": N_("Enter text."), "invalid_utf8": N_("Enter text.")})
    fields.Integer.default_error_messages.update({"invalid": N_("Enter a whole number.")})
    fields.Number.default_error_messages.update(
        {"invalid": N_("Enter a number."), "too_large": N_("This number is too large.")}
    )
    fields.Boolean.default_error_messages.update({"invalid": N_("Enter true or false.")})
    for cls in (fields.DateTime, fields.AwareDateTime, fields.NaiveDateTime):
        cls.default_error_messages.update(
            {
                "invalid": N_("Enter a date and time such as 2027-03-01T10:00."),
                "invalid_awareness": N_("Enter a date and time such as 2027-03-01T10:00."),
            }
        )
    fields.Enum.default_error_messages.update({"unknown": N_("Choose one of: {choices}.")})
    fields.List.default_error_messages.update({"invalid": N_("Enter a list.")})
    fields.Nested.default_error_messages.update({"type": N_("Enter an object.")})
    Schema._default_error_messages = {"type": N_("Send an object."), "unknown": N_("This field is not accepted.")}
    validate.Length.message_min = N_("Enter at least {min} characters or items.")
    validate.Length.message_max = N_("Enter at most {max} characters or items.")
    validate.Length.message_all = N_("Enter between {min} and {max} characters or items.")
    validate.Length.message_equal = N_("Enter exactly {equal} characters or items.")
    validate.Range.message_min = N_("Must be at least {min}.")
    validate.Range.message_max = N_("Must be at most {max}.")
    validate.Range.message_all = N_("Must be between {min} and {max}.")
    validate.OneOf.default_message = N_("Choose one of: {choices}.")


def translate(messages):
    """Validation messages (str, list or dict of them) in the reader's language."""
    if isinstance(messages, _Message):
        return messages.translated() if has_app_context() else str(messages)
    if isinstance(messages, dict):
        return {key: translate(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [translate(value) for value in messages]
    return messages
