"""The templates the platform ships in its shared library (public schema), and keeping the library
in step with them: a changed definition gets a new library version, which tenants then see."""

from __future__ import annotations

import copy

from django.db import transaction

from portalwerk.platform.formlibrary.models import FormTemplate


def t(de: str, en: str) -> dict:
    return {"de": de, "en": en}


def _person_step(min_age_years: int | None = None) -> dict:
    born = {
        "key": "date_of_birth",
        "type": "date",
        "required": True,
        "label": t("Geburtsdatum", "Date of birth"),
        "validation": {"after": "today-120y", "before": "today"},
    }
    if min_age_years:
        born["validation"]["before"] = f"today-{min_age_years}y"
        born["messages"] = {
            "before": t(
                f"Sie müssen mindestens {min_age_years} Jahre alt sein.",
                f"You must be at least {min_age_years} years old.",
            )
        }
    return {
        "key": "person",
        "title": t("Angaben zur Person", "About you"),
        "fields": [
            {"key": "first_name", "type": "text", "required": True, "prefill": "first_name",
             "label": t("Vorname", "First name"), "validation": {"max_length": 100}},
            {"key": "last_name", "type": "text", "required": True, "prefill": "last_name",
             "label": t("Nachname", "Last name"), "validation": {"max_length": 100}},
            born,
        ],
    }  # fmt: skip


def _address_step() -> dict:
    return {
        "key": "address",
        "title": t("Anschrift", "Address"),
        "fields": [
            {"key": "home", "type": "address", "required": True, "prefill": "address",
             "label": t("Wohnanschrift", "Home address")},
        ],
    }  # fmt: skip


def _contact_step() -> dict:
    return {
        "key": "contact",
        "title": t("Kontakt", "Contact details"),
        "fields": [
            {"key": "email", "type": "email", "required": True, "prefill": "email",
             "label": t("E-Mail-Adresse", "Email address"),
             "hint": t("Hierhin senden wir die Eingangsbestätigung.",
                       "We send the confirmation to this address.")},
            {"key": "phone", "type": "phone", "label": t("Telefonnummer", "Phone number")},
        ],
    }  # fmt: skip


def _declaration_step() -> dict:
    return {
        "key": "declaration",
        "title": t("Erklärung", "Declaration"),
        "fields": [
            {"key": "privacy", "type": "info", "label": t("Datenschutz", "Data protection"),
             "text": t("Ihre Angaben werden nur zur Bearbeitung dieses Antrags verwendet.",
                       "Your answers are used only to process this application.")},
            {"key": "truthful", "type": "declaration", "required": True,
             "label": t("Ich versichere, dass meine Angaben richtig und vollständig sind.",
                        "I confirm that my answers are correct and complete.")},
        ],
    }  # fmt: skip


FISHING = {
    "steps": [
        _person_step(min_age_years=12),
        _address_step(),
        _contact_step(),
        {
            "key": "exam",
            "title": t("Prüfung", "Exam"),
            "fields": [
                {"key": "exam_date", "type": "choice", "required": True,
                 "label": t("Gewünschter Prüfungstermin", "Preferred exam date"),
                 "options": [
                     {"value": "spring", "label": t("Frühjahr", "Spring")},
                     {"value": "autumn", "label": t("Herbst", "Autumn")},
                 ]},
                {"key": "course_done", "type": "yesno", "required": True,
                 "label": t("Haben Sie einen Vorbereitungslehrgang besucht?",
                            "Have you attended a preparation course?")},
                {"key": "course_certificate", "type": "file",
                 "label": t("Teilnahmebescheinigung des Lehrgangs", "Course certificate"),
                 "hint": t("PDF, PNG oder JPEG, höchstens 5 MB", "PDF, PNG or JPEG, up to 5 MB"),
                 "show_if": {"var": "course_done"}, "required": True,
                 "validation": {"file_types": ["pdf", "png", "jpeg"], "max_size": 5000000}},
                {"key": "previous_attempt", "type": "yesno", "required": True,
                 "label": t("Haben Sie die Prüfung schon einmal abgelegt?",
                            "Have you taken the exam before?")},
            ],
        },
        _declaration_step(),
    ]
}  # fmt: skip

