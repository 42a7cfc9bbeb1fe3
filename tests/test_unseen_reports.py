"""Phrasings met in disclosures of other provinces (docs/unseen-reports.md), each as a short synthetic
text in that phrasing with the figures read by hand: a pair of totals in one sentence, the parts of a
财政拨款 total, head counts that lead a 其中 list, a unit's identity in its 决算情况说明 title."""

from __future__ import annotations

from budgetlens.extract import extract


def _run(tmp_path, text: str) -> dict:
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    return extract(p).to_json()


def _errors(got: dict) -> list:
    return [f for f in got["findings"] if f["severity"] == "error"]


PAIR = ("某某县文化局2022年度单位决算\n一、收入支出决算总体情况说明\n2022年度收、支总计各是{a},{b}万元。与2021年相比，"
        "收、支总计各减少1267.86,2570.97万元。\n二、收入决算情况说明\n2022年本年收入合计4,125.49万元，其中：一般公共预算财政拨款收入"
        "3859.16万元，占93.54%；其他收入266.33万元，占6.46%。\n")


def test_two_totals_printed_as_a_pair_are_not_one_number(tmp_path):
    """"收、支总计各是4125.49,4143.91万元" (Sichuan): two figures, not 494,143.91."""
    got = _run(tmp_path, PAIR.format(a="4125.49", b="4143.91"))
    assert "grand_total" not in got["facts"]  # which side the one figure with a unit names is unknown
    assert got["facts"]["revenue_total"] == 4125.49 and got["facts"]["general_budget_revenue"] == 3859.16
    assert not _errors(got), got["findings"]
    got = _run(tmp_path, PAIR.format(a="4125.49", b="4125.49"))
    assert got["facts"]["grand_total"] == 4125.49


FISCAL_PARTS = ("某某区文化体育局2022年度部门决算\n四、财政拨款收入支出决算总体情况说明\n"
                "2022年财政拨款收入总计766.75万元，其中：2022年收入合计610.42万元，年初结转和结余156.33万元，与2021年相比收入总计"
                "减少315.71万元，下降29.17%；2022年财政拨款支出总计766.75万元，其中：2022年支出合计766.60万元，年末结转和结余0.15万元。\n"
                "五、一般公共预算财政拨款支出决算情况说明\n2022年一般公共预算财政拨款支出762.90万元，占本年支出合计的99.98%。"
                "与2021年相比，一般公共预算财政拨款支出减少139.9万元，下降15.50%。\n")


def test_the_parts_of_a_fiscal_total_are_fiscal(tmp_path):
    """"财政拨款收入总计X，其中：收入合计Y，年初结转和结余Z": Y and Z are the appropriation's, not the
    unit's 本年收入合计 and carry-over — so 762.90 is no 99.52% of 766.60 (a false narrative.percent)."""
    got = _run(tmp_path, FISCAL_PARTS)
    for key in ("revenue_total", "expenditure_total", "carryover_begin", "carryover_end"):
        assert key not in got["facts"], (key, got["facts"])
    assert got["facts"]["general_budget_expenditure"] == 762.9
    assert got["prior_year"]["general_budget_expenditure"] == 902.8
    assert not _errors(got), got["findings"]


def test_a_head_count_before_its_parts(tmp_path):
    """"编制总数为10人，其中行政编制14人…" (Guangxi): the printed total, not its first part; a head count whose
    parts are the serving and the retired staff (实有人数16人，其中：在职9人) is not the serving staff."""
    text = ("某某区政协2019年部门预算公开\n三、人员构成情况\n单位人员编制总数为10人，其中行政编制14人，参公编制1人，事业编制1人。"
            "实有财政供养人数16人，其中行政在职14人，参公编制1人，事业在职1人。\n四、2019年部门预算说明\n2019年收入总预算398.15万元，"
            "同比减少25.98万元，同比下降6.13%。其中：一般公共预算拨款398.15万元。\n2019年支出总预算398.15万元，其中：基本支出"
            "281.6万元，项目支出116.55万元。\n")
    facts = _run(tmp_path, text)["facts"]
    assert (facts["staff_authorized"], facts["staff_actual"], facts["grand_total"]) == (10, 16, 398.15)
    text = ("某某局2024年部门预算\n一、部门概况\n某某局编制数11名，实有人数16人，其中：在职9人，增加1人；退休7人，增加1人。\n"
            "二、收支预算总体情况\n2024年收入预算120.00万元，支出预算120.00万元，其中：基本支出100.00万元，项目支出20.00万元。"
            "一般公共预算支出预算120.00万元。\n")
    facts = _run(tmp_path, text)["facts"]
    assert (facts["staff_authorized"], facts["staff_actual"]) == (11, 9)


def test_a_narrative_of_figures_in_yuan(tmp_path):
    """A 三公 决算情况说明 in 元 (Yunnan): 26,085.58元 is 2.608558万元, its prior year from the stated fall."""
    text = ("某某县文化和旅游局2022年度“三公”经费决算情况说明\n一、一般公共预算财政拨款“三公”经费支出决算总体情况\n"
            "某某县文化和旅游局2022年度一般公共预算财政拨款“三公”经费支出年初预算为27,080元，支出决算为26,085.58元，完成年初预算的"
            "96.33%。\n2022年度一般公共预算财政拨款“三公”经费支出决算数比上年减少18,987.42元，下降42.13%。\n"
            "公务用车运行维护支出23,005.58元，开支一般公共预算财政拨款的公务用车保有量为2辆。\n")
    got = _run(tmp_path, text)
    assert got["facts"]["three_public_total"] == 2.608558 and got["prior_year"]["three_public_total"] == 4.5073
    assert got["facts"]["vehicles"] == 2
    assert (got["document"]["year"], got["document"]["kind"]) == (2022, "final")
    assert not _errors(got), got["findings"]


def test_a_change_after_a_head_and_a_part_of_the_same_figure(tmp_path):
    """"收入预算656.11万元，其中，一般公共预算拨款656.11万元，…。收入较去年减少25.02万元" (Hunan): the change is
    the head's, though its one part prints the same figure."""
    text = ("2019年某某市绿化所部门预算\n三、部门收支总体情况\n（一）收入预算：2019年本部门收入预算 656.11 万元，其中，一般公共预算拨款"
            " 656.11 万元，政府性基金预算拨款 0 万元，国有资本经营预算拨款 0 万元。收入较去年减少 25.02 万元，主要是人员经费的减少。\n"
            "（二）支出预算：2019年本部门支出预算 656.11 万元，其中，社会保障和就业支出 96.22 万元，卫生健康支出 35.58万元，城乡社区支出"
            " 473 万元，住房保障支出 51.31万元。\n")
    got = _run(tmp_path, text)
    assert got["facts"]["grand_total"] == 656.11 and got["facts"]["general_budget_revenue"] == 656.11
    assert got["prior_year"] == {"grand_total": 681.13}
    assert not _errors(got), got["findings"]
