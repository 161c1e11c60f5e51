"""Compile locale/*/LC_MESSAGES/django.po into .mo files with Babel.

Django's own `compilemessages` needs GNU gettext on the machine; Babel does the
same in pure Python, so a fresh machine can rebuild the catalogues. The .mo files
are committed (production needs no build step); a test checks they match the .po.
"""

import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compiled(po_path):
    """The bytes of the .mo file that `po_path` compiles to (fuzzy entries left out)."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main():
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po_path.with_suffix(".mo").write_bytes(compiled(po_path))
        print(f"compiled {po_path.relative_to(LOCALE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
