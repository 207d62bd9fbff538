"""Demo offices per tenant level (key, German name, English name, street), their accessibility
note and weekly opening hours."""

OFFICES = {
    "district": [
        (
            "ordnung",
            "Ordnungsamt – Jagd- und Fischereibehörde",
            "Public order office – hunting and fisheries",
            "Kreishausstraße 1",
        ),
        ("kataster", "Katasteramt", "Land surveying office", "Kreishausstraße 3"),
        ("bauaufsicht", "Bauaufsicht", "Building control", "Kreishausstraße 3"),
        ("zulassung", "Straßenverkehrsamt", "Road traffic office", "Am Zulassungsplatz 5"),
        (
            "buergerservice-kreis",
            "Bürgerservice des Kreises",
            "District citizen service",
            "Kreishausstraße 1",
        ),
    ],
    "municipality": [
        ("buergerbuero", "Bürgerbüro", "Citizens' office", "Rathausplatz 1"),
        ("standesamt", "Standesamt", "Registry office", "Rathausplatz 1"),
        ("steueramt", "Steueramt", "Tax office", "Rathausplatz 2"),
        ("gewerbeamt", "Gewerbeamt", "Trade office", "Rathausplatz 2"),
    ],
}

ACCESSIBILITY_NOTE_DE = (
    "Stufenloser Zugang über den Seiteneingang. Aufzug zu allen Etagen. Barrierefreies WC im "
    "Erdgeschoss. Induktive Höranlage am Empfang."
)
ACCESSIBILITY_NOTE_EN = (
    "Step-free access through the side entrance. Lift to all floors. Accessible toilet on the "
    "ground floor. Induction loop at reception."
)

# Mon–Fri 8–12; Tue and Thu afternoons too; the break is the gap between the periods.
WEEK = [
    (0, "08:00", "12:00"),
    (1, "08:00", "12:00"),
    (1, "13:00", "18:00"),
    (2, "08:00", "12:00"),
    (3, "08:00", "12:00"),
    (3, "13:00", "16:00"),
    (4, "08:00", "12:00"),
]
