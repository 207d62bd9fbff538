"""Compile the .po catalogues to .mo with polib, so no GNU gettext is needed to build."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent / "locale"


def main() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(LOCALE)}")


if __name__ == "__main__":
    main()
