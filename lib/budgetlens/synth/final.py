"""The 决算 (final accounts) template of seed 000: tables, narrative and performance self-evaluation forms."""

from __future__ import annotations

import random
from collections import defaultdict

from .classes import _DASH, _DETAIL_BREAK, _DETAIL_GRID, ECON_CLASS_NAMES, ECON_NAMES, FINAL_CLASSES, NAMES
from .figures import Figures, Project, Unit
from .model import Amt, Lines, Para, Pct, Row, Table, _breaks, _wrap6
from .money import _cell, _cn, _fpct, _pct, _trim
from .wording import _dept_word, _duties, _reason, _yoy

_FINAL_TOC = [
    "<b>第一部分 概况</b> .....\t<b>1</b>", "一、本部门（单位）职责.....\t1", "二、机构设置情况.....\t1",
    "<b>第二部分 {y}年部门决算表</b> .....\t<b>2</b>", "一、收入支出决算总表.....\t2", "二、收入决算表.....\t4",
    "三、支出决算表.....\t6", "四、财政拨款收入支出决算总表.....\t8", "五、一般公共预算财政拨款支出决算表.....\t10",
    "六、一般公共预算财政拨款基本支出决算明细表.....\t12", "七、政府性基金预算财政拨款收入支出决算表.....\t14",
    "八、国有资本经营预算财政拨款支出决算表.....\t15", "九、财政拨款“三公”经费支出决算表.....\t16",
    "十、部门决算公开相关信息统计表.....\t17", "<b>第三部分 情况说明</b> .....\t<b>18</b>",
    "一、收入支出决算总体情况说明.....\t18", "二、收入决算情况说明.....\t18", "三、支出决算情况说明.....\t18",
    "四、财政拨款收支决算总体情况说明.....\t18", "五、一般公共预算财政拨款支出决算情况说明.....\t18",
    "六、一般公共预算财政拨款基本支出决算情况说明.....\t19", "七、政府性基金预算财政拨款收支决算情况说明.....\t19",
    "八、国有资本经营预算财政拨款支出决算情况说明.....\t19", "九、财政拨款“三公”经费支出决算情况说明.....\t19",
    "十、其他重要事项情况说明.....\t20", "<b>第四部分 名词解释</b> .....\t<b>22</b>",
    "<b>第五部分 附件</b> .....\t<b>22</b>",
]
_FINAL_GLOSSARY = [
    "- 一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
    "  - 二、事业收入：指事业单位开展专业业务活动及辅助活动取得的收入。",
    "  - 三、经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。",
    "  - 四、其他收入：指单位取得的除上述收入以外的各项收入。主要是事业单位固定资产出租收入、存款利息收入等。",
    "  - 五、使用非财政拨款结余：指事业单位使用以前年度积累的非财政拨款结余弥补当年收支差额的金额。",
    "  - 六、年初结转和结余：指单位以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金，或项目已完成等产生的结余资金。",
    "  - 七、结余分配：指事业单位按照会计制度规定缴纳的所得税、提取的专用结余以及转入非财政拨款结余的金额等。",
    "  - 八、年末结转和结余：指单位按有关规定结转到下年或以后年度继续使用的资金，或项目已完成等产生的结余资金。",
    "  - 九、基本支出：指为保障机构正常运转、完成日常工作而发生的人员支出和公用经费支出。",
    "  - 十、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "  - 十一、“三公”经费：指各级部门、单位用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费支出。"
    "其中，因公出国（境）费反映单位公务出国（境）的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；"
    "公务用车购置费反映公务用车车辆购置支出（含车辆购置税）；公务用车运行维护费反映单位按规定保留的公务用车燃料费、维修费、"
    "过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的各类公务接待（含外宾接待）支出。",
    "  - 十二、机关运行经费：指行政单位和参照公务员法管理的事业单位财政拨款基本支出中的公用经费支出。",
    "- 无",
]
_FORM_NOTES = [
    "备注：1. “年初预算数”项下的“目标申报数”和“预算编制数”为并列关系，其中“目标申报数”的数据来源于项目目标申报表中的项目资金总额表中的年度资金，“预算编制数”数据来源于项目预算支出明细表。  ",
    " 2. “全年预算数”的取数规则，如果年初预算未调整，取预算编制数；如果有调整，取调整后的预算数。  ",
    " 3. “全年执行数”是指预算执行指标确认数。  ",
    " 4. “执行率”是执行数与“全年预算数”相比较。",
]


def _tpre(title: str, label: str | None, u: Unit, y: int, heading: str, unit_line: str = "金额单位：万元",
          who: str = "部门名称") -> list[str]:
    pre = [heading + title if heading is not None else title]
    if label:
        pre.append(label)
    return pre + [f"{who}：{u.name}", f"{y}年度", unit_line]


