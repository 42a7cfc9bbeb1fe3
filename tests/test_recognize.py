"""Identification of a document from its title when its tables do not name the unit: the
title's structure (X2024年部门预算) names the unit whatever kind of body X is."""

from __future__ import annotations

import pytest

from budgetlens.extract import extract

_DOC = """{title}

第一部分 部门概况
一、主要职能
负责有关工作。

第二部分 {year}年部门{kind}表
收支总表
单位：万元
收入 支出
项目 {measure} 项目 {measure}
一、一般公共预算拨款收入 100.00 一、一般公共服务支出 100.00
本年收入合计 100.00 本年支出合计 100.00
收入总计 100.00 支出总计 100.00
"""


@pytest.mark.parametrize(("title", "unit", "year", "kind"), [
    ("某县妇联2024年部门预算", "某县妇联", 2024, "budget"),
    ("某县科协2024年部门预算", "某县科协", 2024, "budget"),
    ("某某镇2024年部门预算", "某某镇", 2024, "budget"),
    ("某某街道2025年单位预算", "某某街道", 2025, "budget"),
    ("某县第一中学2023年度部门决算", "某县第一中学", 2023, "final"),
    ("某县实验幼儿园2024年部门预算", "某县实验幼儿园", 2024, "budget"),
    ("某县政协2024年部门预算", "某县政协", 2024, "budget"),
    ("2024年度某县审计局部门预算公开", "某县审计局", 2024, "budget"),
    ("某县审计局\n2023年度决算公开", "某县审计局", 2023, "final"),
    ("某市监狱2023年度部门决算", "某市监狱", 2023, "final"),
])
def test_the_title_names_the_unit(tmp_path, title, unit, year, kind):
    path = tmp_path / "doc.txt"
    word, measure = ("预算", "预算数") if kind == "budget" else ("决算", "决算数")
    path.write_text(_DOC.format(title=title, year=year, kind=word, measure=measure), encoding="utf-8")
    doc = extract(path).to_json()["document"]
    assert (doc["unit"], doc["year"], doc["kind"]) == (unit, year, kind)


@pytest.mark.parametrize("title", ["2024年部门预算", "2024年部门预算\n目录\n第三部分 2024年部门预算情况说明"])
def test_a_title_without_a_name_names_no_unit(tmp_path, title):
    path = tmp_path / "doc.txt"
    path.write_text(_DOC.format(title=title, year=2024, kind="预算", measure="预算数"), encoding="utf-8")
    assert extract(path).to_json()["document"]["unit"] is None
