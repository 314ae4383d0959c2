"""The pure engine: Indonesian name features, dates, clustering with decisions, stable ids."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.linkage.engine.clustering import cluster, fresh_cluster_id
from simpul.linkage.engine.evaluation import bcubed_scores, cluster_scores, pair_scores
from simpul.linkage.engine.features import build_features, name_features, parse_birth_date
from simpul.linkage.engine.model import PREDICTION_BLOCKING_RULES
from tools.synthetic_people import _old_spelling


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("M. Rizki Saputra", "Muhammad Rizki Saputra"),
        ("Moch. Rizki Saputra", "MOHAMAD RIZKI SAPUTRA"),
        ("Soeharti Djojo", "Suharti Joyo"),
        ("Hj. Siti Aminah binti Abdullah", "Siti Aminah"),
        ("Rosa br. Sembiring", "Rosa Sembiring"),
        ("Dewi Lestari S.Pd.", "dewi lestari"),
    ],
)
def test_indonesian_spelling_variants_have_the_same_canonical_name(left, right):
    assert name_features(left).norm == name_features(right).norm


def test_swapped_given_and_family_name_share_the_sorted_key():
    assert name_features("Aminah Siti").sorted == name_features("Siti Aminah").sorted
    assert name_features("Aminah Siti").norm != name_features("Siti Aminah").norm


def test_muhammad_and_balinese_order_names_are_weak_so_mononyms_still_meet():
    assert name_features("Muhammad Rizki").strong == name_features("Rizki").strong == "rizki"
    assert name_features("I Wayan Sudarsana").strong == "sudarsana"


def test_i_and_ni_are_weak_at_either_end_of_a_swapped_balinese_name():
    assert name_features("Ketut Suartini Ni").strong == "suartini"
    assert name_features("Pstu Mahendra I").strong == name_features("Pstu Mahendra").strong


DISTRICT = "51.04.03"


def _blocked_together(left: dict, right: dict) -> list[str]:
    """The prediction blocking rules under which two records would be compared."""
    features = build_features({k: [left.get(k), right.get(k)] for k in {*left, *right}})
    a, b = features.to_pylist()
    hits = []
    for rule in PREDICTION_BLOCKING_RULES:
        l_col, r_col = (side.strip()[2:] for side in rule.split("="))
        if any(x[l_col] is not None and x[l_col] == y[r_col] for x, y in ((a, b), (b, a))):
            hits.append(rule)
    return hits


@pytest.mark.parametrize(
    ("left", "right", "rule"),
    [
        # A one-word name meets the last word of a longer name on the same date.
        (
            {"full_name": "SUHARTO", "birth_date": "2002-10-14"},
            {"full_name": "Suharto Ahmad bin Ismail", "birth_date": "2002-10-14"},
            "l.bk_max_dob = r.bk_max_dob",
        ),
        # A typo moved a word from the front of the sorted name to the back.
        (
            {"full_name": "iSti Suharti", "birth_date": "1971-12-06"},
            {"full_name": "Siti Suharti", "birth_date": "1971-12-06"},
            "l.bk_min_dob = r.bk_max_dob",
        ),
        # Placed at the village in one record, at the district in the other.
        (
            {"full_name": "Supriyadi", "region_code": "33.72.05.1001"},
            {"full_name": "Supriyadi Nugroho", "region_code": "33.72.05"},
            "l.bk_max_district = r.bk_max_district",
        ),
        # The full name with only the regency known on one side.
        (
            {"full_name": "Djoeliana", "region_code": "14.02"},
            {"full_name": "Juliana", "region_code": "14.02.01.2005"},
            "l.bk_phon_regency_only = r.bk_phon_regency",
        ),
        # A year-only date placed at the regency, one word of the name left out.
        (
            {"full_name": "Kokom", "birth_date": "1990", "region_code": "32.71"},
            {"full_name": "KOKOM ANI", "birth_date": "1990-12-12", "region_code": "32.71.01"},
            "l.bk_max_regency_year_only = r.bk_max_regency_year",
        ),
        # A typo that changes the sound code keeps the first three letters.
        (
            {"full_name": "Yulifna", "birth_date": "1991", "region_code": "35.23.11"},
            {"full_name": "Yuliana", "birth_date": "28-06-1991", "region_code": "35.23.11"},
            "l.bk_prefix_year_district = r.bk_prefix_year_district",
        ),
        (
            {"full_name": "ADEINA", "birth_date": "1993-10-31"},
            {"full_name": "Adelina", "birth_date": "1993-10-31", "region_code": "53.13.03"},
            "l.bk_prefix_dob = r.bk_prefix_dob",
        ),
        # A falsified birth year and a misspelt name in the same district.
        (
            {"full_name": "Ni Nyoman Sukari", "birth_date": "1978-09-17", "region_code": DISTRICT},
            {"full_name": "Ni Nyoman Sukarmi", "birth_date": "17-09-1973", "region_code": DISTRICT},
            "l.bk_district_md = r.bk_district_md",
        ),
        # The year-only date completed from the record's NIK meets the full date.
        (
            {"full_name": "Mikael / Bere", "birth_date": "1995", "nik": "5308050408950098"},
            {"full_name": "Mikael", "birth_date": "1995-08-04", "region_code": "53.08"},
            "l.bk_min_dob = r.bk_min_dob",
        ),
    ],
)
def test_blocking_keeps_thin_records_of_one_person_together(left, right, rule):
    assert rule in _blocked_together({"record_id": "a", **left}, {"record_id": "b", **right})


def test_blocking_does_not_compare_unrelated_people():
    assert (
        _blocked_together(
            {"record_id": "a", "full_name": "Siti Aminah", "birth_date": "1990-01-02"},
            {"record_id": "b", "full_name": "Bonar Sitorus", "birth_date": "1985-07-30"},
        )
        == []
    )


def test_father_name_is_kept_apart_as_evidence():
    features = name_features("Siti Aminah binti Abdullah")
    assert features.father == "abdullah"
    assert "abdullah" not in features.toks


def test_without_indonesian_rules_variants_stay_apart():
    plain = name_features("M. Rizki", indonesian=False)
    assert plain.norm != name_features("Muhammad Rizki", indonesian=False).norm


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-04-12", (1990, 4, 12)),
        ("12-04-1990", (1990, 4, 12)),
        ("12/04/1990", (1990, 4, 12)),
        ("19900412", (1990, 4, 12)),
        ("1990-04", (1990, 4, None)),
        ("1990", (1990, None, None)),
        ("1990-13-40", (1990, None, None)),
        ("", (None, None, None)),
    ],
)
def test_birth_dates_in_the_forms_records_use(text, expected):
    assert parse_birth_date(text) == expected


def test_missing_birth_date_and_sex_come_from_the_nik():
    table = build_features(
        {
            "record_id": ["r1"],
            "full_name": ["Siti Aminah"],
            "nik": ["6101095203950001"],
            "birth_date": [""],
            "sex": [""],
            "region_code": [""],
        }
    )
    row = table.to_pylist()[0]
    assert (row["dob"], row["sex"], row["reg3"]) == ("1995-03-12", "F", "61.01.09")
    assert row["reg4"] is None


def test_partial_dates_and_regions_are_completed_from_an_agreeing_nik():
    nik = "6101095203950001"  # district 61.01.09, born 12-03-1995, female
    table = build_features(
        {
            "record_id": ["year", "month", "regency", "other_year", "full", "other_area"],
            "full_name": ["Siti Aminah"] * 6,
            "nik": [nik] * 6,
            "birth_date": ["1995", "1995-03", "", "1993", "1995-03-14", ""],
            "region_code": ["", "", "61.01", "", "", "61.02"],
        }
    )
    rows = {row["unique_id"]: row for row in table.to_pylist()}
    # Compared: the NIK fills in what agrees with it and never overrides what disagrees.
    assert rows["year"]["dob"] == rows["month"]["dob"] == "1995-03-12"
    assert rows["regency"]["reg3"] == "61.01.09"
    assert (rows["other_year"]["dob"], rows["other_year"]["dob_y"]) == (None, 1993)
    assert rows["full"]["dob"] == "1995-03-14"
    assert (rows["other_area"]["reg2"], rows["other_area"]["reg3"]) == ("61.02", None)
    # As written (what training reads): only a value missing altogether is taken.
    assert (rows["year"]["w_dob_y"], rows["year"]["w_dob_m"], rows["year"]["w_dob"]) == (
        1995,
        None,
        None,
    )
    assert rows["month"]["w_dob_m"] == 3 and rows["month"]["w_dob_d"] is None
    assert (rows["regency"]["w_reg2"], rows["regency"]["w_reg3"]) == ("61.01", None)
    assert rows["regency"]["w_dob"] == "1995-03-12"  # no date written: the NIK's
    assert rows["year"]["w_reg3"] == "61.01.09"  # no region written: the NIK's


def test_training_reads_the_dates_and_regions_as_written():
    from simpul.linkage.engine import pipeline

    features = build_features(
        {
            "record_id": ["a", "b"],
            "full_name": ["Siti Aminah", "Siti Aminah"],
            "nik": ["6101095203950001", ""],
            "birth_date": ["1995", "1995-03-12"],
            "region_code": ["61.01", "61.01.09"],
        }
    )
    session = pipeline.Session(features, options=pipeline.Options())
    try:
        table = session.written_table()
        con = session.db_api.duckdb_con
        rows = con.execute(
            f"SELECT unique_id, dob, dob_y, dob_m, reg2, reg3 FROM {table.physical_name}"
            " ORDER BY unique_id"
        ).fetchall()
        compared = con.execute(
            f"SELECT dob, reg3 FROM {session.input.physical_name} ORDER BY unique_id"
        ).fetchall()
    finally:
        session.close()
    assert rows == [
        ("a", None, 1995, None, "61.01", None),
        ("b", "1995-03-12", 1995, 3, "61.01", "61.01.09"),
    ]
    assert compared == [("1995-03-12", "61.01.09"), ("1995-03-12", "61.01.09")]


def _links(*pairs):
    return pd.DataFrame(pairs, columns=["a", "b", "p"])


def test_a_cannot_link_is_never_merged_even_through_other_records():
    links = _links(("a", "b", 0.99), ("b", "c", 0.98), ("c", "d", 0.97))
    result = cluster(["a", "b", "c", "d"], links, cannot_link=[("a", "d")])
    ids = dict(zip(result.assignments.record_id, result.assignments.cluster_id, strict=True))
    assert ids["a"] != ids["d"]
    # The weakest link on the path is the one given up.
    assert ids["a"] == ids["b"] == ids["c"]
    assert result.refused_links == 1


def test_a_match_decision_joins_records_the_model_kept_apart():
    result = cluster(["a", "b"], _links(), must_link=[("a", "b")])
    assert result.cluster_count == 1


def test_records_with_different_niks_are_not_merged_by_scores_alone():
    links = _links(("a", "b", 0.99))
    apart = cluster(["a", "b"], links, identifiers=["6101095203950001", "3201014107800002"])
    assert apart.cluster_count == 2
    typo = cluster(["a", "b"], links, identifiers=["6101095203950001", "6101095203950007"])
    assert typo.cluster_count == 1


def test_cluster_ids_are_stable_across_runs_and_carried_over_by_overlap():
    links = _links(("a", "b", 0.99), ("c", "d", 0.99))
    first = cluster(["a", "b", "c", "d"], links)
    again = cluster(["d", "c", "b", "a"], links.iloc[::-1])
    as_dict = lambda r: dict(zip(r.assignments.record_id, r.assignments.cluster_id, strict=True))  # noqa: E731
    assert as_dict(first) == as_dict(again)
    previous = as_dict(first)
    # A new record joins a cluster: the cluster keeps its id.
    grown = as_dict(
        cluster(
            ["a", "b", "c", "d", "e"],
            _links(("a", "b", 0.99), ("c", "d", 0.99), ("e", "a", 0.95)),
            previous=previous,
        )
    )
    assert grown["e"] == grown["a"] == previous["a"]
    assert grown["c"] == previous["c"]
    # Two clusters merge: the larger overlap keeps its id, the other id is retired.
    merged = as_dict(
        cluster(
            ["a", "b", "c", "d", "e"],
            _links(("a", "b", 0.99), ("c", "d", 0.99), ("e", "a", 0.95), ("b", "c", 0.95)),
            previous=grown,
        )
    )
    assert len(set(merged.values())) == 1
    assert set(merged.values()) == {grown["a"]}
    # It splits again: the part without the id gets a fresh one, never the retired one.
    split = as_dict(
        cluster(
            ["a", "b", "c", "d", "e"],
            _links(("a", "b", 0.99), ("c", "d", 0.99), ("e", "a", 0.95)),
            previous=merged,
        )
    )
    assert split["a"] == grown["a"]
    assert split["c"] not in {grown["a"]}


def test_fresh_ids_come_from_the_smallest_member():
    result = cluster(["b", "a"], _links(("a", "b", 0.99)))
    assert set(result.assignments.cluster_id) == {fresh_cluster_id("a")}


def test_scores_of_a_perfect_and_a_lumped_clustering():
    truth = ["p1", "p1", "p2", "p3"]
    assert pair_scores(["a", "b", "c", "d"], truth, ["x", "x", "y", "z"]).f1 == 1.0
    assert cluster_scores(truth, ["x", "x", "y", "z"]).f1 == 1.0
    lumped = pair_scores(["a", "b", "c", "d"], truth, ["x", "x", "x", "x"])
    assert lumped.recall == 1.0
    assert lumped.precision == pytest.approx(1 / 6)
    assert bcubed_scores(truth, ["x", "x", "y", "z"]).f1 == 1.0
    lumped_b3 = bcubed_scores(truth, ["x", "x", "x", "x"])
    # Each p1 record shares its cluster of 4 with one other p1 record: 2/4; p2, p3: 1/4.
    assert (lumped_b3.precision, lumped_b3.recall) == (pytest.approx(0.375), 1.0)
    split_b3 = bcubed_scores(truth, ["x", "w", "y", "z"])
    assert (split_b3.precision, split_b3.recall) == (1.0, pytest.approx(0.75))


@pytest.mark.parametrize(
    ("modern", "old"),
    [("Aisyah", "Aisjah"), ("Joko", "Djoko"), ("Suharti", "Soeharti"), ("Cahyono", "Tjahjono")],
)
def test_the_synthetic_population_writes_old_spelling_as_records_did(modern, old):
    assert _old_spelling(modern) == old
    assert name_features(old).norm == name_features(modern).norm


def test_the_joining_links_are_a_spanning_forest_with_each_records_strongest_link():
    links = pd.DataFrame(
        {"a": ["a", "b", "a", "d"], "b": ["b", "c", "c", "e"], "p": [0.99, 0.98, 0.97, 0.95]}
    )
    result = cluster(["a", "b", "c", "d", "e"], links)
    joining = result.joining_links
    assert sorted(zip(joining["a"], joining["b"], strict=True)) == [
        ("a", "b"),
        ("b", "c"),
        ("d", "e"),
    ]
    assert result.cluster_count == 2


@pytest.mark.parametrize("row_ids", [True, False])
def test_own_blocking_finds_exactly_splinks_pairs(row_ids):
    """The DuckDB path blocks with one join per key and a distinct; it must give the pairs
    Splink's rule-by-rule blocking gives, each once, whatever the id type."""
    from simpul.linkage.engine.features import rows_to_columns
    from simpul.linkage.engine.model import blocked_pairs_sql
    from simpul.linkage.engine.pipeline import Options, Session
    from tools import synthetic_people as synthetic

    features = build_features(rows_to_columns(synthetic.generate(1500, seed=11)))
    session = Session(features, options=Options(train=False), row_ids=row_ids)
    try:
        con = session.db_api.duckdb_con
        splink_pairs = session.linker.inference.compute_blocked_pairs_for_predict_chunk(
            left_chunk=(1, 1), right_chunk=(1, 1)
        )
        expected = con.execute(
            f"SELECT join_key_l, join_key_r FROM {splink_pairs.physical_name}"
        ).fetchall()
        ours = con.execute(
            f"SELECT join_key_l, join_key_r FROM ({blocked_pairs_sql(session.input.physical_name)})"
        ).fetchall()
    finally:
        session.close()
    assert len(expected) > 1500
    assert len(ours) == len(set(ours))
    assert sorted(ours) == sorted(expected)