def _classified(values: dict, ncols: int) -> list[tuple[str, str, list[int]]]:
    """合计, then 类/款/项 rows (codes sorted) with column sums; lines all zero are dropped."""
    lines = {k: v for k, v in values.items() if any(v)}

    def colsum(pred) -> list[int]:
        return [sum(v[i] for k, v in lines.items() if pred(k)) for i in range(ncols)]

    out = [("合计", "", colsum(lambda k: True))]
    for c3 in sorted({k[:3] for k in lines}):
        out.append((c3, NAMES[c3], colsum(lambda k, c3=c3: k[:3] == c3)))
        for c5 in sorted({k[:5] for k in lines if k[:3] == c3}):
            out.append((c5, NAMES[c5], colsum(lambda k, c5=c5: k[:5] == c5)))
            for c7 in sorted(k for k in lines if k[:5] == c5):
                out.append((c7, NAMES[c7], lines[c7]))
    return out


def _crows(values: dict, ncols: int, wrap: bool = False) -> list[Row]:
    rows = []
    for code, name, vals in _classified(values, ncols):
        nm = _wrap6(name) if wrap else name
        rows.append(Row([code, nm] + [_cell(v) for v in vals], key=code))
    return rows


def _final_tables(u: Unit, f: Figures, rng: random.Random) -> list[Table]:
    y = f.year
    T = []
    # 01 收入支出决算总表
    left = [("一、一般公共预算财政拨款收入", f.inc("gen")), ("二、政府性基金预算财政拨款收入", f.inc("fund")),
            ("三、国有资本经营预算财政拨款收入", f.inc("cap")), ("四、上级补助收入", 0),
            ("五、事业收入", f.inc("biz")), ("六、经营收入", 0), ("七、附属单位上缴收入", 0),
            ("八、其他收入", f.inc("oth"))]
    rows = []
    for i, (code, cname) in enumerate(FINAL_CLASSES):
        ll, lv = left[i] if i < len(left) else ("", 0)
        rows.append(Row([ll, str(i + 1), _cell(lv), f"{_cn(i + 1)}、{cname}", str(32 + i),
                         _cell(f.exp(code=code))], key=code))
    rev, exp_ = f.inc(), f.exp()
    grand = rev + f.carry_begin
    rows += [Row(["本年收入合计", "27", _cell(rev), "本年支出合计", "58", _cell(exp_)], key="本年合计"),
             Row(["使用非财政拨款结余", "28", "", "结余分配", "59", ""], key="结余"),
             Row(["年初结转和结余", "29", _cell(f.carry_begin), "年末结转和结余", "60", _cell(f.carry_end)],
                 key="结转和结余"),
             Row(["", "30", "", "", "61", ""], key=""),
             Row(["总计", "31", _cell(grand), "总计", "62", _cell(exp_ + f.carry_end)], key="总计")]
    T.append(Table("income_expenditure_summary", "收入支出决算总表", "公开01表",
                   _tpre("收入支出决算总表", "公开01表", u, y, "### "),
                   ["收入\t\t\t支出\t\t", "项目\t行次\t金额\t项目\t行次\t金额", "栏次\t\t1\t栏次\t\t2"], rows,
                   post=["注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。"],
                   breaks={24}, required=True))
    # 02 收入决算表
    vals = {c: [sum(d.values()), d.get("gen", 0) + d.get("fund", 0) + d.get("cap", 0), 0, d.get("biz", 0), 0, 0,
                d.get("oth", 0)] for c, d in f.income.items()}
    rows = _crows(vals, 7)
    T.append(Table("income", "收入决算表", "公开02表", _tpre("收入决算表", "公开02表", u, y, "## "),
                   ["项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
                    "科目代码\t科目名称\t\t\t\t\t\t\t", "栏次\t\t1\t2\t3\t4\t5\t6\t7"], rows,
                   post=["注：本表反映部门本年度取得的各项收入情况。"], breaks=_breaks(len(rows), rng), required=True))
    # 03 支出决算表
    vals = {c: [sum(d.values()), d_b, sum(d.values()) - d_b, 0, 0, 0]
            for c, d in f.lines.items() for d_b in [sum(v for (p, _s), v in d.items() if p == "basic")]}
    rows = _crows(vals, 6, wrap=True)
    T.append(Table("expenditure", "支出决算表", "公开03表", _tpre("支出决算表", "公开03表", u, y, ""),
                   ["项目\t\t本年支出合计\t基本支出\t项目支出\t上缴 上级 支出\t经营支出\t对附属单 位补助 支出",
                    "科目代码\t科目名称\t\t\t\t\t\t", "栏次\t\t1\t2\t3\t4\t5\t6"], rows,
                   post=["注：本表反映部门本年度各项支出情况。"], breaks=_breaks(len(rows), rng), required=True))
    # 04 财政拨款收入支出决算总表
    fis = ("gen", "fund", "cap")
    left = [("一、一般公共预算财政拨款", f.inc("gen")), ("二、政府性基金预算财政拨款", f.inc("fund")),
            ("三、国有资本经营预算财政拨款", f.inc("cap"))]
    rows = []
    for i, (code, cname) in enumerate(FINAL_CLASSES):
        ll, lv = left[i] if i < len(left) else ("", 0)
        g, fu, ca = (f.exp(src=s, code=code) for s in fis)
        rows.append(Row([ll, str(i + 1), _cell(lv), f"{_cn(i + 1)}、{cname}", str(33 + i), _cell(g + fu + ca),
                         _cell(g), _cell(fu), _cell(ca)], key=code))
    frev = f.inc(fis)
    fg, ff, fc = (f.exp(src=s) for s in fis)
    cb, ce = f.carry_begin, f.carry_end
    rows += [Row(["<b>本年收入合计</b>", "27", _cell(frev), "<b>本年支出合计</b>", "59", _cell(fg + ff + fc),
                  _cell(fg), _cell(ff), _cell(fc)], key="本年合计"),
             Row(["年初财政拨款结转和结余", "28", _cell(cb), "年末财政拨款结转和结余", "60", _cell(ce), _cell(ce), "", ""],
                 key="结转和结余"),
             Row(["一般公共预算财政拨款", "29", _cell(cb), "", "61", "", "", "", ""], key="结转.gen"),
             Row(["政府性基金预算财政拨款", "30", "", "", "62", "", "", "", ""], key="结转.fund"),
             Row(["国有资本经营预算财政拨款", "31", "", "", "63", "", "", "", ""], key="结转.cap"),
             Row(["<b>总计</b>", "32", _cell(frev + cb), "<b>总计</b>", "64", _cell(fg + ff + fc + ce),
                  _cell(fg + ce), _cell(ff), _cell(fc)], key="总计")]
    T.append(Table("fiscal_summary", "财政拨款收入支出决算总表", "公开04表",
                   _tpre("财政拨款收入支出决算总表", "公开04表", u, y, "### "),
                   ["收入\t\t\t支出\t\t\t\t\t",
                    "项目\t行次\t金额\t项目\t行次\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t国有资本经营预算财政拨款",
                    "栏次\t\t1\t栏次\t\t2\t3\t4\t5"], rows,
                   post=["注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总支支和年末结转结余情况。"],
                   breaks={25}, required=True))
    # 05 一般公共预算财政拨款支出决算表
    vals = {c: [d.get(("basic", "gen"), 0) + d.get(("project", "gen"), 0), d.get(("basic", "gen"), 0),
                d.get(("project", "gen"), 0)] for c, d in f.lines.items()}
    rows = _crows(vals, 3)
    T.append(Table("general_expenditure", "一般公共预算财政拨款支出决算表", "公开05表",
                   _tpre("一般公共预算财政拨款支出决算表", "公开05表", u, y, "### "),
                   ["项目\t\t本年支出\t\t", "科目代码\t科目名称\t小计\t基本支出\t项目支出", "栏次\t\t1\t2\t3"], rows,
                   post=["注：本表反映部门本年度一般公共预算财政拨款支出情况。"], breaks=_breaks(len(rows), rng),
                   trailer=["---------\t-------\t-------\t-------\t--"], required=True))
    # 06 基本支出决算明细表
    T.append(_final_detail_table(u, f))
    # 07 政府性基金
    fund_vals = {c: [0, d.get(("project", "fund"), 0), d.get(("project", "fund"), 0), 0,
                     d.get(("project", "fund"), 0), 0] for c, d in f.lines.items()}
    crs = _classified(fund_vals, 6)
    empty = not f.exp(src="fund")
    rows = [Row(["合计", ""] + [""] * 6, key="合计")] if empty else \
        [Row([c, n] + [_cell(v) for v in vs], key=c) for c, n, vs in crs]
    T.append(Table("gov_fund", "政府性基金预算财政拨款收入支出决算表", "公开07表",
                   _tpre("政府性基金预算财政拨款收入支出决算表", "公开07表", u, y, "### ", "单位：万元"),
                   ["项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余",
                    "科目代码\t科目名称\t\t\t小计\t基本支出\t项目支出\t", "栏次\t\t1\t2\t3\t4\t5\t6"], rows,
                   post=["注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。"]
                   + (["说明：本表无数据"] if empty else []), empty=empty, required=True))
    # 08 国有资本经营
    cap_vals = {c: [d.get(("project", "cap"), 0), 0, d.get(("project", "cap"), 0)] for c, d in f.lines.items()}
    empty = not f.exp(src="cap")
    rows = [Row(["合计", "", "", "", ""], key="合计")] if empty else _crows(cap_vals, 3)
    T.append(Table("state_capital", "国有资本经营预算财政拨款支出决算表", "公开08表",
                   _tpre("国有资本经营预算财政拨款支出决算表", "公开08表", u, y, "### ", "单位：万元"),
                   ["项目\t\t本年支出\t\t", "科目代码\t科目名称\t合计\t基本支出\t项目支出", "栏次\t\t1\t2\t3"], rows,
                   post=["注：本表反映部门本年度国有资本经营预算财政拨款支出情况。"]
                   + (["说明：本表无数据"] if empty else []), empty=empty, required=True))
    # 09 三公
    b, a = f.tp_budget, f.tp
    empty = not (sum(b.values()) or sum(a.values()))
    rows = []
    if not empty:
        cells = []
        for d in (b, a):
            cells += [_cell(sum(d.values())), _cell(d["abroad"]), _cell(d["buy"] + d["run"]), _cell(d["buy"]),
                      _cell(d["run"]), _cell(d["recv"])]
        rows = [Row(cells, key="三公")]
    T.append(Table("three_public", "财政拨款“三公”经费支出决算表", "公开09表",
                   _tpre("财政拨款“三公”经费支出决算表", "公开09表", u, y, "### "),
                   ["预算数\t\t\t\t\t\t决算数\t\t\t\t\t",
                    "合计\t因公出国（境） 费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境） 费\t公务用车购置及运行维护费\t\t\t公务接待费",
                    "\t\t小计\t公务用车购 置费\t公务用车 运行维护费\t\t\t\t小计\t公务用车购 置费\t公务用车 运行维护费\t",
                    "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12"], rows,
                   post=["注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。"]
                   + (["说明：本表无数据"] if empty else []), empty=empty, required=True))
    # 10 统计表
    g, e_, s = f.procurement
    office = f.public if u.utype != "事业单位" else 0
    veh = f.vehicles
    vrow = 12 if u.topic.key in ("market", "justice", "urban", "emergency", "env", "transport") else 15
    rows = [Row(["一、政府采购情况", "", ""]), Row(["项目", "行次", "统计数"]),
            Row(["合计", "1", _cell(g + e_ + s)], key="采购合计"), Row(["货物", "2", _cell(g)], key="货物"),
            Row(["工程", "3", _cell(e_)], key="工程"), Row(["服务", "4", _cell(s)], key="服务"),
            Row(["二、机关运行经费", "", ""]), Row(["项目", "", "统计数"]),
            Row(["(一) 行政单位", "5", _cell(office) if u.utype == "行政单位" else ""], key="机关运行经费.行政"),
            Row(["(二) 参照公务员法管理事业单位", "6", _cell(office) if u.utype == "参公事业单位" else ""],
                key="机关运行经费.参公"),
            Row(["三、国有资产占用情况", "", ""]),
            Row(["(一) 车辆数合计(辆)", "7", str(veh) if veh else ""], key="车辆")]
    for i, nm in enumerate(["1. 副部(省)级及以上领导用车", "2. 主要负责人用车", "3. 机要通信用车", "4. 应急保障用车",
                            "5. 执法执勤用车", "6. 特种专业技术用车", "7. 离退休干部服务用车", "8. 其他用车"]):
        rows.append(Row([nm, str(8 + i), str(veh) if veh and 8 + i == vrow else ""]))
    rows.append(Row(["(二) 单价100万元(含)以上设备(不含车辆)", "17", ""]))
    T.append(Table("statistics", "部门决算公开相关信息统计表", "公开10表",
                   _tpre("部门决算公开相关信息统计表", "公开10表", u, y, "### ", who="单位名称"),
                   [], rows, post=["注：本表反映部门本年度政府采购、机关运行经费和国有资产占用情况。"]
                   + ([] if (g + e_ + s) or (office and u.utype != "事业单位") or veh else ["说明：本表无数据"])))
    return T


