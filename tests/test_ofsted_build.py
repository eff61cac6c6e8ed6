"""``cli.py ofsted build``: Ofsted's overview and report texts → the committed extract in reference_data/.

The real-figure tests read ``../shared/reference/ofsted/`` and skip where it is absent; everything
else builds from small synthetic inputs written here (real authority codes, invented words).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from official import ofsted as o
from official.build import ofsted as build
from official.build.ofsted_text import (
    MAX_REPORT_BYTES,
    TOPIC_RULES,
    parse_paragraphs,
    read_report,
    topics,
)
from tests.support.cli import run_cli

REF = build.REPO / "reference_data"
SHARED = build.SHARED_OFSTED
needs_shared = pytest.mark.skipif(
    not build.DEFAULT_OVERVIEW.is_file(), reason="no ../shared/reference/ofsted"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    result = run_cli(capsys, *argv)
    return result.code, result.out, result.err


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- the real extract ----------------------------------------------------------------------------------


@needs_shared
def test_building_from_the_shared_files_reproduces_the_committed_extract_byte_for_byte():
    files = build.build_ofsted()
    assert set(files) == {o.JUDGEMENTS_FILE, o.PASSAGES_FILE}
    for name, text in files.items():
        assert text == (REF / name).read_text(encoding="utf-8"), name


def _overview_rows() -> dict[str, dict[str, object]]:
    """The overview read here directly (not through the build), by DfE code."""
    wb = openpyxl.load_workbook(build.DEFAULT_OVERVIEW, read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    header = [str(c) for c in rows[0]]
    return {str(r[header.index("la_code")]): dict(zip(header, r, strict=False)) for r in rows[1:]}


def _iso(ddmmyy: str) -> str:
    d, m, y = ddmmyy.split("/")
    return f"{'20' + y if len(y) == 2 else y}-{m}-{d}"


@needs_shared
@pytest.mark.parametrize("dfe, name", [("886", "Kent"), ("887", "Medway"), ("304", "Brent")])
def test_three_authorities_match_the_overview_file(dfe, name):
    source = _overview_rows()[dfe]
    got = o.load_ofsted().inspection(dfe)
    assert got.name == name
    assert got.urn == str(source["urn"])
    assert got.report_url == source["inspection_link"]
    assert got.framework == source["inspection_framework"]
    assert got.start.isoformat() == _iso(source["inspection_start_date"])
    assert got.end.isoformat() == _iso(source["inspection_end_date"])
    assert got.published.isoformat() == _iso(source["publication_date"])
    for key, column in build.GRADE_COLUMNS.items():
        word = str(source[column])
        expected = o.NOT_AVAILABLE if word == "nan" else build.GRADE_WORDS[word]
        assert got.grade(key) == expected, (name, key)


@needs_shared
def test_every_authority_whose_text_is_older_than_the_graded_inspection_is_labelled_so():
    data = o.load_ofsted()
    older = []
    for path in sorted((SHARED / "reports").glob("*.txt")):
        urn, _, date = path.stem.split("_")
        found = next(i for i in data.inspections.values() if i.urn == urn)
        if found.published and found.published.isoformat() > date:
            older.append(found)
    assert len(older) == 53  # as the shared README says
    for found in older:
        assert found.text.relation == o.EARLIER
        assert "earlier inspection" in found.text_note()
        assert all(p.earlier_than_graded for p in data.passages(found.dfe_code))
        assert all("the earlier inspection" in p.reference for p in data.passages(found.dfe_code))


def inspector_names() -> set[str]:
    """The lead inspectors named in the overview and on the reports' first pages, read now."""
    wb = openpyxl.load_workbook(build.DEFAULT_OVERVIEW, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    at = list(rows[0]).index("inspector_name")
    names = {str(r[at]) for r in rows[1:] if r[at] and len(str(r[at]).split()) >= 2}
    for path in (SHARED / "reports").glob("*.txt"):
        m = re.search(r"(?m)^Lead inspector:\s*([^,\n]+)", path.read_text(encoding="utf-8"))
        if m:
            names.add(m.group(1).strip())
    assert len(names) > 40
    return names


def name_pattern(names: set[str]) -> re.Pattern[str]:
    return re.compile(
        "|".join(r"\b" + r"\s+".join(re.escape(p) for p in n.split()) + r"\b" for n in sorted(names)), re.I
    )


@needs_shared
def test_no_lead_inspectors_name_is_anywhere_in_reference_data():
    pattern = name_pattern(inspector_names())
    checked = 0
    for path in sorted(REF.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not pattern.search(text), f"{path.name}: {pattern.search(text).group(0)}"
            checked += 1
    assert checked >= 7


@needs_shared
def test_no_lead_inspectors_name_is_in_what_the_command_prints(capsys):
    pattern = name_pattern(inspector_names())
    for found in o.load_ofsted().inspections.values():
        for fmt in ("table", "json"):
            code, out, _ = run(capsys, "ofsted", found.dfe_code, "--format", fmt)
            assert code == 0
            assert not pattern.search(out), (found.name, fmt)


# -- reading a report's text --------------------------------------------------------------------------

FOOTER = "Inspection of Testshire local authority children’s services\n1 to 5 May 2023\n\n{page}\n\n"


def report_text(*pages: str) -> str:
    """A report in pdftotext's shape: each page ends with the title, the dates and its number."""
    head = (
        "Inspection of Testshire local authority\nchildren’s services\nInspection dates: 1 to 5 May 2023\n"
        "Lead inspector: Ann Example, His Majesty’s Inspector\nJudgement\n\nGrade\n\nOverall effectiveness\n\nGood\n\n"
    )
    body = [
        (head if i == 0 else "") + page + "\n" + FOOTER.format(page=i + 1) for i, page in enumerate(pages)
    ]
    notice = (
        "The Office for Standards in Education, Children’s Services and Skills (Ofsted)\n"
        "You may reuse this information (not including logos) free of charge.\n© Crown copyright 2023\n"
    )
    return "\f".join([*body, notice])


PAGES = (
    "Summary before the paragraphs, never kept.\n\nThe experiences and progress of children who need help and\n"
    "protection: good\n1.\n\nChildren are seen quickly and their out-\nof-hours needs are met.\n"
    "2. Initial child protection conferences are timely. Conference chairs\nhave high expectations",
    "of partners and children’s plans are clear.\n3. Children chair their own reviews from the\nage of\n"
    "16. This affords them time, and the experiences and progress of children in care are good as a result.\n\n"
    "1\n\nA footnote at the foot of the page, never kept.",
    "The experiences and progress of children in care: requires improvement to be\ngood\n"
    "4. IROs lead reviews well.",
)


def test_a_reports_paragraphs_are_found_and_joined_as_printed():
    paragraphs = parse_paragraphs(report_text(*PAGES))
    assert [p.number for p in paragraphs] == [1, 2, 3, 4]
    assert paragraphs[0].text == "Children are seen quickly and their out-of-hours needs are met."
    assert paragraphs[1].text == (
        "Initial child protection conferences are timely. Conference chairs have high expectations of partners "
        "and children’s plans are clear."
    )
    assert paragraphs[2].text == (
        "Children chair their own reviews from the age of 16. This affords them time, and the experiences and "
        "progress of children in care are good as a result."
    )
    joined = " ".join(p.text for p in paragraphs)
    for furniture in (
        "Inspection of Testshire",
        "1 to 5 May 2023",
        "footnote",
        "Crown copyright",
        "Summary",
        "Ann Example",
    ):
        assert furniture not in joined
    assert paragraphs[3].text == "IROs lead reviews well."


def test_a_word_broken_at_the_foot_of_a_page_runs_on_into_the_next_page():
    text = "\f".join(
        [
            "1. Care leavers have wellInspection of Testshire local authority children’s services\n1 to 5 May 2023\n\n1\n",
            "written plans.\n" + FOOTER.format(page=2),
            "2. End.\n" + FOOTER.format(page=3),
        ]
    )
    assert parse_paragraphs(text)[0].text == "Care leavers have wellwritten plans."


def test_a_paragraph_number_without_its_full_stop_is_found_where_the_report_never_prints_it():
    text = "1. First.\n2. Second.\n3\n\nThird, printed without a full stop.\n4. Fourth.\n"
    assert [p.text for p in parse_paragraphs(text)] == [
        "First.",
        "Second.",
        "Third, printed without a full stop.",
        "Fourth.",
    ]


def test_kents_paragraph_21_on_iros_is_read_from_its_2022_report():
    path = SHARED / "reports" / "80476_kent_2022-07-05.txt"
    if not path.is_file():
        pytest.skip("no ../shared/reference/ofsted")
    report = read_report(path)
    assert report.inspection_dates == "9 to 20 May 2022"
    assert report.published.isoformat() == "2022-07-05"
    p21 = next(p for p in report.paragraphs if p.number == 21)
    assert (
        "IROs lead high-quality reviews which, with their robust oversight and scrutiny of children’s plans, actively prevent drift and delay."
        in p21.text
    )
    assert topics(p21.text) == ("iro",)


@pytest.mark.parametrize("rule", TOPIC_RULES, ids=lambda r: r.code)
def test_each_topic_rule_finds_what_it_should_and_nothing_else(rule):
    for sentence in rule.finds:
        assert rule.applies(sentence), sentence
    for sentence in rule.misses:
        assert not rule.applies(sentence), sentence


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IROs lead high-quality reviews.", ("iro",)),
        ("Child protection chairs challenge drift, and IROs escalate concerns.", ("iro", "cp")),
        ("Family group conferences help families to make plans.", ()),
        ("Social workers visit children regularly.", ()),
        ("Conferences are well attended and child protection plans are clear.", ("cp",)),
        ("The IRO dispute resolution process is used well.", ("iro",)),
    ],
)
def test_what_a_paragraph_speaks_of(text, expected):
    assert topics(text) == expected


