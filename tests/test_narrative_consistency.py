"""Narrative statements that contradict themselves, read off real reports (Shanghai 编制说明 item by
item, final-account 完成率): a stated previous year against its percentage, a reason whose direction
contradicts the change, a completion rate of a budget of 0, an increase larger than the figure."""

from __future__ import annotations

import pytest

from budgetlens.extract import extract

HEAD = ("某街道办事处2024年部门预算\n一、收支预算总体情况\n2024年收入预算500.00万元，支出预算500.00万元，其中基本支出400.00万元，"
        "项目支出100.00万元。\n二、部门预算编制说明\n")


def _findings(tmp_path, body: str, rule: str) -> list[dict]:
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + body, encoding="utf-8")
    return [f for f in extract(p).to_json()["findings"] if f["rule"] == rule and f["severity"] != "info"]


@pytest.mark.parametrize("body,bad", [
    ("1.“一般公共服务支出（类）宣传事务（款）一般行政管理事务（项）”110.60万元。2023年当年预算执行数为114.00万元，"
     "2024年预算安排110.60万元，比2023年预算执行数减少2.98%。\n", False),
    ("1.“社会保障和就业支出（类）行政事业单位养老支出（款）职业年金缴费支出（项）”441.25万元。2023年当年预算执行数为132.59万元，"
     "2024年预算安排441.25万元，比2023年预算执行数增加60.54%。\n", True),
    ("1.“公共安全支出（类）司法（款）其他司法支出（项）”3845.49万元。2023年当年预算执行数为43269.3万元，"
     "2024年预算安排3845.49万元，比2023年预算执行数增加17.62%。\n", True),
])
def test_a_stated_previous_year_gives_the_percentage(tmp_path, body, bad):
    found = _findings(tmp_path, body, "narrative.stated_prior")
    assert bool(found) == bad, found


@pytest.mark.parametrize("body,bad", [
    ("1.宣传事务110.60万元，比2023年预算执行数减少2.98%。主要原因是：宣传事务经费增加。\n", True),
    ("1.宣传事务110.60万元，比2023年预算执行数减少2.98%。主要原因是：宣传事务经费减少。\n", False),
    ("1.宣传事务110.60万元，比2023年预算执行数减少2.98%。主要原因是：人员增加，项目经费减少。\n", False),
    ("17.“社会保障和就业支出（类）就业补助（款）公益性岗位补贴（项）”58.28万元，上年:421.23万元，主要公益性岗位补贴经费增加。\n",
     True),
    ("17.“社会保障和就业支出（类）就业补助（款）公益性岗位补贴（项）”58.28万元，上年:21.23万元，主要公益性岗位补贴经费增加。\n",
     False),
    ("支出预算500.00万元，其中：财政拨款支出预算500.00万元，比2023年预算减少163.37万元。\n财政拨款收入支出增加的主要原因是项目支出减少。\n",
     True),
    ("支出预算500.00万元，其中：财政拨款支出预算500.00万元，比2023年预算增加163.37万元。\n财政拨款收入支出增加的主要原因是新增项目。\n",
     False),
])
def test_a_reason_points_the_way_of_its_change(tmp_path, body, bad):
    found = _findings(tmp_path, body, "narrative.reason_direction")
    assert bool(found) == bad, found


FINAL = ("某局2024年度部门决算\n五、一般公共预算财政拨款支出决算情况说明\n2024年度一般公共预算财政拨款支出年初预算为{initial}万元，"
         "全年预算为321.02万元，支出决算为307.82万元，完成年初预算的{rate}%。\n")


@pytest.mark.parametrize("initial,rate,bad", [("0", "95.89", True), ("300.00", "102.61", False), ("300.00", "95.89", True)])
def test_a_completion_rate_is_of_the_budget_it_names(tmp_path, initial, rate, bad):
    p = tmp_path / "final.txt"
    p.write_text(FINAL.format(initial=initial, rate=rate), encoding="utf-8")
    found = [f for f in extract(p).to_json()["findings"] if f["rule"] == "narrative.percent" and f["severity"] == "error"]
    assert bool(found) == bad, found


def test_an_increase_larger_than_the_figure_leaves_a_negative_previous_year(tmp_path):
    body = ("支出预算500.00万元，比2023年预算增加21.25万元；政府性基金拨款支出预算0万元，比2023年预算增加1421.25万元；"
            "国有资本经营预算拨款支出预算0万元，与2023年预算持平。\n")
    found = _findings(tmp_path, body, "narrative.percent")
    assert len(found) == 1 and "负数" in found[0]["message"]