def _final_detail_table(u: Unit, f: Figures) -> Table:
    e = f.econ

    def val(code: str | None) -> str:
        if code is None:
            return ""
        if code in _DASH:
            return "——"
        if len(code) == 3:
            return _cell(f.econ_class(code)) if code in ("301", "302", "303", "310") else ""
        return _cell(e.get(code, 0))

    rows = []
    for i, grid in enumerate(_DETAIL_GRID):
        cells: list[str] = []
        for code in grid:
            cells += ["", "", ""] if code is None else [code, ECON_NAMES[code], val(code)]
        if i >= _DETAIL_BREAK:
            cells.append("")
        rows.append(Row(cells, key=grid[0] or grid[1]))
    rows.append(Row(["人员经费合计", "", _cell(f.personnel), "公用经费合计", "", "", "", "", "", "", _cell(f.public), "", ""],
                    key="合计"))
    return Table("basic_detail", "一般公共预算财政拨款基本支出决算明细表", "公开06表",
                 _tpre("一般公共预算财政拨款基本支出决算明细表", "公开06表", u, f.year, ""),
                 ["人员经费\t\t\t公用经费\t\t\t\t\t\t\t\t",
                  "科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数"],
                 rows, post=["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"], breaks={_DETAIL_BREAK},
                 required=True)