HUNTING = {
    "steps": [
        _person_step(min_age_years=15),
        _address_step(),
        _contact_step(),
        {
            "key": "requirements",
            "title": t("Voraussetzungen", "Requirements"),
            "fields": [
                {"key": "course_done", "type": "yesno", "required": True,
                 "label": t("Haben Sie die Ausbildung zur Jägerprüfung abgeschlossen?",
                            "Have you completed the training for the hunting exam?")},
                {"key": "course_provider", "type": "text", "required": True,
                 "label": t("Ausbildungsstätte", "Training provider"),
                 "show_if": {"var": "course_done"}},
                {"key": "conduct_certificate", "type": "file", "required": True,
                 "label": t("Führungszeugnis", "Certificate of good conduct"),
                 "hint": t("Nicht älter als drei Monate, als PDF",
                           "Not older than three months, as a PDF"),
                 "validation": {"file_types": ["pdf"], "max_size": 5000000}},
            ],
        },
        _declaration_step(),
    ],
    "fee": {"amount": 9000, "label": t("Prüfungsgebühr", "Exam fee")},
}  # fmt: skip

VOLUNTEER = {
    "steps": [
        _person_step(min_age_years=16),
        _address_step(),
        _contact_step(),
        {
            "key": "engagement",
            "title": t("Ihr Engagement", "Your volunteering"),
            "fields": [
                {"key": "organisations", "type": "repeat", "required": True, "max_items": 5,
                 "label": t("Organisation", "Organisation"),
                 "hint": t("Geben Sie jede Organisation an, für die Sie sich engagieren.",
                           "Add each organisation you volunteer for."),
                 "fields": [
                     {"key": "name", "type": "text", "required": True,
                      "label": t("Name der Organisation", "Name of the organisation")},
                     {"key": "hours_per_week", "type": "number", "required": True,
                      "label": t("Stunden pro Woche", "Hours per week"),
                      "validation": {"min": 1, "max": 80}},
                     {"key": "board_member", "type": "yesno", "required": True,
                      "label": t("Sind Sie im Vorstand?", "Are you on the board?")},
                     {"key": "board_role", "type": "text", "required": True,
                      "label": t("Funktion im Vorstand", "Role on the board"),
                      "show_if": {"var": "board_member"}},
                 ]},
            ],
        },
        _declaration_step(),
    ]
}  # fmt: skip

CADASTRAL = {
    "steps": [
        _person_step(),
        _contact_step(),
        {
            "key": "parcel",
            "title": t("Flurstück", "Land parcel"),
            "fields": [
                {"key": "cadastral_district", "type": "text", "required": True,
                 "label": t("Gemarkung", "Cadastral district")},
                {"key": "parcel_number", "type": "text", "required": True,
                 "label": t("Flurstücksnummer", "Parcel number"),
                 "hint": t("Zum Beispiel 123 oder 123/4", "For example 123 or 123/4"),
                 "validation": {"pattern": "[0-9]{1,5}(/[0-9]{1,4})?"},
                 "messages": {"pattern": t("Geben Sie die Flurstücksnummer wie 123 oder 123/4 an.",
                                           "Enter the parcel number like 123 or 123/4.")}},
                {"key": "purpose", "type": "choice", "required": True,
                 "label": t("Verwendungszweck", "Purpose"),
                 "options": [
                     {"value": "building", "label": t("Bauantrag", "Building application")},
                     {"value": "sale", "label": t("Kauf oder Verkauf", "Purchase or sale")},
                     {"value": "other", "label": t("Sonstiges", "Other")},
                 ]},
            ],
        },
        {
            "key": "delivery",
            "title": t("Ausfertigung", "Copies and delivery"),
            "fields": [
                {"key": "format", "type": "choice", "required": True,
                 "label": t("Format", "Format"),
                 "options": [
                     {"value": "pdf", "label": t("PDF per E-Mail", "PDF by email")},
                     {"value": "paper", "label": t("Papier per Post", "Paper by post")},
                 ]},
                {"key": "copies", "type": "number", "required": True,
                 "label": t("Anzahl der Ausfertigungen", "Number of copies"),
                 "validation": {"min": 1, "max": 10, "integer": True}},
                {"key": "delivery_address", "type": "address", "required": True,
                 "prefill": "address", "label": t("Lieferanschrift", "Delivery address"),
                 "show_if": {"==": [{"var": "format"}, "paper"]}},
            ],
        },
        _declaration_step(),
    ],
    "fee": {
        "label": t("Gebühr", "Fee"),
        "amount": {"+": [
            {"if": [{"==": [{"var": "format"}, "paper"]}, 2500, 2000]},
            {"*": [1000, {"-": [{"var": "copies"}, 1]}]},
        ]},
    },
}  # fmt: skip

