"""Target forms that list many projects in one table (项目名称 | 项目总额 | … | 一级指标 | 二级指标 | 三级指标 | 指标值),
and the 部门整体 target form of a tables volume: read from small synthetic documents."""

from __future__ import annotations

from budgetlens.document import Block, Document, RawTable
from budgetlens.performance import parse


def _doc(*blocks: Block) -> Document:
    return Document(path="x.pdf", sha256="0", format="pdf", pages=1, blocks=list(blocks))


HEAD = ["项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标性质",
        "本年绩效指标值", "绩效度量单位"]
SUB = ["", "", "财政资金", "其他资金", "", "", "", "", "", "", ""]


def test_each_listed_project_is_read_with_its_indicators():
    rows = [HEAD, SUB,
            ["11000021Y000000390843-信息系统运维类项目", "689.157460", "689.157460", "", "保障运行", "产出指标",
             "时效指标", "故障应急响应时间", "≤", "5", "分钟"],
            ["", "", "", "", "", "产出指标", "数量指标", "应用系统维护数量", "＝", "2", "个"],
            ["11000022T000000424449-接访场所保障费", "658.000000", "658.000000", "", "保障接访", "效益指标",
             "社会效益指标", "保障接访工作的运转情况", "定性", "优", ""],
            ["合  计", "1,347.157460", "1,347.157460", "", "", "", "", "", "", "", ""]]
    doc = _doc(Block(kind="text", text="预算表12 项目支出绩效目标表"), Block(kind="text", text="金额单位：万元"),
               Block(kind="table", table=RawTable(rows=rows, row_lines=list(range(3, 3 + len(rows))))))
    forms = parse(doc)
    assert [(f.name, f.amounts["budget"].value, len(f.indicators)) for f in forms] == [
        ("843-信息系统运维类项目", 689.15746, 2), ("449-接访场所保障费", 658.0, 1)]
    first = forms[0].indicators[0]
    assert (first.level1, first.level2, first.level3, first.target, first.extra["nature"]) == (
        "产出指标", "时效指标", "故障应急响应时间", "5分钟", "≤")


def test_a_unit_subtotal_row_is_no_project():
    head = ["项目名称（资金使用单位）", "总计：", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]
    rows = [head, ["合计：", "100.00", "100.00", "", "", "", ""], ["某某市生态环境局", "100.00", "100.00", "", "", "", ""],
            ["环保监督检查员经费", "60.00", "60.00", "", "", "提升基层环保工作水平", "1、1-产出指标；…"],
            ["购置经费", "40.00", "40.00", "", "", "更新老化设备", "1、1-产出指标；…"]]
    doc = _doc(Block(kind="text", text="某某市生态环境局2026年项目支出绩效目标表（含转移支付项目）"),
               Block(kind="table", table=RawTable(rows=rows, row_lines=list(range(2, 2 + len(rows))))))
    assert [(f.name, f.amounts["budget"].value) for f in parse(doc)] == [("环保监督检查员经费", 60.0), ("购置经费", 40.0)]


def test_the_unit_target_form_names_the_department():
    rows = [["部门名称", "某某市信访办公室"], ["总体资金情况（万元）", ""]]
    doc = _doc(Block(kind="text", text="预算13表 部门整体支出绩效目标表"), Block(kind="text", text="（2026年度）"),
               Block(kind="table", table=RawTable(rows=rows, row_lines=[3, 4])))
    forms = parse(doc)
    assert len(forms) == 1 and forms[0].form == "unit" and forms[0].department == "某某市信访办公室"
