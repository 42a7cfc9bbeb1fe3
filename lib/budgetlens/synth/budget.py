"""The 预算 (budget) template of seed 004: tables, narrative and performance target forms."""

from __future__ import annotations

import random

from .classes import BUDGET_CLASSES, ECON_NAMES, GOV_ECON
from .figures import Figures, Project, Unit
from .final import _classified, _crows
from .model import Amt, Lines, Para, Pct, Row, Table, _breaks
from .money import _c, _cell, _cn, _pct, _trim, money
from .wording import _dept_word, _duties, _reason, _yoy

_BUDGET_GLOSSARY = [
    "一、**基本支出**：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "二、**项目支出**：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "三、**“三公”经费**：指省直部门用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。其中：因公出国（境）费用反映单位公务出国（境）的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置费反映公务用车购置支出（含车辆购置税、牌照费）；公务用车运行维护费反映单位按规定保留的公务用车燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映机关和参公事业单位按规定开支的各类公务接待（含外宾接待）支出。",
    "四、**机关运行经费**：指行政单位和参照公务员法管理的事业单位使用财政拨款安排的基本支出中的公用经费支出。",
    "五、**政府购买服务**：根据我国现行政策规定，政府购买服务，是指充分发挥市场机制作用，将国家机关属于自身职责范围且适合通过市场化方式提供的服务事项，按照政府采购方式和程序，交由符合条件的服务供应商承担，并根据服务数量和质量等情况向其支付费用的行为。",
    "六、**财政专户管理资金**：",
    "专指教育收费，包括目前在财政专户管理的高中以上学费、住宿费，高校委托培养费，党校收费，教育考试考务费，函大、电大、夜大及短训班培训费等。",
    "七、**单位资金**：是指除政府预算资金和财政专户管理资金以外的资金，包括事业收入、事业单位经营收入、上级补助收入、附属单位上缴收入、其他收入。",
    "八、**上年结转**：指以前年度预算安排、结转到本年仍按原规定用途继续使用的资金。",
    "九、**一般公共预算**：是指以税收为主体的财政收入，安排用于保障和改善民生、推动经济社会发展、维护国家安全、维持国家机构正常运转等方面的收支预算。",
    "十、**政府性基金预算**：是对依照法律、行政法规的规定在一定期限内向特定对象征收、收取或者以其他方式筹集的资金，专项用于特定公共事业发展的收支预算。",
    "十一、**国有资本经营预算**：是对国有资本收益作出支出安排的收支预算。",
    "十二、**财政拨款**：包含一般公共预算、政府性基金预算、国有资本经营预算。",
]


def _budget_toc(y: int) -> list[str]:
    return [
        "第一部分 概况\t1", "一、本单位职责.....\t1", "二、机构设置情况.....\t1", f"第二部分 {y}年单位预算报表\t2",
        f"表一{y}年预算收支总表.....\t2", f"表二{y}年预算收入总表.....\t4", f"表三{y}年预算支出总表.....\t6",
        f"表四{y}年财政拨款收支总表.....\t7", f"表五{y}年一般公共预算支出预算表（不含上年结转）.....\t9",
        f"表六{y}年一般公共预算安排基本支出分经济科目表（不含上年结转）.....\t10",
        f"表七{y}年政府性基金预算收入表（不含上年结转）.....\t11", f"表八{y}年政府性基金预算支出表（不含上年结转）.....\t12",
        f"表九{y}年国有资本经营预算收支预算表（不含上年结转）.....\t13", f"表十{y}年财政拨款安排“三公”经费支出预算表.....\t13",
        f"表十一{y}年财政拨款安排机关运行经费预算表.....\t14", f"表十二{y}年项目支出预算表（本年预算）.....\t15",
        f"表十三{y}年项目支出预算表（上年结转）.....\t16", f"第三部分 {y}年度单位预算情况说明\t17",
        "一、单位预算收支数据变动情况及原因.....\t17", "二、收入预算情况说明.....\t17", "三、支出预算情况说明.....\t17",
        "四、财政拨款收支预算总体情况说明.....\t17", "五、一般公共预算支出情况说明.....\t17",
        "六、一般公共预算基本支出情况说明.....\t18", "七、“三公”经费增减变动原因说明.....\t18",
        "八、机关运行经费增减变动原因说明.....\t18", "", "九、政府采购情况.....\t18", "十、绩效管理情况.....\t18",
        "十一、国有资产占有使用情况.....\t23", "十二、其他说明.....\t23", "（一）政府购买服务指导性目录.....\t23",
        "（二）其他.....\t23", "第四部分 名词解释.....\t25",
    ]