DOG_TAX = {
    "steps": [
        _person_step(min_age_years=18),
        _address_step(),
        _contact_step(),
        {
            "key": "dogs",
            "title": t("Hunde", "Dogs"),
            "fields": [
                {"key": "dogs", "type": "repeat", "required": True, "max_items": 5,
                 "label": t("Hund", "Dog"),
                 "fields": [
                     {"key": "name", "type": "text", "required": True,
                      "label": t("Name des Hundes", "Name of the dog")},
                     {"key": "breed", "type": "text", "required": True,
                      "label": t("Rasse", "Breed")},
                     {"key": "kept_since", "type": "date", "required": True,
                      "label": t("Gehalten seit", "Kept since"),
                      "validation": {"before": "today+1d"}},
                     {"key": "listed", "type": "yesno", "required": True,
                      "label": t("Gehört der Hund zu einer gelisteten Rasse?",
                                 "Is the dog of a listed breed?")},
                     {"key": "temperament_test", "type": "file", "required": True,
                      "label": t("Wesenstest", "Temperament test"),
                      "show_if": {"var": "listed"},
                      "validation": {"file_types": ["pdf"], "max_size": 5000000}},
                 ]},
            ],
        },
        {
            "key": "payment",
            "title": t("Zahlung", "Payment"),
            "fields": [
                {"key": "direct_debit", "type": "yesno", "required": True,
                 "label": t("Möchten Sie am Lastschriftverfahren teilnehmen?",
                            "Do you want to pay by direct debit?")},
                {"key": "iban", "type": "iban", "required": True, "label": t("IBAN", "IBAN"),
                 "show_if": {"var": "direct_debit"}},
                {"key": "account_holder", "type": "text", "required": True,
                 "label": t("Kontoinhaber/in", "Account holder"),
                 "show_if": {"var": "direct_debit"}},
            ],
        },
        _declaration_step(),
    ]
}  # fmt: skip

TEMPLATES = [
    {
        "key": "fishing-licence-exam",
        "title": t("Antrag auf Zulassung zur Fischerprüfung", "Fishing licence exam application"),
        "description": t(
            "Melden Sie sich zur staatlichen Fischerprüfung an.",
            "Register for the state fishing licence exam.",
        ),
        "service_key": "fischereipruefung",
        "definition": FISHING,
        "retention_days": 730,
    },
    {
        "key": "hunting-licence-exam",
        "title": t("Antrag auf Zulassung zur Jägerprüfung", "Hunting licence exam application"),
        "description": t(
            "Melden Sie sich zur Jägerprüfung an.", "Register for the hunting licence exam."
        ),
        "service_key": "jaegerpruefung",
        "definition": HUNTING,
        "retention_days": 730,
    },
    {
        "key": "volunteer-card",
        "title": t("Ehrenamtskarte (Engagement & Hobby)", "Volunteer card (Engagement & Hobby)"),
        "description": t(
            "Beantragen Sie die Ehrenamtskarte für Ihr Engagement.",
            "Apply for the volunteer card for your volunteering.",
        ),
        "service_key": "ehrenamtskarte",
        "definition": VOLUNTEER,
        "retention_days": 1095,
    },
    {
        "key": "cadastral-map-extract",
        "title": t("Auszug aus der Liegenschaftskarte", "Cadastral map extract order"),
        "description": t(
            "Bestellen Sie einen Auszug aus der Liegenschaftskarte.",
            "Order an extract from the cadastral map.",
        ),
        "service_key": "liegenschaftskarte",
        "definition": CADASTRAL,
        "retention_days": 365,
    },
    {
        "key": "dog-tax-registration",
        "title": t("Anmeldung zur Hundesteuer", "Dog tax registration"),
        "description": t(
            "Melden Sie Ihren Hund zur Hundesteuer an.", "Register your dog for dog tax."
        ),
        "service_key": "hundesteuer",
        "definition": DOG_TAX,
        "retention_days": 3650,
    },
]


@transaction.atomic
def sync_library() -> list[FormTemplate]:
    """Bring the library up to the shipped templates; a changed definition bumps the version."""
    out = []
    for data in TEMPLATES:
        fields = {k: copy.deepcopy(v) for k, v in data.items() if k != "key"}
        template = FormTemplate.objects.filter(key=data["key"]).first()
        if template is None:
            template = FormTemplate.objects.create(key=data["key"], **fields)
        elif any(getattr(template, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(template, k, v)
            template.version += 1
            template.save()
        out.append(template)
    return out
