"""The PDF source: read_pdf on targeted fixtures, its errors, and the seed fixtures against
the seed text they were rendered from (tests/fixtures/pdf/make_fixtures.py builds them)."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from budgetlens.document import Document, SourceError
from budgetlens.sources.pdf import clean_cell, join_wrapped, read_pdf
from budgetlens.sources.text import read_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))
CORPUS = ROOT.parent / "shared" / "corpus"

_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)

_cache: dict[str, Document] = {}


def pdf(name: str) -> Document:
    if name not in _cache:
        _cache[name] = read_pdf(str(FIXTURES / name))
    return _cache[name]


def source(name: str, tmp_path: Path) -> Document:
    """What the text source reads from the text a targeted fixture was rendered from."""
    txt = tmp_path / (Path(name).stem + ".txt")
    txt.write_text(make_fixtures.TARGETED[name][0], encoding="utf-8")
    return read_text(str(txt))


def trimmed(row: list[str]) -> list[str]:
    row = list(row)
    while row and not row[-1]:
        row.pop()
    return row


def text_before_first_table(doc: Document) -> list[str]:
    out = []
    for b in doc.blocks:
        if b.kind == "table":
            return out
        out.append(b.text)
    return out


def pdf_text_layer(path: Path) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


# --- cleaning of cell text -------------------------------------------------------------------


def test_wrapped_lines_join_by_script():
    assert join_wrapped(["1,033.1", "8"]) == "1,033.18"
    assert join_wrapped(["其他巩固脱贫攻坚成果衔接", "乡村振兴支出"]) == "其他巩固脱贫攻坚成果衔接乡村振兴支出"
    assert join_wrapped(["Total", "expenditure"]) == "Total expenditure"
    assert join_wrapped(["公务用车购 ", "置费"]) == "公务用车购 置费"


def test_fake_bold_cell_once():
    assert clean_cell("项目支出合计\n项目支出合计\n") == "项目支出合计"
    assert clean_cell("机关事业单位\n机关事业单位\n基本养老保险\n基本养老保险\n") == "机关事业单位基本养老保险"
    assert clean_cell("") == ""


# --- targeted fixtures ---------------------------------------------------------------------------

SPLIT_HEADER = [
    ["项目", "", "本年支出合计", "基本支出", "项目支出"],
    ["科目代码", "科目名称", "", "", ""],
    ["栏次", "", "1", "2", "3"],
]
INTRO = ["测试单位2023年度部门决算", "支出决算表", "公开03表", "部门名称：测试单位", "金额单位：万元"]


def _table_run(doc: Document) -> list:
    """The table blocks, checked to follow each other with no text between them."""
    kinds = "".join("T" if b.kind == "table" else "x" for b in doc.blocks)
    assert re.fullmatch(r"x*T+x*", kinds), f"text between the parts of a split table: {kinds}"
    return [b.table for b in doc.blocks if b.kind == "table"]


def test_table_split_over_pages_with_repeated_header(tmp_path):
    doc = pdf("table_split_repeat.pdf")
    parts = _table_run(doc)
    assert [t.page for t in parts] == [1, 2, 3]
    for t in parts:
        assert t.rows[:3] == SPLIT_HEADER
    expected = [trimmed(r) for r in source("table_split_repeat.pdf", tmp_path).tables()[0].rows]
    body = [t.rows[3:] for t in parts]
    assert [trimmed(r) for r in parts[0].rows[:3] + [r for b in body for r in b]] == expected
    assert text_before_first_table(doc) == INTRO
    assert not any(re.search(r"第\s*\d+\s*页", b.text) for b in doc.text_blocks())
    assert [b.text for b in doc.text_blocks()].count("测试单位2023年度部门决算") == 1  # running header gone


def test_table_split_over_pages_without_header(tmp_path):
    doc = pdf("table_split_plain.pdf")
    parts = _table_run(doc)
    assert len(parts) == 3
    assert parts[0].rows[:3] == SPLIT_HEADER
    assert all(re.fullmatch(r"\d{7}", t.rows[0][0]) for t in parts[1:])  # data rows, no header
    expected = [trimmed(r) for r in source("table_split_plain.pdf", tmp_path).tables()[0].rows]
    assert [trimmed(r) for t in parts for r in t.rows] == expected
    assert not any(re.fullmatch(r"-\s*\d+\s*-", b.text) for b in doc.text_blocks())


def test_side_by_side_summary(tmp_path):
    doc = pdf("side_by_side.pdf")
    (table,) = doc.tables()
    assert table.rows[:4] == [
        ["收入", "", "", "支出", "", ""],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
        ["一、一般公共预算财政拨款收入", "1", "1,003.35", "一、一般公共服务支出", "32", ""],
    ]
    assert ["本年收入合计", "27", "1,033.18", "本年支出合计", "58", "1,033.18"] in table.rows
    assert table.rows == [r + [""] * (6 - len(r)) for r in source("side_by_side.pdf", tmp_path).tables()[0].rows]
    assert table.row_lines == [1] * len(table.rows)
    assert text_before_first_table(doc) == ["收入支出决算总表", "公开01表", "部门名称：测试单位", "2023年度", "金额单位：万元"]
    assert doc.blocks[-1].text.startswith("注：本表反映")


def test_number_and_name_wrapped_in_narrow_cells():
    layer = pdf_text_layer(FIXTURES / "wrapped_cells.pdf")
    assert re.search(r"1,033\.1\s*\r?\n\s*8", layer), "the fixture should wrap 1,033.18 inside its cell"
    assert "其他巩固脱贫攻坚成果衔接乡村振兴支出" not in layer  # the name is wrapped too
    (table,) = pdf("wrapped_cells.pdf").tables()
    assert ["合计", "", "1,033.18", "749.49", "283.69"] in table.rows
    assert ["2130599", "其他巩固脱贫攻坚成果衔接乡村振兴支出", "8.40", "8.40", ""] in table.rows
    assert ["2150899", "其他支持中小企业发展和管理支出", "1,033.18", "749.49", "283.69"] in table.rows


def test_fake_bold_text_read_once():
    import pdfplumber

    with pdfplumber.open(FIXTURES / "fake_bold.pdf") as doc:  # the characters as drawn
        drawn = "".join(c["text"] for c in doc.pages[0].chars)
    assert drawn.count("项目支出决算表") == 2 and drawn.count("项目支出合计") == 2
    doc = pdf("fake_bold.pdf")
    assert text_before_first_table(doc) == ["项目支出决算表", "公开09表", "金额单位：万元"]
    (table,) = doc.tables()
    assert table.rows == [["项目", "金额"], ["项目支出合计", "283.69"], ["职称评审费", "2.08"], ["中小企业发展专项", "185.00"]]


@pytest.mark.parametrize("name", ["landscape.pdf", "rotated.pdf"])
def test_landscape_page(name, tmp_path):
    pdfdoc = pdfium.PdfDocument(str(FIXTURES / name))
    width, height = pdfdoc[0].get_size()
    rotation = pdfdoc[0].get_rotation()
    pdfdoc.close()
    assert width > height  # shown landscape: a landscape MediaBox, or a portrait one turned
    assert rotation == (90 if name == "rotated.pdf" else 0)
    doc = pdf(name)
    (table,) = doc.tables()
    assert table.width == 12
    assert table.rows == [trimmed(r) + [""] * (12 - len(trimmed(r))) for r in source(name, tmp_path).tables()[0].rows]
    assert text_before_first_table(doc) == ["一般公共预算财政拨款基本支出决算明细表", "公开06表", "金额单位：万元"]


def test_empty_table_is_kept():
    doc = pdf("empty_table.pdf")
    (table,) = doc.tables()  # camelot alone drops a grid this empty
    assert table.rows[0] == ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"]
    assert [b.text for b in doc.text_blocks()][-1] == "说明：本表无数据"


def test_encrypted_without_user_password_reads():
    doc = pdf("encrypted_no_password.pdf")
    assert [b.text for b in doc.blocks] == ["2023年度部门决算公开", "收入总计1,033.18万元，支出总计1,033.18万元。"]


def test_document_fields():
    doc = pdf("side_by_side.pdf")
    assert doc.format == "pdf" and doc.pages == 1 and len(doc.sha256) == 64
    assert doc.path.endswith("side_by_side.pdf")


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("scanned.pdf", "no text layer (scanned PDF?); OCR is not supported"),
        ("encrypted.pdf", "encrypted PDF (a password is needed to open it)"),
        ("truncated.pdf", "truncated PDF"),
        ("not_a_pdf.pdf", "not a PDF"),
    ],
)
def test_unreadable_fixtures(name, reason):
    with pytest.raises(SourceError) as err:
        read_pdf(str(FIXTURES / name))
    assert err.value.reason.startswith(reason)
    assert "\n" not in str(err.value)


def test_empty_missing_and_damaged_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    cases = [(empty, "not a PDF (empty file)"), (tmp_path / "missing.pdf", "file not found"), (damaged, "corrupt PDF")]
    for path, reason in cases:
        with pytest.raises(SourceError) as err:
            read_pdf(str(path))
        assert err.value.reason.startswith(reason), err.value.reason
        assert "\n" not in str(err.value)


# --- the seeds, rendered ---------------------------------------------------------------------------

NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
SEED_FIXTURES = [(seed, suffix) for seed in SEEDS for suffix in ("", ".alt")]


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _intro(doc: Document, table, n: int, longest: int = 1000) -> list[str]:
    """The (up to ``n``) text lines right before a table block, up to one longer than ``longest``."""
    idx = next(i for i, b in enumerate(doc.blocks) if b.kind == "table" and b.table is table)
    lines: list[str] = []
    for b in reversed(doc.blocks[:idx]):
        if b.kind != "text" or len(lines) == n or len(b.text) > longest:
            break
        lines.append(b.text)
    return lines


@pytest.mark.parametrize(("seed", "suffix"), SEED_FIXTURES, ids=[f"{s.stem[:3]}{x}" for s, x in SEED_FIXTURES])
def test_seed_fixture_reproduces_the_seed(seed, suffix):
    """Every row of every seed table comes out of the PDF, in order, cell for cell, so every
    numeric cell is in the PDF table that holds its row; the lines just before each table
    (title, label, unit line) come right before it; every text line is in the PDF's text."""
    text = read_text(str(seed))
    doc = pdf(f"{seed.stem}{suffix}.pdf")
    parts = doc.tables()
    pdf_rows = [(k, trimmed(r)) for k, t in enumerate(parts) for r in t.rows]
    j = 0
    for t_no, table in enumerate(text.tables(), start=1):
        holding: list[int] = []
        for row in filter(None, (trimmed(r) for r in table.rows)):
            k = next((k for k in range(j, len(pdf_rows)) if pdf_rows[k][1] == row), None)
            assert k is not None, f"{seed.name} table {t_no}: row not in the PDF: {row}"
            holding.append(pdf_rows[k][0])
            j = k + 1
        if not holding:
            continue
        seed_numbers = Counter(c for r in table.rows for c in r if NUMBER.match(c))
        pdf_numbers = Counter(c for k in set(holding) for r in parts[k].rows for c in r if NUMBER.match(c))
        assert seed_numbers <= pdf_numbers, f"{seed.name} table {t_no}: numbers missing {seed_numbers - pdf_numbers}"
        before = _squeeze("".join(_intro(doc, parts[holding[0]], 5)))
        for line in _intro(text, table, 3, longest=40):  # title, label, unit line
            assert _squeeze(line) in before, f"{seed.name}: {line!r} is not right before table {t_no}"
    pdf_text = _squeeze("".join(b.text for b in doc.text_blocks()))
    for b in text.text_blocks():
        assert _squeeze(b.text) in pdf_text, b.text


def test_parallel_pages_read_the_same_as_serial():
    name = FIXTURES / f"{SEEDS[2].stem}.pdf"
    serial = read_pdf(str(name), workers=1)
    parallel = read_pdf(str(name), workers=2)
    assert [(b.kind, b.page, b.text, b.table.rows if b.table else None) for b in serial.blocks] == [
        (b.kind, b.page, b.text, b.table.rows if b.table else None) for b in parallel.blocks
    ]


# --- real reports (the shared corpus, when present) -------------------------------------------------


@pytest.mark.parametrize("stem", ["05_sh-putuo-shangwuwei-unit_2025_budget", "33_js-shengwei-bgt-tables_2019_budget"])
def test_corpus_pdf(stem):
    path = CORPUS / f"{stem}.pdf"
    if not path.exists():
        pytest.skip("shared corpus not present")
    doc = read_pdf(str(path), workers=1)
    assert len(doc.tables()) >= 12
    if stem.startswith("33"):  # a rule drawn as a skewed quad splits the header rows
        assert doc.tables()[0].rows[2][:4] == ["", "", "功能科目名称", "金额"]
    else:
        assert any(r[:4] == ["208", "05", "06", "机关事业单位职业年金缴费支出"] for t in doc.tables() for r in t.rows)
