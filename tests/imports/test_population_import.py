"""The population importer: the real TÜİK file (loaded once by conftest), women given or
estimated, matching by name or code, and rows refused with the line named."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ImportFailed
from app.models import Mahalle
from app.services.imports.population import PopulationColumns, import_population
from tests.support.base_data import DISTRICT_SHARES, POPULATION, TUIK_COLUMNS
from tests.support.import_support import mahalle_named, write_csv

CANKAYA_FEMALE_SHARE = 0.5207


def test_population_is_joined_with_estimated_women(db):
    cankaya = db.scalars(select(Mahalle).where(Mahalle.district == "Çankaya")).all()
    with_total = [m for m in cankaya if m.population_total is not None]
    assert len(with_total) == 122
    assert sum(m.population_total for m in with_total) == 939_486
    for m in with_total:
        assert m.women_residents == round(m.population_total * CANKAYA_FEMALE_SHARE)
        assert m.women_is_estimate is True
        assert m.population_year == 2025
    kizilay = mahalle_named(db, "Kızılay Mahallesi")
    assert (kizilay.population_total, kizilay.women_residents) == (1533, 798)
    sakarya = mahalle_named(db, "Sakarya Mahallesi")
    assert (sakarya.population_total, sakarya.women_residents) == (None, None)
    assert sakarya.women_is_estimate is False
    typo = mahalle_named(db, "Arka Topraklık Mahallsi")
    assert typo.population_total is None
    yenimahalle_totals = db.scalar(
        select(func.count(Mahalle.population_total)).where(Mahalle.district == "Yenimahalle")
    )
    assert yenimahalle_totals == 0


def test_population_summary_reports_blank_and_unmatched(db):
    result = import_population(
        db, POPULATION, columns=TUIK_COLUMNS, district_shares=DISTRICT_SHARES
    )
    assert (result.rows, result.matched, result.with_total) == (123, 123, 122)
    assert (result.women_given, result.women_estimated) == (0, 122)
    assert result.unmatched_rows == []
    assert result.mahalle_without_row == [
        "mahalle 'Arka Topraklık Mahallsi' (Çankaya) has no row in the file"
    ]
    assert any("line 88" in w and "Sakarya" in w for w in result.warnings)


def test_non_numeric_total_fails_naming_the_line_and_changes_nothing(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total", "year"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "9999", "2026"],
            ["Ankara", "Çankaya", "Cumhuriyet Mahallesi", "çok", "2026"],
            ["Ankara", "Çankaya", "Meşrutiyet Mahallesi", "12,5", "2026"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_population(db, path, columns=TUIK_COLUMNS, district_shares=DISTRICT_SHARES)
    assert failure.value.details == [
        "line 3 ('Cumhuriyet Mahallesi', Çankaya, Ankara): total 'çok' is not a whole number",
        "line 4 ('Meşrutiyet Mahallesi', Çankaya, Ankara): total '12,5' is not a whole number",
    ]
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533


def test_numbers_beyond_the_database_integer_or_a_plausible_year_fail_naming_the_line(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total", "women", "year"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "99999999999", "", "2025"],
            ["Ankara", "Çankaya", "Cumhuriyet Mahallesi", "2147483647", "-1", "2025"],
            ["Ankara", "Çankaya", "Meşrutiyet Mahallesi", "1000", "500", "20255"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_population(db, path, columns=PopulationColumns(women="women"))
    assert failure.value.details == [
        "line 2 ('Kızılay Mahallesi', Çankaya, Ankara): total '99999999999' is out of range "
        "(0 to 2,147,483,647)",
        "line 3 ('Cumhuriyet Mahallesi', Çankaya, Ankara): women '-1' is out of range "
        "(0 to 2,147,483,647)",
        "line 4 ('Meşrutiyet Mahallesi', Çankaya, Ankara): year '20255' is out of range "
        "(1900 to 2100)",
    ]
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533


def test_nul_characters_in_csv_cells_fail_naming_line_and_column(db, tmp_path):
    population = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "2000"],
            ["Ankara", "Çankaya", "Cumhuriyet\x00 Mahallesi", "2000"],
        ],
    )
    with pytest.raises(ImportFailed) as failure:
        import_population(db, population, columns=TUIK_COLUMNS)
    assert failure.value.details == [
        "line 3: column 'mahalle_name' contains a NUL character (\\x00), "
        "which the database cannot store"
    ]
    assert mahalle_named(db, "Kızılay Mahallesi").population_total == 1533


def test_women_given_by_column_matched_by_upper_case_names(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["IL", "ILCE", "MAHALLE", "TOPLAM", "KADIN"],
            ["ANKARA", "ÇANKAYA", "KIZILAY MAHALLESİ", "1.600", "900"],
            ["ANKARA", "YENİMAHALLE", "YENİ BATI MAH.", "12000", ""],
            ["ANKARA", "YENİMAHALLE", "OLMAYAN MAHALLESİ", "10", ""],
        ],
        delimiter=";",
    )
    columns = PopulationColumns(
        name="mahalle", district="ilce", province="il", total="toplam", women="kadin", year=None
    )
    result = import_population(db, path, columns=columns, district_shares=DISTRICT_SHARES)
    assert (result.matched, result.women_given, result.women_estimated) == (2, 1, 1)
    assert result.unmatched_rows == [
        "line 4 ('OLMAYAN MAHALLESİ', YENİMAHALLE, ANKARA) matches no imported mahalle"
    ]
    kizilay = mahalle_named(db, "Kızılay Mahallesi")
    assert (kizilay.population_total, kizilay.women_residents) == (1600, 900)
    assert kizilay.women_is_estimate is False
    yeni_bati = mahalle_named(db, "Yeni Batı Mahallesi", "Yenimahalle")
    assert yeni_bati.women_residents == round(12000 * 0.5136)
    assert yeni_bati.women_is_estimate is True


def test_women_above_total_and_duplicate_rows_are_errors(db, tmp_path):
    path = write_csv(
        tmp_path / "pop.csv",
        [
            ["il", "ilce", "mahalle_name", "pop_total", "women"],
            ["Ankara", "Çankaya", "Kızılay Mahallesi", "100", "101"],
            ["Ankara", "Çankaya", "Kizilay", "100", "50"],
        ],
    )
    columns = PopulationColumns(women="women")
    with pytest.raises(ImportFailed) as failure:
        import_population(db, path, columns=columns)
    assert failure.value.details == [
        "line 2 ('Kızılay Mahallesi', Çankaya, Ankara): women (101) exceed the total (100)",
        "line 3 ('Kizilay', Çankaya, Ankara): same mahalle as line 2",
    ]


def test_match_by_code_column(db, tmp_path):
    code = mahalle_named(db, "Kızılay Mahallesi").code
    path = write_csv(tmp_path / "pop.csv", [["kod", "nufus"], [code, "2000"]])
    columns = PopulationColumns(code="kod", total="nufus", year=None)
    result = import_population(db, path, columns=columns, district_shares=DISTRICT_SHARES)
    assert (result.matched, result.women_estimated) == (1, 1)
    assert mahalle_named(db, "Kızılay Mahallesi").women_residents == round(2000 * 0.5207)
