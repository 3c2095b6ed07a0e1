"""The organisations every service knows, by code: gemeenten (CBS) and uitvoerders, WSPs.

One list, so that an invoice, a report and a placement name the same organisation the same way
(matching an entity by free text once left Maasgouw's invoice empty). Codes are what travels and
is stored; names are for people (reports, the dashboard). An unknown code is refused at the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# CBS gemeente codes and names: the gemeenten of the sources (../shared/DOMAIN.md) and their
# neighbours. Haaren (GM0788) is absent: dissolved on 1 January 2021.
GEMEENTEN: dict[str, str] = {
    "GM0014": "Groningen",
    "GM0344": "Utrecht",
    "GM0363": "Amsterdam",
    "GM0503": "Delft",
    "GM0518": "'s-Gravenhage",
    "GM0546": "Leiden",
    "GM0599": "Rotterdam",
    "GM0603": "Rijswijk",
    "GM0629": "Wassenaar",
    "GM0637": "Zoetermeer",
    "GM0753": "Best",
    "GM0757": "Boxtel",
    "GM0758": "Breda",
    "GM0772": "Eindhoven",
    "GM0784": "Gilze en Rijen",
    "GM0785": "Goirle",
    "GM0794": "Helmond",
    "GM0796": "'s-Hertogenbosch",
    "GM0797": "Heusden",
    "GM0820": "Nuenen Gerwen en Nederwetten",
    "GM0823": "Oirschot",
    "GM0824": "Oisterwijk",
    "GM0828": "Oss",
    "GM0845": "Sint-Michielsgestel",
    "GM0848": "Son en Breugel",
    "GM0855": "Tilburg",
    "GM0861": "Veldhoven",
    "GM0865": "Vught",
    "GM0917": "Heerlen",
    "GM0935": "Maastricht",
    "GM0946": "Nederweert",
    "GM0957": "Roermond",
    "GM0983": "Venlo",
    "GM0988": "Weert",
    "GM1621": "Lansingerland",
    "GM1640": "Leudal",
    "GM1641": "Maasgouw",
    "GM1669": "Roerdalen",
    "GM1711": "Echt-Susteren",
    "GM1721": "Bernheze",
    "GM1783": "Westland",
    "GM1883": "Sittard-Geleen",
    "GM1894": "Peel en Maas",
    "GM1916": "Leidschendam-Voorburg",
    "GM1926": "Pijnacker-Nootdorp",
    "GM1948": "Meierijstad",
    "GM1952": "Midden-Groningen",
    "GM1966": "Het Hogeland",
    "GM1969": "Westerkwartier",
    "GM1979": "Eemsdelta",
}


class OrganisationKind(StrEnum):
    """What an organisation is to the klantreis."""

    PROVIDER = "provider"  # uitvoerder: WSD, IBN, Westrom, a regional entity
    WSP = "wsp"  # werkgeversservicepunt


@dataclass(frozen=True)
class Organisation:
    """An uitvoerder or WSP: its code (what tokens and events carry), its name, its KvKs."""

    code: str
    name: str
    kind: OrganisationKind
    # KvK numbers under which it employs people itself: a placement with one of these employers
    # is "at the uitvoerder"; with any other employer it is "directly with an employer".
    kvks: tuple[str, ...] = ()
    # True where a value (a KvK) is made up for the demo, not taken from a source.
    illustrative: bool = False


ORGANISATIONS: dict[str, Organisation] = {o.code: o for o in (
    Organisation("WSD", "WSD", OrganisationKind.PROVIDER, kvks=("90000001",), illustrative=True),
    Organisation("IBN", "IBN", OrganisationKind.PROVIDER, kvks=("90000002",), illustrative=True),
    Organisation("WESTROM", "Westrom (entiteit Midden-Limburg Oost)", OrganisationKind.PROVIDER,
                 kvks=("90000003",), illustrative=True),
    Organisation("WERKBEDRIJF-ZOETERMEER", "Werkbedrijf Zoetermeer", OrganisationKind.PROVIDER,
                 kvks=("90000004",), illustrative=True),
    Organisation("ABILITY", "Ability", OrganisationKind.PROVIDER, kvks=("90000005",),
                 illustrative=True),
    Organisation("WSP-NOB", "Werkgeversservicepunt Noordoost-Brabant", OrganisationKind.WSP,
                 illustrative=True),
    Organisation("WSP-MLO", "Werkgeversservicepunt Midden-Limburg", OrganisationKind.WSP,
                 illustrative=True),
)}

PROVIDERS: frozenset[str] = frozenset(
    code for code, o in ORGANISATIONS.items() if o.kind is OrganisationKind.PROVIDER)


def is_gemeente(code: str) -> bool:
    """Is this a CBS code of a gemeente we know?"""
    return code in GEMEENTEN


def is_provider(code: str) -> bool:
    """Is this the code of an uitvoerder we know?"""
    return code in PROVIDERS


def display_name(code: str) -> str:
    """The name people read for a gemeente or organisation code (the code itself if unknown)."""
    if code in GEMEENTEN:
        return GEMEENTEN[code]
    found = ORGANISATIONS.get(code)
    return found.name if found else code


def provider_kvks() -> dict[str, tuple[str, ...]]:
    """Per uitvoerder, the KvK numbers under which it is itself the employer."""
    return {code: ORGANISATIONS[code].kvks for code in sorted(PROVIDERS)}