@pytest.mark.parametrize("body,bad", [
    ("十、政府性基金预算支出预算情况说明\n2024年政府性基金支出预算支出\n万元。与上年相比增加（减少）0万元。\n", True),
    ("十、政府性基金预算支出预算情况说明\n2024年政府性基金支出预算支出0万元。与上年相比增加（减少）0万元。\n", False),
    ("单位：万元\n", False),
])
def test_an_amount_left_out_of_a_sentence(tmp_path, body, bad):
    assert bool(_findings(tmp_path, body, "narrative.missing_amount")) == bad


def test_a_note_of_none_names_every_figure_its_table_prints(tmp_path):
    text = ("某街道2024年部门预算\n一、收支预算总体情况\n2024年收入预算500.00万元，支出预算500.00万元。\n"
            "2024年部门“三公”经费和机关运行经费预算表\n编制部门：某街道 单位：万元\n"
            "“三公”经费预算数 机关运行经费预算\n合计 因公出国（境）费 公务用车购置及运行费 公务接待费\n47.91 0.00 45.00 2.91 443.18\n"
            "注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。\n")
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    found = [f for f in extract(p).to_json()["findings"] if f["rule"] == "narrative.none_but_table"]
    assert len(found) == 1 and found[0]["evidence"]["values"] == [0.0, 47.91, 443.18], found


@pytest.mark.parametrize("body,bad", [
    ("1.科普活动10万元。2023年当年预算执行数5.57万元，2024年预算安排10万元，比2023年预算执行数增加79.53%。\n", False),
    ("1.科普活动10万元。2023年当年预算执行数5.57万元，2024年预算安排10万元，比2022年预算执行数增加79.53%。\n", True),
    ("1.红十字事业8.61万元。2023年当年预算执行数为7.11万元，2023年预算安排8.61万元，比2023年预算执行数增加21.10%。\n", True),
    ("8.“城乡社区支出（类）城乡社区管理事务（款）行政运行（项）”2024年度预算1,687.92万元，2022年度预算1,676.41万元，主要用于运转。\n",
     True),
    ("8.“城乡社区支出（类）城乡社区管理事务（款）行政运行（项）”2024年度预算1,687.92万元，2023年度预算1,676.41万元，主要用于运转。\n",
     False),
])
def test_an_item_s_years_are_the_budget_s_and_the_year_before(tmp_path, body, bad):
    assert bool(_findings(tmp_path, body, "narrative.item_years")) == bad


@pytest.mark.parametrize("pct,bad", [("2.46", False), ("9.46", True)])
def test_a_change_measured_from_a_base_printed_before_it(tmp_path, pct, bad):
    """"国有资本经营预算收入495,836.20万元比…，比2025年预算收入执行数483,923.17万元增加11,913.03万元，
    增长2.46%" (Beijing): the figure before 增加 is the base, not a subject; the change is of 495,836.20."""
    body = ("二、收入预算情况说明\n2026年收入预算515,665.27万元，其中：一般公共预算收入19,828.57万元比2025年初预算数"
            "20,292.85万元减少464.27万元，降低2.29%；国有资本经营预算收入495,836.20万元比2025年初预算数56,831.85"
            "增加较多，主要原因是2026年初批复率提高，比2025年预算收入执行数483,923.17万元增加11,913.03万元，"
            f"增长{pct}%。\n")
    found = _findings(tmp_path, body, "narrative.percent")
    assert bool(found) == bad, found
    if bad:
        assert "495,836.20" in found[0]["message"]


def test_a_chart_caption_is_not_part_of_the_next_sentence(tmp_path):
    """"图 2：基本支出和项目支出情况" printed above "（三）年终结转结余资金14437万元。": the carry-over
    is not 项目支出."""
    body = ("三、支出预算情况说明\n（二）项目支出。项目支出预算100.00万元，占本年支出预算20.00%。\n"
            "图 2：基本支出和项目支出情况\n（三）年终结转结余资金 14437 万元。\n")
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + body, encoding="utf-8")
    said = {m.value for m in extract(p).narrative.mentions if m.key == "project_expenditure"}
    assert 14437.0 not in said and 100.0 in said


FUND_WITH_CARRYOVER = """某某市统计局2026年部门预算
二、收入预算情况说明
2026年收入预算110.00万元，其中：一般公共预算收入{said}万元。
\f财政拨款收支总表
部门：某某市统计局 单位：万元
收入 支出
项目 预算数 项目 预算数
一、一般公共预算资金 100.00 一、一般公共服务支出 110.00
本年收入合计 100.00 本年支出合计 110.00
上年结转结余 10.00 年终结转结余
收入总计 110.00 支出总计 110.00
\f一般公共预算支出表
部门：某某市统计局 单位：万元
科目编码 科目名称 合计 基本支出 项目支出
201 一般公共服务支出 110.00 80.00 30.00
合计 110.00 80.00 30.00
"""


