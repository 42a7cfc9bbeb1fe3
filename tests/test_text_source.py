"""The text source: encodings, tables split over page breaks, pipes, tags, bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetlens.document import SourceError
from budgetlens.sources.text import read_text
from conftest import RAW

REPORT = (
    "长治市某某服务中心\n2023年度单位决算公开\n### 支出决算表\n公开03表\n部门名称：长治市某某服务中心\n金额单位：万元\n"
    "项目\t\t本年支出合计\t基本支出\t项目支出\n科目代码\t科目名称\t\t\t\n合计\t\t10.00\t6.00\t4.00\n"
    "205\t教育支出\t10.00\t6.00\t4.00\n\n20502\t普通教育\t10.00\t6.00\t4.00\n注：本表反映部门本年度各项支出情况。\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(tmp_path, encoding):
    p = tmp_path / "r.txt"
    p.write_bytes(REPORT.encode(encoding))
    doc = read_text(str(p))
    tables = doc.tables()
    assert len(tables) == 1
    assert tables[0].rows[2] == ["合计", "", "10.00", "6.00", "4.00"]
    assert "2023年度单位决算公开" in doc.full_text


def test_blank_line_inside_table_does_not_split_it(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(REPORT, encoding="utf-8")
    (table,) = read_text(str(p)).tables()
    assert [r[0] for r in table.rows][-2:] == ["205", "20502"]
    assert table.row_lines[-1] == table.row_lines[-2] + 2


def test_pipes_form_feeds_and_tags(tmp_path):
    text = "<b>收支总表</b>\n| 项目 | 金额 |\n|---|---|\n| 合计 | 1,033.18 |\f第二页\n"
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    doc = read_text(str(p))
    assert doc.pages == 2
    assert doc.blocks[0].text == "收支总表"
    assert doc.tables()[0].rows == [["项目", "金额"], ["合计", "1,033.18"]]


@pytest.mark.parametrize(
    "content,reason",
    [(b"", "empty file"), (b"   \n\n", "empty file"), (bytes(range(256)) * 20, "binary file"), (b"%PDF-1.4\n...", "PDF")],
)
def test_bad_input(tmp_path, content, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(SourceError) as err:
        read_text(str(p))
    assert reason in err.value.reason
    assert "\n" not in str(err.value)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["", "合计", "205", "1,033.18", "教育 支出", "0.5"]), min_size=2, max_size=6),
             min_size=1, max_size=12),
    st.sets(st.integers(min_value=1, max_value=11), max_size=3),
)
def test_table_rows_survive_page_breaks(tmp_path_factory, rows, breaks):
    """However a table is cut by blank lines (page breaks), its rows come back in order, intact."""
    rows = [r if any(r) else ["x", *r[1:]] for r in rows]
    lines = []
    for i, r in enumerate(rows):
        if i in breaks:
            lines.append("")
        lines.append("\t".join(r))
    p = tmp_path_factory.mktemp("t") / "r.txt"
    p.write_text("标题\n" + "\n".join(lines) + "\n结束。\n", encoding="utf-8")
    tables = read_text(str(p)).tables()
    assert len(tables) == 1
    assert tables[0].rows == [[c.strip() for c in r] for r in rows]


def test_page_dump_json_reads_like_its_text(tmp_path):
    import json

    pages = [{"page": 2, "text": "| 项目 | 金额 |\n| 合计 | 5.00 |"}, {"page": 1, "text": "某某单位2024年度部门预算\n收支总表"}]
    p = tmp_path / "dump.json"
    p.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    doc = read_text(str(p))
    assert doc.pages == 2 and doc.full_text.startswith("某某单位2024年度部门预算")
    assert doc.tables()[0].rows[-1] == ["合计", "5.00"]


@pytest.mark.parametrize("content,reason", [("{not json", "not valid JSON"), ('{"a": 1}', "not a list of page texts"),
                                            ("[]", "not a list of page texts")])
def test_bad_page_dump_json(tmp_path, content, reason):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=reason):
        read_text(str(p))


# Kangxi radicals and compatibility forms that text layers of WPS/Word PDFs carry for ideographs.
_RADICALS = str.maketrans({"一": "\u2f00", "二": "\u2f06", "人": "\u2f08", "入": "\u2f0a", "支": "\u2f40",
                           "用": "\u2f64", "金": "\u2fa6", "行": "\u2f8f", "长": "\u2ed3", "门": "\u2ed4",
                           "工": "\u2f2f", "生": "\u2f63", "文": "\u2f42"})


def test_radicals_read_as_the_ideographs_they_stand_for(tmp_path):
    from budgetlens.document import fold_glyphs
    from budgetlens.extract import extract

    assert fold_glyphs("⼀般公共预算⽀出 ⻓治市 ⾦额") == "一般公共预算支出 长治市 金额"
    for seed in sorted(RAW.glob("*.txt"))[:2]:
        printed = tmp_path / seed.name
        printed.write_text(seed.read_text(encoding="utf-8").translate(_RADICALS), encoding="utf-8")
        assert printed.read_text(encoding="utf-8") != seed.read_text(encoding="utf-8")
        want, got = extract(seed).to_json(), extract(printed).to_json()
        for key in ("document", "facts", "function_totals", "prior_year", "tables"):
            assert got[key] == want[key], key


def test_pdf_blocks_are_folded_too(tmp_path, monkeypatch):
    import budgetlens.sources.pdf as pdf
    from budgetlens.document import Block, Document, RawTable
    from budgetlens.sources import read_source

    def read_pdf(path):
        return Document(path=path, sha256="", format="pdf", pages=1, blocks=[
            Block(kind="text", text="⼀般公共预算⽀出表"), Block(kind="table", table=RawTable(rows=[["⼈员经费", "1.00"]]))])

    monkeypatch.setattr(pdf, "read_pdf", read_pdf)
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.4")
    doc = read_source(tmp_path / "r.pdf")
    assert doc.blocks[0].text == "一般公共预算支出表" and doc.blocks[1].table.rows == [["人员经费", "1.00"]]
