"""Invented Dutch-looking names and places for generated records; never real people."""

from __future__ import annotations

FIRST_NAMES_F = (
    "Anouk", "Bo", "Britt", "Daphne", "Demi", "Elif", "Emma", "Esmee", "Eva", "Fenna", "Fleur",
    "Hanna", "Iris", "Isa", "Jade", "Julia", "Kim", "Lara", "Lieke", "Lina", "Lisa", "Lotte",
    "Maud", "Mila", "Naomi", "Nina", "Noor", "Puck", "Roos", "Sanne", "Sara", "Senna", "Tess",
    "Yara", "Zoë", "Amira", "Fatima", "Ilse", "Merel", "Nora",
)  # fmt: skip
FIRST_NAMES_M = (
    "Aaron", "Adam", "Ayoub", "Bas", "Bram", "Daan", "Dex", "Finn", "Gijs", "Hamza", "Jesse",
    "Joep", "Jens", "Kay", "Lars", "Levi", "Luuk", "Mats", "Milan", "Mohamed", "Niels", "Noah",
    "Olivier", "Pim", "Quinten", "Ravi", "Rik", "Ruben", "Sem", "Stijn", "Teun", "Thijs", "Tim",
    "Tygo", "Vince", "Wessel", "Yusuf", "Zeno", "Mees", "Owen",
)  # fmt: skip
FIRST_NAMES_X = ("Alex", "Robin", "Sam", "Charlie", "Noa", "Jip", "Kai", "Luca")
PREFIXES = ("", "", "", "", "", "", "van", "de", "van der", "van den", "van de", "ter", "den")
LAST_NAMES = (
    "Aalbers", "Bakker", "Beekman", "Bosman", "Brouwer", "Dekker", "Doornbos", "Elzinga", "Flik",
    "Geerts", "Haverkamp", "Hendriks", "Hoekstra", "IJzerman", "Jansen", "Kamphuis", "Kok",
    "Kuipers", "Lammers", "Meijer", "Molenaar", "Mulder", "Nijhof", "Oosterhuis", "Peters",
    "Postma", "Reinders", "Rutten", "Schouten", "Smit", "Stam", "Teunissen", "Tuinstra",
    "Veenstra", "Verbeek", "Visser", "Vos", "Wagenaar", "Wijnands", "Zandbergen", "Akkermans",
    "Berg", "Boer", "Brink", "Dijk", "Heuvel", "Laan", "Linden", "Pol", "Velde", "Wal", "Bulut",
    "El Idrissi", "Kaya", "Nguyen", "Pinas", "Ramdin", "Yilmaz", "Zwart", "Hofman",
)  # fmt: skip
STREETS = (
    "Dorpsstraat", "Kerkweg", "Molenlaan", "Schoolstraat", "Beukenlaan", "Eikenlaan", "Lindelaan",
    "Stationsweg", "Julianastraat", "Irenestraat", "Torenstraat", "Havenkade", "Veldweg",
    "Zandpad", "Kastanjelaan", "Merelstraat", "Sportlaan", "Parkweg", "Brugstraat", "Dijkweg",
)  # fmt: skip
POSTCODE_LETTERS = tuple(a + b for a in "ABCEGHJKLMNPRTVWXZ" for b in "ABCEGHJKLMNPRTVWXZ")
CLASS_LETTERS = "ABCDE"

# Invented place names for the national load data: a stem and a suffix.
PLACE_STEMS = (
    "Aal", "Berk", "Brem", "Dal", "Ees", "Eik", "Gos", "Ham", "Heer", "Hol", "Kam", "Lin", "Mol",
    "Noor", "Oost", "Rij", "Sloo", "Ter", "Veen", "Wes", "Wil", "Zand", "Zee", "Ulft",
)  # fmt: skip
PLACE_SUFFIXES = (
    "dam", "dorp", "veen", "wijk", "hoven", "horst", "loo", "broek", "mond", "stad", "zijl", "rode",
)  # fmt: skip
