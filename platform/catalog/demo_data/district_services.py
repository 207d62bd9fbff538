"""Demo services a district provides: hunting and fishing, cadastre, building control, vehicle
registration, the volunteer card."""

from portalwerk.platform.catalog.demo_data.service_entry import _svc
from portalwerk.platform.library.models import FeeKind

DISTRICT_SERVICES = [
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
]