# -- building from synthetic inputs -----------------------------------------------------------------

HEADER = [*build.OVERVIEW_COLUMNS, "inspector_name"]


def overview_row(**changes: str) -> dict[str, str]:
    row = {
        "urn": "80476",
        "la_code": "886",
        "ltla23cd": "E10000016",
        "local_authority": "kent",
        "inspection_link": "https://files.ofsted.gov.uk/v1/file/1",
        "inspection_framework": "short",
        "inspection_start_date": "03/11/2025",
        "inspection_end_date": "07/11/2025",
        "publication_date": "02/02/26",
        "overall_effectiveness_grade": "good",
        "impact_of_leaders_grade": "good",
        "help_and_protection_grade": "requires improvement",
        "in_care_grade": "outstanding",
        "care_leavers_grade": "nan",
        "inspector_name": "ann example",
    }
    row.update(changes)
    return row


def write_overview(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An overview with Kent, a folder with Kent's report text, and an out folder holding the extract."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "80476_kent_2022-07-05.txt").write_text(report_text(*PAGES), encoding="utf-8")
    overview = write_overview(tmp_path / "overview.csv", [overview_row()])
    out = tmp_path / "out"
    out.mkdir()
    for name in (o.JUDGEMENTS_FILE, o.PASSAGES_FILE):
        shutil.copy(REF / name, out / name)
    return overview, reports, out


def build_cli(capsys, overview: Path, reports: Path, out: Path) -> tuple[int, str, str]:
    return run(
        capsys, "ofsted", "build", "--overview", str(overview), "--reports", str(reports), "--out", str(out)
    )


def test_a_build_writes_every_authority_and_the_passages_of_its_report(capsys, inputs):
    _overview, _reports, out = inputs
    code, printed, err = build_cli(capsys, *inputs)
    assert code == 0, err
    assert "153 authorities" in printed and "3 passages" in printed
    data = o.load_ofsted(out)
    kent = data.inspection("886")
    assert kent.grade("overall") == "Good"
    assert kent.grade("help_protection") == "Requires improvement to be good"
    assert kent.grade("care_leavers") == o.NOT_AVAILABLE
    assert kent.text.relation == o.EARLIER
    assert [(p.paragraph, p.topics) for p in data.passages("886")] == [
        (2, ("cp",)),
        (3, ("iro",)),
        (4, ("iro",)),
    ]
    medway = data.inspection("887")
    assert medway.grade("overall") == o.NOT_INSPECTED and medway.text is None
    first = (out / o.JUDGEMENTS_FILE).read_bytes(), (out / o.PASSAGES_FILE).read_bytes()
    assert build_cli(capsys, *inputs)[0] == 0
    assert ((out / o.JUDGEMENTS_FILE).read_bytes(), (out / o.PASSAGES_FILE).read_bytes()) == first


def test_a_care_leavers_judgement_before_2023_is_not_judged_separately(capsys, inputs):
    overview, _reports, out = inputs
    write_overview(overview, [overview_row(care_leavers_grade="inspection_pre_dates_judgement")])
    assert build_cli(capsys, *inputs)[0] == 0
    kent = o.load_ofsted(out).inspection("886")
    assert kent.grade("care_leavers") == o.NOT_SEPARATE
    assert [short for short, _, _ in kent.judgements()][-1] == "Children in care and care leavers"


def unchanged(out: Path) -> bool:
    return all((out / n).read_bytes() == (REF / n).read_bytes() for n in (o.JUDGEMENTS_FILE, o.PASSAGES_FILE))


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"urn": "abc"}, "overview.csv, row 2, column urn: 'abc' is not Ofsted's URN"),
        ({"la_code": "Kent"}, "column la_code: 'Kent' is not a DfE code"),
        ({"la_code": "999"}, "column la_code: '999' is not the DfE code of a live authority"),
        ({"ltla23cd": "E06000035"}, "column ltla23cd: 'E06000035' is not Kent's ONS code"),
        ({"inspection_end_date": "soon"}, "column inspection_end_date: 'soon' is not a date"),
        (
            {"overall_effectiveness_grade": "excellent"},
            "column overall_effectiveness_grade: 'excellent' is not a grade",
        ),
        (
            {"inspection_framework": "focused visit"},
            "column inspection_framework: 'focused visit' is not standard or short",
        ),
        (
            {"inspection_link": "javascript:alert(1)"},
            "column inspection_link: 'javascript:alert(1)' is not the https address",
        ),
        ({"inspection_end_date": "01/11/2025"}, "the inspection ends before it starts"),
    ],
)
def test_a_bad_cell_names_the_file_row_and_column_and_leaves_the_extract_untouched(
    capsys, inputs, changes, says
):
    overview, _reports, out = inputs
    write_overview(overview, [overview_row(**changes)])
    code, _printed, err = build_cli(capsys, *inputs)
    assert code == 1
    assert says in err
    assert "is unchanged" in err
    assert unchanged(out)


