"""One demo service: the fields every entry has, and the optional ones it may add."""

# slug, de name, en name, de summary, en summary, de description, fee kind, cents, categories,
# who provides it ("district" or "municipality"), LeiKa key, documents (de), office key; `form`: the
# slug of the online form (a template of platform/formlibrary/library.py, which every demo tenant
# adopts); `appointment`: bookable online (platform/appointments/demo.py makes a bookable service
# with this slug as its catalog_key)
S = dict


def _svc(slug, name_de, name_en, summary_de, summary_en, cats, level, **extra):
    return S(
        slug=slug,
        name_de=name_de,
        name_en=name_en,
        summary_de=summary_de,
        summary_en=summary_en,
        cats=cats,
        level=level,
        **extra,
    )
