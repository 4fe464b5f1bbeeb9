"""Fill msgstr entries of a .po catalogue from Python dict files: `po_fill.py PO_FILE DICT_FILE...`.

DICT_FILE holds a module-level dict TRANSLATIONS = {"English msgid": "Dutch msgstr", ...}; plural
entries map to a list of forms. Prints msgids still untranslated afterwards.
"""

import runpy
import sys

import polib


def main() -> int:
    po_path, dict_paths = sys.argv[1], sys.argv[2:]
    translations: dict = {}
    for dict_path in dict_paths:
        translations.update(runpy.run_path(dict_path)["TRANSLATIONS"])
    po = polib.pofile(po_path)
    for entry in po:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = dict(enumerate(forms))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
