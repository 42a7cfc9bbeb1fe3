"""Identification grammar (covers, title lines, label cells, duty sentences) and captions ruled into grids,
on small synthetic documents: the same rules the national corpus needs, on lines never seen."""

from __future__ import annotations

import pytest

from budgetlens.document import Block, Document, RawTable
from budgetlens.identify import name_from_title, unit_from_cover, unit_from_duties, unit_from_label_cells
from budgetlens.recognize import detect_year, recognize
from budgetlens.sources.captions import lift_captions, trim_margins


def _doc(*blocks: Block) -> Document:
    return Document(path="x.pdf", sha256="0", format="pdf", pages=1, blocks=list(blocks))


def _text(t: str, page: int = 1) -> Block:
    return Block(kind="text", text=t, page=page)


def _table(rows: list[list[str]], page: int = 1) -> Block:
    return Block(kind="table", table=RawTable(rows=rows, page=page), page=page)


@pytest.mark.parametrize(("title", "unit"), [
    ("北京市水务局 2026 年度部门预算信息公开", "北京市水务局"),
    ("北京市信访办公室部门 2026 年度部门预算", "北京市信访办公室"),  # a filler 部门 before the year
    ("2025 年度无锡市信访局部门预算公开", "无锡市信访局"),
    ("某县妇联2024年部门预算", "某县妇联"),
    ("某某区档案馆  年部门预算情况说明", "某某区档案馆"),  # the year drawn on a line of its own
    ("第一部分 2026 年度部门预算情况说明", None),
    ("一般公共预算支出表", None),
    ("2024年部门预算", None),
    # a 三公 statement published on its own names its unit; a heading about 三公 names none
    ("寻甸县文化和旅游局2022年度“三公”经费决算情况说明", "寻甸县文化和旅游局"),
    ('某市档案馆2025年"三公"经费预算情况说明', "某市档案馆"),
    ("2022年度“三公”经费决算情况说明", None),
    ("六、2025年“三公”经费预算情况说明", None),
    ("财政拨款“三公”经费预算情况说明", None),
])
def test_a_title_names_its_unit(title, unit):
    assert name_from_title(title) == unit


def test_a_cover_wrapped_over_lines_is_read_joined():
    doc = _doc(_text("2026 年度"), _text("某某市公安局文职人员"), _text("管理中心单位预算"), _text("目录", page=2))
    assert unit_from_cover(doc) == "某某市公安局文职人员管理中心"


def test_a_cover_does_not_run_into_the_table_of_contents():
    doc = _doc(_text("2024年部门预算"), _text("目录"), _text("第三部分 2024年部门预算情况说明"))
    assert unit_from_cover(doc) is None


def test_a_label_cell_names_the_unit_of_a_tables_volume():
    doc = _doc(_table([["部门名称", "某某市统计局"], ["总体资金情况（万元）", ""]]))
    assert unit_from_label_cells(doc) == "某某市统计局"


def test_without_a_cover_the_duty_sentence_names_the_unit():
    doc = _doc(_text("一、部门情况说明"), _text("（一）本部门职责情况"), _text("某某市气象局属于公益性事业单位，职责是…"))
    assert unit_from_duties(doc) == "某某市气象局"


def test_a_year_drawn_apart_from_its_title_dates_the_document():
    doc = _doc(_text("某某市商务委员会  年部门预算情况说明"), _text("2026"), _text("一、单位基本情况 2025年"))
    assert detect_year(doc, "budget") == 2026


def test_captions_ruled_into_a_grid_become_lines_before_it():
    """预算01表 收支总表 / 金额单位：万元 drawn inside the frame, with blank margin columns."""
    grid = [["", "预算01表 收支总表", "", ""], ["", "", "金额单位：万元", ""], ["", "项目", "预算数", ""],
            ["", "本年收入合计", "12.345678", ""]]
    doc = lift_captions(_doc(_table(grid)))
    assert [b.text for b in doc.text_blocks()] == ["预算01表 收支总表", "金额单位：万元"]
    rec = recognize(doc)
    assert rec.tables[0].kind.id == "income_expenditure_summary" and rec.tables[0].context.label == "预算01表"
    assert rec.tables[0].context.currency == "万元"
    assert rec.tables[0].raw.rows == [["项目", "预算数"], ["本年收入合计", "12.345678"]]


def test_a_grid_without_a_title_keeps_its_rows():
    grid = [["金额单位：万元", ""], ["项目", "预算数"], ["合计", "1.00"]]
    doc = lift_captions(_doc(_table(grid)))
    assert doc.tables()[0].rows == grid and not doc.text_blocks()


def test_only_left_margins_go_page_by_page():
    rows = [["", "a", "1", ""], ["", "b", "", ""]]
    assert trim_margins(rows, right=False) == [["a", "1", ""], ["b", "", ""]]
    assert trim_margins(rows) == [["a", "1"], ["b", ""]]


def test_a_label_cell_says_department_or_unit():
    from budgetlens.recognize import detect_scope

    assert detect_scope(_doc(_table([["部门名称", "某某市统计局"]]))) == "department"
    assert detect_scope(_doc(_table([["单位名称", "某某市统计数据中心"]]))) == "unit"
