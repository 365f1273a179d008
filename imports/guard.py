"""The guard against mass obsolescence: a run that would retire much of what it covers.

A real yearly update retires little: nationally at most about 2 % of communes a year (773 of
36,658 at the 2016 peak of communes nouvelles), a few EPCI or PETR outside the reform years. A
cut or wrong file retires nearly everything it covers (425 of Haute-Marne's 426 communes for a
communes file holding one). So a run is refused when it would mark obsolete more than 5 % of
the rows of one kind it covers; below ten rows a share means nothing (a small département or a
PETR file may well lose a few), so those always pass. Real upheavals (a merger wave in one
département, a new intercommunal map, the mandates after an election) pass with
--allow-mass-obsolete. The imports record what they cover with `ImportReport.cover`.
"""

from imports.report import ImportReport

MASS_OBSOLETE_SHARE = 0.05
MASS_OBSOLETE_MIN_ROWS = 10
MASS_OBSOLETE_FLAG = "--allow-mass-obsolete"


def mass_obsolescence(report: ImportReport) -> list[tuple[str, int, int]]:
    """(kind, covered, obsolete) for each kind of row of `report` beyond the threshold."""
    return [
        (what, covered, obsolete)
        for what, (covered, obsolete) in report.coverage.items()
        if obsolete > MASS_OBSOLETE_MIN_ROWS and obsolete > MASS_OBSOLETE_SHARE * covered
    ]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %" if whole else "100 %"


def mass_obsolescence_message(excess: list[tuple[str, int, int]]) -> str:
    """The French explanation of a run refused by the guard, with exact counts per kind."""
    what = " ; ".join(
        f"{obsolete} {kind} sur les {covered} qu'il couvre ({_percent(obsolete, covered)})"
        for kind, covered, obsolete in excess
    )
    share = f"{MASS_OBSOLETE_SHARE:.0%}".replace("%", " %")
    return (
        f"import refusé, rien n'a été enregistré : il rendrait obsolètes {what}. Au-delà de "
        f"{share} et de {MASS_OBSOLETE_MIN_ROWS} lignes, c'est le plus souvent un fichier tronqué "
        "(téléchargement interrompu) ou qui n'est pas le bon. Vérifiez le fichier (--dry-run "
        "affiche les décomptes sans rien enregistrer) ; si ces disparitions sont réelles "
        "(fusions de communes, nouvelle carte intercommunale, mandats après des élections), "
        f"relancez la commande avec {MASS_OBSOLETE_FLAG}."
    )


def dry_run_warning(excess: list[tuple[str, int, int]]) -> str:
    """What a dry run says instead of refusing: the refusal the real run would meet."""
    return (
        f"Attention : sans {MASS_OBSOLETE_FLAG}, l'import réel serait refusé ; "
        + mass_obsolescence_message(excess).split(" : ", 1)[1]
    )
