"""The questionnaire every installation starts with (version 1). Pure data.

The texts are content, not interface: they are stored in the database in Dutch, and platform
beheer changes them by making a new version, not by changing this file. Deel A follows the steps
the student fills in; deel B has the mentor's student-specific part (including "Ondersteuning →
OPP en nader contact": warme overdracht of a zorgdossier, contact with the MBO wanted) and the
dossier-specific part about the chosen MBO programme.
"""

from __future__ import annotations

from dataclasses import dataclass

from .questionnaire import Kind, Part


@dataclass(frozen=True)
class DefaultQuestion:
    key: str
    text: str
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()
    help_text: str = ""
    section: str = ""


@dataclass(frozen=True)
class DefaultStep:
    key: str
    part: Part
    title: str
    questions: tuple[DefaultQuestion, ...]
    intro: str = ""


Q = DefaultQuestion
YES_NO = Kind.YES_NO

DEFAULT_STEPS: tuple[DefaultStep, ...] = (
    # --- Deel A: de leerling --------------------------------------------------------------------
    DefaultStep(
        key="persoon",
        part=Part.A,
        title="Over jezelf",
        intro="Je naam, geboortedatum en adres neemt het dossier over uit de gegevens van je school.",
        questions=(
            Q("telefoon", "Op welk telefoonnummer ben je bereikbaar?", Kind.TEXT),
            Q("email", "Op welk e-mailadres ben je bereikbaar?", Kind.TEXT),
            Q(
                "ouders_contact",
                "Naam en telefoonnummer van je ouder(s) of verzorger(s)",
                Kind.LONG_TEXT,
                required=False,
            ),
            Q(
                "over_mij",
                "Vertel iets over jezelf: wat doe je graag, waar ben je goed in?",
                Kind.LONG_TEXT,
            ),
        ),
    ),
    DefaultStep(
        key="schoolloopbaan",
        part=Part.A,
        title="Schoolloopbaan",
        questions=(
            Q(
                "huidige_opleiding",
                "Welke opleiding volg je nu?",
                Kind.CHOICE,
                choices=(
                    "Praktijkonderwijs",
                    "Vmbo basisberoepsgerichte leerweg",
                    "Vmbo kaderberoepsgerichte leerweg",
                    "Vmbo gemengde of theoretische leerweg",
                    "Havo",
                    "Vwo",
                    "Voortgezet speciaal onderwijs",
                    "Anders",
                ),
            ),
            Q("profiel", "Welk profiel of welke sector volg je?", Kind.TEXT, required=False),
            Q("diploma_verwacht", "Verwacht je dit schooljaar je diploma te halen?", YES_NO),
            Q(
                "schoolloopbaan_bijzonderheden",
                "Ben je blijven zitten of van school gewisseld? Vertel waarom.",
                Kind.LONG_TEXT,
                required=False,
            ),
            Q("vakken_goed", "In welke vakken ben je goed?", Kind.LONG_TEXT),
            Q("vakken_moeilijk", "Welke vakken vind je moeilijk?", Kind.LONG_TEXT, required=False),
        ),
    ),
    DefaultStep(
        key="lob",
        part=Part.A,
        title="LOB en keuzemotivatie",
        questions=(
            Q(
                "lob_activiteiten",
                "Wat heb je gedaan om je opleiding te kiezen?",
                Kind.MULTIPLE_CHOICE,
                choices=(
                    "Open dag bezocht",
                    "Meeloopdag of proefstuderen",
                    "Stage of bijbaan in deze richting",
                    "Beroepentest of interessetest",
                    "Gesprek met mentor of decaan",
                    "Gesprek met ouders of verzorgers",
                    "Iets anders",
                ),
            ),
            Q("keuzemotivatie", "Waarom kies je voor deze opleiding?", Kind.LONG_TEXT),
            Q("beroepswens", "Welk beroep wil je later uitoefenen?", Kind.TEXT, required=False),
            Q(
                "zeker_van_keuze",
                "Hoe zeker ben je van je keuze?",
                Kind.CHOICE,
                choices=("Heel zeker", "Redelijk zeker", "Ik twijfel nog"),
            ),
        ),
    ),
    DefaultStep(
        key="mbo_opleiding",
        part=Part.A,
        title="Gekozen mbo-opleiding",
        questions=(
            Q("mbo_instelling", "Bij welke mbo-school wil je gaan studeren?", Kind.TEXT),
            Q("mbo_opleiding", "Welke opleiding heb je gekozen?", Kind.TEXT),
            Q(
                "mbo_niveau",
                "Op welk niveau?",
                Kind.CHOICE,
                choices=(
                    "Niveau 1 (Entree)",
                    "Niveau 2",
                    "Niveau 3",
                    "Niveau 4",
                    "Weet ik nog niet",
                ),
            ),
            Q(
                "mbo_leerweg",
                "In welke leerweg?",
                Kind.CHOICE,
                choices=("BOL (vooral op school)", "BBL (werken en leren)", "Weet ik nog niet"),
            ),
            Q("aangemeld", "Heb je je al aangemeld bij deze opleiding?", YES_NO),
            Q("aangemeld_op", "Wanneer heb je je aangemeld?", Kind.DATE, required=False),
        ),
    ),
    DefaultStep(
        key="ondersteuning_leerling",
        part=Part.A,
        title="Ondersteuning",
        questions=(
            Q(
                "ondersteuning_nodig",
                "Denk je dat je op het mbo extra hulp of ondersteuning nodig hebt?",
                YES_NO,
            ),
            Q(
                "ondersteuning_welke",
                "Zo ja, waarbij heb je hulp nodig?",
                Kind.LONG_TEXT,
                required=False,
            ),
            Q(
                "ondersteuning_nu",
                "Krijg je nu op school extra begeleiding? Zo ja, welke?",
                Kind.LONG_TEXT,
                required=False,
            ),
        ),
    ),
    # --- Deel B: leerling-specifiek deel (mentor; mag al vóór deel A) -----------------------------
    DefaultStep(
        key="leerling_beeld",
        part=Part.B_STUDENT,
        title="Beeld van de leerling",
        questions=(
            Q(
                "werkhouding",
                "Hoe is de werkhouding van de leerling?",
                Kind.CHOICE,
                choices=("Goed", "Voldoende", "Wisselend", "Onvoldoende"),
            ),
            Q(
                "aanwezigheid",
                "Hoe is de aanwezigheid van de leerling?",
                Kind.CHOICE,
                choices=("Geen zorgen", "Enige zorgen", "Zorgelijk verzuim"),
            ),
            Q("sterke_punten", "Wat zijn de sterke punten van de leerling?", Kind.LONG_TEXT),
            Q(
                "aandachtspunten",
                "Welke aandachtspunten ziet u voor de leerling?",
                Kind.LONG_TEXT,
                required=False,
            ),
        ),
    ),
    DefaultStep(
        key="ondersteuning",
        part=Part.B_STUDENT,
        title="Ondersteuning",
        questions=(
            Q(
                "extra_ondersteuning",
                "Heeft de leerling extra ondersteuning gekregen?",
                YES_NO,
                section="Ondersteuning",
            ),
            Q(
                "ondersteuning_toelichting",
                "Welke ondersteuning en wat werkte goed?",
                Kind.LONG_TEXT,
                required=False,
                section="Ondersteuning",
            ),
            Q(
                "opp",
                "Heeft de leerling een ontwikkelingsperspectiefplan (OPP)?",
                YES_NO,
                section="OPP en nader contact",
            ),
            Q(
                "warme_overdracht",
                "Is er sprake van een warme overdracht van een zorgdossier?",
                YES_NO,
                section="OPP en nader contact",
                help_text="Deze informatie is zichtbaar voor het mbo, als het mbo deelneemt aan het Digitaal Doorstroomdossier.",
            ),
            Q(
                "contact_mbo_gewenst",
                "Is er behoefte aan contact met het mbo over deze leerling?",
                YES_NO,
                section="OPP en nader contact",
                help_text="Deze informatie is zichtbaar voor het mbo, als het mbo deelneemt aan het Digitaal Doorstroomdossier.",
            ),
            Q(
                "contact_toelichting",
                "Toelichting op het gewenste contact",
                Kind.LONG_TEXT,
                required=False,
                section="OPP en nader contact",
            ),
        ),
    ),
    # --- Deel B: dossier-specifiek deel (mentor; pas nadat deel A is opgestuurd) ------------------
    DefaultStep(
        key="advies",
        part=Part.B_DOSSIER,
        title="Advies over de gekozen opleiding",
        questions=(
            Q(
                "advies_keuze",
                "Wat is uw advies over de opleidingskeuze van de leerling?",
                Kind.CHOICE,
                choices=(
                    "Positief",
                    "Positief, met aandachtspunten",
                    "Twijfel",
                    "Negatief",
                ),
            ),
            Q("advies_toelichting", "Licht uw advies toe.", Kind.LONG_TEXT),
            Q(
                "diploma_haalbaar",
                "Verwacht u dat de leerling de vooropleiding met een diploma afrondt?",
                YES_NO,
            ),
        ),
    ),
)
