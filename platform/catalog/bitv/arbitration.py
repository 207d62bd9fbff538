"""The arbitration body (Schlichtungsstelle, in NRW the Ombudsstelle) of each federal state, by
the first two digits of the official municipality key (AGS). A statement must name the body of
the tenant's state (EU 2016/2102 Art. 7, BITV 2.0 § 7 and the states' laws).

Names are the bodies' official ones as of Dec 2026; NRW's and Schleswig-Holstein's were checked
against the bodies' own pages. Where `url` is empty, the statement links the federal overview."""

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
    ),
    "02": ArbitrationBody(
        "Hamburg",
        "Schlichtungsstelle nach dem Hamburgischen Behindertengleichstellungsgesetz",
        "Hamburgisches Behindertengleichstellungsgesetz (HmbBGG)",
    ),
    "03": ArbitrationBody(
        "Niedersachsen",
        "Schlichtungsstelle bei der Landesbeauftragten für Menschen mit Behinderungen "
        "Niedersachsen",
        "Niedersächsisches Behindertengleichstellungsgesetz (NBGG)",
    ),
    "04": ArbitrationBody(
        "Bremen",
        "Schlichtungsstelle beim Landesbehindertenbeauftragten der Freien Hansestadt Bremen",
        "Bremisches Behindertengleichstellungsgesetz (BremBGG)",
    ),
    "05": ArbitrationBody(
        "Nordrhein-Westfalen",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen "
        "(bei der Beauftragten für die Belange der Menschen mit Behinderung)",
        "§ 10d Behindertengleichstellungsgesetz NRW (BGG NRW), §§ 9 ff. BITV NRW",
        url="https://www.lbbp.nrw.de/ombudsstelle",
    ),
    "06": ArbitrationBody(
        "Hessen",
        "Schlichtungsstelle bei der Beauftragten der Hessischen Landesregierung für Menschen "
        "mit Behinderungen",
        "Hessisches Behinderten-Gleichstellungsgesetz (HessBGG)",
    ),
    "07": ArbitrationBody(
        "Rheinland-Pfalz",
        "Schlichtungsstelle beim Landesbeauftragten für die Belange behinderter Menschen "
        "Rheinland-Pfalz",
        "Landesinklusionsgesetz (LInklG)",
    ),
    "08": ArbitrationBody(
        "Baden-Württemberg",
        "Ombudsstelle bei der Landes-Behindertenbeauftragten Baden-Württemberg",
        "Landes-Behindertengleichstellungsgesetz (L-BGG)",
    ),
    "09": ArbitrationBody(
        "Bayern",
        "Durchsetzungs- und Schlichtungsstelle beim Beauftragten der Bayerischen Staatsregierung "
        "für die Belange von Menschen mit Behinderung",
        "Bayerisches Behindertengleichstellungsgesetz (BayBGG)",
    ),
    "10": ArbitrationBody(
        "Saarland",
        "Schlichtungsstelle beim Landesbeauftragten für die Belange von Menschen mit "
        "Behinderungen im Saarland",
        "Saarländisches Behindertengleichstellungsgesetz (SBGG)",
    ),
    "11": ArbitrationBody(
        "Berlin",
        "Schlichtungsstelle bei der Landesbeauftragten für digitale Barrierefreiheit Berlin",
        "Barrierefreie-IKT-Gesetz Berlin (BIKTG Bln)",
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
        "Schlichtungsstelle beim Landesbehindertenbeauftragten Sachsen-Anhalt",
        "Behindertengleichstellungsgesetz Sachsen-Anhalt (BGG LSA)",
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
)


def body_for(official_key: str) -> ArbitrationBody:
    """The body of the state the official key (AGS or ARS) belongs to; the federal one when the
    key is missing or unknown."""
    return BODIES.get((official_key or "")[:2], FEDERAL)