def _bpre(title: str, label: str | None, u: Unit) -> list[str]:
    return ([label] if label else []) + [title, f"单位名称：{u.name}", "单位：万元"]


def _budget_tables(u: Unit, f: Figures, rng: random.Random) -> list[Table]:
    y = f.year
    T = []
    unit_src = ("biz", "oth")
    gen, fund, cap, unitf = f.inc("gen"), f.inc("fund"), f.inc("cap"), f.inc(unit_src)
    total = f.inc()
    # 表1 收支总表
    left = [("一、一般公共预算", gen), ("二、政府性基金预算", fund), ("三、国有资本经营预算", cap),
            ("四、财政专户管理资金", 0), ("五、单位资金", unitf)]
    rows = []
    for i, (code, cname) in enumerate(BUDGET_CLASSES):
        ll, lv = left[i] if i < len(left) else ("", 0)
        v = f.exp(code=code)
        rows.append(Row([ll, _cell(lv), f"{_cn(i + 1)}、{cname}", _cell(v), _cell(v), ""], key=code))
    rows += [Row(["本年收入合计", _cell(total), "本年支出合计", _cell(total), _cell(total), ""], key="本年合计"),
             Row(["上年结转", "", "年终结转", "", "", ""], key="结转"),
             Row(["收入总计", _cell(total), "支出总计", _cell(total), _cell(total), ""], key="总计")]
    T.append(Table("income_expenditure_summary", f"{y}年预算收支总表", "预算公开表1",
                   _bpre(f"{y}年预算收支总表", "预算公开表1", u),
                   ["收入\t\t支出\t\t\t", f"项目\t{y}年\t项目\t{y}年合计\t当年预算安排\t上年结转安排"], rows,
                   breaks={21}, required=True))
    # 表2 收入总表
    vals = {c: [sum(d.values()), d.get("gen", 0), d.get("fund", 0), d.get("cap", 0), 0,
                d.get("biz", 0) + d.get("oth", 0), 0] for c, d in f.income.items()}
    rows = _crows(vals, 7)
    T.append(Table("income", f"{y}年预算收入总表", None, _bpre(f"{y}年预算收入总表", None, u),
                   ["项目\t\t本年收入\t\t\t\t\t\t上年结转",
                    "科目编码\t科目名称\t合计\t一般公共预算\t政府性基金\t国有资本经营预算\t财政专户管理资金\t单位资金\t"],
                   rows, breaks=_breaks(len(rows), rng), required=True))
    # 表3 支出总表
    vals = {c: [sum(d.values()), b_, sum(d.values()) - b_]
            for c, d in f.lines.items() for b_ in [sum(v for (p, _s), v in d.items() if p == "basic")]}
    rows = _crows(vals, 3)
    T.append(Table("expenditure", f"{y}年预算支出总表", None, _bpre(f"{y}年预算支出总表", None, u),
                   [f"项目\t\t{y}年预算数\t\t", "科目编码\t科目名称\t合计\t基本支出\t项目支出"], rows,
                   breaks=_breaks(len(rows), rng), required=True))
    # 表4 财政拨款收支总表
    fis = ("gen", "fund", "cap")
    left = [("一、一般公共预算", gen), ("二、政府性基金预算", fund), ("三、国有资本经营预算", cap)]
    rows = []
    for i, (code, cname) in enumerate(BUDGET_CLASSES):
        ll, lv = left[i] if i < len(left) else ("", 0)
        g_, f_, c_ = (f.exp(src=s, code=code) for s in fis)
        rows.append(Row([ll, _cell(lv), f"{_cn(i + 1)}、{cname}", _cell(g_ + f_ + c_), _cell(g_), _cell(f_), _cell(c_)],
                        key=code))
    ft = gen + fund + cap
    rows += [Row(["本年收入合计", _cell(ft), "本年支出合计", _cell(ft), _cell(gen), _cell(fund), _cell(cap)], key="本年合计"),
             Row(["上年财政拨款结转", "", "年终结转", "", "", "", ""], key="结转"),
             Row(["一、一般公共预算", "", "", "", "", "", ""], key="结转.gen"),
             Row(["二、政府性基金预算", "", "", "", "", "", ""], key="结转.fund"),
             Row(["三、国有资本经营预算", "", "", "", "", "", ""], key="结转.cap"),
             Row(["收入总计", _cell(ft), "支出总计", _cell(ft), _cell(gen), _cell(fund), _cell(cap)], key="总计")]
    T.append(Table("fiscal_summary", f"{y}年财政拨款收支总表", None, _bpre(f"{y}年财政拨款收支总表", None, u),
                   ["收入\t\t支出\t\t\t\t", "项目\t金额\t项目\t金额\t\t\t",
                    "\t\t\t小计\t一般公共预算\t政府性基金预算\t国有资本经营预算"], rows, breaks={len(BUDGET_CLASSES) + 1},
                   required=True))
    # 表5 一般公共预算支出
    vals = {c: [d.get(("basic", "gen"), 0) + d.get(("project", "gen"), 0), d.get(("basic", "gen"), 0),
                d.get(("project", "gen"), 0)] for c, d in f.lines.items()}
    rows = _crows(vals, 3)
    title = f"{y}年一般公共预算支出预算表（不含上年结转）"
    T.append(Table("general_expenditure", title, None, _bpre(title, None, u),
                   [f"项目\t\t{y}年预算数\t\t", "科目编码\t科目名称\t合计\t基本支出\t项目支出"], rows,
                   breaks=_breaks(len(rows), rng), required=True))
    # 表6 基本支出分经济科目
    title = f"{y}年一般公共预算安排基本支出分经济科目表（不含上年结转）"
    rows = [Row(["合计", "", _cell(f.personnel + f.public), _cell(f.personnel), _cell(f.public)], key="合计")]
    for cls, pers in (("301", True), ("302", False), ("303", True), ("310", False)):
        items = sorted(c for c in f.econ if c.startswith(cls))
        if not items:
            continue
        tot = f.econ_class(cls)
        rows.append(Row([ECON_NAMES[cls], "", _cell(tot), _cell(tot) if pers else "", "" if pers else _cell(tot)], key=cls))
        for c in items:
            v = f.econ[c]
            rows.append(Row([ECON_NAMES[c], GOV_ECON.get(c, ECON_NAMES[c]), _cell(v), _cell(v) if pers else "",
                             "" if pers else _cell(v)], key=c))
    T.append(Table("basic_detail", title, None, _bpre(title, None, u),
                   ["部门预算支出经济科目名称\t政府预算支出经济科目名称\t" + f"{y}年预算数\t\t", "\t\t合计\t人员经费\t公用经费"],
                   rows, breaks=_breaks(len(rows), rng, (24, 30)), required=True))
    # 表7 政府性基金收入
    title = f"{y}年政府性基金预算收入表（不含上年结转）"
    if fund:
        rows = [Row(["合计", "", _cell(fund)], key="合计"), Row(["103", "非税收入", _cell(fund)], key="103"),
                Row(["10301", "政府性基金收入", _cell(fund)], key="10301")]
    else:
        rows = [Row(["合计", "", ""], key="合计")]
    T.append(Table("gov_fund_income", title, None, _bpre(title, None, u),
                   ["项目\t\t政府性基金收入预算", "收入科目编码\t科目名称\t"], rows,
                   post=[] if fund else ["注：本表无数据"], empty=not fund))
    # 表8 政府性基金支出
    title = f"{y}年政府性基金预算支出表（不含上年结转）"
    if fund:
        rows = _crows({c: [d.get(("project", "fund"), 0), 0, d.get(("project", "fund"), 0)] for c, d in f.lines.items()}, 3)
    else:
        rows = [Row(["合计", "", "", "", ""], key="合计")]
    T.append(Table("gov_fund", title, None, _bpre(title, None, u), ["科目编码\t科目名称\t合计\t基本支出\t项目支出"],
                   rows, post=[] if fund else ["注：本表无数据"], empty=not fund, required=True))
    # 表9 国有资本经营
    title = f"{y}年国有资本经营预算收支预算表（不含上年结转）"
    if cap:
        cr = _classified({c: [d.get(("project", "cap"), 0), 0, d.get(("project", "cap"), 0)]
                          for c, d in f.lines.items()}, 3)
        rows = []
        lefts = [("合计", "", cap), ("103", "非税收入", cap), ("10306", "国有资本经营收入", cap)]
        for i, (code, nm, vs) in enumerate(cr):
            lc, ln, lv = lefts[i] if i < len(lefts) else ("", "", 0)
            if code == "合计":
                rows.append(Row(["合计", "", _cell(lv), "", "", _cell(vs[0]), _cell(vs[1]), _cell(vs[2])], key="合计"))
            else:
                rows.append(Row([lc, ln, _cell(lv), code, nm] + [_cell(v) for v in vs], key=code))
    else:
        rows = [Row(["合计"] + [""] * 7, key="合计")]
    T.append(Table("state_capital", title, "部门公开表9", _bpre(title, "部门公开表9", u),
                   ["国有资本经营预算收入\t\t国有资本经营预算支出\t\t\t\t\t",
                    "项目\t\t国有资本经营收入预算\t科目编码\t科目名称\t合计\t基本支出\t项目支出",
                    "收入科目编码\t科目名称\t\t\t\t\t\t"], rows, post=[] if cap else ["注：本表无数据"], empty=not cap))
    # 表10 三公
    title = f"{y}年财政拨款安排“三公”经费支出预算表"
    t = f.tp
    tp_tot = sum(t.values())
    items = [("因公出国（境）费", t["abroad"], "abroad"), ("公务接待费", t["recv"], "recv"),
             ("公务用车购置及运行费", t["buy"] + t["run"], "vehicle"), ("①公务用车购置费", t["buy"], "buy"),
             ("②公务用车运行维护费", t["run"], "run"), ("合计", tp_tot, "合计")]
    rows = [Row([nm, _cell(v), _cell(v), "", ""], key=key) for nm, v, key in items]
    T.append(Table("three_public", title, "预算公开表10", _bpre(title, "预算公开表10", u),
                   [f"项目\t{y}年预算数\t\t\t", "\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算"], rows,
                   post=[] if tp_tot else ["注：本表无数据"], empty=not tp_tot, required=True))
    # 表11 机关运行经费
    title = f"{y}年财政拨款安排机关运行经费预算表"
    office = f.public if u.utype != "事业单位" else 0
    rows = [Row(["部门合计", _cell(office), _cell(office), "", ""], key="部门合计")]
    if office:
        rows.append(Row([u.name, _cell(office), _cell(office), "", ""], key=u.name))
    T.append(Table("office_operation", title, None, _bpre(title, None, u),
                   ["单位名称\t" + f"{y}预算数\t\t\t", "\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算"], rows,
                   post=[] if office else ["注：本表无数据"], empty=not office))
    # 表12 项目支出（本年预算）
    title = f"{y}年项目支出预算表（本年预算）"
    pe = f.exp("project")
    rows = [Row([u.name, _cell(pe), _cell(f.exp("project", "gen")), _cell(f.exp("project", "fund")),
                 _cell(f.exp("project", "cap")), "", ""], key=u.name)]
    for x in f.projects:
        cols = {"gen": 2, "fund": 3, "cap": 4}
        cells = [x.name, _cell(x.amount), "", "", "", "", ""]
        cells[cols[x.src]] = _cell(x.amount)
        rows.append(Row(cells, key=x.name))
    T.append(Table("projects", title, None, _bpre(title, None, u),
                   [f"项目名称\t合计\t{y}年财政拨款\t\t\t财政专户管理 资金\t单位资金",
                    "\t\t一般公共预算\t政府性 基金预 算\t国有资本经营 预算\t\t", "1\t2\t3\t4\t5\t6\t7"], rows,
                   post=[] if f.projects else ["注：本表无数据"], empty=not f.projects))
    title = f"{y}年项目支出预算表（上年结转）"
    T.append(Table("projects_carryover", title, None, _bpre(title, None, u),
                   [f"项目名称\t合计\t{y}年财政拨款\t\t", "\t\t一般公共预算\t政府性基金 预算\t国有资本 经营预算",
                    "1\t2\t3\t4\t5"], [], post=["注：本表无数据"], empty=True))
    return T


