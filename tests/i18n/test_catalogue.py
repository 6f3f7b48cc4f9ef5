"""The Simplified Chinese catalogue is complete: every message the code and templates can show is
translated, none is fuzzy, every translation carries its msgid's placeholders and tags, and the compiled
catalogue the app reads is the one made from the .po (run `make messages` after changing strings)."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from engage.translations.checks import problems

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "engage/translations/zh_Hans/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")


def _extracted(with_files: bool = False):
    """What `make messages` extracts, with the same babel.cfg and keywords."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None, "lazy_gettext": None}
    found, files = set(), set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
        files.add(filename)
    return (found, files) if with_files else found


def test_every_template_with_strings_is_extracted():
    """Babel's Jinja extractor skips a template it cannot parse without a word (e.g. `{% do %}` without
    the extension in babel.cfg): each template that calls gettext must give messages."""
    _found, files = _extracted(with_files=True)
    calling = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and "_(" in path.read_text(encoding="utf-8")
    }
    assert len(calling) > 50
    assert sorted(calling - files) == []


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with open(PO, "rb") as handle:
        return read_po(handle)


def test_every_extracted_message_is_in_the_catalogue(catalogue):
    extracted = _extracted()
    assert len(extracted) > 1000  # the extraction really read the code and the templates
    in_catalogue = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue if m.id}
    missing = sorted(extracted - in_catalogue)
    assert missing == [], f"{len(missing)} messages are not in the catalogue (run make messages): {missing[:20]}"


def test_every_message_is_translated_not_fuzzy_and_keeps_its_placeholders(catalogue):
    found = problems(catalogue)
    assert found == [], "\n".join(found[:40])


def test_the_translations_are_chinese(catalogue):
    """A catalogue of English copied over would pass the checks above; most translations have CJK text."""
    strings = [m.string if isinstance(m.string, str) else m.string[0] for m in catalogue if m.id]
    chinese = [s for s in strings if any("\u4e00" <= ch <= "\u9fff" for ch in s)]
    assert len(chinese) / len(strings) > 0.95, len(chinese) / len(strings)


def test_the_compiled_catalogue_is_made_from_the_po(catalogue):
    assert MO.exists(), "the catalogue is not compiled: run make install (or make messages)"
    with open(MO, "rb") as handle:
        compiled = read_mo(handle)

    def key(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    expected = {key(m.id): key(m.string) for m in catalogue if m.id and not m.fuzzy}
    got = {key(m.id): key(m.string) for m in compiled if m.id}
    stale = [i for i in expected if got.get(i) != expected[i]]
    assert stale == [], f"{len(stale)} messages differ in the compiled catalogue (run make messages): {stale[:5]}"


def _catalogue_of(*messages) -> Catalog:
    catalog = Catalog(locale="zh_Hans")
    for msgid, string, flags in messages:
        catalog.add(msgid, string, flags=flags)
    return catalog


def test_the_checks_find_untranslated_fuzzy_and_placeholder_mistakes():
    found = problems(
        _catalogue_of(
            ("Round %(n)d", "第 %(n)d 轮", ()),
            ("Sign in", "", ()),
            ("Workshops", "研讨会", ("fuzzy",)),
            ("%(done)d of %(all)d", "%(all)d 中的 %(done)s", ("python-format",)),
            ("Open {zone}", "打开", ()),
            ("<strong>Note</strong>: read", "注意：阅读", ()),
            (("%(num)d unread", "%(num)d unread"), ("%(num)d 条未读",), ()),
        )
    )
    assert [line.split("'")[1] for line in found] == [
        "Sign in",
        "Workshops",
        "%(done)d of %(all)d",
        "Open {zone}",
        "<strong>Note</strong>: read",
    ]