def _sequential_clusters(ids, links, must, cannot, niks):
    """The plain algorithm, one link at a time strongest first, for comparison."""
    from simpul.linkage.engine.clustering import _UnionFind

    at = {record: i for i, record in enumerate(ids)}
    uf = _UnionFind(len(ids), niks)
    for a, b in cannot:
        uf.forbid(at[a], at[b])
    for a, b in must:
        uf.union(at[a], at[b], reviewed=True)
    refused = 0
    for row in links.sort_values("p", ascending=False, kind="stable").itertuples():
        a, b = at[row.a], at[row.b]
        if uf.find(a) != uf.find(b) and not uf.union(a, b):
            refused += 1
    groups: dict[int, set[str]] = {}
    for record in ids:
        groups.setdefault(uf.find(at[record]), set()).add(record)
    return {frozenset(g) for g in groups.values()}, refused


@given(
    size=st.integers(2, 12),
    edges=st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from([0.9, 0.95, 1.0])),
        max_size=30,
    ),
    nik_choice=st.lists(st.sampled_from([None, "1111", "1112", "9999"]), min_size=12, max_size=12),
    decisions=st.lists(
        st.tuples(st.booleans(), st.integers(0, 11), st.integers(0, 11)), max_size=4
    ),
)
@settings(max_examples=300, deadline=None)
def test_clusters_are_those_of_linking_one_link_at_a_time(size, edges, nik_choice, decisions):
    ids = [f"r{i:02d}" for i in range(size)]
    seen, rows = set(), []
    for a, b, p in edges:
        a, b = a % size, b % size
        if a != b and (min(a, b), max(a, b)) not in seen:
            seen.add((min(a, b), max(a, b)))
            rows.append((ids[min(a, b)], ids[max(a, b)], p))
    links = pd.DataFrame(rows, columns=["a", "b", "p"])
    niks = nik_choice[:size]
    must = [(ids[a % size], ids[b % size]) for m, a, b in decisions if m and a % size != b % size]
    cannot = [
        (ids[a % size], ids[b % size]) for m, a, b in decisions if not m and a % size != b % size
    ]
    result = cluster(ids, links, must_link=must, cannot_link=cannot, identifiers=niks)
    found: dict[str, set[str]] = {}
    assigned = result.assignments
    for record, cid in zip(assigned["record_id"], assigned["cluster_id"], strict=True):
        found.setdefault(cid, set()).add(record)
    expected, refused = _sequential_clusters(ids, links, must, cannot, niks)
    assert {frozenset(g) for g in found.values()} == expected
    assert result.refused_links == refused
    # The joining links rebuild exactly the scored part of every cluster.
    joined = _sequential_clusters(ids, result.joining_links, [], [], None)[0]
    assert all(any(group <= cluster_ for cluster_ in expected) for group in joined)
    assert len(result.joining_links) == size - len(joined)


def test_a_run_does_not_depend_on_the_order_records_are_read_in():
    """The database may return persons in any order; the trained model, the pairs and the
    clusters must not change with it."""
    from simpul.linkage.engine.features import rows_to_columns
    from simpul.linkage.engine.pipeline import link
    from tools import synthetic_people as synthetic

    features = build_features(rows_to_columns(synthetic.generate(1500, seed=4)))
    forward = link(features)
    backward = link(features.take(list(range(features.num_rows))[::-1]))
    assert forward.trained and backward.trained
    assert len(forward.pairs) > 1000
    assert set(zip(forward.pairs["a"], forward.pairs["b"], strict=True)) == set(
        zip(backward.pairs["a"], backward.pairs["b"], strict=True)
    )
    same = forward.clusters.assignments.set_index("record_id")["cluster_id"]
    other = backward.clusters.assignments.set_index("record_id")["cluster_id"]
    assert same.sort_index().equals(other.sort_index())