def _final_narrative(u: Unit, f: Figures, prev: Figures, budget: Figures) -> list:
    y = f.year
    B: list = []

    def h(t: str) -> None:
        B.append(Lines([t, ""]))

    def p(segs: list, sec: str) -> None:
        B.append(Para(segs, sec))

    h("### 第三部分 情况说明")
    sec = "一、收入支出决算总体情况说明"
    h("#### " + sec)
    grand, pgrand = f.inc() + f.carry_begin, prev.inc() + prev.carry_begin
    why = _reason(f, prev, whole=grand - pgrand)
    p([f"{y}年度收入总计", Amt(grand, "grand_total"), "，支出总计", Amt(grand, "grand_total"), "。与上年相比，收入总计",
       *_yoy(grand, pgrand, "grand_total"), "，支出总计", *_yoy(grand, pgrand, "grand_total"), f"。主要原因是{why}。"], sec)
    sec = "二、收入决算情况说明"
    h("#### " + sec)
    rev = f.inc()
    p([f"{y}年度收入合计", Amt(rev, "revenue_total"), "，其中："], sec)
    items = [("财政拨款收入", f.inc(("gen", "fund", "cap")), "fiscal_revenue"), ("上级补助收入", 0, ""),
             ("事业收入", f.inc("biz"), "business_revenue"), ("经营收入", 0, ""), ("附属单位上缴收入", 0, ""),
             ("其他收入", f.inc("oth"), "other_revenue")]
    for i, (nm, v, tag) in enumerate(items):
        p([nm, Amt(v, tag), "，占比", Pct(_pct(v, rev), tag + ".share" if tag else ""),
           "。" if i == len(items) - 1 else "；"], sec)
    sec = "三、支出决算情况说明"
    h("#### " + sec)
    ex = f.exp()
    p([f"{y}年度支出合计", Amt(ex, "expenditure_total"), "，其中："], sec)
    items = [("基本支出", f.exp("basic"), "basic_expenditure"), ("项目支出", f.exp("project"), "project_expenditure"),
             ("上缴上级支出", 0, ""), ("经营支出", 0, ""), ("对附属单位补助支出", 0, "")]
    for i, (nm, v, tag) in enumerate(items):
        p([nm, Amt(v, tag), "，占比", Pct(_pct(v, ex), tag + ".share" if tag else ""),
           "。" if i == len(items) - 1 else "；"], sec)
    sec = "四、财政拨款收支决算总体情况说明"
    h("#### " + sec)
    fis = ("gen", "fund", "cap")
    ftot, pftot = f.inc(fis) + f.carry_begin, prev.inc(fis) + prev.carry_begin
    p([f"{y}年度财政拨款收入总计", Amt(ftot, "fiscal_grand_total"), "，支出总计", Amt(ftot, "fiscal_grand_total"),
       "。与上年相比，财政拨款收入总计", *_yoy(ftot, pftot, "fiscal_grand_total"), "；财政拨款支出总计",
       *_yoy(ftot, pftot, "fiscal_grand_total"), f"。主要原因是{_reason(f, prev, fis, whole=ftot - pftot)}。"], sec)
    sec = "五、一般公共预算财政拨款支出决算情况说明"
    h("#### " + sec)
    h("##### （一）一般公共预算财政拨款支出决算总体情况")
    g, pg = f.exp(src="gen"), prev.exp(src="gen")
    p([f"{y}年一般公共预算财政拨款决算支出", Amt(g, "general_budget_expenditure"), "，占本年支出合计的",
       Pct(_pct(g, ex), "general_budget_expenditure.share"), "。与上年相比，一般公共预算财政拨款支出",
       *_yoy(g, pg, "general_budget_expenditure"), f"。主要原因是{_reason(f, prev, ('gen',), whole=g - pg)}。"], sec)
    h("##### （二）一般公共预算财政拨款支出决算结构情况")
    p([f"{y}年度一般公共预算财政拨款支出", Amt(g, "general_budget_expenditure"), "，主要用于以下方面："], sec)
    cls = [(i, code, nm, f.exp(src="gen", code=code)) for i, (code, nm) in enumerate(FINAL_CLASSES)]
    cls = [c for c in cls if c[3]]
    for j, (i, code, nm, v) in enumerate(cls):
        p([f"{_cn(i + 1)}、{nm}(类)", Amt(v, f"function.gen.{code}"), "，占比", Pct(_pct(v, g), f"function.gen.{code}.share"),
           "。" if j == len(cls) - 1 else "；"], sec)
    h("### （三）一般公共预算财政拨款支出决算具体情况")
    bg = budget.exp(src="gen")
    p([f"{y}年度一般公共预算财政拨款支出年初预算", Amt(bg, "general_budget_initial"), "，支出决算", Amt(g, "general_budget_expenditure"),
       "，完成年初预算的", Pct(_pct(g, bg), "general_budget_execution"), "。其中："], sec)
    econ_cls: dict[str, int] = defaultdict(int)
    for code, v in f.econ.items():
        econ_cls[code[:3]] += v
    for x in f.projects:
        if x.src == "gen":
            econ_cls[x.econ] += x.amount
    segs: list = []
    for code in ("301", "302", "303", "310", "312"):
        if econ_cls.get(code):
            if segs:
                segs.append("，")
            segs += [ECON_CLASS_NAMES[code], Amt(econ_cls[code], f"econ.gen.{code}")]
    p(segs + ["。"], sec)
    sec = "六、一般公共预算财政拨款基本支出决算情况说明"
    h("### " + sec)
    p([f"{y}年度财政拨款基本支出", Amt(f.exp("basic", "gen"), "general_basic_expenditure"), "，其中："], sec)
    p(["人员经费", Amt(f.personnel, "personnel_expenditure"), "，主要包括工资福利支出", Amt(f.econ_class("301"), "econ.basic.301"),
       "，主要包括基本工资、津贴补贴、奖金、养老、医保、职业年金、公积金等；对个人和家庭的补助",
       Amt(f.econ_class("303"), "econ.basic.303"), "，主要包括离休费、退休费、医疗费补助等；"], sec)
    pub_items = [ECON_NAMES[c] for c in sorted(f.econ) if c[:3] in ("302", "310")]
    p(["公用经费", Amt(f.public, "public_expenditure"), f"，主要包括{'、'.join(pub_items[:8])}等。"], sec)
    sec = "七、政府性基金预算财政拨款收支决算情况说明"
    h("### " + sec)
    fu, pfu = f.exp(src="fund"), prev.exp(src="fund")
    if fu:
        names = "、".join(f"“{x.name}”" for x in f.projects if x.src == "fund")
        p([f"{y}年度政府性基金预算财政拨款支出", Amt(fu, "gov_fund_expenditure"), "。与上年相比，",
           *(_yoy(fu, pfu, "gov_fund_expenditure") if pfu else ["上年无此项支出"]), f"。主要用于{names}。"], sec)
    else:
        B.append(Lines(["本年度无此项支出。", ""]))
    sec = "八、国有资本经营预算财政拨款支出决算情况说明"
    h("### " + sec)
    ca, pca = f.exp(src="cap"), prev.exp(src="cap")
    if ca:
        p([f"{y}年度国有资本经营预算财政拨款支出总计", Amt(ca, "state_capital_expenditure"),
           "。与上年相比，国有资本经营预算财政拨款支出总计",
           *(_yoy(ca, pca, "state_capital_expenditure") if pca else ["增加", Amt(ca, ""), "，上年无此项支出"]),
           "。主要原因是直属困难企业职工医保缴费基数调整及慰问人数变化。"], sec)
    else:
        B.append(Lines(["本年度无此项支出。", ""]))
    # 九 三公
    sec = "九、财政拨款“三公”经费支出决算情况说明"
    h("### " + sec)
    h("#### （一）“三公”经费财政拨款支出决算总体情况说明")
    a, b, pa = f.tp, f.tp_budget, prev.tp
    ta, tb, tpa = sum(a.values()), sum(b.values()), sum(pa.values())
    segs = [f"{y}年度“三公”经费财政拨款支出全年预算", Amt(tb, "three_public_budget"), "，支出决算", Amt(ta, "three_public_total"),
            "，完成全年预算的", Pct(_pct(ta, tb), "three_public_execution")]
    if ta == tpa:
        segs += ["，与上年“三公经费”财政拨款支出决算相同。其中："]
    else:
        segs += ["。与上年相比，“三公”经费财政拨款支出决算", *_yoy(ta, tpa, "three_public_total"), "。其中："]
    p(segs, sec)
    why_tp = {"abroad": ("本单位无因公出国", "按计划开展因公出国（境）交流"),
              "buy": ("本单位未购置公务用车", "按规定更新公务用车"),
              "run": ("本单位无公务用车或公务用车已移交机关事务管理局统一管理", "厉行节约，严格控制公务用车运行费用"),
              "recv": ("本单位未发生公务接待", "严格执行公务接待标准，压减接待批次")}
    labels = [("abroad", "因公出国（境）费支出"), ("buy", "公务用车购置费支出"), ("run", "公务用车运行维护费支出"),
              ("recv", "公务接待费支出")]
    for j, (key, lab) in enumerate(labels):
        segs = [lab, Amt(a[key], f"three_public.{key}"), "，完成全年预算的", Pct(_pct(a[key], b[key]), f"three_public.{key}.execution")]
        if a[key] == pa[key]:
            segs.append("，与上年相同")
        else:
            segs += ["，比上年", *_yoy(a[key], pa[key], f"three_public.{key}")]
        segs.append(f"，主要原因是：{why_tp[key][1 if a[key] else 0]}" + ("。" if j == 3 else "；"))
        p(segs, sec)
    h("## （二）“三公”经费财政拨款支出决算具体情况说明")
    groups = max(1, a["abroad"] // 250) if a["abroad"] else 0
    p(["1、因公出国（境）费支出", Amt(a["abroad"], "three_public.abroad"), f"，出国团组共{groups}个，{groups * 3}人次。主要用于："
       + ("开展对外经贸交流合作。" if a["abroad"] else "我单位无因公出国费用。")], sec)
    bought = 1 if a["buy"] else 0
    p(["2、公务用车购置支出", Amt(a["buy"], "three_public.buy"), f"，使用财政拨款共购置公务用车{bought}辆，主要用于"
       + ("更新到达报废年限的执法执勤用车。" if bought else "我单位未购置公务用车。")], sec)
    p(["3、公务用车运行维护费支出", Amt(a["run"], "three_public.run"), f"，使用财政拨款负担的公务用车保有量共{f.vehicles if a['run'] else 0}辆车，主要用于："
       + ("公务用车燃料费、维修费、保险费等支出。" if a["run"] else "本单位无公务用车运行维护费支出。")], sec)
    batches = max(1, a["recv"] // 15) if a["recv"] else 0
    p(["4、公务接待费支出", Amt(a["recv"], "three_public.recv"), f"，共接待{batches}批次，{batches * 6}人次。国内接待费",
       Amt(a["recv"], "three_public.recv"), f"，共接待{batches}批次，{batches * 6}人次，其中外事接待费0万元，共接待0批次，0人次，"
       + ("主要是接待上级部门检查指导工作；" if batches else "主要是无公务接待活动；")
       + "国（境）外接待费0万元，共接待国（境）外0批次，0人次，主要是无公务接待活动。"], sec)
    sec = "十、其他重要事项情况说明"
    h("## " + sec)
    h("### （一）机关运行经费支出情况说明")
    if u.utype != "事业单位":
        pub, ppub = f.public, prev.public
        segs = [f"{y}年机关运行经费支出", Amt(pub, "office_operation")]
        segs += (["，与", f"{y - 1}年持平。"] if pub == ppub else
                 [f"，比{y - 1}年", *_yoy(pub, ppub, "office_operation"),
                  "，主要原因是" + ("办公及运行成本上升。" if pub > ppub else "厉行节约，压减一般性支出。")])
        p(segs, sec)
    else:
        B.append(Lines(["本单位为事业单位，不属于行政单位和参照公务员法管理事业单位，无机关运行经费支出。", ""]))
    h("### （二）政府采购情况说明")
    g_, e_, s_ = f.procurement
    tot = g_ + e_ + s_
    p([f"{y}年度政府采购支出总额", Amt(tot, "procurement_total"), "，其中：政府采购货物支出", Amt(g_, "procurement.goods"),
       "、政府采购工程支出", Amt(e_, "procurement.works"), "、政府采购服务支出", Amt(s_, "procurement.services"),
       "。政府采购授予中小企业合同金额", Amt(tot, "procurement.sme"), "，占政府采购支出总额的",
       Pct(10000 if tot else 0, "procurement.sme.share"), "。其中：授予小微企业合同金额", Amt(tot, "procurement.small"),
       "，占政府采购支出总额的", Pct(10000 if tot else 0, "procurement.small.share"), "。"], sec)
    h("### （三）国有资产占用情况说明")
    v = f.vehicles
    law = u.topic.key in ("market", "justice", "urban", "emergency", "env", "transport")
    B.append(Lines([f"截至{y}年12月31日，本部门（单位）共有车辆{v}辆。其中：副部（省）级及以上领导用车0辆、主要负责人用车0辆、"
                    f"机要通信用车0辆、应急保障用车0辆、执法执勤用车{v if law else 0}辆、特种专业技术用车0辆、离退休干部服务用车0辆，"
                    f"其他用车{0 if law else v}辆；单价100万元（含）以上设备（不含车辆）0台（套）。", ""]))
    h("### （四）预算绩效情况说明")
    h("#### 1、预算绩效管理工作开展情况")
    h("##### （1）")
    ev = _evaluated(f)
    n = len(ev)
    money_ev = sum(x.amount for x in ev)
    names = "、".join(f"“{x.name}”" for x in ev)
    pe = f.exp("project")
    if n:
        p([f"根据预算绩效管理要求，组织对{y}年度年初预算安排的所有项目资金全面开展了绩效自评，涵盖二级项目{n}个，涉及资金",
           Amt(money_ev, "evaluated_projects"), "，占项目支出总额的", Pct(_pct(money_ev, pe), "evaluated_projects.share"),
           f"。组织对{names}{n}个项目开展了部门评价。从评价结果来看，{_grades_word(ev, f)}。"], sec)
        B.append(Lines(["(2)", ""]))
        p([f"{y}年度二级项目绩效自评个数{n}个，分别为{names}，涉及资金", Amt(money_ev, "evaluated_projects"), "。"], sec)
    else:
        B.append(Lines([f"{y}年度本单位无纳入绩效自评的二级项目。", ""]))
    h("## 2、其他需要说明的事项")
    B.append(Lines(["无", ""]))
    return B


def _evaluated(f: Figures) -> list[Project]:
    return [x for x in f.projects if x.src == "gen" and not x.in_year][:5]


def _form_scores(x: Project, seed: str) -> tuple[list, int, int]:
    """Indicator rows, execution-rate score (hundredths), total score (hundredths)."""
    rng = random.Random(seed)
    rate = _pct(x.amount, x.adjusted)
    rate_score = min(1000, (rate + 5) // 10)
    inds = [("产出指标", "数量指标", "完成项目任务数量", "≥1项", "≥1项", "≥1项", 1000),
            ("", "", "服务对象覆盖人次", "≥200人次", "≥200人次", None, 1000),
            ("", "质量指标", "任务完成合格率", "≥95%", "≥95%", "≥96%", 1000),
            ("", "时效指标", "任务完成及时性", "及时", "及时", "达成预期指标", 1000),
            ("", "成本指标", "项目总成本", f"≤{_trim(x.adjusted)}万元", f"≤{_trim(x.adjusted)}万元",
             f"≤{_trim(x.amount)}万元", 1000),
            ("效益指标", "社会效益指标", f"{x.name[:8]}社会效益", "有效提升", "有效提升", "达成预期指标", 1000),
            ("", "", "群众知晓度", "≥90%", "≥90%", "≥92%", 1000),
            ("", "可持续影响指标", "长效管理机制健全性", "健全", "健全", "达成预期指标", 1000),
            ("满意度指标", "服务对象满意度", "服务对象满意度", "≥90%", "≥90%", "≥95%", 1000)]
    rows = []
    total = rate_score
    for a, b, c, v0, v1, got, w in inds:
        score, why = w, ""
        if got is None:
            k = rng.choice([230, 260, 180, 200, 150])
            got = f"≥{k}人次"
            if k < 200:
                score, why = w * k // 200, "受客观因素影响，实际完成值低于目标值"
        elif rng.random() < 0.15:
            score, why = w - rng.choice([100, 200, 350]), "部分达成预期指标，下一步加强过程管理"
        total += score
        rows.append((a, b, c, v0, v1, got, _trim(w), _trim(score), why))
    return rows, rate_score, total


def _grade(total: int) -> str:
    return "优" if total >= 9000 else "良" if total >= 8000 else "中" if total >= 6000 else "差"


def _grades_word(ev: list, f: Figures) -> str:
    gs = [_grade(_form_scores(x, f"{f.year}:{x.name}")[2]) for x in ev]
    if len(set(gs)) == 1:
        return f"{len(gs)}个项目自评等级均为“{gs[0]}”"
    return "其中" + "，".join(f"{gs.count(g)}个项目自评等级为“{g}”" for g in "优良中差" if g in gs)


def _final_forms(u: Unit, f: Figures) -> list:
    B: list = [Lines(["## 第五部分 附件", ""])]
    ucode = f"{u.dept_code}001"
    for x in _evaluated(f):
        rows, rate_score, total = _form_scores(x, f"{f.year}:{x.name}")
        rate = _pct(x.amount, x.adjusted)
        rest = x.adjusted - x.amount
        fund = "市县区财政资金"
        L = [f"{x.name}项目支出绩效自评表", "", f"({f.year}年度)", "",
             f"项目名称\t\t{x.name}\t\t\t\t\t\t\t\t",
             f"主管部门及代码\t\t{u.dept_code}-{u.name}\t\t\t\t预算单位\t{ucode}-{u.name}\t\t\t",
             "项目资金预算安排及执行进度(万元)\t\t\t年初预算数\t\t全年预算数\t全年执行数\t资金结(转)余\t执行率\t得分\t偏差原因分析及改进措施",
             "\t目标申报数\t预算编制数\t\t\t\t\t\t\t\t",
             f"\t资金总额:\t\t{_trim(x.initial)}\t{_trim(x.initial)}\t{_trim(x.adjusted)}\t{_trim(x.amount)}\t{_trim(rest)}\t{_fpct(rate)}\t{_trim(rate_score)}\t",
             f"{fund}\t\t{_trim(x.initial)}\t{_trim(x.initial)}\t{_trim(x.adjusted)}\t{_trim(x.amount)}\t{_trim(rest)}\t{_fpct(rate)}\t{_trim(rate_score)}\t\t",
             "项目年度绩效目标\t年度目标\t\t\t\t\t实际完成情况\t\t\t\t",
             f"\t通过实施{x.name}项目，保障{u.topic.field}重点工作顺利开展，提升服务质量和管理水平。\t\t\t\t\t"
             f"按计划完成{x.name}各项任务，资金使用规范，达到预期绩效目标。\t\t\t\t",
             "绩效指标\t一级指标\t二级指标\t三级指标\t年初指标值\t调整后指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\t"]
        for r in rows:
            L.append("\t" + "\t".join(r) + "\t")
        L += [f"总分\t\t\t\t\t\t\t{_trim(total)}\t{_grade(total)}\t\t", "",
              f"项目绩效分析\t自评结果分析\t项目实施和预算执行情况 及分析\t严格按预算支出资金，全年预算{_trim(x.adjusted)}万元，执行{_trim(x.amount)}万元，执行率{_fpct(rate)}%。",
              f"\t\t产出情况及分析\t按计划完成{x.name}各项产出任务。",
              f"\t\t效益情况及分析\t项目实施促进了{u.topic.field}工作开展，社会效益明显。",
              "\t\t满意度情况及分析\t服务对象满意度达到预期目标。",
              "\t\t主要经验做法\t加强项目全过程管理，确保专款专用。",
              "\t\t项目管理中存在的主要问题及原因分析\t" + ("部分绩效指标设置不够精准。" if total < 10000 else "无"),
              "\t\t下一步改进措施及管理建议\t科学设置绩效目标，加强绩效运行监控，提高资金使用效益。", ""]
        L += _FORM_NOTES + [""]
        B.append(Lines(L))
    return B


def _final_document(u: Unit, f: Figures, prev: Figures, budget: Figures, rng: random.Random) -> list:
    y = f.year
    dw = _dept_word(u)
    B: list = [Lines(["", "", " ".join(u.name), "", " ".join(f"{y}年度{dw}决算公开"), "", "# 目 录", ""]
                     + [t.replace("{y}", str(y)) for t in _FINAL_TOC] + [""])]
    rank = "正县级" if u.level == "city" else "正科级"
    tdesc = {"行政单位": "财政拨款行政单位", "参公事业单位": "财政拨款参公事业单位", "事业单位": "财政补助事业单位"}[u.utype]
    L = ["## 第一部分 概况", "", "### 一、本部门（单位）职责", "", f"一级预算单位：{u.name}，{rank}建制，{tdesc}。", ""]
    for i, d in enumerate(_duties(u) + ["承办上级交办的其它任务。"]):
        L += [f"（{_cn(i + 1)}）{d}", ""]
    L += ["### 二、机构设置情况", "",
          f"{u.name}现有人员编制{u.quota}名，实有人员{f.staff}名，内设机构{len(u.offices)}个，分别为{'、'.join(u.offices)}。", "",
          f"## 第二部分 {y}年部门决算表", ""]
    B.append(Lines(L))
    B += _final_tables(u, f, rng)
    B += _final_narrative(u, f, prev, budget)
    B.append(Lines(["## 第四部分 名词解释", ""] + _FINAL_GLOSSARY + [""]))
    B += _final_forms(u, f)
    return B