def test_a_missing_column_is_named(capsys, inputs):
    overview, _reports, out = inputs
    write_overview(overview, [overview_row()], header=[c for c in HEADER if c != "publication_date"])
    code, _, err = build_cli(capsys, *inputs)
    assert code == 1
    assert "overview.csv: has no column publication_date" in err
    assert unchanged(out)


def test_a_grade_that_is_a_number_in_the_workbook_is_refused(capsys, inputs, tmp_path):
    _overview, reports, out = inputs
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([3 if c == "overall_effectiveness_grade" else v for c, v in overview_row().items()])
    wb.save(tmp_path / "overview.xlsx")
    code, _, err = build_cli(capsys, tmp_path / "overview.xlsx", reports, out)
    assert code == 1
    assert "overview.xlsx, row 2 (urn 80476), column overall_effectiveness_grade: 3 is not a grade" in err
    assert unchanged(out)


def write_report(reports: Path, content: bytes | str, name: str = "80476_kent_2022-07-05.txt") -> Path:
    path = reports / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize(
    "content, says",
    [
        ("", "80476_kent_2022-07-05.txt: is empty"),
        ("\n \n\f\n", "80476_kent_2022-07-05.txt: is empty"),
        (
            "Inspection of Kent\nNo paragraphs here, only words.\n",
            "80476_kent_2022-07-05.txt: has no numbered paragraphs",
        ),
        (b"1. Caf\xe9 au lait\n", "80476_kent_2022-07-05.txt: is not UTF-8 text"),
    ],
)
def test_a_bad_report_text_names_the_file_and_leaves_the_extract_untouched(capsys, inputs, content, says):
    _overview, reports, out = inputs
    write_report(reports, content)
    code, _, err = build_cli(capsys, *inputs)
    assert code == 1
    assert says in err
    assert unchanged(out)


