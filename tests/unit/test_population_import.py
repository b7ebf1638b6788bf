"""Tests of reading children 0-17 per municipality from SCB (PxWeb) CSV and plain CSV files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api import i18n
from pool.population import PopulationFigure, PopulationImportError, parse_child_population
from tests.coded import raises

DATA = Path(__file__).resolve().parent.parent / "data"

# Ages 0-17 summed over both sexes, computed when the sample files were written.
EXPECTED_2025 = {"0114": 10_789, "0139": 6_831, "0163": 17_297, "0183": 12_595, "0184": 15_820,
                 "0191": 9_685, "2180": 113_682}
EXPECTED_2024 = {"0114": 10_758, "0139": 6_798, "0163": 17_225, "0183": 12_546, "0184": 15_827,
                 "0191": 9_671, "2180": 113_222}
NAMES = {"0114": "Upplands Väsby", "0139": "Upplands-Bro", "0163": "Sollentuna",
         "0183": "Sundbyberg", "0184": "Solna", "0191": "Sigtuna", "2180": "Göteborg"}


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def by_code(result):
    return {f.municipality: f.children for f in result.figures}


@pytest.mark.parametrize("name, encoding", [("scb_population_0_17_latin1.csv", "cp1252"),
                                            ("scb_population_0_17_utf8bom.csv", "utf-8-sig")])
def test_scb_export_with_swedish_names_in_either_encoding(name, encoding):
    data = read(name)
    assert "Göteborg".encode("cp1252" if encoding == "cp1252" else "utf-8") in data
    result = parse_child_population(data, 2025)
    assert result.format == "scb"
    assert result.encoding == encoding
    assert result.rows_read == 7 * 20 * 2
    assert by_code(result) == EXPECTED_2025
    assert {f.municipality: f.name for f in result.figures} == NAMES
    assert [f.municipality for f in result.figures] == sorted(EXPECTED_2025)
    notes = [i18n.message(n, "en") for n in result.notes]
    assert any("Folkmängden efter region, ålder, kön och år" in n for n in notes)
    assert any("2024" in n and "ignored" in n for n in notes)


def test_the_requested_year_picks_its_column():
    assert by_code(parse_child_population(read("scb_population_0_17_latin1.csv"), 2024)) == \
        EXPECTED_2024


def test_a_hand_sized_scb_file_is_summed_over_ages_and_sexes():
    # Solna: ages 0-17 are 10 + 11 + ... + 27 = 333 for män and 1 each = 18 for kvinnor.
    rows = ['"region";"ålder";"kön";"2025"']
    for age in range(0, 20):
        rows.append(f'"0184 Solna";"{age} år";"män";"{10 + age}"')
        rows.append(f'"0184 Solna";"{age} år";"kvinnor";"1"')
    rows.append('"0184 Solna";"100+ år";"män";"3"')
    rows.append('"0184 Solna";"100+ år";"kvinnor";"5"')
    result = parse_child_population("\n".join(rows).encode("utf-8"), 2025)
    assert result.figures == (PopulationFigure("0184", "Solna", 351),)
    assert result.encoding == "utf-8"


def test_pxweb_api_style_comma_file_without_sex_and_with_all_ages():
    # The PxWeb API labels year columns with the content ("Folkmängd 2025") and leaves
    # numbers unquoted; "totalt ålder" and ages over 17 are ignored.
    lines = ['"region","ålder","Folkmängd 2024","Folkmängd 2025"']
    for code, name in (("0139", "Upplands-Bro"), ("2180", "Göteborg")):
        lines.append(f'"{code} {name}","totalt ålder",99999,99999')
        for age in range(0, 100):
            lines.append(f'"{code} {name}","{age} år",{age},{2 if age < 18 else 7}')
        lines.append(f'"{code} {name}","100+ år",1,1')
    result = parse_child_population(("\r\n".join(lines) + "\r\n").encode("cp1252"), 2025)
    assert by_code(result) == {"0139": 36, "2180": 36}
    assert result.figures[1].name == "Göteborg"
    assert result.encoding == "cp1252"


def test_age_classes_that_stop_at_17_are_accepted():
    text = "region;ålder;2025\n" + "\n".join(
        f"0191 Sigtuna;{age};{n}" for age, n in
        [("0-4 år", 2000), ("5-9 år", 2100), ("10-14 år", 2200), ("15 år", 400),
         ("16 år", 410), ("17 år", 420), ("18-19 år", 800)])
    assert by_code(parse_child_population(text.encode(), 2025)) == {"0191": 7530}


def test_totals_are_checked_against_the_sexes():
    rows = ["region;ålder;kön;2025"]
    for age in range(18):
        rows += [f"0183 Sundbyberg;{age} år;män;5", f"0183 Sundbyberg;{age} år;kvinnor;4",
                 f"0183 Sundbyberg;{age} år;totalt;9"]
    assert by_code(parse_child_population("\n".join(rows).encode(), 2025)) == {"0183": 162}
    rows[-1] = "0183 Sundbyberg;17 år;totalt;10"
    with raises(PopulationImportError, match="totalt 163 differs"):
        parse_child_population("\n".join(rows).encode(), 2025)


@pytest.mark.parametrize("text, count", [
    ("kommunkod,children\n0184,15820\n0163,17297\n", 2),
    ("0184;15820\n0163;17297\n0191;9685\n", 3),
    ("kommunkod\tbarn\r\n0184\t15820\r\n", 1),
])
def test_plain_format_with_or_without_header(text, count):
    result = parse_child_population(text.encode(), 2025)
    assert result.format == "plain"
    assert result.rows_read == count
    assert by_code(result)["0184"] == 15820
    assert all(f.name is None for f in result.figures)


def test_plain_sample_file():
    result = parse_child_population(read("plain_children.csv"), 2025)
    assert by_code(result) == {k: v for k, v in EXPECTED_2025.items() if k != "2180"}


def scb(*rows: str, header: str = '"region";"ålder";"kön";"2024";"2025"') -> bytes:
    return "\n".join([header, *rows]).encode("cp1252")


def full_scb(code_name: str = "0184 Solna", skip: int | None = None, value: str = "5") -> list:
    return [f'"{code_name}";"{a} år";"{s}";"1";"{value}"' for a in range(18) if a != skip
            for s in ("män", "kvinnor")]


def long_scb(*rows: str, header: str = '"region","ålder","kön","år","Folkmängd"') -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


def long_rows(year: int, code_name: str = "0184 Solna") -> list[str]:
    return [f'"{code_name}","{a} år","{s}","{year}",5' for a in range(18) for s in ("män", "kvinnor")]


# Every refusal of the parser: the file, the year, the English message (a regex) and the code.
REFUSALS = [
    (b"", 2025, "empty", "population.empty"),
    (b"\r\n  \n", 2025, "empty", "population.empty"),
    ("region;ålder;kön;2024".encode(), 2025, r"line 1: no column for 2025 \(the file has 2024\)", "population.no_year_column"),
    (scb(*full_scb(), header='"region";"civilstånd";"ålder";"2025"'), 2025,
     r"line 1, column 2: unknown column 'civilstånd'", "population.unknown_column"),
    (scb(header='"region";"ålder";"2025K3"'), 2025, "quarter or month", "population.period_column"),
    (scb(header='"region";"kön";"2025"'), 2025, "no 'ålder'", "population.no_age_column"),
    (scb(header='"region";"ålder";"kön"'), 2025, "no year column", "population.no_year_columns"),
    (scb(*full_scb(value="..")), 2025, r"line 2, column 5 \(2025\): '\.\.' is SCB's mark", "population.missing_figure"),
    (scb(*full_scb()[:3], '"0184 Solna";"3 år";"män";"1";"tolv"'), 2025,
     r"line 5, column 5 \(2025\): 'tolv' is not a count", "population.not_a_count"),
    (scb('"Stockholm";"0 år";"män";"1";"5"'), 2025, r"line 2, column 1: region 'Stockholm' has no",
     "population.region_without_code"),
    (scb('"0999";"0 år";"män";"1";"5"'), 2025, r"line 2, column 1: '0999' is not a kommunkod in SCB's list",
     "population.unknown_kommunkod"),
    (long_scb(header='"region","ålder","kön","år"'), 2025, "line 1: an 'år' column but no 'Folkmängd'",
     "population.no_value_column"),
    (long_scb('"0184 Solna","0 år","män","2025",4', '"0184 Solna","1 år","män","år 2025",4'), 2025,
     "line 3, column 4: year 'år 2025' is not a calendar year", "population.bad_year_cell"),
    (long_scb(*long_rows(2024)), 2025, r"line 1: no column for 2025 \(the file has 2024\)",
     "population.no_year_column"),
    (scb(*full_scb(), "", '"Källa: SCB"', full_scb("0191 Sigtuna")[0]), 2025,
     "line 40: a data row after the source line", "population.data_after_footnote"),
    (b"0184;1\n\nK\xe4lla: SCB\n0191;2\n", 2025, "line 4: a data row after", "population.data_after_footnote"),
    (scb(*full_scb(), header='"region";"ålder";"kön";"Folkmängd";"2025"'), 2025,
     "line 1, column 4: unknown column 'Folkmängd'", "population.unknown_column"),
    (scb(*full_scb(skip=17)), 2025,
     r"line 2: 0184 Solna: ages 0-17 incomplete \(män\), missing 17", "population.ages_incomplete_sex"),
    (scb(*[r for r in full_scb() if "kvinnor" not in r]), 2025, "only one sex", "population.one_sex"),
    (scb(*full_scb(), full_scb()[5]), 2025, "line 38: a second row for 0184 Solna, 2 år", "population.duplicate_row"),
    (scb(*full_scb(), '"0184 Solna";"15-19 år";"män";"1";"5"'), 2025, "cannot be split at 17", "population.age_class_across_17"),
    (scb(*full_scb(), '"0184 Solna";"0-4 år";"kvinnor";"1";"5"'), 2025, "counted twice", "population.age_twice"),
    (scb(*full_scb(), '"0184 Solna";"uppgift saknas";"män";"1";"5"'), 2025,
     "age 'uppgift saknas' not understood", "population.bad_age"),
    (scb(*full_scb(), '"0184 Solna";"0 år";"okänt";"1";"5"'), 2025, "sex 'okänt'", "population.bad_sex"),
    (scb(*full_scb(), '"0184 Solnas";"18 år";"män";"1";"5"'), 2025, "named both", "population.region_named_twice"),
    (scb(*full_scb(), '"0184 Solna";"18 år";"män";"1"'), 2025, "line 38: 4 columns", "population.column_count"),
    (scb(), 2025, "header but no data rows", "population.no_data_rows"),
    (b'"Title"\n"more title";"x"\n"region";"\xe5lder";"2025"\n', 2025, "line 2: neither", "population.not_title_or_header"),
    (b"kommunkod,children\n0184,1\n0184,2\n", 2025, r"line 3: 0184 appears again \(first on "
                                                     r"line 2\)", "population.duplicate_code"),
    (b"0184,12 000\n", 2025, "line 1, column 2", "population.not_a_count"),
    (b"0184,1,2\n", 2025, "line 1: 3 columns", "population.plain_column_count"),
    (b"0184,1\nSolna,2\n", 2025, "line 2, column 1: 'Solna' is not a 4-digit", "population.not_a_kommunkod"),
    (b"kommunkod,children\n", 2025, "header but no data", "population.no_data_rows"),
    (b"name,age\nAnna,4\n", 2025, "line 1: not understood", "population.not_understood"),
    ("0184,1\n".encode("utf-16"), 2025, "UTF-16", "population.utf16"),
    (b"0184,1\n", 1066, "calendar year", "population.bad_year"),
    ("\n".join(['"region";"ålder";"2025"'] + [f'"0184 Solna";"{a} år";"5"' for a in range(17)]).encode(), 2025,
     "line 2: 0184 Solna: ages 0-17 incomplete, missing 17", "population.ages_incomplete"),
    (b"0184,1\n\x81\x8d\n", 2025, "byte 7: the file is neither UTF-8 nor Latin-1", "population.bad_encoding"),
    (b"0184,1\n0163,\x002\n", 2025, "NUL bytes", "population.nul_bytes"),
    (b'0184,"1"x"\n', 2025, "line 1: cannot read the CSV quoting", "population.bad_quoting"),
    (scb(*full_scb(), header='"region";"ålder";"ålder";"2025"'), 2025, "line 1, column 3: a second 'ålder' column",
     "population.duplicate_column"),
    (scb(*full_scb(), header='"region";"ålder";"2025";"Folkmängd 2025"'), 2025, "line 1, column 4: a second column "
     "for 2025", "population.duplicate_year_column"),
    ("\n".join(["region;ålder;kön;2025"] + [f"0183 Sundbyberg;{a} år;{sex};{n}" for a in range(18) for sex, n in
                                             (("män", 5), ("kvinnor", 4), ("totalt", 9 if a < 17 else 10))]).encode(),
     2025, r"line 2: 0183 Sundbyberg: totalt 163 differs from män \+ kvinnor 162", "population.total_differs"),
]


@pytest.mark.parametrize("data, year, message, code", REFUSALS)
def test_refusals_name_the_line_and_column(data, year, message, code):
    with raises(PopulationImportError, code, match=message):
        parse_child_population(data, year)



# --- properties -------------------------------------------------------------------------

swedish_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖéABCDEFGHIJKLMNOPQRSTUVWXYZ -",
                        min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def scb_files(draw):
    codes = draw(st.lists(st.from_regex(r"\A[0-9]{4}\Z"), min_size=1, max_size=5, unique=True))
    names = {c: draw(swedish_names) for c in codes}
    sexes = draw(st.sampled_from([None, ("män", "kvinnor")]))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    quote_numbers = draw(st.booleans())
    top_age = draw(st.integers(17, 25))
    expected = {c: 0 for c in codes}
    header = ["region", "ålder"] + (["kön"] if sexes else []) + ["2024", "2025"]
    lines = ['"Folkmängden efter region, ålder och år"'] if draw(st.booleans()) else []
    lines.append(delimiter.join(f'"{h}"' for h in header))
    rows = []
    for code in codes:
        for age in range(top_age + 1):
            for sex in sexes or (None,):
                value = draw(st.integers(0, 5000))
                if age < 18:
                    expected[code] += value
                cells = [f'"{code} {names[code]}"', f'"{age} år"'] + ([f'"{sex}"'] if sex else [])
                number = f'"{value}"' if quote_numbers else str(value)
                rows.append(delimiter.join(cells + ['"0"', number]))
    lines += draw(st.permutations(rows))
    text = "\r\n".join(lines) + "\r\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding), expected, names


@settings(max_examples=200, deadline=None)
@given(scb_files())
def test_any_well_formed_scb_file_is_summed_exactly(case):
    data, expected, names = case
    result = parse_child_population(data, 2025)
    assert by_code(result) == expected
    assert {f.municipality: f.name for f in result.figures} == names


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.from_regex(r"\A[0-9]{4}\Z"), st.integers(0, 10**6), min_size=1),
       st.booleans(), st.sampled_from([",", ";"]))
def test_plain_files_round_trip(figures, with_header, delimiter):
    lines = [f"kommunkod{delimiter}children"] if with_header else []
    lines += [f"{code}{delimiter}{n}" for code, n in figures.items()]
    result = parse_child_population("\n".join(lines).encode(), 2025)
    assert by_code(result) == figures
    assert result.rows_read == len(figures)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_parsed_or_refused_never_crash(data):
    try:
        result = parse_child_population(data, 2025)
    except PopulationImportError:
        return
    assert result.figures


# --- real-world layouts: SCB's long table, files re-saved by Swedish Excel --------------------------

# Ages 0-17 summed over both sexes, computed when the files were written.
LAYOUT_2025 = {"0184": 7866, "0191": 8118}
LAYOUT_2024 = {"0184": 7686, "0191": 7938}


@pytest.mark.parametrize("year, expected", [(2025, LAYOUT_2025), (2024, LAYOUT_2024)])
def test_scb_long_layout_sums_the_requested_year(year, expected):
    result = parse_child_population(read("scb_long_layout.csv"), year)
    assert result.format == "scb"
    assert by_code(result) == expected
    assert {f.municipality: f.name for f in result.figures} == {"0184": "Solna", "0191": "Sigtuna"}
    notes = [i18n.message(n, "en") for n in result.notes]
    assert f"other years ignored: {2024 if year == 2025 else 2025}" in notes
    assert "text after the data: Källa: SCB, Befolkningsstatistik" in notes


def test_excel_resaved_wide_file_with_country_county_and_bare_codes():
    data = read("scb_wide_excel_resaved.csv")
    assert b"\r\n" in data and b";;\r\n" in data and "län".encode("cp1252") in data
    result = parse_child_population(data, 2025)
    assert result.encoding == "cp1252"
    assert by_code(result) == LAYOUT_2025
    # "0184" alone is named from SCB's list of municipalities shipped with the package.
    assert {f.municipality: f.name for f in result.figures} == {"0184": "Solna", "0191": "Sigtuna"}
    assert result.ignored_regions == ("Riket", "01 Stockholms län")
    notes = [i18n.message(n, "en") for n in result.notes]
    assert "regions that are not municipalities ignored: Riket and 01 Stockholms län" in notes
    assert "text after the data: Källa: SCB" in notes
    assert "Regioner som inte är kommuner hoppades över: Riket och 01 Stockholms län." in \
        [i18n.message(n, "sv") for n in result.notes]


def test_excel_resaved_plain_file_with_a_source_line():
    result = parse_child_population(read("plain_children_excel.csv"), 2025)
    assert result.format == "plain"
    assert by_code(result) == {"0184": 15820, "0191": 9685}
    assert "text after the data: Källa: SCB 2025-12-31" in [i18n.message(n, "en") for n in result.notes]


@pytest.mark.parametrize("tail", ['"Källa: SCB"', '\n"Fotnot: uppgifterna avser 31 december, preliminära"'])
def test_a_source_line_after_the_wide_data_is_a_note(tail):
    result = parse_child_population(scb(*full_scb(), tail), 2025)
    assert by_code(result) == {"0184": 180}
    assert any(i18n.message(n, "en").startswith("text after the data: ") for n in result.notes)


def test_the_shipped_list_names_every_municipality():
    from pool.municipalities import municipality_names
    names = municipality_names()
    assert len(names) == 290
    assert names["0184"] == "Solna" and names["2580"] == "Luleå"
