"""Indonesian name normalisation: spelling variants meet, different names stay apart."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simpul.lib.names import (
    BATAK_MARGA,
    TITLES,
    ParsedName,
    name_key_variants,
    name_tokens,
    normalise_name,
    parse_name,
    soundex_id,
)

SAME_PERSON = [
    ("Soeharto", "Suharto"),
    ("Djoko Santoso", "Joko Santoso"),
    ("Tjahjono", "Cahyono"),
    ("M. Rizki", "Muhammad Rizki"),
    ("Mochammad Rizki", "Muhammad Rizki"),
    ("Moh. Rizki", "Muhammad Rizki"),
    ("Muh Rizki", "Muhammad Rizki"),
    ("Mohd Rizki", "Muhammad Rizki"),
    ("Moechammad Rizki", "Muhammad Rizki"),
    ("Hj. Siti Aminah", "Siti Aminah"),
    ("Siti Aminah binti Abdullah", "Siti Aminah"),
    ("D O D I Santoso", "Dodi Santoso"),
    ("Dr. Ir. Bambang Sutejo, M.Si.", "Bambang Sutejo"),
    ("Dr. Ir. Bambang Sutedjo, M.Si.", "Bambang Sutejo"),
    ("SITI  AMINAH", "siti aminah"),
    ("José Ramos", "Jose Ramos"),
    ("Rosa br. Sembiring", "Rosa Sembiring"),
    ("Tjut Nyak Dhien", "Cut Nyak Dhien"),
    ("Teukoe Oemar", "Teuku Umar"),
]

DIFFERENT_PEOPLE = [
    ("Siti", "Sita"),
    # Doubled letters are kept: Anna and Ana are distinct registered names. Fuzzy
    # matching can still bring them together through soundex_id.
    ("Anna", "Ana"),
    ("Wati", "Watik"),
    # Without old-spelling context a leading j is modern and must not become y.
    ("Janti", "Yanti"),
    ("Siti Aminah", "Aminah Siti"),
]


@pytest.mark.parametrize(("left", "right"), SAME_PERSON)
def test_spelling_variants_of_one_name_normalise_to_the_same_string(left: str, right: str):
    assert normalise_name(left) == normalise_name(right)


@pytest.mark.parametrize(("left", "right"), DIFFERENT_PEOPLE)
def test_different_names_keep_different_normal_forms(left: str, right: str):
    assert normalise_name(left) != normalise_name(right)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Soeharto", "suharto"),
        ("Djoko", "joko"),
        ("Tjahjono", "cahyono"),
        ("Njoman", "nyoman"),
        ("Sjahrir", "syahrir"),
        ("Chairul", "khairul"),
        ("Noer Hadi", "nur hadi"),
        ("Moehamad Joesoef", "muhammad yusuf"),
        ("Sandjaja", "sanjaya"),
    ],
)
def test_old_spelling_is_rewritten_to_modern_spelling(written: str, expected: str):
    assert normalise_name(written) == expected


def test_old_spelling_soeharto_matches_suharto():
    assert normalise_name("Soeharto") == normalise_name("Suharto") == "suharto"


def test_j_becomes_y_only_when_the_name_has_other_old_spelling():
    assert normalise_name("Janti") == "janti"
    assert normalise_name("Djanti") == "janti"
    assert normalise_name("Tjitra Janti") == "citra yanti"


def test_modern_n_plus_j_inside_a_word_is_not_read_as_old_ny():
    assert normalise_name("Sanjaya Anjani") == "sanjaya anjani"


def test_marga_is_never_rewritten_by_the_spelling_rules():
    assert normalise_name("Djoko Panjaitan") == "joko panjaitan"


@pytest.mark.parametrize(
    "written",
    ["Muhammad", "Muhamad", "Mohammad", "Mohamed", "Mochamad", "Mukhamad", "Mhd.", "Much."],
)
def test_muhammad_variants_become_one_token(written: str):
    assert name_tokens(f"{written} Rizki") == ["muhammad", "rizki"]


def test_lone_m_is_muhammad_only_in_first_position():
    assert name_tokens("M Rizki") == ["muhammad", "rizki"]
    assert name_tokens("Rizki M.") == ["rizki", "m"]
    assert name_tokens("M") == ["m"]


def test_lone_m_after_a_title_is_still_muhammad():
    parsed = parse_name("H. M. Rizki")
    assert parsed.tokens == ("muhammad", "rizki")
    assert parsed.titles == ("h",)


def test_accents_are_stripped_and_apostrophes_dropped():
    assert name_tokens("Ma'ruf Amín") == ["maruf", "amin"]
    assert name_tokens("Ma\u2019ruf") == ["maruf"]


def test_dots_commas_hyphens_and_digits_separate_words():
    assert name_tokens("Siti-Aminah,Rahma.Dewi 2") == ["siti", "aminah", "rahma", "dewi"]


def test_fullwidth_characters_are_folded_by_nfkc():
    assert normalise_name("\uff33\uff49\uff54\uff49") == "siti"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("D O D I Santoso", ["dodi", "santoso"]),
        ("J.A.Y.A.", ["jaya"]),
        ("J. A. Y. A. Kusuma", ["jaya", "kusuma"]),
        ("A B Santoso", ["a", "b", "santoso"]),
    ],
)
def test_runs_of_three_or_more_spaced_initials_are_joined(written: str, expected: list[str]):
    assert name_tokens(written) == expected


def test_titles_and_degrees_are_stripped_and_kept_as_evidence():
    parsed = parse_name("Dr. Ir. Bambang Sutejo, M.Si.")
    assert parsed == ParsedName(
        tokens=("bambang", "sutejo"), father_tokens=(), titles=("dr", "ir", "msi"), marga=None
    )


@pytest.mark.parametrize(
    ("written", "tokens", "titles"),
    [
        ("Hj. Siti Aminah", ("siti", "aminah"), ("hj",)),
        ("Raden Ajeng Kartini", ("ajeng", "kartini"), ("raden",)),
        ("R. Soemarno", ("sumarno",), ("r",)),
        ("R.A. Kartini", ("kartini",), ("ra",)),
        ("K.H. Ahmad Dahlan", ("ahmad", "dahlan"), ("kh",)),
        ("Andi Mallarangeng", ("mallarangeng",), ("andi",)),
        ("Teuku Umar", ("umar",), ("teuku",)),
        ("Cut Nyak Dhien", ("nyak", "dhien"), ("cut",)),
        ("Sdri. Wati", ("wati",), ("sdri",)),
        ("Siti Aminah, S.H.", ("siti", "aminah"), ("sh",)),
        ("Siti Aminah S.Pd.I.", ("siti", "aminah"), ("spdi",)),
        ("Rina Wati, A.Md.", ("rina", "wati"), ("amd",)),
        ("Joko S.Kom", ("joko",), ("skom",)),
    ],
)
def test_titles_are_stripped(written: str, tokens: tuple[str, ...], titles: tuple[str, ...]):
    parsed = parse_name(written)
    assert (parsed.tokens, parsed.titles) == (tokens, titles)


def test_a_name_made_only_of_titles_is_kept_whole():
    assert parse_name("Haji") == ParsedName(("haji",), (), (), None)
    assert name_tokens("Ibu Hj.") == ["ibu", "hj"]
    # Kept in title spelling, so normalising again gives the same result.
    assert name_tokens("Tjut Hj.") == ["cut", "hj"]


def test_titles_in_old_spelling_are_recognised_and_reported_in_modern_form():
    assert parse_name("Tjut Nyak Dhien") == ParsedName(("nyak", "dhien"), (), ("cut",), None)


def test_bin_after_titles_alone_starts_the_name():
    assert parse_name("Dr. Bin Ali") == ParsedName(("bin", "ali"), (), ("dr",), None)


def test_single_letter_titles_only_count_before_the_name():
    # M. H. Thamrin: the H is a middle initial, not Haji.
    assert name_tokens("M. H. Thamrin") == ["muhammad", "h", "thamrin"]


def test_st_in_first_position_is_kept_because_it_abbreviates_siti():
    assert name_tokens("St. Aminah") == ["st", "aminah"]


def test_title_set_is_a_module_constant_covering_the_domain_list():
    assert {"hj", "ir", "dr", "sh", "raden", "r", "andi", "teuku", "cut"} <= TITLES


def test_binti_separates_the_fathers_name():
    parsed = parse_name("Siti Aminah binti Abdullah")
    assert parsed.tokens == ("siti", "aminah")
    assert parsed.father_tokens == ("abdullah",)
    assert normalise_name("Siti Aminah binti Abdullah") == "siti aminah"


@pytest.mark.parametrize("marker", ["bin", "binti", "bt", "Bt.", "bte", "b."])
def test_every_patronymic_marker_is_recognised(marker: str):
    parsed = parse_name(f"Ahmad {marker} Djunaedi")
    assert parsed.tokens == ("ahmad",)
    assert parsed.father_tokens == ("junaedi",)


def test_fathers_name_is_normalised_like_the_persons():
    parsed = parse_name("Rizki bin H. Moh. Soebroto")
    assert parsed.father_tokens == ("muhammad", "subroto")
    assert parsed.titles == ()


def test_grandfathers_name_after_a_second_bin_is_dropped():
    parsed = parse_name("Ahmad bin Ali bin Hasan")
    assert (parsed.tokens, parsed.father_tokens) == (("ahmad",), ("ali",))


def test_bin_without_a_name_on_both_sides_is_an_ordinary_word():
    assert name_tokens("Bin Laden") == ["bin", "laden"]
    assert name_tokens("Ahmad Bin") == ["ahmad", "bin"]


def test_b_without_a_dot_is_an_initial_not_a_patronymic():
    assert name_tokens("Ahmad B Santoso") == ["ahmad", "b", "santoso"]


def test_batak_marga_is_reported_and_boru_marker_dropped():
    parsed = parse_name("Rosa br. Sembiring")
    assert parsed.tokens == ("rosa", "sembiring")
    assert parsed.marga == "sembiring"
    assert parse_name("Maria Boru Siregar").tokens == ("maria", "siregar")


def test_repeated_boru_markers_are_all_dropped():
    assert name_tokens("Rosa br. br. Siregar") == ["rosa", "siregar"]


def test_br_before_an_unknown_word_is_kept():
    assert name_tokens("Rosa br Ayu") == ["rosa", "br", "ayu"]


def test_hyphenated_marga_is_joined():
    assert parse_name("Tiur Butar-butar").marga == "butarbutar"
    assert parse_name("Sri Perangin-angin").tokens == ("sri", "peranginangin")


def test_marga_is_only_the_last_token():
    assert parse_name("Siregar Joko").marga is None
    assert parse_name("Joko").marga is None


def test_marga_list_has_at_least_forty_clans():
    assert len(BATAK_MARGA) >= 40
    assert {"siregar", "nasution", "lubis", "ginting", "gultom"} <= BATAK_MARGA


def test_empty_and_punctuation_only_names_give_no_tokens():
    assert name_tokens("") == []
    assert normalise_name(" .,- ") == ""
    assert parse_name("") == ParsedName((), (), (), None)


def test_key_variants_let_swapped_given_and_family_names_meet():
    assert name_key_variants("Siti Aminah") == {"siti aminah", "aminah siti"}
    assert name_key_variants("Siti Aminah") & name_key_variants("Aminah Siti")


def test_key_variants_drop_balinese_order_names():
    assert name_key_variants("I Wayan Sudirta") == {
        "i wayan sudirta",
        "i sudirta wayan",
        "sudirta",
    }
    assert "ayu lestari" in name_key_variants("Ni Made Ayu Lestari")


def test_key_variants_treat_muhammad_as_weak():
    assert name_key_variants("M. Rizki") == {"muhammad rizki", "rizki"}


def test_i_and_ni_are_weak_only_in_first_position():
    assert "ayu ni" in name_key_variants("Putu Ayu Ni")


def test_key_variants_skip_an_empty_weak_free_key():
    assert name_key_variants("Made") == {"made"}
    assert name_key_variants("") == set()


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("fitri", "pitri"),
        ("rizki", "riski"),
        ("fatimah", "fatima"),
        ("dhani", "dani"),
        ("osman", "usman"),
        ("anna", "ana"),
        ("yusuf", "yusup"),
        ("muhammad", "mohamad"),
    ],
)
def test_soundex_brings_common_spelling_variants_together(left: str, right: str):
    assert soundex_id(left) == soundex_id(right)


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("muhammad", "mt"),
        ("rizki", "rsk"),
        ("siti", "st"),
        ("wati", "wt"),
        ("watik", "wtk"),
        ("usman", "asmn"),
        ("kusumawardani", "ksmrtn"),
        ("", ""),
        ("É", "a"),
    ],
)
def test_soundex_gives_exact_documented_keys(token: str, key: str):
    assert soundex_id(token) == key


def test_soundex_keeps_clearly_different_names_apart():
    assert soundex_id("wati") != soundex_id("watik")
    assert soundex_id("siti") != soundex_id("dewi")


NAME_PARTS = [
    "Siti",
    "Aminah",
    "Soeharto",
    "Djoko",
    "Tjahjono",
    "Janti",
    "Njoman",
    "Sanjaya",
    "Chairul",
    "M.",
    "Moh.",
    "Mochammad",
    "Hj.",
    "Dr.",
    "Ir.",
    "R.",
    "Andi",
    "Tjut",
    "S.H.",
    "M.Si.",
    "bin",
    "binti",
    "b.",
    "br.",
    "Siregar",
    "Panjaitan",
    "Butar-butar",
    "D O D I",
    "I",
    "Ni",
    "Wayan",
    "A",
    "B",
    "Ma'ruf",
    "José",
    ",",
]


@given(st.lists(st.sampled_from(NAME_PARTS), max_size=8))
def test_normalising_a_normalised_name_changes_nothing(parts: list[str]):
    once = normalise_name(" ".join(parts))
    assert normalise_name(once) == once


@given(st.lists(st.sampled_from(NAME_PARTS), max_size=8))
def test_normalised_names_are_lowercase_ascii_words_separated_by_one_space(parts: list[str]):
    normal = normalise_name(" ".join(parts))
    assert normal == " ".join(normal.split())
    assert all(word.isascii() and word.isalpha() and word.islower() for word in normal.split())
