"""The French catalogue is compiled and committed, so a fresh machine needs no gettext."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _key(value):
    # Plural entries come as lists (singular and plural forms).
    return tuple(value) if isinstance(value, list | tuple) else value


def test_every_catalogue_is_compiled_from_its_current_po_file():
    for po_path in LOCALE.glob("*/LC_MESSAGES/django.po"):
        with po_path.open("rb") as handle:
            source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id and not m.fuzzy}
        with po_path.with_suffix(".mo").open("rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        assert compiled == {key: value for key, value in source.items() if value}, (
            f"{po_path} changed since it was compiled: run `make messages`"
        )


def test_every_french_message_is_translated():
    with (LOCALE / "fr" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        untranslated = [m.id for m in read_po(handle) if m.id and not m.string]
    assert untranslated == []
