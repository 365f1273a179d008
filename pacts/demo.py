"""Demo data: the press release of 15 January 2019 on two POCE signed in Haute-Marne.

`demo_load()` writes everything the release says — programme, territories and their
containment, bodies, people and their mandates, the two pacts with their parties, signing
events, attendees, declaration, strategies, themes, and the release itself as a source — and
nothing it does not say. Every row is found by its natural key, so the function can be run
again at will: a second run creates nothing and changes nothing.

It never overwrites: a row that exists is left as it is, even where it differs from the release
(a member of staff corrected a venue, unpublished a pact, removed a theme), and is reported as
such; only what is missing is created. Its writes are recorded in the history under a system
account (`DEMO_USERNAME`), not as anonymous changes.
"""

import datetime
from collections import Counter, defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import models, transaction

from pacts.models import (
    Attendance,
    Pact,
    PactParty,
    PactStatus,
    PartyRole,
    Programme,
    SigningEvent,
    Source,
    Statement,
    Strategy,
    Theme,
)
from people.models import Function, Gender, Mandate, Person
from territories.models import Body, BodyKind, Territory, TerritoryKind
from territories.services import containment_check_parents, containment_rebuild

# Shipped with the code: the project never reads the shared seed folder at run time. This is the
# release as plain text (markdown emphasis and dead "#" links removed, every word kept).
PRESS_RELEASE_PATH = Path(__file__).resolve().parent / "demo_data" / "communique-2019-01-15.txt"

PRESS_RELEASE_TITLE = (
    "La Région Grand Est aux côtés des territoires avec la signature de deux Pactes Offensive "
    "Croissance Emploi (POCE) en Haute-Marne"
)
SIGNING_DATE = datetime.date(2019, 1, 15)

PROGRAMME_DESCRIPTION = (
    "Le POCE se base sur les besoins du territoire en fonction de ses spécificités, de ses "
    "atouts et de ses potentiels et constitue un lieu privilégié de dialogue, de "
    "co-construction et de coopération. Il permet d'identifier les actions structurantes, en "
    "matière de développement économique et d'innovation, décisives pour l'avenir du "
    "territoire et la création d'emplois, et pour lesquelles la Région et le territoire font "
    "levier."
)
# The release's sentence, with its subject "Il" replaced by what it stands for.
PACT_SUMMARY = (
    "Le POCE permet d'identifier les actions structurantes, en matière de développement "
    "économique et d'innovation, décisives pour l'avenir du territoire et la création "
    "d'emplois, et pour lesquelles la Région et le territoire font levier."
)
# The release's last two paragraphs, verbatim: they describe both pacts alike.
PACT_DESCRIPTION = (
    "La Région Grand Est a mis en œuvre une stratégie de développement économique partagée "
    "visant à redynamiser la croissance économique et la compétitivité des entreprises en vue "
    "de créer des emplois sur le territoire régional. Ainsi, le POCE s'inscrit dans la "
    "stratégie de développement économique de la Région (SRDEII), la stratégie d'aménagement "
    "du territoire (SRADDET) et de la formation professionnelle continue (CPRDFOP – "
    "Performance Grand Est) et a vocation à développer l'attractivité économique et "
    "industrielle du territoire.\n\n"
    "C'est dans ce cadre que la Région Grand Est, la Communauté d'agglomération de Chaumont, "
    "la Communauté de Communes de Meuse-Rognon, ainsi que la Communauté du Grand Langres ont "
    "souhaité agir ensemble au service de cette ambition afin de mobiliser l'ensemble de leurs "
    "compétences et leurs moyens autour de leurs savoir-faire industriels et de leurs filières."
)
ROTTNER_DECLARATION = (
    "Je suis heureux que la Région soit aux côtés des territoires pour une action efficace et "
    "coordonnée des acteurs économiques. L'emploi est une priorité de la Région ainsi elle "
    "encourage les alliances territoriales pour développer la compétitivité et l'attractivité "
    "économique du Grand Est, dans un esprit d'efficacité et de proximité. En signant ces POCE "
    "nous scellons un partenariat fort de dialogue et d'action dont l'objectif est de faire "
    "levier pour encourager l'innovation et doper la compétitivité, l'attractivité économique "
    "et l'emploi dans les territoires."
)

