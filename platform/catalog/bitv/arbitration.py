"""The arbitration body (Schlichtungsstelle; in some states an Ombudsstelle or the body that runs
the enforcement procedure, Durchsetzungsstelle) of each federal state, by the first two digits of
the official municipality key (AGS). A statement must name the body of the tenant's state (EU
2016/2102 Art. 7, BITV 2.0 § 7 and the states' laws).

`confirmed` bodies were checked (Dec 2026) against a public page that `source` names: the body's
own page, its state's, or a press report of its opening. The others are the names as we knew them,
not yet checked: an operator confirms them before relying on them. Where `url` is empty, the
statement links the federal overview."""

from __future__ import annotations

from dataclasses import dataclass

FEDERAL_OVERVIEW = "https://www.behindertenbeauftragte.de/DE/SchlichtungsstelleBGG/"


@dataclass(frozen=True)
class ArbitrationBody:
    state: str
    name: str
    law: str
    url: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    source: str = ""  # where the entry was checked
    confirmed: bool = False

    @property
    def link(self) -> str:
        return self.url or FEDERAL_OVERVIEW


BODIES: dict[str, ArbitrationBody] = {
    "01": ArbitrationBody(
        "Schleswig-Holstein",
        "Schlichtungsstelle bei der Landesbeauftragten für Menschen mit Behinderungen "
        "Schleswig-Holstein",
        "Landesbehindertengleichstellungsgesetz (LBGG)",
        email="schlichtung@landtag.ltsh.de",
        phone="0431 988-1272",
        source="https://nord.vdk.de/aktuelles/news-termine/news/"
        "neue-schlichtungsstelle-hilft-bei-barriere-problemen-mit-behoerden",
        confirmed=True,
    ),
    "02": ArbitrationBody(
        "Hamburg",
        "Schlichtungsstelle nach dem Hamburgischen Behindertengleichstellungsgesetz "
        "(bei der Öffentlichen Rechtsauskunft- und Vergleichsstelle, ÖRA)",
        "§ 13a Hamburgisches Behindertengleichstellungsgesetz (HmbBGG)",
        url="https://www.hamburg.de/politik-und-verwaltung/behoerden/sozialbehoerde/themen/"
        "behinderung/schlichtungsstelle-behinderung/start-43312",
        address="Dammtorstraße 14, Hamburg",
        source="https://www.hamburg.de/politik-und-verwaltung/behoerden/sozialbehoerde/aktuelles/"
        "pressemeldungen/2023-01-09-sozialbehoerde-schlichtungsstelle-behinderung-521720",
        confirmed=True,
    ),
    "03": ArbitrationBody(
        "Niedersachsen",
        "Schlichtungsstelle nach dem Niedersächsischen Behindertengleichstellungsgesetz",
        "§ 9d Niedersächsisches Behindertengleichstellungsgesetz (NBGG), SchVO-NBGG",
        # The ordinance exists; where the body sits and its page were not found.
        source="https://voris.wolterskluwer-online.de/browse/document/"
        "21a18be6-5cec-304e-b146-35605ef20f16",
    ),
    "04": ArbitrationBody(
        "Bremen",
        "Schlichtungsstelle nach dem Bremischen Behindertengleichstellungsgesetz "
        "(beim Landesbehindertenbeauftragten der Freien Hansestadt Bremen)",
        "§ 22 Bremisches Behindertengleichstellungsgesetz (BremBGG), BremBGleiSV",
        url="https://www.behindertenbeauftragter.bremen.de/der_beauftragte/"
        "schlichtungsstelle_der_freien_hansestadt_bremen-31675",
        source="https://www.behindertenbeauftragter.bremen.de/der_beauftragte/"
        "schlichtungsstelle_der_freien_hansestadt_bremen-31675",
        confirmed=True,
    ),
    "05": ArbitrationBody(
        "Nordrhein-Westfalen",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen "
        "(bei der Beauftragten für die Belange der Menschen mit Behinderung)",
        "§ 10d Behindertengleichstellungsgesetz NRW (BGG NRW), §§ 9 ff. BITV NRW",
        url="https://www.lbbp.nrw.de/ombudsstelle",
        source="https://www.lbbp.nrw.de/ombudsstelle",
        confirmed=True,
    ),
    "06": ArbitrationBody(
        "Hessen",
        "Durchsetzungs- und Überwachungsstelle für barrierefreie Informationstechnik "
        "(bei der Beauftragten der Hessischen Landesregierung für barrierefreie IT, "
        "Regierungspräsidium Gießen)",
        "§ 6 Hessische Verordnung über barrierefreie Informationstechnik (HVBIT)",
        url="https://lbit.hessen.de/Durchsetzungs-und-Ueberwachungsstelle/"
        "Durchsetzungsverfahren-beantragen",
        source="https://lbit.hessen.de/Durchsetzungs-und-Ueberwachungsstelle/"
        "Durchsetzungsverfahren-beantragen",
        confirmed=True,
    ),
    "07": ArbitrationBody(
        "Rheinland-Pfalz",
        "Schlichtungsstelle beim Landesbeauftragten für die Belange behinderter Menschen "
        "Rheinland-Pfalz",
        "Landesinklusionsgesetz (LInklG)",
        # Only a press report of the draft law ("der Beauftragte soll als Schlichtungsstelle
        # wirken") was found, not the body's page.
        source="https://www.rhein-zeitung.de/region/rheinland-pfalz_artikel,"
        "-kabinett-beschliesst-entwurf-fuer-neues-landesinklusionsgesetz-_arid,2161433.html",
    ),
    "08": ArbitrationBody(
        "Baden-Württemberg",
        "Schlichtungsstelle beim Landeszentrum Barrierefreiheit (LZ-BARR)",
        "§ 10b Landes-Behindertengleichstellungsgesetz (L-BGG)",
        url="https://barrierefreiheit-bw.de/barrierefreiheitdurchsetzen/schlichtungsantrag",
        address="Else-Josenhans-Straße 6, 70173 Stuttgart",
        source="https://barrierefreiheit-bw.de/barrierefreiheitdurchsetzen/schlichtungsantrag",
        confirmed=True,
    ),
    "09": ArbitrationBody(
        "Bayern",
        "Durchsetzungs- und Überwachungsstelle für barrierefreie Informationstechnik am "
        "Landesamt für Digitalisierung, Breitband und Vermessung",
        "§ 11 Bayerische Digitalverordnung (BayDiV)",
        url="https://www.finanzministerium.bayern/digitalisierung/barrierefreiheit/",
        source="https://www.finanzministerium.bayern/digitalisierung/barrierefreiheit/",
        confirmed=True,
    ),
    "10": ArbitrationBody(
        "Saarland",
        "Schlichtungsstelle nach dem Saarländischen Behindertengleichstellungsgesetz "
        "(beim Ministerium für Soziales, Gesundheit, Frauen und Familie)",
        "Saarländisches Behindertengleichstellungsgesetz (SBGG), § 17",
        email="inklusion@soziales.saarland.de",
        phone="+49 681 501-3343",
        source="https://service.saarland.de/barrierefreiheit",
        confirmed=True,
    ),
    "11": ArbitrationBody(
        "Berlin",
        "Landesbeauftragte für digitale Barrierefreiheit (Durchsetzungsstelle, bei der "
        "Senatsverwaltung für Inneres und Sport)",
        "Barrierefreie-IKT-Gesetz Berlin (BIKTG Bln)",
        url="https://www.berlin.de/lb/digitale-barrierefreiheit/aufgaben/durchsetzungsverfahren/"
        "durchsetzungsverfahren-1305830.php",
        source="https://www.berlin.de/lb/digitale-barrierefreiheit/aufgaben/durchsetzungsverfahren/"
        "durchsetzungsverfahren-1305830.php",
        confirmed=True,
    ),
    "12": ArbitrationBody(
        "Brandenburg",
        "Schlichtungsstelle beim Beauftragten der Landesregierung für die Belange der Menschen "
        "mit Behinderungen Brandenburg",
        "Brandenburgisches Behindertengleichstellungsgesetz (BbgBGG)",
    ),
    "13": ArbitrationBody(
        "Mecklenburg-Vorpommern",
        "Schlichtungsstelle beim Bürgerbeauftragten des Landes Mecklenburg-Vorpommern",
        "Landesbehindertengleichstellungsgesetz (LBGG M-V)",
    ),
    "14": ArbitrationBody(
        "Sachsen",
        "Schlichtungsstelle beim Beauftragten der Sächsischen Staatsregierung für die Belange "
        "von Menschen mit Behinderungen",
        "Sächsisches Inklusionsgesetz (SächsInklusG)",
    ),
    "15": ArbitrationBody(
        "Sachsen-Anhalt",
        "Ombudsstelle des Landes Sachsen-Anhalt",
        "§ 16d Behindertengleichstellungsgesetz Sachsen-Anhalt (BGG LSA)",
        # Named so in the state's own statements; its address and page were not found.
        source="https://ozg.sachsen-anhalt.de/umsetzung-im-land/themenfeld-bildung/"
        "barrierefreiheitserklaerungen/barrierefreiheitserklaerung-anmeldung-zum-juristischen-"
        "vorbereitungsdienst",
    ),
    "16": ArbitrationBody(
        "Thüringen",
        "Schlichtungsstelle beim Beauftragten für Menschen mit Behinderungen des Freistaats "
        "Thüringen",
        "Thüringer Gesetz zur Inklusion und Gleichstellung von Menschen mit Behinderungen "
        "(ThürGIG)",
    ),
}

# The data centre itself (the base host) and tenants without a key: the federal body.
FEDERAL = ArbitrationBody(
    "Bund",
    "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei dem Beauftragten der "
    "Bundesregierung für die Belange von Menschen mit Behinderungen",
    "§ 16 Behindertengleichstellungsgesetz (BGG)",
    url=FEDERAL_OVERVIEW,
    source=FEDERAL_OVERVIEW,
    confirmed=True,
)


def body_for(official_key: str) -> ArbitrationBody:
    """The body of the state the official key (AGS or ARS) belongs to; the federal one when the
    key is missing or unknown."""
    return BODIES.get((official_key or "")[:2], FEDERAL)