@pytest.mark.parametrize("said,bad", [("100.00", False), ("110.00", False), ("120.00", True)])
def test_a_fund_s_revenue_stated_with_its_carry_over(tmp_path, said, bad):
    """"一般公共预算收入19,828.57万元" where the table's 19,756.66 of this year and 71.91 carried over make
    what the fund spends (Beijing): the revenue stated as all the fund has is no contradiction."""
    p = tmp_path / "doc.txt"
    p.write_text(FUND_WITH_CARRYOVER.format(said=said), encoding="utf-8")
    found = [f for f in extract(p).to_json()["findings"]
             if f["rule"] == "narrative.amount_mismatch" and f["severity"] == "error"]
    assert bool(found) == bad, found


def test_an_amount_after_a_change_word_is_not_the_figure(tmp_path):
    """"其中一般公共预算收入减少76.46万元，政府性基金预算收入增加133.72万元" (Yantai): 76.46 is a change of
    another subject, not the 政府性基金预算收入 the 133.72 is added to."""
    body = ("（三）增减变化情况：2026年收支预算5,609.33万元，比上年增加\n110.01万元，其中：\n"
            "1.收入预算增加110.01万元，其中一般公共预算收入减少76.46万元，政\n"
            "府性基金预算收入增加133.72万元，事业收入增加47.75万元，其他收入增加\n5万元。\n")
    assert not _findings(tmp_path, body, "narrative.percent")


@pytest.mark.parametrize("carried,prior_revenue", [("与上年相比减少80.00万元", None), ("与上年预算数相同", 600.0)])
def test_a_grand_total_dates_this_year_s_revenue_only_without_a_prior_carry_over(tmp_path, carried, prior_revenue):
    """"收入预算总计106,428万元…减少48,476.98万元" and "上年结转结余为0万元。与上年相比减少136,020万元"
    (Wuxi): last year's 总计 held a carry-over, so it is not last year's 本年收入 even though this year's
    two are equal."""
    p = tmp_path / "doc.txt"
    p.write_text("某局2026年部门预算\n一、收支预算总体情况说明\n收入预算总计500.00万元，与上年相比减少100.00万元。"
                 f"本年收入合计500.00万元。上年结转结余为0万元。{carried}。\n", encoding="utf-8")
    doc = extract(p).to_json()
    assert doc["prior_year"].get("grand_total") == 600.0, doc["prior_year"]
    assert doc["prior_year"].get("revenue_total") == prior_revenue, doc["prior_year"]


_BASIC = ("某局2026年单位预算\n五、一般公共预算拨款基本支出情况\n2026年一般公共预算拨款基本支出926.68万元，其中：\n"
          "（一）人员经费865.05万元，主要包括：基本工资、津贴补贴、奖金。\n"
          "（二）公用经费61.63万元，主要包括：办公费、印刷费、因公出国（境）费用、公务接待费。\n")


@pytest.mark.parametrize("body", [
    # Fuzhou e53e6a7532 p. 22: the item's title on a line of its own, under a new section.
    "六、一般公共预算“三公”经费支出情况\n（一）因公出国（境）经费\n2026年预算安排0.00万元，与上年持平。\n",
    # The item's title and its sentence on one line, with no heading between.
    "（一）因公出国（境）经费2026年预算安排0.00万元，与上年持平。\n",
    # No enumeration: a figure of the sentence's own that is not the one handed on.
    "因公出国（境）经费方面，2026年预算安排0.00万元，与上年持平。\n",
], ids=["title-line-under-new-section", "title-inline", "own-figure"])
def test_a_change_is_of_the_item_that_states_it_not_the_figure_before(tmp_path, body):
    """"（二）公用经费61.63万元…" then "（一）因公出国（境）经费 / 2026年预算安排0.00万元，与上年持平" (Fuzhou):
    the 持平 is the 因公出国（境）经费's, a new item; it says nothing of last year's 公用经费."""
    p = tmp_path / "doc.txt"
    p.write_text(_BASIC + body, encoding="utf-8")
    doc = extract(p).to_json()
    assert "public_expenditure" not in doc["prior_year"], doc["prior_year"]