def _budget_narrative(u: Unit, f: Figures, prev: Figures, rng: random.Random) -> list:
    y, nm = f.year, u.name
    B: list = [Lines([" ", f"第三部分 {y}年度单位预算情况说明", ""])]

    def h(t: str) -> None:
        B.append(Lines([t, ""]))

    def p(segs: list, sec: str) -> None:
        B.append(Para(segs, sec))

    total, ptotal = f.inc(), prev.inc()
    why = _reason(f, prev, whole=total - ptotal)
    sec = "一、单位预算收支数据变动情况及原因"
    h(sec)
    yo = _yoy(total, ptotal, "grand_total")
    p([f"{y}年度{nm}预算收入总计", Amt(total, "grand_total"), "，其中：本年收入", Amt(total, "revenue_total"),
       "，上年结转0万元，比上年", *yo, f"，主要原因是{why}；本年单位预算支出总计", Amt(total, "grand_total"),
       "，其中：本年预算安排", Amt(total, "expenditure_total"), "，上年结转0万元，比上年", *_yoy(total, ptotal, "grand_total"),
       f"，主要原因是{why}。"], sec)
    sec = "二、收入预算情况说明"
    h(sec)
    gen, fund, cap, unitf = f.inc("gen"), f.inc("fund"), f.inc("cap"), f.inc(("biz", "oth"))
    p([f"{y}年度{nm}预算收入", Amt(total, "revenue_total"), "，主要包括一般公共预算拨款收入", Amt(gen, "general_budget_revenue"),
       "，占", Pct(_pct(gen, total), "general_budget_revenue.share"), "；政府性基金预算拨款收入", Amt(fund, "gov_fund_revenue"),
       "，占", Pct(_pct(fund, total), "gov_fund_revenue.share"), "；国有资本经营预算拨款收入", Amt(cap, "state_capital_revenue"),
       "，占", Pct(_pct(cap, total), "state_capital_revenue.share"), "；财政专户管理资金收入0万元，占0%；单位资金",
       Amt(unitf, "unit_funds"), "，占", Pct(_pct(unitf, total), "unit_funds.share"), "；上年结转0万元，占0%。"], sec)
    B.append(Lines(["", ""]))
    sec = "三、支出预算情况说明"
    h(sec)
    ba, pr = f.exp("basic"), f.exp("project")
    p([f"{y}年度{nm}支出预算", Amt(total, "expenditure_total"), "，其中：基本支出", Amt(ba, "basic_expenditure"), "，占",
       Pct(_pct(ba, total), "basic_expenditure.share"), "；项目支出", Amt(pr, "project_expenditure"), "，占",
       Pct(_pct(pr, total), "project_expenditure.share"), "。"], sec)
    sec = "四、财政拨款收支预算总体情况说明"
    h(sec)
    fis = ("gen", "fund", "cap")
    ft = gen + fund + cap
    segs = [f"{y}年度{nm}财政拨款收支总预算", Amt(ft, "fiscal_revenue"), "。其中：一般公共预算拨款", Amt(gen, "general_budget_revenue"),
            "，政府性基金预算拨款", Amt(fund, "gov_fund_revenue"), "，国有资本经营预算拨款", Amt(cap, "state_capital_revenue"),
            "。其中：当年拨款收入", Amt(ft, "fiscal_revenue"), "，上年结转收入0万元。支出包括："]
    cls = [(code, cname, f.exp(src=fis, code=code)) for code, cname in BUDGET_CLASSES]
    cls = [c for c in cls if c[2]]
    for j, (code, cname, v) in enumerate(cls):
        segs += [("" if j == 0 else "、") + cname, Amt(v, f"function.fiscal.{code}")]
    p(segs + ["等。"], sec)
    B.append(Lines([" "]))
    sec = "五、一般公共预算支出情况说明"
    h(sec)
    h("(一) 一般公共预算当年支出规模变化情况")
    g, pg = f.exp(src="gen"), prev.exp(src="gen")
    p([f"{y}年度{nm}一般公共预算当年支出", Amt(g, "general_budget_expenditure"), "，比上年",
       *_yoy(g, pg, "general_budget_expenditure"), "。"], sec)
    h("(二) 一般公共预算当年支出结构情况")
    segs = [f"{y}年度{nm}一般公共预算当年支出", Amt(g, "general_budget_expenditure"), ",主要用于以下方面:"]
    cls = [(code, cname, f.exp(src="gen", code=code)) for code, cname in BUDGET_CLASSES]
    cls = [c for c in cls if c[2]]
    for j, (code, cname, v) in enumerate(cls):
        segs += [("" if j == 0 else ";") + cname, Amt(v, f"function.gen.{code}"), ",占", Pct(_pct(v, g), f"function.gen.{code}.share")]
    p(segs + ["等。"], sec)
    B.append(Lines(["", ""]))
    sec = "六、一般公共预算基本支出情况说明"
    h(sec)
    p([f"{y}年度{nm}一般公共预算安排基本支出", Amt(f.personnel + f.public, "general_basic_expenditure"), ",其中:"], sec)
    pers = [ECON_NAMES[c] for c in f.econ if c[:3] in ("301", "303")]
    pubs = [ECON_NAMES[c] for c in f.econ if c[:3] in ("302", "310")]
    rng.shuffle(pers)
    rng.shuffle(pubs)
    p(["人员经费", Amt(f.personnel, "personnel_expenditure"), f",主要包括:{'、'.join(pers)}等;"], sec)
    p(["公用经费", Amt(f.public, "public_expenditure"), f",主要包括:{'、'.join(pubs)}等。"], sec)
    sec = "七、“三公”经费增减变动原因说明"
    h(sec)
    t, pt = f.tp, prev.tp
    tt, ptt = sum(t.values()), sum(pt.values())
    if not tt and not ptt:
        B.append(Lines(["本单位无“三公”经费预算。", ""]))
    else:
        segs = [f"{y}年度“三公”经费预算", Amt(tt, "three_public_total")]
        segs += (["，与上年持平"] if tt == ptt else ["，比上年", *_yoy(tt, ptt, "three_public_total")])
        segs += ["。其中：因公出国（境）费", Amt(t["abroad"], "three_public.abroad"), "，公务接待费", Amt(t["recv"], "three_public.recv"),
                 "，公务用车购置及运行费", Amt(t["buy"] + t["run"], "three_public.vehicle"), "（其中：公务用车购置费",
                 Amt(t["buy"], "three_public.buy"), "，公务用车运行维护费", Amt(t["run"], "three_public.run"), "）。主要原因是"
                 + (("按规定更新公务用车。" if t["buy"] > pt["buy"] else "公务活动及公务用车运行费用增加。")
                    if tt > ptt else "厉行节约，严格控制“三公”经费支出。")]
        p(segs, sec)
    sec = "八、机关运行经费增减变动原因说明"
    h(sec)
    if u.utype != "事业单位":
        o, po = f.public, prev.public
        segs = [f"{y}年度{nm}机关运行经费预算", Amt(o, "office_operation")]
        segs += (["，与上年持平。"] if o == po else ["，比上年", *_yoy(o, po, "office_operation"),
                                                "，主要原因是" + ("人员增加及运行成本上升。" if o > po else "压减一般性支出。")])
        p(segs, sec)
    else:
        B.append(Lines(["本单位无机关运行经费。", ""]))
    sec = "九、政府采购情况"
    h(sec)
    g_, e_, s_ = f.procurement
    p([f"{y}年{nm}政府采购预算总额", Amt(g_ + e_ + s_, "procurement_total"), "。其中:政府采购货物预算", Amt(g_, "procurement.goods"),
       "、政府采购工程预算", Amt(e_, "procurement.works"), "、政府采购服务预算", Amt(s_, "procurement.services"), "。"], sec)
    sec = "十、绩效管理情况"
    h(sec)
    h("1、整体绩效目标")
    B.append(Lines([f"{y}年本单位未编报整体绩效目标,涉及资金0万元。", ""]))
    h("2、项目绩效目标")
    run = [x for x in f.projects if x.kind == "运转"]
    spec = [x for x in f.projects if x.kind != "运转"]
    pe = f.exp("project")
    tot = sum(x.amount for x in f.projects)
    if f.projects:
        segs = [f"{y}年{nm}纳入绩效目标管理的二级项目{len(f.projects)}个,共计金额", Amt(tot, "project_expenditure"),
                f"。其中:其他运转类项目{len(run)}个,涉及金额", Amt(sum(x.amount for x in run), "projects.running"),
                f";特定目标类项目{len(spec)}个,涉及金额", Amt(sum(x.amount for x in spec), "projects.specific"),
                f"。公开项目绩效目标{len(f.projects)}个,涉及项目金额", Amt(tot, "project_expenditure"),
                ",占部门(单位)项目支出总额的", Pct(_pct(tot, pe), "projects.share"),
                f"。其中:其他运转类项目{len(run)}个,涉及项目金额", Amt(sum(x.amount for x in run), "projects.running"),
                f";特定目标类项目{len(spec)}个,涉及项目金额", Amt(sum(x.amount for x in spec), "projects.specific"), "。"]
        p(segs, sec)
        B.append(Lines(["(项目绩效目标表公开情况见附件)", ""]))
        for x in f.projects:  # one form per project the narrative counts (a clean document)
            B.append(Lines(_target_form(u, x, y, rng)))
    else:
        B.append(Lines([f"{y}年{nm}无纳入绩效目标管理的二级项目。", ""]))
    h("十一、国有资产占有使用情况")
    m, d = rng.randint(3, 6), rng.randint(1, 28)
    B.append(Lines(["1、车辆情况：", "",
                    f"截至{y}年{m}月{d}日，{nm}共有公务用车编制{f.vehicles}辆，实有{f.vehicles}辆，其中：领导用车0辆，机要通信用车0辆，"
                    f"应急保障用车0辆，执法执勤用车0辆，特种专业技术用车0辆，事业单位业务用车0辆，其他公务用车{f.vehicles}辆。", "",
                    "2、房屋情况：", "",
                    f"截至{y}年{m}月{d}日，{nm}使用的办公用房建筑总面积{money(_c(u.quota * u.k['area']))}平方米。", "",
                    "3、其他国有资产占有使用情况：", "",
                    f"截至{y}年{m}月{d}日，{nm}占有使用价值50万元（原值）以上的通用设备0台（套）；{nm}占有使用价值100万元（原值）以上的通用设备0台（套）。", "",
                    "十二、其他说明", "", "（一）政府购买服务指导性目录", "", "无", "", "（二）其他", "",
                    "本单位无相关资金管理办法相关情况。", "", "情况说明", "", "本单位不涉及政府购买服务事项。", "",
                    nm, "", f"{y}年{m}月{d}日", "", "", ""]))
    return B


