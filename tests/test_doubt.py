"""Doubt about a table's reading (checks/doubt.py, registry/doubt.yaml): failures in a misread's patterns
give one ``table.misread`` warning naming the pattern and no error; a lone real inconsistency stays an error."""

from __future__ import annotations

from budgetlens.checks import MISREAD_RULE, run_checks
from budgetlens.checks.doubt import TESTS, patterns
from budgetlens.extract import extract

HEAD = "某某局2024年部门预算\n一、收入支出预算总体情况说明\n本部门2024年收入、支出预算总计均为财政拨款。\n"
GOOD = ["合计 300.00 200.00 100.00", "201 一般公共服务支出 170.00 100.00 70.00", "20101 人大事务 170.00 100.00 70.00",
        "2010101 行政运行 170.00 100.00 70.00", "208 社会保障和就业支出 80.00 60.00 20.00",
        "20805 行政事业单位养老支出 80.00 60.00 20.00", "2080501 行政单位离退休 80.00 60.00 20.00",
        "221 住房保障支出 50.00 40.00 10.00", "22102 住房改革支出 50.00 40.00 10.00", "2210201 住房公积金 50.00 40.00 10.00"]


def _table(title: str, rows: list[str]) -> str:
    return f"{title}\n单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n" + "\n".join(rows) + "\n"


def _findings(tmp_path, body: str):
    p = tmp_path / "d.txt"
    p.write_text(HEAD + body, encoding="utf-8")
    return [f for f in run_checks(extract(p)) if f.severity != "info"]


def _misread(found):
    return [f for f in found if f.rule == MISREAD_RULE]


def test_every_registry_pattern_has_its_test():
    ps = patterns()
    assert {p.id for p in ps} >= {"lost_rows", "year_figure", "column_shift", "flood", "layout"}
    assert all(p.test in TESTS and p.says for p in ps)


def test_a_consistent_document_has_no_doubt(tmp_path):
    assert _findings(tmp_path, _table("支出总表", GOOD) + _table("一般公共预算支出表", GOOD)) == []


def test_rows_lost_at_a_page_break_are_doubt_not_an_error(tmp_path):
    """The 支出总表 misses by exactly the 221 class the other table lists: its last rows were not read."""
    found = _findings(tmp_path, _table("支出总表", GOOD[:7]) + _table("一般公共预算支出表", GOOD))
    assert not [f for f in found if f.severity == "error"]
    (w,) = _misread(found)
    assert w.severity == "warning" and w.evidence["pattern"] == "lost_rows"
    assert w.message.startswith("支出总表未能可靠读取：") and "221住房保障支出" in w.message


def test_a_single_real_inconsistency_stays_an_error(tmp_path):
    bad = list(GOOD)
    bad[2] = "20101 人大事务 160.00 90.00 70.00"  # one 款 misprinted in an otherwise consistent table
    found = _findings(tmp_path, _table("支出总表", GOOD) + _table("一般公共预算支出表", bad))
    assert not _misread(found)
    errors = [f for f in found if f.severity == "error" and f.rule == "table.class_sum"]
    assert errors and all("20101" in f.message or "201一般公共服务支出" in f.message for f in errors)


def test_a_year_read_as_an_amount_is_doubt(tmp_path):
    bad = list(GOOD)
    bad[4] = "208 社会保障和就业支出 2,024.00 60.00 20.00"  # "2024年" read into the 合计 cell
    found = _findings(tmp_path, _table("支出总表", GOOD) + _table("一般公共预算支出表", bad))
    assert not [f for f in found if f.severity == "error"]
    (w,) = _misread(found)
    assert w.evidence["pattern"] == "year_figure" and "2024" in w.message


def test_a_shifted_column_is_doubt(tmp_path):
    """The 基本支出 and 项目支出 figures of two classes read one column to the left."""
    bad = list(GOOD)
    bad[4] = "208 社会保障和就业支出 60.00 20.00"
    bad[7] = "221 住房保障支出 40.00 10.00"
    found = _findings(tmp_path, _table("支出总表", GOOD) + _table("一般公共预算支出表", bad))
    assert not [f for f in found if f.severity == "error"]
    (w,) = _misread(found)
    assert w.evidence["pattern"] in {"column_shift", "flood"}


def test_many_failures_of_one_identity_are_one_warning(tmp_path):
    bad = [GOOD[0]] + [r if i % 3 else r.replace(" 1", " 9", 1) for i, r in enumerate(GOOD[1:])]
    rows = ["合计 300.00 200.00 100.00"]
    for code, name in [("201", "一般公共服务支出"), ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
                       ("208", "社会保障和就业支出"), ("210", "卫生健康支出")]:
        rows += [f"{code} {name} 50.00 30.00 20.00", f"{code}01 某款 40.00 25.00 15.00", f"{code}0101 某项 40.00 25.00 15.00"]
    assert bad
    found = _findings(tmp_path, _table("一般公共预算支出表", rows))
    assert not [f for f in found if f.severity == "error"]
    (w,) = _misread(found)
    assert w.evidence["count"] >= 5 and "处不满足" in w.message
