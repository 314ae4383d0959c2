"""The word lists behind `simpul.lib.names`: titles, degrees, patronymic markers, spellings
of Muhammad, Batak clan names and weak tokens (docs/domain.md section 7). Data only."""

from __future__ import annotations

# Titles and honorifics written before the name, in their dot-less form. They are only
# stripped from the start of a name, because several double as given names elsewhere
# ("Andi Saputra" in Java, "Muhammad Andi") and single letters ("H.", "R.") are only
# titles in front of the name.
PREFIX_TITLES: frozenset[str] = frozenset(
    {
        # Pilgrimage and religious honorifics.
        "h",
        "hj",
        "haji",
        "hajjah",
        "kh",
        "ust",
        "ustad",
        "ustadz",
        "ustaz",
        "ustadzah",
        "ustazah",
        # Noble titles (Javanese, Bugis, Acehnese, Malay).
        "r",
        "raden",
        "ra",
        "rm",
        "rr",
        "ray",
        "andi",
        "teuku",
        "tengku",
        "cut",
        # Academic and professional titles written before the name.
        "dr",
        "drs",
        "dra",
        "ir",
        "prof",
        # Forms of address used in letters and reports.
        "bapak",
        "bpk",
        "ibu",
        "sdr",
        "sdri",
        "nn",
        "ny",
        "tn",
    }
)

# Academic degrees written after the name, in their dot-less form ("S.Pd.I." -> "spdi").
# They are stripped anywhere except in first position, so that "St. Aminah" (St. is a
# common abbreviation of Siti) keeps its first token.
DEGREE_TITLES: frozenset[str] = frozenset(
    {
        "amd",
        "amdkeb",
        "amdkep",
        "mag",
        "mh",
        "mkes",
        "mkom",
        "mm",
        "mpd",
        "msc",
        "msi",
        "mt",
        "phd",
        "sag",
        "se",
        "sh",
        "sip",
        "sked",
        "skep",
        "skom",
        "spd",
        "spdi",
        "spsi",
        "ssi",
        "ssos",
        "st",
        "sth",
    }
)

TITLES: frozenset[str] = PREFIX_TITLES | DEGREE_TITLES

# Prefix titles that are usually written as dotted initials ("K.H.", "R.A.", "R.M.").
PREFIX_COMPOUNDS: frozenset[str] = frozenset({"kh", "ra", "rm", "ray", "rr"})

# Words meaning "son/daughter of"; what follows is the father's name, not the person's.
# A bare "b" only counts when written "b." so that a middle initial B is not mistaken
# for a patronymic.
PATRONYMIC_MARKERS: frozenset[str] = frozenset({"bin", "binti", "bt", "bte"})

# Spellings and abbreviations of Muhammad. A lone "m" is handled separately because it is
# only an abbreviation in first position ("M. Rizki", not "Rizki M.").
MUHAMMAD_VARIANTS: frozenset[str] = frozenset(
    {
        "muhammad",
        "muhamad",
        "muhammed",
        "mohamad",
        "mohammad",
        "mohamed",
        "mohammed",
        "mochamad",
        "mochammad",
        "moehamad",
        "moehammad",
        "mukhamad",
        "mukhammad",
        "muchamad",
        "muchammad",
        "mohd",
        "moh",
        "moch",
        "muh",
        "much",
        "md",
        "mhd",
    }
)

# Common Batak clan names. A marga is a family name, so it is the one token in an
# Indonesian name that reliably identifies kin; it is reported separately for matching.
BATAK_MARGA: frozenset[str] = frozenset(
    {
        "aritonang",
        "batubara",
        "butarbutar",
        "dalimunthe",
        "damanik",
        "daulay",
        "ginting",
        "gultom",
        "gurning",
        "harahap",
        "hasibuan",
        "hutabarat",
        "hutagalung",
        "hutapea",
        "hutauruk",
        "karokaro",
        "lubis",
        "lumbangaol",
        "lumbantobing",
        "manullang",
        "manurung",
        "marpaung",
        "matondang",
        "munthe",
        "nababan",
        "nainggolan",
        "napitupulu",
        "nasution",
        "pakpahan",
        "pane",
        "panjaitan",
        "pardede",
        "pasaribu",
        "peranginangin",
        "pohan",
        "pulungan",
        "purba",
        "rajagukguk",
        "rangkuti",
        "ritonga",
        "sagala",
        "samosir",
        "saragih",
        "sembiring",
        "siagian",
        "siahaan",
        "sianturi",
        "sibarani",
        "siburian",
        "sidabutar",
        "sihombing",
        "sihotang",
        "silaban",
        "silalahi",
        "silitonga",
        "simanjuntak",
        "simarmata",
        "simatupang",
        "simbolon",
        "simorangkir",
        "sinaga",
        "sinambela",
        "sinulingga",
        "sirait",
        "siregar",
        "sitanggang",
        "sitepu",
        "sitompul",
        "sitorus",
        "situmorang",
        "tambunan",
        "tampubolon",
        "tanjung",
        "tarigan",
        "tobing",
    }
)

# Markers a married Batak woman may put before her marga ("Rosa br. Sembiring").
BORU_MARKERS: frozenset[str] = frozenset({"br", "boru"})

# Tokens that say little about who a person is: Balinese birth-order names and "muhammad",
# which a large share of men carry. Used for the "without weak tokens" search key.
WEAK_TOKENS: frozenset[str] = frozenset(
    {
        "wayan",
        "made",
        "nyoman",
        "ketut",
        "putu",
        "kadek",
        "komang",
        "nengah",
        "gede",
        "gusti",
        "ngurah",
        "muhammad",
    }
)

# Balinese gender markers ("I Wayan", "Ni Made"); weak only in first position.
WEAK_FIRST_TOKENS: frozenset[str] = frozenset({"i", "ni"})