def _target_form(u: Unit, x: Project, y: int, rng: random.Random) -> list[str]:
    head = f"{u.city}市级" if u.level == "city" else f"{u.place}县(区)级"
    yuan = f"{x.amount * 100:,}"
    prov = rng.random() < 0.3
    pv, cv = (yuan, "0") if prov else ("0", yuan)
    goal = f"通过实施{x.name}项目，保障{u.topic.field}重点工作任务按期完成，提升公共服务质量和资金使用效益。"
    L = [f"{head}预算部门(单位)项目支出绩效目标表", "", f"({y}年度)", "",
         f"项目名称\t{x.name}\t\t\t\t\t\t",
         f"主管部门及代码\t{u.dept_code}-{u.name}\t\t实施单位\t{u.name}\t\t\t",
         "项目属性\t" + ("经常性项目" if x.kind == "运转" else "一次性项目(1年结束)") + "\t\t项目期\t1年\t\t\t",
         f"项目资金(元)\t实施期资金总额:\t{yuan}\t年度资金总额:\t{yuan}\t\t\t",
         "\t其中:中央财政资金\t0\t其中:中央财政资金\t0\t\t\t",
         f"\t省级财政资金\t{pv}\t省级财政资金\t{pv}\t\t\t",
         f"\t市县(区)财政资金\t{cv}\t市县(区)财政资金\t{cv}\t\t\t",
         "\t单位自筹\t0\t单位自筹\t0\t\t\t",
         "\t其他资金\t\t其他资金\t\t\t\t",
         f"项目概况\t用于{x.name}相关工作支出。\t\t\t\t\t\t",
         f"立项依据\t根据{u.city}{u.topic.field}工作有关文件及年度工作计划。\t\t\t\t\t\t",
         f"项目设立必要性\t保障{u.topic.field}工作正常开展。\t\t\t\t\t\t",
         "保证项目实施的制度、措施\t1、加强资金监督管理，保证资金专款专用。2、明确责任分工，及时跟踪项目进展。\t\t\t\t\t\t",
         f"项目实施计划\t{y}年1月至12月按计划组织实施，{y}年12月底前完成资金支付。\t\t\t\t\t\t",
         "实施期目标\t\t\t年度目标\t\t\t\t",
         f"总体目标\t{goal}\t\t\t{goal}\t\t\t",
         "绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t二级指标\t三级指标\t指标值",
         "\t产出指标\t数量指标\t完成项目任务数量\t≥1项\t数量指标\t完成项目任务数量\t≥1项",
         "\t\t质量指标\t任务完成合格率\t≥95%\t质量指标\t任务完成合格率\t≥95%",
         "\t\t时效指标\t资金支付及时情况\t≤12月\t时效指标\t资金支付及时情况\t≤12月",
         f"\t\t成本指标\t项目总成本\t≤{_trim(x.amount)}万元\t成本指标\t项目总成本\t≤{_trim(x.amount)}万元",
         "\t效益指标\t社会效益\t服务对象受益情况\t有效提升\t社会效益\t服务对象受益情况\t有效提升",
         "\t\t可持续影响\t长效管理机制建设\t完善\t可持续影响\t长效管理机制建设\t完善",
         "满意度指标\t服务对象满意度\t服务对象满意度\t≥90%\t服务对象满意度\t服务对象满意度\t≥90%\t",
         f"负责人:\t经办人:\t联系电话:\t填报日期: {y - 1}12{rng.randint(10, 28)}{rng.randint(100000, 175959)}\t\t\t\t", ""]
    return L


def _budget_document(u: Unit, f: Figures, prev: Figures, rng: random.Random) -> list:
    y = f.year
    B: list = [Lines(["", "", u.name, "", f"{y}年度{_dept_word(u)}预算公开", "", "目 录", ""] + _budget_toc(y) + [""])]
    L = ["第一部分 概况", "", "一、本单位职责", ""]
    for i, d in enumerate(_duties(u) + ["承办上级交办的其他事项。"]):
        L += [f"（{_cn(i + 1)}）{d}", ""]
    L += ["二、机构设置情况", "", f"1、科室设置情况：{'、'.join(u.offices)}。", "",
          f"2、人员编制情况：编制{u.quota}人，其中在职人员{f.staff}人。", "", f"第二部分 {y}年单位预算报表", ""]
    B.append(Lines(L))
    B += _budget_tables(u, f, rng)
    B += _budget_narrative(u, f, prev, rng)
    B.append(Lines(["第四部分 名词解释", ""] + [x for g in _BUDGET_GLOSSARY for x in (g, "")]))
    return B
