"""The names of the collectivities that govern territories, as the demo data writes them.

« Région Grand Est », « Département de la Haute-Marne », « Commune du Havre » shortened to
« Le Havre », « CA de Chaumont » spelled out as « Communauté d'agglomération de Chaumont »: the
same forms as the demo data, so an import finds the rows the demo made.
"""

from territories.models import TerritoryKind

# INSEE's TNCC ("type de nom en clair"): the article a name starts with and the linking word
# that replaces it after "Commune" or "Département" (Le Havre → Commune du Havre).
TNCC_ARTICLES = {2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}
TNCC_LINKS = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "aux ",
    7: "de las ",
    8: "de los ",
}

EPCI_PREFIXES = {
    "CA ": "Communauté d'agglomération ",
    "CC ": "Communauté de communes ",
    "CU ": "Communauté urbaine ",
}


def with_link(tncc: int | None, name: str) -> str:
    """« de la Haute-Marne », « du Havre », « d'Épinal »: the name after a noun, per its TNCC.

    Without a TNCC, a name starting with a vowel or h takes « d' », any other « de ».
    """
    if tncc is None:
        tncc = 1 if name[:1].casefold() in "aeiouyéèêâîôûh" else 0
    article = TNCC_ARTICLES.get(tncc, "")
    if article and name.casefold().startswith(article.casefold()):
        name = name[len(article) :]
    return TNCC_LINKS.get(tncc, "de ") + name


def body_names(kind: str, name: str, tncc: int | None) -> tuple[str, str]:
    """The (name, short name) of the collectivity that governs a territory of `kind`.

    A commune's council is shortened to the commune's name; an EPCI's abbreviated official
    name is spelled out and kept, at most 100 characters, as the short name.
    """
    if kind == TerritoryKind.REGION:
        return f"Région {name}", ""
    if kind == TerritoryKind.DEPARTEMENT:
        return f"Département {with_link(tncc, name)}", ""
    if kind == TerritoryKind.COMMUNE:
        return f"Commune {with_link(tncc, name)}", name
    for short, long in EPCI_PREFIXES.items():
        if name.startswith(short):
            return long + name[len(short) :], name[:100]
    return name, ""