@pytest.mark.parametrize("body", [
    "公用经费61.63万元。与上年相比增加1.63万元。\n",
    "公用经费61.63万元。2026年安排61.63万元，比上年增加1.63万元。\n",
], ids=["no-figure", "same-figure"])
def test_a_bare_change_after_a_figure_is_still_that_figure_s(tmp_path, body):
    """"公用经费61.63万元。与上年相比增加1.63万元。": a sentence naming no subject, and no figure of its own
    but the one before, continues the one before."""
    p = tmp_path / "doc.txt"
    p.write_text(_BASIC + body, encoding="utf-8")
    doc = extract(p).to_json()
    assert doc["prior_year"].get("public_expenditure") == 60.0, doc["prior_year"]


def test_a_change_under_a_heading_of_its_own_names_its_total(tmp_path):
    """"（三）增减变化情况：2026年收支预算1,717.85万元，比上年减少49.81万元" (Yantai): 收支预算 is the grand
    total, named in the sentence itself, not handed on from the 支出预算 item before the heading."""
    p = tmp_path / "doc.txt"
    p.write_text("某局2026年部门预算\n一、预算收支增减变化情况说明\n（一）收入预算：2026年收入预算1,717.85万元，其中：一般公共预算"
                 "收入1,717.85万元。\n（二）支出预算：2026年支出预算1,717.85万元，其中：基本支出1,192.85万元，项目支出525万元。\n"
                 "（三）增减变化情况：2026年收支预算1,717.85万元，比上年减少49.81万元。\n", encoding="utf-8")
    doc = extract(p).to_json()
    assert doc["prior_year"].get("grand_total") == 1767.66, doc["prior_year"]


@pytest.mark.parametrize("body,prior", [
    ("（一）“三公”经费\n“三公”经费预算共14.3万元，与上年基本持平。\n", None),
    ("（一）“三公”经费\n“三公”经费预算共14.3万元，与上年持平。\n", 14.3),
], ids=["hedged", "same"])
def test_a_hedged_same_gives_no_prior_figure(tmp_path, body, prior):
    """"“三公”经费预算共14.3万元，与上年基本持平" (Yantai 06874f6f27): roughly the same is no figure."""
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + body, encoding="utf-8")
    assert extract(p).to_json()["prior_year"].get("three_public_total") == prior


def test_prior_year_has_only_the_facts_keys(tmp_path):
    """"政府性基金预算支出4,066.60万元…比2025年增加1,066.60万元" (Chongqing): 政府性基金预算支出 is no
    contract fact, so it has no prior_year entry (the contract's prior_year has the facts' keys)."""
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + "（二）政府性基金\n2026年政府性基金预算财政拨款收入100.00万元，政府性基金预算支出100.00万元，"
                 "比2025年增加40.00万元。\n", encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert "gov_fund_expenditure" not in prior, prior


