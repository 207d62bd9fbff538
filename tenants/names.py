"""A small grammar of tenant names, so German sentences name a tenant correctly.

A tenant's name usually starts with its designation ("Kreis Musterland", "Stadt Musterstadt",
"Markt Schwaben"), which has a grammatical gender: "des Kreises Musterland", "der Stadt
Musterstadt", "im Kreis Musterland" (never "im Kreis Kreis Musterland"). A name without a known
designation is a bare place name ("Musterstadt"): "von Musterstadt", "in Musterstadt".

English sentences use the name as it is ("Service portal of Kreis Musterland")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

# designation: (gender, genitive of the designation). Longest first, so "Landkreis" is not
# read as "Land" + ... and "Verbandsgemeinde" not as "Verband".
DESIGNATIONS: dict[str, tuple[str, str]] = {
    "Große Kreisstadt": ("f", "Großen Kreisstadt"),
    "Verbandsgemeinde": ("f", "Verbandsgemeinde"),
    "Verwaltungsgemeinschaft": ("f", "Verwaltungsgemeinschaft"),
    "Samtgemeinde": ("f", "Samtgemeinde"),
    "Ortsgemeinde": ("f", "Ortsgemeinde"),
    "Städteregion": ("f", "Städteregion"),
    "Zweckverband": ("m", "Zweckverbandes"),
    "Kreisstadt": ("f", "Kreisstadt"),
    "Hansestadt": ("f", "Hansestadt"),
    "Landkreis": ("m", "Landkreises"),
    "Stadtkreis": ("m", "Stadtkreises"),
    "Gemeinde": ("f", "Gemeinde"),
    "Flecken": ("m", "Fleckens"),
    "Verband": ("m", "Verbandes"),
    "Region": ("f", "Region"),
    "Stadt": ("f", "Stadt"),
    "Kreis": ("m", "Kreises"),
    "Markt": ("m", "Marktes"),
    "Amt": ("n", "Amtes"),
}
ARTICLES = {
    # gender: nominative, genitive, dative, "in" + dative, "von" + dative
    "m": ("der", "des", "dem", "im", "vom"),
    "f": ("die", "der", "der", "in der", "von der"),
    "n": ("das", "des", "dem", "im", "vom"),
}
# What a tenant of each kind is called when its name carries no designation.
KIND_DESIGNATIONS = {"district": "Kreis", "municipality": "Gemeinde", "association": "Verband"}
CASES = ("nominative", "genitive", "dative", "in", "from")


@dataclass(frozen=True)
class TenantName:
    designation: str  # "" for a bare place name
    proper: str  # the name after the designation

    @classmethod
    def parse(cls, name: str) -> TenantName:
        name = " ".join(name.split())
        for designation in sorted(DESIGNATIONS, key=len, reverse=True):
            if name.startswith(designation + " ") and name[len(designation) + 1 :].strip():
                return cls(designation, name[len(designation) + 1 :])
        return cls("", name)

    @property
    def full(self) -> str:
        return f"{self.designation} {self.proper}" if self.designation else self.proper

    def german(self, case: str) -> str:
        """The name in a German sentence: `case` is one of CASES."""
        if case not in CASES:
            raise ValueError(f"unknown case {case!r}; one of {', '.join(CASES)}")
        if not self.designation:
            return {
                "nominative": self.proper,
                "genitive": f"von {self.proper}",
                "dative": self.proper,
                "in": f"in {self.proper}",
                "from": f"von {self.proper}",
            }[case]
        gender, genitive = DESIGNATIONS[self.designation]
        article = dict(zip(CASES, ARTICLES[gender], strict=True))[case]
        word = genitive if case == "genitive" else self.designation
        return f"{article} {word} {self.proper}"

    def with_kind(self, kind: str) -> TenantName:
        """This name with the kind's designation when it has none of its own, for sentences
        that need one ("im Kreis Musterland" for a district named "Musterland")."""
        if self.designation or kind not in KIND_DESIGNATIONS:
            return self
        return TenantName(KIND_DESIGNATIONS[kind], self.proper)


def name_of(tenant_or_name) -> str:
    return tenant_or_name if isinstance(tenant_or_name, str) else tenant_or_name.name


def phrase(tenant_or_name, case: str, *, lang: str | None = None, kind: str = "") -> str:
    """The tenant's name as a sentence in `lang` (the active language by default) needs it in
    `case`; `kind` supplies a designation for bare names. English gets the name as it is."""
    name = TenantName.parse(name_of(tenant_or_name))
    if kind:
        name = name.with_kind(kind)
    language = (lang or translation.get_language() or "de")[:2]
    return name.german(case) if language == "de" else name_of(tenant_or_name)


def carries_designation(tenant_or_name) -> bool:
    """Whether the name says what kind of body it is ("Stadt Musterstadt"), so that listing
    its kind as well would repeat it."""
    return bool(TenantName.parse(name_of(tenant_or_name)).designation)
