"""A synthetic Indonesian population recorded many times over, for tests and benchmarks.

Every name is invented from common given names and family names of the main groups that
send migrant workers (Javanese, Sundanese, Malay, Sasak, Batak, Balinese, NTT, Dayak,
Chinese-Indonesian); villages are real Kemendagri codes from the vendored region file,
weighted towards the sending provinces. Each person then appears in one to six registries
(missing report, deportee list, shelter, police, IOM, intake, departure), and each record
carries the errors these records really have: typos, old spelling (Soeharto, Djoko,
Tjahjono), Muhammad written as M./Moh./Mochammad, titles, "binti" and the father's name,
"br." before a marga, given and family name swapped, a name cut to a mononym, missing NIK,
NIK typos, day and month swapped, year-only dates, and birth years falsified by a few years
on passport-based records.

The truth (`person_id`) is kept in its own column so that any method can be scored.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from simpul.lib.names import BATAK_MARGA

SOURCES = (
    "missing_report",
    "deportee_list",
    "shelter",
    "police",
    "iom",
    "intake",
    "departure",
)
_PASSPORT_SOURCES = frozenset({"deportee_list", "iom", "departure"})
_NIK_RATE = {
    "missing_report": 0.65,
    "deportee_list": 0.35,
    "shelter": 0.45,
    "police": 0.6,
    "iom": 0.3,
    "intake": 0.4,
    "departure": 0.9,
}

# Provinces that send most migrant workers, and the name groups living there.
_PROVINCES: list[tuple[str, float, str]] = [
    ("35", 0.16, "java"),
    ("33", 0.14, "java"),
    ("32", 0.12, "sunda"),
    ("52", 0.12, "sasak"),
    ("53", 0.10, "ntt"),
    ("61", 0.09, "kalbar"),
    ("18", 0.06, "java"),
    ("12", 0.07, "batak"),
    ("51", 0.04, "bali"),
    ("21", 0.04, "malay"),
    ("14", 0.03, "malay"),
    ("73", 0.03, "malay"),
]

_NAMES: dict[str, dict[str, list[str]]] = {
    "java": {
        "F": [
            "Sri",
            "Siti",
            "Dwi",
            "Tri",
            "Endang",
            "Sulastri",
            "Suwarni",
            "Wahyuni",
            "Rahayu",
            "Lestari",
            "Ningsih",
            "Purwanti",
            "Sumiati",
            "Suharti",
            "Yuliana",
            "Kartini",
            "Sukarsih",
            "Winarsih",
            "Marsini",
            "Tumini",
            "Dewi",
            "Ratna",
            "Yuni",
            "Indah",
            "Puji",
            "Nur",
            "Eka",
            "Sari",
        ],
        "M": [
            "Slamet",
            "Joko",
            "Bambang",
            "Sugeng",
            "Budi",
            "Agus",
            "Eko",
            "Heru",
            "Suparno",
            "Sutrisno",
            "Wahyudi",
            "Cahyono",
            "Suharto",
            "Sujarwo",
            "Triyono",
            "Purnomo",
            "Hadi",
            "Supriyadi",
            "Darmaji",
            "Sunarto",
            "Muhammad",
            "Ahmad",
            "Yusuf",
            "Teguh",
            "Dwi",
            "Rudi",
        ],
        "family": [
            "Santoso",
            "Wibowo",
            "Setiawan",
            "Prasetyo",
            "Nugroho",
            "Susanto",
            "Hartono",
            "Kurniawan",
            "Saputra",
            "Wijaya",
            "Pratama",
            "Hidayat",
            "Rahmawati",
            "Lestari",
            "Handayani",
            "Wulandari",
            "Astuti",
            "Utami",
            "Puspitasari",
            "Anggraini",
            "Suryani",
            "Mulyono",
            "Sutanto",
            "Widodo",
            "Kusuma",
            "Purwanto",
        ],
    },
    "sunda": {
        "F": [
            "Euis",
            "Neneng",
            "Cucu",
            "Imas",
            "Lilis",
            "Nining",
            "Yati",
            "Entin",
            "Dedeh",
            "Siti",
            "Rina",
            "Nurhayati",
            "Ani",
            "Iis",
            "Teti",
            "Yeni",
        ],
        "M": [
            "Asep",
            "Ujang",
            "Dadang",
            "Cecep",
            "Ade",
            "Dede",
            "Iwan",
            "Yayan",
            "Endang",
            "Muhammad",
            "Ahmad",
            "Agus",
            "Usep",
            "Deden",
            "Jajang",
        ],
        "family": [
            "Suryana",
            "Kusnadi",
            "Hermawan",
            "Supriatna",
            "Sopandi",
            "Rohmat",
            "Sukmana",
            "Mulyani",
            "Rosita",
            "Saepudin",
            "Hidayat",
            "Permana",
            "Gunawan",
            "Setiadi",
            "Kurnia",
            "Rahmat",
        ],
    },
    "malay": {
        "F": [
            "Nur",
            "Nurul",
            "Siti",
            "Fatimah",
            "Aisyah",
            "Zainab",
            "Rohani",
            "Rosmawati",
            "Halimah",
            "Maimunah",
            "Juliana",
            "Fitri",
            "Rahma",
            "Aminah",
            "Salmah",
            "Hasnah",
        ],
        "M": [
            "Muhammad",
            "Ahmad",
            "Abdul",
            "Hasan",
            "Husin",
            "Ismail",
            "Yusuf",
            "Rizki",
            "Fajar",
            "Ilham",
            "Hendra",
            "Rahmat",
            "Syahrul",
            "Zulkifli",
            "Firman",
            "Sulaiman",
            "Khairul",
        ],
        "family": [
            "Aminah",
            "Hasanah",
            "Rahman",
            "Abdullah",
            "Saputra",
            "Syahputra",
            "Hidayat",
            "Ramadhan",
            "Kurniawan",
            "Fitriani",
            "Maulana",
            "Yusuf",
            "Ismail",
            "Hamid",
            "Nasir",
            "Zulkarnain",
        ],
    },
    "sasak": {
        "F": [
            "Baiq",
            "Nurul",
            "Rohani",
            "Sahnun",
            "Masitah",
            "Rukmini",
            "Sumiati",
            "Inayah",
            "Hartini",
            "Rabiah",
            "Nurhidayah",
            "Saodah",
        ],
        "M": [
            "Lalu",
            "Muhammad",
            "Ahmad",
            "Zainul",
            "Sahrul",
            "Mahsun",
            "Rusdi",
            "Saparudin",
            "Amir",
            "Junaidi",
            "Hairul",
            "Jumadil",
        ],
        "family": [
            "Hidayati",
            "Hamdani",
            "Saprudin",
            "Maulidin",
            "Juliadi",
            "Sahabudin",
            "Hasanah",
            "Sukardi",
            "Mustiadi",
            "Ramli",
            "Fahrurrozi",
            "Sapriadi",
        ],
    },
    "ntt": {
        "F": [
            "Maria",
            "Yuliana",
            "Agustina",
            "Theresia",
            "Yosefina",
            "Martha",
            "Fransiska",
            "Veronika",
            "Adriana",
            "Kristina",
            "Selvi",
            "Mariana",
        ],
        "M": [
            "Yohanes",
            "Fransiskus",
            "Petrus",
            "Yosef",
            "Agustinus",
            "Markus",
            "Dominikus",
            "Aloysius",
            "Yakobus",
            "Stefanus",
            "Paulus",
            "Simon",
        ],
        "family": [
            "Bere",
            "Tefa",
            "Nahak",
            "Seran",
            "Lake",
            "Mau",
            "Kolo",
            "Benu",
            "Nenabu",
            "Taek",
            "Lopo",
            "Manek",
            "Fallo",
            "Sabu",
            "Kase",
            "Tae",
            "Nitbani",
            "Bria",
        ],
    },
    "kalbar": {
        "F": [
            "Maria",
            "Yulita",
            "Veronika",
            "Katarina",
            "Siti",
            "Nur",
            "Linda",
            "Mei",
            "Lina",
            "Susanti",
            "Rosmaniar",
            "Juliana",
            "Melati",
        ],
        "M": [
            "Antonius",
            "Martinus",
            "Paulus",
            "Yosef",
            "Stefanus",
            "Muhammad",
            "Ahmad",
            "Hendrik",
            "Andreas",
            "Rudi",
            "Yohanes",
            "Bujang",
        ],
        "family": [
            "Ahui",
            "Ningkan",
            "Djalong",
            "Itam",
            "Bujang",
            "Wijaya",
            "Halim",
            "Gunawan",
            "Salim",
            "Tanoto",
            "Lie",
            "Saputra",
            "Kurniawan",
            "Syahputra",
            "Aminah",
        ],
    },
    "batak": {
        "F": [
            "Rosa",
            "Maria",
            "Dewi",
            "Rina",
            "Lasmaria",
            "Tiurma",
            "Rotua",
            "Nurhaida",
            "Ruth",
            "Ester",
            "Lamria",
            "Sondang",
        ],
        "M": [
            "Tigor",
            "Parlindungan",
            "Bonar",
            "Hotman",
            "Sahat",
            "Martin",
            "Jonathan",
            "Rudi",
            "Bismar",
            "Poltak",
            "Torang",
            "Binsar",
        ],
        "family": sorted(BATAK_MARGA)[:40],
    },
    "bali": {
        "F": [
            "Sudarmi",
            "Artini",
            "Sukerti",
            "Ariani",
            "Widiasih",
            "Sumerti",
            "Suartini",
            "Kariasih",
            "Sriasih",
            "Mariani",
        ],
        "M": [
            "Sudarsana",
            "Suastika",
            "Wirawan",
            "Sudiarta",
            "Suarjana",
            "Sumerta",
            "Artawan",
            "Sukadana",
            "Mahendra",
            "Arsana",
        ],
        "family": [],
    },
}
# More of the names people in these regions carry. Real populations have a long tail of
# names: with only the short lists above, a million people would hold hundreds of exact
# namesakes born in the same regency and year, far more than registries really show.
_MORE_NAMES: dict[str, dict[str, str]] = {
    "java": {
        "F": "Sumarni Sutini Painem Sukinah Wartini Sriyani Suyati Musrifah Khotimah Nurul "
        "Anik Umi Sunarti Tarmi Sarminah Juwariyah Rukmini Handayani Setyowati Sulistyowati "
        "Mujiati Wulandari Puspitasari Kusmiati Ngatini Sumirah Partini Wagiyem Muslimah "
        "Istiqomah Fitri Novi Ayu Retno Endah Tutik Astuti Yatmi Suprihatin Romlah",
        "M": "Sukardi Warsito Paijo Supardi Tukiran Mulyadi Sunarto Riyanto Haryanto Edi "
        "Teguh Wawan Dedi Purnomo Susilo Nugroho Wibisono Darmaji Sarno Kasiman Suroso "
        "Tarno Ngadiman Sukirno Margono Hartono Setiawan Prasetyo Ridwan Yanto Anton "
        "Rohmat Sholeh Maksum Fauzi Imam Arif Taufik Zainal Junaedi",
        "family": "Santoso Susanto Wijaya Hidayat Kurniawan Utomo Saputro Raharjo Wibowo "
        "Purwanto Gunawan Firmansyah Hermawan Sasongko Nugraha Wicaksono Pamungkas Suryadi "
        "Winarno Triyono Sutanto Hadiwijaya Kusnadi Sumarno Mulyono Darmawan",
    },
    "sunda": {
        "F": "Euis Cucu Enok Iis Neneng Yati Nining Lilis Imas Cicih Titin Nenden Rina Yani "
        "Tati Popon Enah Oneng Ai Nani Eneng Wiwin Yayah Kokom Aas Ela Entin Dedeh Yeni",
        "M": "Asep Ujang Dadang Cecep Dede Endang Agus Ade Aep Mamat Oman Udin Dodi Rahmat "
        "Yayan Jajang Nandang Engkos Aang Cahya Enjang Ayi Iwan Deden Ajat Encep Hendra",
        "family": "Sutisna Permana Supriatna Kusnadi Hidayat Saepudin Sopandi Sumarna Suhendar "
        "Ruhiyat Mulyana Hermawan Nugraha Sukmana Gunawan Kurniawan Setiadi Rustandi",
    },
    "malay": {
        "F": "Rosmawati Zuraida Hasnah Nurhayati Rosnani Jamilah Halimah Rokiah Maimunah "
        "Zubaidah Asmah Nurbaya Rahmah Salmah Syarifah Hafizah Mariam Zainab Rohana Laila",
        "M": "Rusli Zulkifli Hasbullah Syamsul Jamaluddin Azhar Harun Razali Ismail Khairul "
        "Mahmud Rosli Zainuddin Fadli Hamzah Syafii Nasrul Saiful Erwin Yusri",
        "family": "Hasibuan Abdullah Rahman Harahap Siregar Lubis Nasution Daulay Matondang "
        "Ismail Hamid Yunus Salim Idris Yahya Ramli",
    },
    "sasak": {
        "F": "Mahnun Sapinah Rabiah Marniati Sumarni Hapsah Munawarah Rukiah "
        "Jumenah Halimatun Sahriah Nursiah Rohmi Nurhasanah Suhaini Marhamah Sanah Zuhriah "
        "Hulaimi Sukriah Masnun Muniroh",
        "M": "Mahsun Sahnan Jumaedi Hairudin Zulkipli Sapardi Muhdar Suhaimi "
        "Abdurrahman Lukman Junaidi Sahrul Marzuki Rusdi Masri Habibullah Sahnun Mustiadi "
        "Alwan Rohman Nasrun Muhsin",
        "family": "Hamdani Muhlis Saparudin Ahyar Zainuddin Ruslan Hakim Jamhur Kurdi "
        "Asmuni Mansur Munir Sudirman Nurdin Rifai Majid",
    },
    "ntt": {
        "F": "Yuliana Agustina Florentina Maria Yohana Margaretha Veronika Elisabeth Adelina "
        "Kristina Fransiska Ursula Oktaviana Roslin Imelda Desi Wilhelmina Naomi "
        "Rosalia Bernadeta Anjelina",
        "M": "Yohanes Petrus Paulus Fransiskus Mikael Agustinus Kornelis Yosef Stefanus "
        "Aloysius Frederikus Gabriel Yakobus Markus Lukas Simon Benediktus Daniel "
        "Melkianus Yustinus Marthen",
        "family": "Manek Seran Nahak Bere Taek Kase Tefa Lopo Ndun Pello Bessie Fanggidae "
        "Lake Riwu Kolo Sabu Haning Nubatonis Neno Ataupah Bria Fallo Mau",
    },
    "kalbar": {
        "F": "Nurlela Fransiska Anjelina Lusiana Sri Yohana Meliana Lina Susanti "
        "Hendriani Veronika Herlina Rosita Hayati Rita Juliana Agustina Margareta",
        "M": "Yohanes Petrus Antonius Stefanus Hendrikus Alexander "
        "Markus Fransiskus Bujang Ahmad Hermanus Budiman Suhardi Darius Herkulanus Martinus",
        "family": "Alkadrie Nyangun Atan Djunaidi Gaol Ahok Kiong Tjhai Lim Tan Bong Liu "
        "Sinaga Yusuf Hamid Ismail",
    },
    "batak": {
        "F": "Tiurlan Rosmawati Hotmaria Duma Rohani Nurmala Erna Lenny Masniari Tumiar "
        "Sarma Friska Hana Intan Debora Risma Santi Mei Juliana Roslina",
        "M": "Parulian Robert Manahan Tua Halomoan Marulak Sudung Gomgom Sabar Togar Pardamean "
        "Sahala Jansen Hasudungan Ronald Benny Edison Horas Partogi Hisar",
        "family": "",
    },
    "bali": {
        "F": "Suryani Sukarmi Wartini Suweni Sudiani Astiti Wardani Rusmini Darmini Suarni "
        "Sriani Purnami Sukasih Sudiasih Wiratni Lastri Murniati Parwati",
        "M": "Sukarta Suardana Sudirta Mertayasa Widnyana Adnyana Suparta Wijaya Swastika "
        "Darmawan Budiasa Sukerta Suarsana Antara Mudiarta Sumadi Astawa Sutama",
        "family": "",
    },
}


def _add_more_names() -> None:
    for group, extra in _MORE_NAMES.items():
        for key, words in extra.items():
            pool = _NAMES[group][key]
            pool.extend(w for w in words.split() if w not in pool)


_add_more_names()
_BALI_ORDER = ["Wayan", "Made", "Nyoman", "Ketut", "Putu", "Kadek", "Komang"]
_FATHERS = [
    "Abdullah",
    "Ahmad",
    "Hasan",
    "Sulaiman",
    "Ismail",
    "Yusuf",
    "Usman",
    "Ibrahim",
    "Salim",
    "Rahman",
]
_TITLES_BEFORE = ["Hj.", "H.", "Ibu", "Bapak", "Sdr.", "Sdri."]
_DEGREES_AFTER = ["S.Pd.", "S.H.", "S.E.", "Amd."]
_MUHAMMAD_FORMS = ["M.", "Moh.", "Muh.", "Mochammad", "Mohamad", "Muhamad", "Mohammad", "Much."]
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_NOT_ALONE = frozenset({"M.", "Moh.", "Muh.", "Much.", "br.", "I", "Ni", *_BALI_ORDER})
_VOWEL_SWAP = {"a": "e", "e": "i", "i": "e", "o": "u", "u": "o"}


@dataclass
class Person:
    person_id: int
    sex: str
    given: list[str]
    family: list[str]
    group: str
    born: date
    village: str
    nik: str
    passport: str
    phones: list[str]
    falsified_years: int


@lru_cache(maxsize=1)
def _villages() -> dict[str, list[str]]:
    from simpul.regions.datafile import DEFAULT_DATA_FILE

    by_province: dict[str, list[str]] = {}
    wanted = {p for p, _, _ in _PROVINCES}
    with gzip.open(DEFAULT_DATA_FILE, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["kode"]
            if row["level"] == "desa_kelurahan" and code[:2] in wanted:
                by_province.setdefault(code[:2], []).append(code)
    return by_province


def _old_spelling(word: str) -> str:
    lower = word.lower()
    # One pass, so a replacement is never replaced again (sy -> sj must not become sdj).
    out = _OLD_FORMS.sub(lambda m: _OLD_FORM_OF[m.group()], lower)
    if any(d in out for d in ("oe", "dj", "tj")):
        out = _OLD_Y.sub(lambda m: _OLD_FORM_OF[m.group()], out)
    return out.capitalize() if out != lower else word


_OLD_FORM_OF = {"kh": "ch", "sy": "sj", "j": "dj", "c": "tj", "u": "oe", "ny": "nj", "y": "j"}
_OLD_FORMS = re.compile("kh|sy|j|c|u")
_OLD_Y = re.compile("ny|y")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.25:
        return word[:i] + rng.choice(_LETTERS) + word[i + 1 :]
    if kind < 0.45:
        return word[:i] + word[i + 1 :]
    if kind < 0.6:
        return word[:i] + word[i] + word[i:]
    if kind < 0.8:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    char = word[i].lower()
    return word[:i] + _VOWEL_SWAP.get(char, char) + word[i + 1 :]


def _nik(village: str, born: date, sex: str, serial: int) -> str:
    district = village.replace(".", "")[:6]
    day = born.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def make_person(person_id: int, rng: random.Random, used_niks: set[str]) -> Person:
    province = rng.choices([p for p, _, _ in _PROVINCES], [w for _, w, _ in _PROVINCES])[0]
    group = next(g for p, _, g in _PROVINCES if p == province)
    village = rng.choice(_villages()[province])
    sex = "F" if rng.random() < 0.68 else "M"
    pool = _NAMES[group]
    given = [rng.choice(pool[sex])]
    family: list[str] = []
    if group == "bali":
        given = ["Ni" if sex == "F" else "I", rng.choice(_BALI_ORDER), rng.choice(pool[sex])]
    elif group == "batak":
        family = [rng.choice(pool["family"]).capitalize()]
    else:
        roll = rng.random()
        if roll < 0.12:
            pass  # a mononym
        elif roll < 0.3:
            second = rng.choice(pool[sex])
            if second != given[0]:
                given.append(second)
            family = [rng.choice(pool["family"])] if rng.random() < 0.5 else []
        else:
            family = [rng.choice(pool["family"])]
    if sex == "M" and group in {"java", "sunda", "malay", "sasak"} and rng.random() < 0.2:
        given = ["Muhammad", *[g for g in given if g != "Muhammad"]]
    born = date(1968, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
    while True:
        nik = _nik(village, born, sex, rng.randrange(1, 400))
        if nik not in used_niks:
            used_niks.add(nik)
            break
    passport = ""
    if rng.random() < 0.45:
        passport = rng.choice("BCEX") + str(rng.randrange(1_000_000, 9_999_999))
    phones = [f"+628{rng.randrange(11, 99)}{rng.randrange(1_000_000, 99_999_999)}"]
    if rng.random() < 0.3:
        phones.append(f"+628{rng.randrange(11, 99)}{rng.randrange(1_000_000, 99_999_999)}")
    falsified = rng.randint(1, 5) if rng.random() < 0.12 else 0
    return Person(
        person_id, sex, given, family, group, born, village, nik, passport, phones, falsified
    )


def _name_variant(person: Person, rng: random.Random) -> tuple[str, str, str]:
    """(full_name, given_name, family_name) as one registry writes this person."""
    given = list(person.given)
    family = list(person.family)
    if given[0] == "Muhammad" and rng.random() < 0.5:
        given[0] = rng.choice(_MUHAMMAD_FORMS)
    if person.group == "batak" and person.sex == "F" and family and rng.random() < 0.3:
        family = ["br.", *family]
    words = given + family
    if len(words) > 1 and rng.random() < 0.04:
        # A mononym: only the given name (or only the name a village calls them by).
        words = [w for w in words if w not in _NOT_ALONE][:1] or words
    if rng.random() < 0.08:
        words = [_old_spelling(w) for w in words]
    if rng.random() < 0.12:
        candidates = [i for i, w in enumerate(words) if len(w) >= 4 and not w.endswith(".")]
        if candidates:
            i = rng.choice(candidates)
            words[i] = _typo(words[i], rng)
    if rng.random() < 0.04:
        words = [rng.choice(_TITLES_BEFORE), *words]
    if rng.random() < 0.02:
        words = [*words, rng.choice(_DEGREES_AFTER)]
    if person.group in {"java", "sunda", "malay", "sasak"} and rng.random() < 0.07:
        marker = "binti" if person.sex == "F" else "bin"
        words = [*words, marker, rng.choice(_FATHERS)]
    case = rng.random()
    full = " ".join(words)
    if case < 0.3:
        full = full.upper()
    elif case < 0.35:
        full = full.lower()
    if rng.random() < 0.15 and len(words) > 1 and words[0] not in _TITLES_BEFORE:
        # Forms with two name boxes; sometimes filled the other way round.
        first, rest = words[0], " ".join(words[1:])
        if rng.random() < 0.3:
            first, rest = rest, first
        return "", first, rest
    if rng.random() < 0.05 and len(words) > 1:
        return " ".join(words[1:] + words[:1]), "", ""
    return full, "", ""


def _birth_date(person: Person, source: str, rng: random.Random) -> str:
    born = person.born
    if person.falsified_years and source in _PASSPORT_SOURCES and rng.random() < 0.85:
        try:
            born = born.replace(year=born.year - person.falsified_years)
        except ValueError:
            born = born.replace(year=born.year - person.falsified_years, day=28)
    roll = rng.random()
    if roll < 0.05:
        return ""
    if roll < 0.11:
        return str(born.year)
    if roll < 0.14:
        return f"{born.year}-{born.month:02d}"
    year, month, day = born.year, born.month, born.day
    if rng.random() < 0.04 and day <= 12:
        month, day = day, month
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if rng.random() < 0.03:
        i = rng.choice([2, 3, 6, 9])
        text = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
    if rng.random() < 0.3:
        text = f"{text[8:10]}-{text[5:7]}-{text[0:4]}"
    return text


def _region(person: Person, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return person.village
    if roll < 0.65:
        return person.village[:8]
    if roll < 0.85:
        return person.village[:5]
    return ""


def records_of(person: Person, count: int, rng: random.Random) -> list[dict[str, str]]:
    sources = [rng.choice(SOURCES) for _ in range(count)]
    rows = []
    for source in sources:
        full, given, family = _name_variant(person, rng)
        nik = person.nik if rng.random() < _NIK_RATE[source] else ""
        if nik and rng.random() < 0.03:
            i = rng.randrange(16)
            nik = nik[:i] + str(rng.randrange(10)) + nik[i + 1 :]
        passport = ""
        if person.passport and source in _PASSPORT_SOURCES and rng.random() < 0.7:
            passport = person.passport
            if rng.random() < 0.02:
                passport = passport[:-1] + str(rng.randrange(10))
        phone = ""
        if rng.random() < 0.35:
            phone = person.phones[-1] if rng.random() < 0.25 else person.phones[0]
            if rng.random() < 0.5:
                phone = "0" + phone[3:]
        sex = person.sex if rng.random() < 0.92 else ""
        if sex and rng.random() < 0.01:
            sex = "M" if sex == "F" else "F"
        rows.append(
            {
                "source": source,
                "full_name": full,
                "given_name": given,
                "family_name": family,
                "birth_date": _birth_date(person, source, rng),
                "sex": sex,
                "nik": nik,
                "passport": passport,
                "phone": phone,
                "region_code": _region(person, rng),
                "person_id": str(person.person_id),
            }
        )
    return rows


_RECORD_COUNTS = [1, 2, 3, 4, 5, 6]
_RECORD_WEIGHTS = [0.45, 0.28, 0.15, 0.07, 0.03, 0.02]


def generate(
    persons: int = 10_000, *, seed: int = 2026, records: int | None = None
) -> list[dict[str, str]]:
    """Records of `persons` people (or of as many as it takes to reach `records` rows),
    shuffled, with `record_id` and the truth in `person_id`."""
    rng = random.Random(seed)
    used: set[str] = set()
    rows: list[dict[str, str]] = []
    person_id = 0
    while (records is None and person_id < persons) or (
        records is not None and len(rows) < records
    ):
        person = make_person(person_id, rng, used)
        count = rng.choices(_RECORD_COUNTS, _RECORD_WEIGHTS)[0]
        rows.extend(records_of(person, count, rng))
        person_id += 1
    if records is not None:
        rows = rows[:records]
    rng.shuffle(rows)
    for index, row in enumerate(rows):
        row["record_id"] = f"R{index:07d}"
    return rows


def write_csv(rows: list[dict[str, str]], path: str, *, with_truth: bool = True) -> None:
    columns = [
        "record_id",
        "source",
        "full_name",
        "given_name",
        "family_name",
        "birth_date",
        "sex",
        "nik",
        "passport",
        "phone",
        "region_code",
    ]
    if with_truth:
        columns.append("person_id")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