def test_a_loose_subject_s_change_is_of_the_fact_its_figure_is(tmp_path):
    """"部门预算收入388,763.56万元，较2025年年初预算增加18,248.67万元" beside 本年收入 388,561.78 and 收入总计
    388,763.56 (Shenzhen 08cc7487b7): the change is the 收入总计's, not the 本年收入's."""
    p = tmp_path / "doc.txt"
    p.write_text("某局2026年部门预算\n一、收支预算总体情况说明\n收入总计500.00万元，其中：本年收入合计450.00万元，上年结转50.00万元。\n"
                 "部门预算收入500.00万元，较2025年年初预算增加100.00万元。\n", encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert prior.get("grand_total") == 400.0 and "revenue_total" not in prior, prior


_YANTAI = ("某局2026年部门预算\n一、预算收支增减变化情况说明\n（一）收入预算：2026年收入预算1,717.85万元，其中：一般公共预算"
           "收入1,717.85万元。\n（二）支出预算：2026年支出预算1,717.85万元，其中：基本支出1,192.85万元，项目支出525万元。\n"
           "（三）增减变化情况：2026年收支预算1,717.85万元，比上年减少49.81万元，其中：1.收入预算减少49.81万元，其中一般公共"
           "预算收入减少49.81万元。2.支出预算减少49.81万元，其中基本支出增加75.19万元，项目支出减少125万元。\n")


def test_the_parts_a_change_lists_give_their_prior_figures(tmp_path):
    """Yantai ad0bea5f32 p. 27: "…比上年减少49.81万元，其中…一般公共预算收入减少49.81万元。2.支出预算减少49.81万元，
    其中基本支出增加75.19万元，项目支出减少125万元": each part's figure less its change."""
    p = tmp_path / "doc.txt"
    p.write_text(_YANTAI, encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert (prior.get("general_budget_revenue"), prior.get("basic_expenditure"), prior.get("project_expenditure")) \
        == (1767.66, 1117.66, 650.0), prior


def test_a_part_s_change_is_measured_from_its_figure_in_the_same_item(tmp_path):
    """Chongqing a63e312b37 p. 3: "（一）收入预算：2026年年初预算数45,369.18万元，其中：一般公共预算拨款37,891.58万元，
    政府性基金预算拨款4,066.60万元…；收入比2025年增加2,734.52万元，主要是一般公共预算拨款增加800.94万元，政府性基金
    预算拨款增加1,066.60万元，事业收入资金增加353.98万元" (the subject named by the item's heading)."""
    p = tmp_path / "doc.txt"
    p.write_text("某局2026年部门预算\n二、部门收支总体情况\n（一）收入预算：2026年年初预算数45,369.18万元，其中：一般公共预算拨款"
                 "37,891.58万元，政府性基金预算拨款4,066.60万元，事业收入资金3,411.00万元；收入比2025年增加2,734.52万元，主要是"
                 "一般公共预算拨款增加800.94万元，政府性基金预算拨款增加1,066.60万元，事业收入资金增加866.98万元。\n",
                 encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert (prior.get("general_budget_revenue"), prior.get("gov_fund_revenue")) == (37090.64, 3000.0), prior


@pytest.mark.parametrize("body,key", [
    # A reason that is not exactly a fact's subject.
    ("2026年支出预算500.00万元，比上年增加10.00万元，主要是其他公用经费增加5.00万元。\n", "public_expenditure"),
    # One fund's statement: its 基本支出 is that fund's part, not the all-funds 基本支出.
    ("2026年一般公共预算拨款支出500.00万元，比上年增加50.00万元，主要是基本支出增加30.00万元。\n", "basic_expenditure"),
    # Not a comparison with last year.
    ("2026年支出决算500.00万元，比年初预算增加50.00万元，主要是基本支出增加30.00万元。\n", "basic_expenditure"),
    # No year-over-year statement at all.
    ("2026年支出预算500.00万元，其中：基本支出增加30.00万元。\n", "basic_expenditure"),
    # A part that states its own figure is no change.
    ("2026年支出预算500.00万元，比上年增加50.00万元，其中：基本支出400.00万元，项目支出100.00万元。\n", "basic_expenditure"),
], ids=["not-a-subject", "one-fund", "not-yoy", "no-comparison", "levels"])
def test_a_listed_change_needs_an_exact_subject_in_a_year_over_year_item(tmp_path, body, key):
    p = tmp_path / "doc.txt"
    p.write_text(HEAD + "（一）说明\n" + body, encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert key not in prior, prior


def test_a_grand_total_named_by_its_spending_dates_this_year_s_spending(tmp_path):
    """Fuzhou e53e6a7532 p. 20: "相应安排支出预算1269.68万元，比上年增加75.03万元" with 本年支出 = 支出总计 = 1269.68."""
    p = tmp_path / "doc.txt"
    p.write_text("某局2026年单位预算\n一、收支预算情况的总体说明\n本年支出合计1269.68万元，支出总计1269.68万元。\n"
                 "相应安排支出预算1269.68万元，比上年增加75.03万元，增长6.28%。\n", encoding="utf-8")
    prior = extract(p).to_json()["prior_year"]
    assert prior.get("expenditure_total") == 1194.65, prior


def test_a_spending_total_dates_last_year_s_spending_in_a_budget_only():
    """A final's last year may have carried money over (年末结转) although this year's did not:
    there 支出总计 says nothing of last year's 本年支出."""
    from budgetlens.narrative import Change, Narrative, prior_year

    nar = Narrative(sentences=[], year=2024)
    nar.changes.append(Change(key="grand_total", subject="支出总计", current=1269.68, restated=False, delta=75.03,
                              amount_word="增加", percent=None, percent_word=None, printed_delta="75.03",
                              printed_percent=None, line=1, sentence="支出总计1269.68万元，比上年增加75.03万元"))
    facts = {"grand_total": 1269.68, "expenditure_total": 1269.68}
    assert prior_year(nar, facts, "budget").get("expenditure_total") == 1194.65
    assert "expenditure_total" not in prior_year(nar, facts, "final")
    nar.changes[0].delta = 1269.68  # a unit founded this year: last year's total, and so its spending, 0
    assert prior_year(nar, facts, "final").get("expenditure_total") == 0
