"""What an import tells the person who ran it: counts per kind of row, notes, progress.

Counts are kept per French label (« Territoires », « Mandats »…) and outcome, printed in that
order on the command's stdout; feminine labels agree and containment links are « ajoutées » or
« retirées ». Coverage (rows a source covers and rows it retires) feeds the mass-obsolescence
guard (`imports.guard`).
"""

import sys
from collections import Counter
from dataclasses import dataclass, field

OUTCOMES = {
    "created": "créés",
    "updated": "modifiés",
    "unchanged": "inchangés",
    "obsolete": "rendus obsolètes",
    "protected": "protégés",
}
# Feminine labels agree ("Personnes : 3 créées"); containment links are added or removed.
FEMININE_OUTCOMES = {
    "created": "créées",
    "updated": "modifiées",
    "unchanged": "inchangées",
    "obsolete": "rendues obsolètes",
    "protected": "protégées",
}
LINK_OUTCOMES = {"created": "ajoutées", "obsolete": "retirées"}
LINKS = "Inclusions directes"
OVERLAPS = "Chevauchements"
WORDS = {
    "Personnes": FEMININE_OUTCOMES,
    LINKS: LINK_OUTCOMES,
    OVERLAPS: {"created": "ajoutés", "obsolete": "retirés"},
}


@dataclass
class ImportReport:
    """Counts per kind of row (French label) and outcome, plus free-form notes."""

    counts: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Per kind of row that can be marked obsolete, named in French for the refusal message
    # (« communes », « mandats de conseillers municipaux »): [rows the source covers that were
    # current before the run, rows the run marks obsolete]. Kinds are kept apart so that an
    # empty epci.json is not diluted among 35,000 communes imported beside it.
    coverage: dict[str, list[int]] = field(default_factory=dict)

    def add(self, label: str, outcome: str, n: int = 1) -> None:
        """Count `n` rows of kind `label` with this outcome (created, updated…)."""
        self.counts.setdefault(label, Counter())[outcome] += n

    def cover(self, what: str, covered: int, obsolete: int) -> None:
        """Record that `obsolete` of the `covered` current rows of kind `what` leave the source."""
        entry = self.coverage.setdefault(what, [0, 0])
        entry[0] += covered
        entry[1] += obsolete

    def lines(self) -> list[str]:
        """« Territoires : 3 créés, 0 modifiés… » per label, in the order first counted."""
        out = []
        for label, counter in self.counts.items():
            words = WORDS.get(label, OUTCOMES)
            parts = [f"{counter[key]} {word}" for key, word in words.items()]
            out.append(f"{label} : " + ", ".join(parts))
        return out + self.notes


def write_report(command, report: ImportReport, *, dry_run: bool) -> None:
    """Print the counts of `report` on the command's stdout, in French."""
    for line in report.lines():
        command.stdout.write(line)
    if dry_run:
        command.stdout.write(command.style.WARNING("Simulation : rien n'a été enregistré."))
    else:
        command.stdout.write(command.style.SUCCESS("Import terminé."))


class Progress:
    """A counter on stderr for long work, shown only when someone is watching a terminal."""

    def __init__(self, label: str, every: int = 10_000, stream=None):
        self.label, self.every, self.count = label, every, 0
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, n: int = 1) -> None:
        """Count `n` more, redrawing the line each time a multiple of `every` is passed."""
        before = self.count
        self.count += n
        if self.enabled and before // self.every != self.count // self.every:
            self.stream.write(f"\r{self.label} : {self.count:,}".replace(",", " "))
            self.stream.flush()

    def done(self) -> None:
        """End the counter's line, if one was drawn."""
        if self.enabled and self.count >= self.every:
            self.stream.write("\n")
