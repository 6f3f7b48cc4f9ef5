"""Checks a catalogue as the catalogue test does: every message translated, none fuzzy, and each
translation carrying exactly its msgid's placeholders (%(name)s / %s, {name}) and HTML tags.

Usable on its own: ``python -m engage.translations.checks engage/translations/zh_Hans/LC_MESSAGES/messages.po``.
"""

import re
import sys
from collections import Counter

PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE = re.compile(r"\{[^{}\s]*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")


def placeholders(text: str) -> Counter:
    found = Counter(p for p in PERCENT.findall(text) if p != "%%")
    found.update(BRACE.findall(text))
    found.update(f"<{t.lower()}>" for t in TAG.findall(text))
    return found


def problems(catalog) -> list[str]:
    """One line per message that is untranslated, fuzzy, or whose placeholders or tags differ."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        where = message.locations[0][0] if message.locations else "?"
        label = f"{where}: {ids[0]!r}"
        if message.fuzzy:
            found.append(f"{label} is fuzzy")
        if not all(s for s in strings):
            found.append(f"{label} is untranslated")
            continue
        # With one plural form (Chinese), the translation holds the plural's placeholders.
        expected = placeholders(ids[-1])
        for string in strings:
            if placeholders(string) != expected:
                found.append(
                    f"{label}: placeholders {sorted(expected)} but {sorted(placeholders(string))} in {string!r}"
                )
    return found


def main(paths: list[str]) -> int:
    from babel.messages.pofile import read_po

    status = 0
    for path in paths:
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for line in problems(catalog):
            print(line)
            status = 1
        print(f"{path}: {len(catalog)} messages checked")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
