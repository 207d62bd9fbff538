"""Demo catalogue: a shared template library and, per demo tenant, services, offices with opening
hours, life situations and portal settings. Idempotent: what exists already is left alone.

The district provides what German districts typically do (hunting and fishing, cadastre, vehicle
registration, volunteer card); municipalities the registry-office and local-tax services. A member
municipality's portal lists both. LeiKa keys are in the right format but illustrative.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django_tenants.utils import schema_context

from portalwerk.platform.catalog import pagecache
from portalwerk.platform.catalog.models import (
    Category,
    Closure,
    Office,
    OpeningHours,
    PortalSettings,
    Service,
)
from portalwerk.platform.library.models import CONTENT_FIELDS, FeeKind, ServiceTemplate
from portalwerk.tenants.models import Tenant, TenantKind

CATEGORIES = [
    ("umzug-und-wohnen", "Umzug und Wohnen", "Moving and housing", 10),
    ("ausweise-und-dokumente", "Ausweise und Dokumente", "Identity documents", 20),
    ("familie", "Familie und Kinder", "Family and children", 30),
    ("hunde-und-tiere", "Hunde und Tiere", "Dogs and other animals", 40),
    ("jagd-und-fischerei", "Jagd und Fischerei", "Hunting and fishing", 50),
    ("ehrenamt", "Ehrenamt", "Volunteering", 60),
    ("bauen-und-grundstueck", "Bauen und Grundstück", "Building and land", 70),
    ("auto-und-verkehr", "Auto und Verkehr", "Car and traffic", 80),
    ("wirtschaft", "Gewerbe und Wirtschaft", "Business and trade", 90),
]

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


SERVICES = [
    # --- district -------------------------------------------------------------------------------
    _svc(
        "fischereipruefung",
        "Fischereiprüfung ablegen",
        "Fishing licence exam",
        "Wer in Deutschland angeln will, braucht einen Fischereischein. Voraussetzung ist die "
        "bestandene Fischereiprüfung.",
        "Anyone who wants to fish in Germany needs a fishing licence. You must pass the fishing "
        "licence exam first.",
        ["jagd-und-fischerei"],
        "district",
        leika_key="99063004012000",
        description_de="Die Fischereiprüfung besteht aus einem schriftlichen Teil mit 60 Fragen "
        "und einem praktischen Teil (Gerätezusammenstellung). Die Prüfung findet zweimal im Jahr "
        "statt. Nach bestandener Prüfung beantragen Sie den Fischereischein bei der unteren "
        "Fischereibehörde.",
        description_en="The exam has a written part with 60 questions and a practical part "
        "(assembling tackle). It takes place twice a year. After passing, apply for your fishing "
        "licence at the lower fisheries authority.",
        eligibility_de="Personen ab 14 Jahren mit Wohnsitz im Kreis.",
        eligibility_en="People aged 14 or over who live in the district.",
        documents_de="Personalausweis oder Reisepass\nNachweis über den Vorbereitungslehrgang",
        documents_en="Identity card or passport\nCertificate of the preparatory course",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=6000,
        budget_line="1.2.2.01.431100",
        processing_time_de="Prüfungstermine im Frühjahr und Herbst",
        processing_time_en="Exams in spring and autumn",
        legal_basis_de="Landesfischereigesetz und Fischereiprüfungsverordnung",
        office="ordnung",
        top=True,
        form="fishing-licence-exam",
    ),
    _svc(
        "fischereischein",
        "Fischereischein beantragen",
        "Apply for a fishing licence",
        "Mit dem Fischereischein dürfen Sie in allen Gewässern angeln, für die Sie eine "
        "Erlaubnis des Fischereiberechtigten haben.",
        "The fishing licence lets you fish in any water for which you have a permit from the "
        "holder of the fishing rights.",
        ["jagd-und-fischerei"],
        "district",
        leika_key="99063003012000",
        description_de="Fischereischeine werden für ein bis fünf Jahre ausgestellt. Jugendliche "
        "ab 10 Jahren erhalten einen Jugendfischereischein.",
        description_en="Fishing licences are issued for one to five years. Young people aged 10 "
        "or over get a youth fishing licence.",
        documents_de="Zeugnis über die bestandene Fischereiprüfung\nPersonalausweis\nLichtbild",
        fee_kind=FeeKind.SCHEDULE,
        fee_note_de="Fischereiabgabe je nach Gültigkeitsdauer (1 bis 5 Jahre)",
        fee_note_en="Fishing levy depending on validity (1 to 5 years)",
        office="ordnung",
        appointment=True,
    ),
    _svc(
        "jaegerpruefung",
        "Jägerprüfung ablegen",
        "Hunting licence exam",
        "Die Jägerprüfung ist Voraussetzung für den ersten Jagdschein. Sie besteht aus einer "
        "Schießprüfung, einer schriftlichen und einer mündlich-praktischen Prüfung.",
        "The hunting licence exam is required for your first hunting licence. It consists of a "
        "shooting test, a written and an oral-practical exam.",
        ["jagd-und-fischerei"],
        "district",
        leika_key="99063001012000",
        eligibility_de="Personen ab 15 Jahren; Zulassung bis spätestens acht Wochen vor dem "
        "Prüfungstermin beantragen.",
        documents_de="Antrag auf Zulassung\nPersonalausweis\nNachweis über die Ausbildung",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=30000,
        budget_line="1.2.2.02.431100",
        processing_time_de="Eine Prüfung pro Jahr, im Frühjahr",
        processing_time_en="One exam a year, in spring",
        legal_basis_de="§ 15 Bundesjagdgesetz",
        office="ordnung",
        form="hunting-licence-exam",
    ),
    _svc(
        "jagdschein",
        "Jagdschein beantragen oder verlängern",
        "Apply for or renew a hunting licence",
        "Wer die Jagd ausüben will, braucht einen gültigen Jagdschein (Jahres- oder "
        "Dreijahresjagdschein).",
        "To hunt you need a valid hunting licence, for one or three years.",
        ["jagd-und-fischerei"],
        "district",
        documents_de="Zeugnis über die Jägerprüfung\nNachweis einer Jagdhaftpflichtversicherung"
        "\nPersonalausweis",
        fee_kind=FeeKind.SCHEDULE,
        office="ordnung",
    ),
    _svc(
        "ehrenamtskarte",
        "Ehrenamtskarte beantragen",
        "Apply for the volunteer card",
        "Die Ehrenamtskarte ist ein Dankeschön für Menschen, die sich mindestens fünf Stunden "
        "pro Woche ehrenamtlich engagieren. Sie bringt Vergünstigungen bei vielen Partnern.",
        "The volunteer card thanks people who volunteer at least five hours a week. It gives "
        "discounts with many partners.",
        ["ehrenamt"],
        "district",
        leika_key="99012010000000",
        eligibility_de="Ehrenamtlich Tätige ab 16 Jahren mit mindestens 250 Stunden im Jahr.",
        eligibility_en="Volunteers aged 16 or over with at least 250 hours a year.",
        documents_de="Bestätigung der Organisation über den Umfang des Engagements",
        documents_en="Confirmation of your volunteering by the organisation",
        fee_kind=FeeKind.FREE,
        processing_time_de="etwa vier Wochen",
        processing_time_en="about four weeks",
        office="buergerservice-kreis",
        top=True,
        form="volunteer-card",
    ),
    _svc(
        "liegenschaftskarte",
        "Auszug aus der Liegenschaftskarte",
        "Cadastral map extract",
        "Die Liegenschaftskarte zeigt Flurstücke, Gebäude und Grenzen. Einen Auszug brauchen "
        "Sie etwa für einen Bauantrag oder einen Grundstückskauf.",
        "The cadastral map shows parcels, buildings and boundaries. You need an extract for a "
        "building application or when buying land, for example.",
        ["bauen-und-grundstueck"],
        "district",
        leika_key="99066006001000",
        eligibility_de="Eigentümer und Personen mit berechtigtem Interesse.",
        documents_de="Angabe von Gemarkung, Flur und Flurstück oder Adresse",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=3000,
        budget_line="1.5.1.01.431100",
        processing_time_de="sofort bei Abholung, per Post wenige Tage",
        processing_time_en="immediately in person, a few days by post",
        office="kataster",
        top=True,
        form="cadastral-map-extract",
    ),
    _svc(
        "liegenschaftsbuch",
        "Auszug aus dem Liegenschaftsbuch",
        "Land register extract (cadastral book)",
        "Das Liegenschaftsbuch nennt Eigentümer, Lage, Nutzung und Fläche eines Flurstücks.",
        "The cadastral book lists the owner, location, use and size of a parcel.",
        ["bauen-und-grundstueck"],
        "district",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=2000,
        office="kataster",
    ),
    _svc(
        "baugenehmigung",
        "Baugenehmigung beantragen",
        "Apply for building permission",
        "Für den Bau, die Änderung oder den Abriss vieler Gebäude brauchen Sie eine "
        "Baugenehmigung der unteren Bauaufsichtsbehörde.",
        "Building, altering or demolishing most buildings needs permission from the building "
        "control authority.",
        ["bauen-und-grundstueck"],
        "district",
        leika_key="99108001001000",
        documents_de="Bauvorlagen eines Entwurfsverfassers\nAuszug aus der Liegenschaftskarte\n"
        "Baubeschreibung",
        fee_kind=FeeKind.SCHEDULE,
        fee_note_de="Nach Baukosten gemäß Baugebührenordnung",
        fee_note_en="Based on the building costs according to the fee schedule",
        processing_time_de="in der Regel drei Monate",
        processing_time_en="usually three months",
        office="bauaufsicht",
    ),
    _svc(
        "kfz-zulassung",
        "Fahrzeug zulassen",
        "Register a vehicle",
        "Neue und gebrauchte Fahrzeuge müssen vor der Nutzung im Straßenverkehr zugelassen werden.",
        "New and used vehicles must be registered before they are used on the road.",
        ["auto-und-verkehr"],
        "district",
        leika_key="99036012104000",
        documents_de="Zulassungsbescheinigung Teil I und II\nelektronische "
        "Versicherungsbestätigung (eVB)\nSEPA-Lastschriftmandat für die Kfz-Steuer\n"
        "Personalausweis",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=2790,
        budget_line="1.2.6.01.431100",
        office="zulassung",
        top=True,
        appointment=True,
    ),
    _svc(
        "fuehrerschein-umtausch",
        "Führerschein umtauschen",
        "Exchange a driving licence",
        "Alte Papier- und Kartenführerscheine müssen bis zu einem Stichtag in den EU-"
        "Kartenführerschein umgetauscht werden.",
        "Old paper and card driving licences must be exchanged for the EU card licence by a "
        "set date.",
        ["auto-und-verkehr"],
        "district",
        documents_de="bisheriger Führerschein\nbiometrisches Passfoto\nPersonalausweis",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=2560,
        office="zulassung",
        appointment=True,
    ),
    _svc(
        "waffenbesitzkarte",
        "Waffenbesitzkarte beantragen",
        "Apply for a firearms ownership card",
        "Wer eine erlaubnispflichtige Schusswaffe erwerben und besitzen will, braucht eine "
        "Waffenbesitzkarte.",
        "You need a firearms ownership card to acquire and own a firearm that requires a permit.",
        ["jagd-und-fischerei"],
        "district",
        fee_kind=FeeKind.SCHEDULE,
        office="ordnung",
    ),
    _svc(
        "elterngeld",
        "Elterngeld beantragen",
        "Apply for parental allowance",
        "Elterngeld unterstützt Eltern, die nach der Geburt ihr Kind betreuen und weniger oder "
        "nicht arbeiten.",
        "Parental allowance supports parents who look after their child after birth and work "
        "less or not at all.",
        ["familie"],
        "district",
        leika_key="99015001001000",
        fee_kind=FeeKind.FREE,
        office="buergerservice-kreis",
    ),
    # --- municipality ---------------------------------------------------------------------------
    _svc(
        "wohnsitz-anmelden",
        "Wohnsitz anmelden",
        "Register your residence",
        "Wenn Sie in eine Wohnung einziehen, müssen Sie sich innerhalb von zwei Wochen beim "
        "Bürgerbüro anmelden.",
        "When you move into a flat, you must register with the citizens' office within two weeks.",
        ["umzug-und-wohnen"],
        "municipality",
        leika_key="99115001001000",
        description_de="Die Anmeldung ist persönlich oder durch eine bevollmächtigte Person "
        "möglich. Sie erhalten eine Meldebestätigung; die Adresse im Personalausweis wird "
        "aktualisiert.",
        eligibility_de="Alle, die eine Wohnung im Gemeindegebiet beziehen.",
        eligibility_en="Everyone moving into a home in the municipality.",
        documents_de="Personalausweis oder Reisepass\nWohnungsgeberbestätigung des Vermieters",
        documents_en="Identity card or passport\nLandlord's confirmation of moving in",
        fee_kind=FeeKind.FREE,
        processing_time_de="sofort",
        processing_time_en="immediately",
        legal_basis_de="§ 17 Bundesmeldegesetz",
        legal_basis_en="Section 17 Federal Registration Act",
        office="buergerbuero",
        top=True,
        appointment=True,
    ),
    _svc(
        "wohnsitz-abmelden",
        "Wohnsitz abmelden",
        "Deregister your residence",
        "Wer ins Ausland zieht oder eine Nebenwohnung aufgibt, meldet sich ab.",
        "If you move abroad or give up a second home, you deregister.",
        ["umzug-und-wohnen"],
        "municipality",
        fee_kind=FeeKind.FREE,
        office="buergerbuero",
    ),
    _svc(
        "meldebescheinigung",
        "Meldebescheinigung beantragen",
        "Certificate of registration",
        "Die Meldebescheinigung bestätigt, wo Sie gemeldet sind, etwa für Behörden oder den "
        "Arbeitgeber.",
        "The certificate confirms where you are registered, for authorities or your employer.",
        ["umzug-und-wohnen", "ausweise-und-dokumente"],
        "municipality",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=1000,
        budget_line="1.1.2.01.431100",
        office="buergerbuero",
    ),
    _svc(
        "personalausweis",
        "Personalausweis beantragen",
        "Apply for an identity card",
        "Deutsche ab 16 Jahren müssen einen gültigen Personalausweis oder Reisepass besitzen.",
        "Germans aged 16 or over must have a valid identity card or passport.",
        ["ausweise-und-dokumente"],
        "municipality",
        leika_key="99102001001000",
        documents_de="bisheriger Ausweis\nbiometrisches Lichtbild (digital)",
        documents_en="Your previous identity document\nBiometric photo (digital)",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=3700,
        fee_note_de="Unter 24 Jahren 22,80 €",
        fee_note_en="Under 24: €22.80",
        budget_line="1.1.2.02.431100",
        processing_time_de="drei bis vier Wochen",
        processing_time_en="three to four weeks",
        office="buergerbuero",
        top=True,
        appointment=True,
    ),
    _svc(
        "reisepass",
        "Reisepass beantragen",
        "Apply for a passport",
        "Für Reisen in viele Länder außerhalb der EU brauchen Sie einen Reisepass.",
        "You need a passport to travel to many countries outside the EU.",
        ["ausweise-und-dokumente"],
        "municipality",
        documents_de="Personalausweis oder bisheriger Reisepass\nbiometrisches Lichtbild",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=7000,
        budget_line="1.1.2.02.431100",
        processing_time_de="etwa vier Wochen",
        office="buergerbuero",
        appointment=True,
    ),
    _svc(
        "fuehrungszeugnis",
        "Führungszeugnis beantragen",
        "Apply for a certificate of good conduct",
        "Das Führungszeugnis zeigt Eintragungen im Bundeszentralregister, etwa für Arbeitgeber "
        "oder ein Ehrenamt mit Kindern.",
        "The certificate shows entries in the Federal Central Criminal Register, for employers "
        "or volunteering with children.",
        ["ausweise-und-dokumente", "ehrenamt"],
        "municipality",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=1300,
        fee_note_de="Für Ehrenamtliche gebührenfrei",
        fee_note_en="Free for volunteers",
        office="buergerbuero",
        appointment=True,
    ),
    _svc(
        "hundesteuer-anmelden",
        "Hund zur Hundesteuer anmelden",
        "Register a dog for dog tax",
        "Wer einen Hund hält, muss ihn innerhalb von zwei Wochen zur Hundesteuer anmelden. Sie "
        "erhalten eine Hundesteuermarke.",
        "Dog owners must register their dog for dog tax within two weeks and receive a dog tax "
        "tag.",
        ["hunde-und-tiere"],
        "municipality",
        leika_key="99089001001000",
        description_de="Die Hundesteuer ist eine Gemeindesteuer. Für gefährliche Hunde gilt ein "
        "erhöhter Satz; für Blindenführhunde und Rettungshunde gibt es Befreiungen.",
        description_en="Dog tax is a municipal tax. A higher rate applies to dangerous dogs; "
        "guide dogs and rescue dogs can be exempted.",
        documents_de="Angaben zum Hund (Rasse, Alter, Chipnummer)\nggf. Nachweis für eine "
        "Steuerbefreiung",
        fee_kind=FeeKind.SCHEDULE,
        fee_note_de="Hundesteuersatzung: 96 € im Jahr für den ersten Hund",
        fee_note_en="Dog tax bylaw: €96 a year for the first dog",
        legal_basis_de="Hundesteuersatzung der Gemeinde",
        office="steueramt",
        top=True,
        form="dog-tax-registration",
    ),
    _svc(
        "hundesteuer-abmelden",
        "Hund von der Hundesteuer abmelden",
        "Deregister a dog from dog tax",
        "Wenn Ihr Hund verstorben ist, abgegeben wurde oder Sie wegziehen, melden Sie ihn ab.",
        "If your dog has died or been given away, or you move away, deregister it.",
        ["hunde-und-tiere"],
        "municipality",
        fee_kind=FeeKind.FREE,
        office="steueramt",
    ),
    _svc(
        "gewerbe-anmelden",
        "Gewerbe anmelden",
        "Register a business",
        "Wer ein Gewerbe beginnt, muss es beim Gewerbeamt anmelden.",
        "Anyone starting a trade or business must register it with the trade office.",
        ["wirtschaft"],
        "municipality",
        leika_key="99050012104000",
        documents_de="Personalausweis\nggf. Erlaubnis oder Handwerkskarte",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=2600,
        budget_line="1.2.1.01.431100",
        office="gewerbeamt",
    ),
    _svc(
        "gewerbe-abmelden",
        "Gewerbe abmelden",
        "Deregister a business",
        "Wenn Sie Ihr Gewerbe aufgeben, melden Sie es ab.",
        "When you close your business, deregister it.",
        ["wirtschaft"],
        "municipality",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=1500,
        office="gewerbeamt",
    ),
    _svc(
        "geburtsurkunde",
        "Geburtsurkunde beantragen",
        "Apply for a birth certificate",
        "Das Standesamt des Geburtsortes stellt Geburtsurkunden aus.",
        "The registry office of the place of birth issues birth certificates.",
        ["familie", "ausweise-und-dokumente"],
        "municipality",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=1200,
        office="standesamt",
    ),
    _svc(
        "eheschliessung",
        "Eheschließung anmelden",
        "Give notice of marriage",
        "Wer heiraten möchte, meldet die Eheschließung beim Standesamt an.",
        "If you want to marry, give notice of marriage at the registry office.",
        ["familie"],
        "municipality",
        fee_kind=FeeKind.SCHEDULE,
        office="standesamt",
        appointment=True,
    ),
    _svc(
        "kita-platz",
        "Kita-Platz beantragen",
        "Apply for a childcare place",
        "Kinder ab einem Jahr haben einen Anspruch auf einen Platz in einer Kita oder bei einer "
        "Tagespflegeperson.",
        "Children aged one or over are entitled to a place in a day-care centre or with a "
        "childminder.",
        ["familie"],
        "municipality",
        fee_kind=FeeKind.SCHEDULE,
        office="buergerbuero",
    ),
    _svc(
        "anwohnerparkausweis",
        "Bewohnerparkausweis beantragen",
        "Residents' parking permit",
        "Mit dem Bewohnerparkausweis parken Sie in Ihrer Parkzone ohne Parkschein.",
        "With a residents' permit you park in your zone without a ticket.",
        ["auto-und-verkehr", "umzug-und-wohnen"],
        "municipality",
        fee_kind=FeeKind.AMOUNT,
        fee_amount_cents=3000,
        fee_note_de="pro Jahr",
        fee_note_en="per year",
        office="buergerbuero",
    ),
    _svc(
        "sperrmuell",
        "Sperrmüll anmelden",
        "Book a bulky waste collection",
        "Möbel und andere sperrige Abfälle werden nach Anmeldung abgeholt.",
        "Furniture and other bulky waste is collected after you book it.",
        ["umzug-und-wohnen"],
        "municipality",
        fee_kind=FeeKind.FREE,
        fee_note_de="Zweimal im Jahr gebührenfrei",
        fee_note_en="Free twice a year",
        office="buergerbuero",
    ),
    _svc(
        "fundsache",
        "Fundsache abgeben oder abholen",
        "Lost and found",
        "Das Fundbüro nimmt Fundsachen entgegen und gibt sie an Verlierer zurück.",
        "The lost property office takes in found items and returns them to their owners.",
        [],
        "municipality",
        fee_kind=FeeKind.FREE,
        office="buergerbuero",
    ),
]

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

COLOURS = {"district": "#1d5e3a", "municipality": "#00548a"}


def seed_library() -> None:
    for data in SERVICES:
        if ServiceTemplate.objects.filter(key=data["slug"]).exists():
            continue
        template = ServiceTemplate(key=data["slug"])
        _fill_content(template, data)
        template.full_clean()
        template.save()


def _fill_content(obj, data: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(obj, name, data[name])


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _level(tenant: Tenant) -> str:
    return "district" if tenant.kind == TenantKind.DISTRICT else "municipality"


def seed_tenant(tenant: Tenant, *, postcode: str = "12345") -> None:
    """The demo catalogue of one tenant, in its schema."""
    level = _level(tenant)
    with schema_context(tenant.schema_name), transaction.atomic():
        categories = {}
        for slug, de, en, position in CATEGORIES:
            categories[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name_de": de, "name_en": en, "position": position}
            )
        offices = {}
        city = tenant.name.split(" ", 1)[-1]
        domain = f"{tenant.slug}.example"
        for key, de, en, street in OFFICES[level]:
            office, created = Office.objects.get_or_create(
                slug=key,
                defaults={
                    "name_de": de,
                    "name_en": en,
                    "street": street,
                    "postcode": postcode,
                    "city": city,
                    "phone": "0123 456-" + str(100 + len(offices)),
                    "email": f"{key}@{domain}",
                    "accessibility_de": ACCESSIBILITY_NOTE_DE,
                    "accessibility_en": ACCESSIBILITY_NOTE_EN,
                },
            )
            if created:
                for weekday, opens, closes in WEEK:
                    OpeningHours.objects.create(
                        office=office, weekday=weekday, opens=_time(opens), closes=_time(closes)
                    )
                year = datetime.date.today().year
                Closure.objects.create(
                    office=office,
                    first_day=datetime.date(year, 12, 24),
                    last_day=datetime.date(year, 12, 31),
                    reason_de="Weihnachten und Jahreswechsel",
                    reason_en="Christmas and New Year",
                )
            offices[key] = office
        versions = dict(ServiceTemplate.objects.values_list("key", "version"))
        for data in SERVICES:
            if data["level"] != level or Service.objects.filter(slug=data["slug"]).exists():
                continue
            service = Service(
                slug=data["slug"],
                office=offices.get(data.get("office")),
                is_published=True,
                is_top=data.get("top", False),
                budget_line=data.get("budget_line", ""),
                library_key=data["slug"] if data["slug"] in versions else "",
                library_version=versions.get(data["slug"]),
                form_url=f"/forms/{data['form']}/" if data.get("form") else "",
                appointment_url=f"/appointments/{data['slug']}/" if data.get("appointment") else "",
            )
            _fill_content(service, data)
            service.full_clean()
            service.save()
            service.categories.set([categories[c] for c in data["cats"]])
        if not PortalSettings.objects.exists():
            PortalSettings.objects.create(
                primary_colour=COLOURS[level],
                imprint_de=f"{tenant.name}\nRathausplatz 1\n{postcode} {city}\n\n"
                "Vertreten durch die Verwaltungsspitze.\nE-Mail: info@" + domain,
                imprint_en=f"{tenant.name}\nRathausplatz 1\n{postcode} {city}\n\n"
                "Represented by the head of administration.\nEmail: info@" + domain,
                privacy_de="Wir verarbeiten personenbezogene Daten nur, soweit dies zur Erfüllung "
                "unserer Aufgaben erforderlich ist (Art. 6 Abs. 1 lit. e DSGVO).",
                feedback_email=f"barrierefreiheit@{domain}",
                feedback_phone="0123 456-0",
            )
        pagecache.bump()


def seed(tenants: list[Tenant]) -> None:
    seed_library()
    for index, tenant in enumerate(tenants):
        seed_tenant(tenant, postcode=f"{12345 + index * 10}")