def test_a_50_mb_report_text_is_refused_without_reading_it(capsys, inputs):
    _overview, reports, out = inputs
    path = reports / "80476_kent_2022-07-05.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_REPORT_BYTES
    code, _, err = build_cli(capsys, *inputs)
    assert code == 1
    assert "80476_kent_2022-07-05.txt: is 50.0 MB; a report's text is at most 2 MB" in err
    assert unchanged(out)


def test_a_report_for_an_urn_not_in_the_overview_is_refused(capsys, inputs):
    _overview, reports, out = inputs
    write_report(reports, report_text(*PAGES), name="99999_nowhere_2024-01-01.txt")
    code, _, err = build_cli(capsys, *inputs)
    assert code == 1
    assert "99999_nowhere_2024-01-01.txt: urn 99999 is not in the overview" in err
    assert unchanged(out)


def test_a_passage_with_control_characters_or_markup_is_stored_exactly(capsys, inputs):
    _overview, reports, out = inputs
    odd = "IROs <script>alert(1)</script> **bold** [link](https://example.org) \x1b[31mred\x07 $x$ \u202eevil"
    write_report(reports, report_text(f"1. {odd}\n2. Nothing on the subject."))
    assert build_cli(capsys, *inputs)[0] == 0
    (passage,) = o.load_ofsted(out).passages("886")
    assert passage.text == odd
    assert rows_of((out / o.PASSAGES_FILE).read_text(encoding="utf-8"))[0]["text"] == odd


def test_an_inspectors_name_in_a_paragraph_is_never_stored(capsys, inputs):
    _overview, reports, out = inputs
    write_report(reports, report_text("1. IROs met Ann  Example, who led the inspection.\n2. End."))
    assert build_cli(capsys, *inputs)[0] == 0
    (passage,) = o.load_ofsted(out).passages("886")
    assert "Example" not in passage.text
    assert passage.text == f"IROs met {build.REDACTED}, who led the inspection."