CHAUMONT_PACT_TITLE = (
    "Pacte Offensive Croissance Emploi de la Communauté d'agglomération de Chaumont "
    "et de la Communauté de communes Meuse-Rognon"
)
LANGRES_PACT_TITLE = "Pacte Offensive Croissance Emploi du PETR du Pays de Langres"

# Words the release itself uses for what the pacts are about.
THEMES = ["Développement économique", "Innovation", "Emploi", "Savoir-faire industriels"]
STRATEGIES = [
    (
        "SRDEII",
        "Schéma régional de développement économique, d'innovation et d'internationalisation",
    ),
    (
        "SRADDET",
        "Schéma régional d'aménagement, de développement durable et d'égalité des territoires",
    ),
    (
        "CPRDFOP",
        "Contrat de plan régional de développement des formations et de l'orientation "
        "professionnelles (Performance Grand Est)",
    ),
]


# "updated": a missing link between reference rows was added (containment, overlap);
# "kept": the row differs from the release and was left as staff or an import made it.
OUTCOMES = ("created", "updated", "kept", "unchanged")

# The account the history names for the demo's writes; it cannot log in.
DEMO_USERNAME = "donnees-de-demonstration"


def demo_user():
    """The inactive account under which the demo's writes are recorded in the history."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"first_name": "Données", "last_name": "de démonstration", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class _Tally:
    """What happened to each row this run: created, updated (values or links) or unchanged."""

    def __init__(self, user=None) -> None:
        self.outcomes: dict[tuple[type[models.Model], int], str] = {}
        self.user = user

    def record(self, obj: models.Model, outcome: str) -> None:
        key = (type(obj), obj.pk)
        # A row created this run and then linked is still "created", not also "updated".
        previous = self.outcomes.get(key, "unchanged")
        self.outcomes[key] = min(previous, outcome, key=OUTCOMES.index)

    def as_dict(self) -> dict:
        by_model: dict[str, Counter] = defaultdict(Counter)
        for (model, _pk), outcome in self.outcomes.items():
            by_model[str(model._meta.verbose_name_plural)][outcome] += 1
        totals = Counter(self.outcomes.values())
        return {
            **{outcome: totals[outcome] for outcome in OUTCOMES},
            "by_model": {
                name: {outcome: counts[outcome] for outcome in OUTCOMES}
                for name, counts in sorted(by_model.items())
            },
        }


def _sync(
    tally: _Tally,
    model: type[models.Model],
    lookup: dict,
    values: dict | None = None,
    *,
    defaults: dict | None = None,
):
    """Find the row by its natural key `lookup`, or create it with `values` and `defaults`.

    An existing row is never written: where it differs from `values` it is reported as
    "kept" (staff or an import changed it since; their version wins).

    `get` (not `first`) on purpose: two rows answering one natural key is a data error to
    surface, not to paper over. A new row is validated with `full_clean()` before it is saved.
    """
    values = values or {}
    try:
        obj = model.objects.get(**lookup)
    except model.DoesNotExist:
        obj = model(**lookup, **(defaults or {}), **values)
        obj.full_clean()
        obj._history_user = tally.user
        obj.save()
        tally.record(obj, "created")
        return obj
    differs = any(getattr(obj, field) != value for field, value in values.items())
    tally.record(obj, "kept" if differs else "unchanged")
    return obj


def _sync_m2m(tally: _Tally, obj: models.Model, field: str, wanted) -> None:
    """Give a row created this run its many-to-many `field`; an existing row keeps its own."""
    manager = getattr(obj, field)
    wanted_pks = {item.pk for item in wanted}
    if set(manager.values_list("pk", flat=True)) == wanted_pks:
        return
    if tally.outcomes.get((type(obj), obj.pk)) == "created":
        obj._history_user = tally.user
        manager.set(wanted)
    else:
        tally.record(obj, "kept")


def _contain(tally: _Tally, territory: Territory, parents: list[Territory]) -> bool:
    """Add `parents` to the direct containers of `territory`, keeping any already recorded.

    Only added, never replaced: an import of the official references may have recorded
    containers the release does not mention, and the demo must not erase them. The derived
    closure is left to one `containment_rebuild` once every link is in place. Returns whether
    anything was added.
    """
    current = list(territory.parents.all())
    missing = [parent for parent in parents if parent not in current]
    if missing:
        containment_check_parents(territory=territory, parents=missing)
        territory.parents.add(*missing)
        tally.record(territory, "updated")
    return bool(missing)


@transaction.atomic
def demo_load() -> dict:
    """Write the press release of 15 January 2019 into the database, idempotently.

    Returns the number of rows created, completed with a missing link ("updated"), left as
    they were although they differ from the release ("kept") and unchanged, in total and per
    model (keyed by the model's French plural name).
    """
    tally = _Tally(user=demo_user())

    def territory(kind: str, code: str, name: str) -> Territory:
        if code:
            # An imported official name wins over the demo's (same rule as for bodies).
            return _sync(tally, Territory, {"kind": kind, "code": code}, defaults={"name": name})
        # Code unknown: found by name, and a code filled in later is left alone.
        return _sync(tally, Territory, {"kind": kind, "name": name})

    # --- Territories (official INSEE codes and SIREN) and their containment -----------------
    grand_est = territory(TerritoryKind.REGION, "44", "Grand Est")
    haute_marne = territory(TerritoryKind.DEPARTEMENT, "52", "Haute-Marne")
    chaumont = territory(TerritoryKind.COMMUNE, "52121", "Chaumont")
    langres = territory(TerritoryKind.COMMUNE, "52269", "Langres")
    doulaincourt = territory(TerritoryKind.COMMUNE, "52177", "Doulaincourt-Saucourt")
    ca_chaumont = territory(TerritoryKind.CA, "200068658", "CA de Chaumont")
    cc_meuse_rognon = territory(TerritoryKind.CC, "200069664", "CC Meuse Rognon")
    cc_grand_langres = territory(TerritoryKind.CC, "200072999", "CC du Grand Langres")
    cc_auberive = territory(
        TerritoryKind.CC, "200027308", "CC d'Auberive Vingeanne et Montsaugeonnais"
    )
    cc_savoir_faire = territory(TerritoryKind.CC, "200070332", "CC des Savoir-Faire")
    # The release gives no SIREN for the PETR; none is invented.
    petr_langres = territory(TerritoryKind.PETR, "", "PETR du Pays de Langres")

    # The CC des Savoir-Faire reaches into Haute-Saône, and so does the PETR through it: both
    # only overlap Haute-Marne (docs/architecture.md, « Contenance et chevauchement »).
    epcis_in_haute_marne = (ca_chaumont, cc_meuse_rognon, cc_grand_langres, cc_auberive)
    for straddling in (cc_savoir_faire, petr_langres):
        if not straddling.overlaps.filter(pk=haute_marne.pk).exists():
            straddling.overlaps.add(haute_marne)
            tally.record(straddling, "updated")
    links = [
        (haute_marne, [grand_est]),
        *((epci, [haute_marne]) for epci in epcis_in_haute_marne),
        *((member, [petr_langres]) for member in (cc_grand_langres, cc_auberive, cc_savoir_faire)),
        # Only the commune→EPCI links certain from the COG; Doulaincourt-Saucourt's is unknown.
        (chaumont, [haute_marne, ca_chaumont]),
        (langres, [haute_marne, cc_grand_langres]),
        (doulaincourt, [haute_marne]),
    ]
    changed = [t.pk for t, parents in links if _contain(tally, t, parents)]
    if changed:
        containment_rebuild(changed)

    # --- Bodies ---------------------------------------------------------------------------
    def body(*, siren: str, name: str, **values) -> Body:
        if siren:
            # The official name from an import (« Meuse Rognon ») wins over the release's
            # spelling (« Meuse-Rognon »), so that neither rewrites the other on every run.
            return _sync(tally, Body, {"siren": siren}, values, defaults={"name": name})
        # SIREN not in the release: found by name, and a SIREN filled in later is kept.
        return _sync(tally, Body, {"name": name}, values)

    region = body(siren="", name="Région Grand Est", kind=BodyKind.REGION, territory=grand_est)
    ca_body = body(
        siren="200068658",
        name="Communauté d'agglomération de Chaumont",
        short_name="CA de Chaumont",
        kind=BodyKind.EPCI,
        territory=ca_chaumont,
    )
    meuse_rognon_body = body(
        siren="200069664",
        name="Communauté de communes Meuse-Rognon",
        kind=BodyKind.EPCI,
        territory=cc_meuse_rognon,
    )
    petr_body = body(
        siren="", name="PETR du Pays de Langres", kind=BodyKind.PETR, territory=petr_langres
    )
    # The release writes "Communauté du Grand Langres"; its legal name is a communauté de
    # communes, which the SIREN identifies.
    grand_langres_body = body(
        siren="200072999",
        name="Communauté de communes du Grand Langres",
        kind=BodyKind.EPCI,
        territory=cc_grand_langres,
    )
    doulaincourt_body = body(
        siren="",
        name="Commune de Doulaincourt-Saucourt",
        short_name="Doulaincourt-Saucourt",
        kind=BodyKind.COMMUNE,
        territory=doulaincourt,
    )

    # --- People and mandates (dates unknown: never written) -----------------------------
    def person(first_name: str, last_name: str, **values) -> Person:
        return _sync(tally, Person, {"first_name": first_name, "last_name": last_name}, values)

    def mandate(holder: Person, where: Body, function: str, label: str = "", **values):
        lookup = {"person": holder, "body": where, "function": function, "label": label}
        return _sync(tally, Mandate, lookup, {"elected": True, **values})

    rottner = person("Jean", "Rottner", gender=Gender.MALE)
    guillemy = person("Christine", "Guillemy", gender=Gender.FEMALE)
    guy = person("Bernard", "Guy", gender=Gender.MALE)
    thiebaud = person("Dominique", "Thiebaud", gender=Gender.MALE)
    merabet = person("Lilla", "Merabet", gender=Gender.FEMALE)
    heliot_couronne = person("Isabelle", "Heliot Couronne", gender=Gender.FEMALE)
    sadocco = person("Remy", "Sadocco", gender=Gender.MALE)
    borde = person("Philippe", "Borde", gender=Gender.MALE)
    marechal = person("Guillaume", "Maréchal", gender=Gender.MALE)
    fabre = person("Frédéric", "Fabre", gender=Gender.MALE)
    # No gendered title for her in the release, and "Contact presse" needs no agreement.
    tortil_texier = person(
        "Gaëlle",
        "Tortil-Texier",
        public_email="gaelle.tortil-texier@grandest.fr",
        public_phone="06 78 79 93 36 / 03 88 15 69 84",
        # A member of staff: kept for the Région's team, not shown until someone ticks it.
        is_contact=True,
    )

    rottner_president = mandate(rottner, region, Function.PRESIDENT)
    guillemy_president = mandate(guillemy, ca_body, Function.PRESIDENT)
    mandate(
        guillemy,
        region,
        Function.VICE_PRESIDENT,
        "Vice-Présidente en charge de la Formation initiale, Lycée et Apprentissage",
    )
    guy_president = mandate(guy, meuse_rognon_body, Function.PRESIDENT)
    thiebaud_president = mandate(thiebaud, petr_body, Function.PRESIDENT)
    present = [
        mandate(
            merabet,
            region,
            Function.VICE_PRESIDENT,
            "Vice-Présidente en charge de la Compétitivité, de l'Innovation et du Numérique",
        ),
        mandate(
            heliot_couronne,
            region,
            Function.COMMITTEE_CHAIR,
            "Présidente de la Commission Développement économique",
        ),
        mandate(
            sadocco,
            region,
            Function.COMMITTEE_CHAIR,
            "Président de la Commission Innovation, Enseignement Supérieur et Recherche",
        ),
        mandate(borde, region, Function.COUNCILLOR),
        mandate(marechal, region, Function.COUNCILLOR),
        # Fabre is listed among the "élus de la Région Grand Est": present as a councillor.
        mandate(fabre, region, Function.COUNCILLOR),
    ]
    mandate(fabre, doulaincourt_body, Function.MAYOR)
    mandate(tortil_texier, region, Function.STAFF, "Contact presse", elected=False)

    # --- Programme, reference lists -----------------------------------------------------
    poce = _sync(
        tally,
        Programme,
        {"name": "Pacte Offensive Croissance Emploi"},
        {"acronym": "POCE", "owner": region, "description": PROGRAMME_DESCRIPTION},
    )
    themes = [_sync(tally, Theme, {"name": name}) for name in THEMES]
    strategies = [
        _sync(tally, Strategy, {"acronym": acronym}, {"name": name}) for acronym, name in STRATEGIES
    ]

    # --- The two pacts ------------------------------------------------------------------
    def pact(title: str, covered: list[Territory]) -> Pact:
        obj = _sync(
            tally,
            Pact,
            {"programme": poce, "title": title},
            {
                "status": PactStatus.SIGNED,
                "summary": PACT_SUMMARY,
                "description": PACT_DESCRIPTION,
                "published": True,
            },
        )
        _sync_m2m(tally, obj, "territories", covered)
        _sync_m2m(tally, obj, "themes", themes)
        _sync_m2m(tally, obj, "strategies", strategies)
        return obj

    def event(of: Pact, commune: Territory, venue: str, description: str) -> SigningEvent:
        return _sync(
            tally,
            SigningEvent,
            {"pact": of, "date": SIGNING_DATE, "commune": commune},
            {"venue": venue, "description": description},
        )

    def party(of: Pact, order: int, party_body: Body, role: str, signed_by=None, at=None):
        return _sync(
            tally,
            PactParty,
            {"pact": of, "body": party_body},
            {"role": role, "mandate": signed_by, "signing_event": at, "order": order},
        )

    chaumont_pact = pact(CHAUMONT_PACT_TITLE, [ca_chaumont, cc_meuse_rognon])
    chaumont_event = event(
        chaumont_pact,
        chaumont,
        "Pépinière d'entreprises Plein'Est",
        "devant de nombreux élus et chefs d'entreprises du territoire",
    )
    party(chaumont_pact, 0, region, PartyRole.SIGNATORY, rottner_president, chaumont_event)
    party(chaumont_pact, 1, ca_body, PartyRole.SIGNATORY, guillemy_president, chaumont_event)
    party(chaumont_pact, 2, meuse_rognon_body, PartyRole.SIGNATORY, guy_president, chaumont_event)

    langres_pact = pact(LANGRES_PACT_TITLE, [petr_langres])
    langres_event = event(
        langres_pact,
        langres,
        "Freudenberg Joints Elastomères",
        "suivi d'un temps d'échange avec les élus des communes concernées",
    )
    party(langres_pact, 0, region, PartyRole.SIGNATORY, rottner_president, langres_event)
    party(langres_pact, 1, petr_body, PartyRole.SIGNATORY, thiebaud_president, langres_event)
    # The release says only that the Grand Langres "a souhaité agir ensemble" with the others:
    # associated with the pact of its PETR, not a signatory.
    party(langres_pact, 2, grand_langres_body, PartyRole.PARTNER)

    # "Ces deux rendez-vous se sont déroulés en présence d'élus de la Région": both events.
    for signing in (chaumont_event, langres_event):
        for held in present:
            _sync(
                tally,
                Attendance,
                {"event": signing, "person": held.person},
                {"mandate": held},
            )

    # The release does not say at which of the two events Jean Rottner said this; it is
    # attached to the first one (Chaumont), where the day began.
    _sync(
        tally,
        Statement,
        {"event": chaumont_event, "person": rottner},
        {"text": ROTTNER_DECLARATION},
    )

    # --- The release itself -------------------------------------------------------------
    source = _sync(
        tally,
        Source,
        {"title": PRESS_RELEASE_TITLE, "date": SIGNING_DATE},
        {
            "publisher": region,
            "contact": tortil_texier,
            "text": PRESS_RELEASE_PATH.read_text(encoding="utf-8"),
        },
    )
    _sync_m2m(tally, source, "pacts", [chaumont_pact, langres_pact])

    return tally.as_dict()
