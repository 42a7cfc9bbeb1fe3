"""The disclosure checklist on corpus document 12 against the inspectors' own workbook (read in place
from ../shared/checklists, skipped when absent), row by row, and the command's outputs."""

from __future__ import annotations

import json
import os
import re

import pytest
from click.testing import CliRunner

from conftest import ROOT

CHECKLISTS = ROOT.parent / "shared" / "checklists"
REAL = CHECKLISTS / "2026-putuo-sifaju-dept-budget-checklist.xlsx"
DOC12 = "12_sh-putuo-sifaju-dept_2026_budget"


def _key(item: str) -> str:
    """A row's name compared across the two workbooks: no 《》, no 部门/单位, quotes alike."""
    t = re.sub(r"[《》\s]", "", item).replace("部门", "").replace("单位", "")
    return t.replace("“", '"').replace("”", '"')


def real_rows() -> list[tuple[str, bool, str]]:
    """(检查内容, 符合要求, 问题) of the inspectors' workbook."""
    openpyxl = pytest.importorskip("openpyxl")
    if not REAL.exists():
        pytest.skip(f"inspectors' checklist not found at {REAL}")
    ws = openpyxl.load_workbook(REAL).worksheets[0]
    rows = []
    for r in ws.iter_rows(min_row=6, values_only=True):
        item, ok, problem = r[1], r[3], r[4]
        if item and ok in ("是", "否"):
            rows.append((str(item), ok == "是", str(problem or "")))
    return rows


@pytest.fixture(scope="module")
def checklist12(corpus_dir):
    from budgetlens.checklist import build_checklist
    from budgetlens.extract import extract

    return build_checklist(extract(corpus_dir / f"{DOC12}.pdf"))


def _ours(checklist) -> dict[str, object]:
    return {_key(i.item): i for i in checklist.items}


def test_every_row_is_marked_as_the_inspectors_did(checklist12):
    ours = _ours(checklist12)
    rows = real_rows()
    assert len(rows) == 18
    for item, ok, _problem in rows:
        mine = ours[_key(item)]
        if item.startswith("及时公开"):  # when it was published: left for the user
            assert mine.ok is None
            continue
        assert mine.ok is ok, (item, mine.problems)


def test_each_problem_the_inspectors_wrote_is_quoted(checklist12):
    ours = _ours(checklist12)
    text = {k: "\n".join(i.problems) for k, i in ours.items()}
    # 目录: the blank page after it; 主要职能: the line that is not displayed
    assert "第3页" in text["目录"] and "空" in text["目录"]
    assert "未正常显示" in text["主要职能"] and "（八）负责本系统警车管理工作" in text["主要职能"]
    notes = text["预算编制说明"]
    assert "5处" in notes and "比2026年预算增加793.14万元" in notes  # 1. the comparisons with the year itself
    assert "“财政拨款收入支出增加的主要原因是工作量增加”后面漏了句号" in notes  # 2.
    assert "第5点“信息化建设及运行维护等方面的支出。。”" in notes and "连续两个句号" in notes  # 3.
    assert "43269.3万元" in notes and "3845.49万元" in notes and "增加17.62%" in notes  # 4.
    assert "第11点" in notes and "医疗卫生与计划生育支出（210类）" in notes and "卫生健康支出" in notes  # 5.
    assert "208.8万元" in notes and "201.50万元" in notes  # 6.
    assert "优秀调解案例”活动" in text["项目经费情况说明"] and "右引号" in text["项目经费情况说明"]


def test_the_stated_percentages_the_inspectors_missed_are_reported(checklist12):
    notes = "\n".join(_ours(checklist12)["预算编制说明"].problems)
    assert "增加17.66%" in notes and "17.93%" in notes
    assert "增加5.27%" in notes and "1.59%" in notes


def test_the_text_layer_gives_the_same_rows_but_the_display(corpus_dir):
    """From the .txt the page cannot be seen: the undisplayed line is not claimed; every other row agrees."""
    from budgetlens.checklist import build_checklist
    from budgetlens.extract import extract

    ours = _ours(build_checklist(extract(corpus_dir / f"{DOC12}.txt")))
    for item, ok, _problem in real_rows():
        mine = ours[_key(item)]
        if item.startswith("及时公开") or _key(item) == "主要职能":
            continue
        assert mine.ok is ok, (item, mine.problems)
    assert "第3页" in "\n".join(ours["目录"].problems)


def test_command_json_and_workbook(corpus_dir, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from budgetlens.cli import main

    out = tmp_path / "c.xlsx"
    res = CliRunner().invoke(main, ["checklist", str(corpus_dir / f"{DOC12}.txt"), "--json", "--xlsx", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["document"]["unit"] == "上海市普陀区司法局" and data["document"]["kind"] == "budget"
    notes = next(i for i in data["items"] if i["item"] == "预算编制说明")
    assert notes["ok"] is False and len(notes["problems"]) >= 6
    ws = openpyxl.load_workbook(out).worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "符合要求" in values and any(str(v).startswith("部门名称") for v in values)
    assert any(str(v).startswith("公开网址") for v in values) and any(str(v).startswith("部门编码") for v in values)
    assert values.count("否") == 3  # 目录, 预算编制说明, 项目经费情况说明 (the display is not in a text layer)


def test_a_folder_gets_a_summary_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from budgetlens.cli import main

    out = tmp_path / "all.xlsx"
    res = CliRunner().invoke(main, ["checklist", str(ROOT / "data" / "raw"), "--xlsx", str(out)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) == 1 + 4
    assert wb.worksheets[0]["A1"].value == "文件"


def test_a_bad_file_is_one_line(tmp_path):
    from budgetlens.cli import main

    bad = tmp_path / "x.txt"
    bad.write_bytes(b"")
    res = CliRunner().invoke(main, ["checklist", str(bad)])
    assert res.exit_code == 1 and "error:" in res.output and "Traceback" not in res.output


# --- every textual finding on the seeds and the corpus, checked by hand against the page ---------------
# (document stem → (rule, words of its message)); each was read in the source and is a real slip of the
# text. Any other textual finding on these documents is a false one. "pdf" marks what only the page
# shows (a text layer cannot show that a line is drawn cut through).
HAND_CHECKED: dict[str, list[tuple[str, str]]] = {
    # seeds
    "000_2dcbd3ad2c52b1d0": [
        ("text.level_name", "第二部分2023年部门决算表"),  # the cover says 2023年度单位决算公开
        ("text.punctuation", "支出增加。。"),
        ("text.punctuation", "统一管理。；"),
    ],
    "003_159abbecd5886f59": [  # "比上年预算增加…万元，增长100%，主要原因是上年度没有安排预算"
        ("text.zero_base", "该项5万元"), ("text.zero_base", "该项259.58万元"), ("text.zero_base", "该项6.83万元"),
    ],
    # the Shanghai / Jiangsu corpus
    "03_sh-putuo-shehui-gongzuobu_2024_final": [  # a department set up in 2024: 上年 0, "增长100.00%"
        ("text.zero_base", "收入支出总计307.82万元"), ("text.zero_base", "财政拨款收入支出总计307.82万元"),
        ("text.zero_base", "一般公共预算财政拨款支出307.82万元"), ("text.zero_base", "该项10.23万元"),
    ],
    "08_sh-putuo-wanli-jiedao_2023_budget": [("text.zero_base", "2022年当年预算执行数为0万元")],
    "09_sh-putuo-wanli-jiedao_2024_budget": [("text.zero_base", "2023年当年预算执行数为0.00万元")],
    "12_sh-putuo-sifaju-dept_2026_budget": [
        ("text.blank_page", "目录后第3页"),
        ("text.brackets", "优秀调解案例”活动"),
        ("text.class_name", "医疗卫生与计划生育支出（210类）"),
        ("text.punctuation", "工作量增加”后面漏了句号"),
        ("text.punctuation", "支出。。"),
        ("text.hidden_text pdf", "（八）负责本系统警车管理工作"),
    ],
    "17_sh-putuo-shiquanlu-jiedao-unit_2026_budget": [
        ("text.class_name", "文化体育与传媒支出(类）"), ("text.class_name", "医疗卫生与计划生育支出(类）"),
    ],
    "22_js-gaoyuan_2018_budget": [("text.zero_base", "该项1326.81万元"), ("text.zero_base", "该项530.72万元")],
    "39_js-zhengxie-bgt-tables_2019_budget": [  # a 2019 budget's tables with the classes' 2018 names
        ("text.class_name", "文化体育与传媒支出"), ("text.class_name", "医疗卫生与计划生育支出"),
        ("text.class_name", "国土海洋气象等支出"),
    ],
    "40_sh-putuo-shehui-gongzuobu-layout_2024_final": [
        ("text.zero_base", "收入支出总计307.82万元"), ("text.zero_base", "财政拨款收入支出总计307.82万元"),
        ("text.zero_base", "一般公共预算财政拨款支出307.82万元"), ("text.zero_base", "该项10.23万元"),
    ],
}


def _textual(findings: list[dict]) -> list[dict]:
    return [f for f in findings if str(f["rule"]).startswith("text.")]


def assert_hand_checked(stem: str, findings: list[dict], pdf: bool) -> None:
    expected = [(r.split()[0], w) for r, w in HAND_CHECKED.get(stem, []) if pdf or not r.endswith(" pdf")]
    got = _textual(findings)
    unexpected = [f"{f['rule']}: {f['message']}" for f in got
                  if not any(f["rule"] == r and w in f["message"] for r, w in expected)]
    missing = [(r, w) for r, w in expected if not any(f["rule"] == r and w in f["message"] for f in got)]
    assert not unexpected, unexpected
    assert not missing, missing
    assert len(got) == len(expected), [f["message"] for f in got]


def test_textual_findings_on_the_seeds_are_the_hand_checked_ones(seed_results):
    for name, result in seed_results.items():
        assert_hand_checked(name.rsplit(".", 1)[0], result.findings, pdf=False)


def _corpus_files(suffix: str) -> list[str]:
    from conftest import CORPUS

    return sorted(p.name for p in CORPUS.glob(f"*{suffix}")) if CORPUS.exists() else []


# every text file; the PDFs of the documents with hits and two clean ones (the page views take time)
PDF_SAMPLE = sorted(({f"{k}.pdf" for k in HAND_CHECKED} & set(_corpus_files(".pdf")))
                    | {"05_sh-putuo-shangwuwei-unit_2025_budget.pdf", "14_sh-putuo-caizhengju-dept_2025_budget.pdf"})


@pytest.mark.parametrize("name", _corpus_files(".txt") + _corpus_files("_pages.json") + PDF_SAMPLE)
def test_textual_findings_on_the_corpus_are_the_hand_checked_ones(corpus_dir, name):
    from budgetlens.extract import extract

    path = corpus_dir / name
    if not path.exists():
        pytest.skip(f"{name} not in the corpus")
    stem = re.sub(r"(_pages)?\.(txt|pdf|json)$", "", name)
    assert_hand_checked(stem, extract(path).findings, pdf=name.endswith(".pdf"))


def test_the_unit_page_has_the_checklist(corpus_dir, tmp_path):
    from budgetlens.extract import extract
    from budgetlens.report import checklist_section
    from budgetlens.store import document_id, write_document
    from budgetlens.units import UnitDocument

    result = extract(corpus_dir / f"{DOC12}.txt")
    write_document(result, tmp_path)
    page = checklist_section(UnitDocument.load(tmp_path, document_id(result)))
    assert "<th>检查内容</th>" in page and "3项不符合要求" in page
    assert "项目经费情况说明" in page and "多了一个右引号" in page and "由检查人填写" in page


# --- each textual rule on a small edit of a seed: it fires on the slip, not on the correct wording ----

S004 = "004_f2bc4dd2dc88ab43.txt"  # a 单位 budget of 2025
S000 = "000_2dcbd3ad2c52b1d0.txt"  # a 单位 final of 2023
L_CHANGE = 399  # "…一般公共预算当年支出422.96万元，比上年减少467.16万元，下降52.48%。"
L_CLASSES = 403  # "…主要用于以下方面:社会保障和就业支出28.42万元,…"
L_NO_OFFICE = 421  # "本单位无机关运行经费。"


def _edited_findings(tmp_path, name: str, edits: dict[int, tuple[str, str] | None], rule_id: str) -> list[dict]:
    """The ``rule_id`` findings of a seed with some lines edited ({line: (old, new)}, None deletes)."""
    from budgetlens.extract import extract
    from conftest import RAW

    lines = (RAW / name).read_text(encoding="utf-8").split("\n")
    for i, edit in sorted(edits.items(), reverse=True):
        if edit is None:
            del lines[i - 1]
            continue
        old, new = edit
        assert old in lines[i - 1], (i, old, lines[i - 1])
        lines[i - 1] = lines[i - 1].replace(old, new, 1)
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return [f for f in extract(path).findings if f["rule"] == rule_id]


def _change(new: str) -> dict[int, tuple[str, str]]:
    return {L_CHANGE: ("下降52.48%。", new)}


@pytest.mark.parametrize(("text", "fires"), [
    ("下降52.48%。增加（减少）的主要原因是…", True),
    ("下降52.48%。主要原因是。", True),
    ("下降52.48%。2025年XX单位支出。", True),
    ("下降52.48%。减少的主要原因是项目调整。", False),
    ("下降52.48%，主要原因是人员减少（退休2人）。", False),
])
def test_template_phrase(tmp_path, text, fires):
    got = _edited_findings(tmp_path, S004, _change(text), "text.template_phrase")
    assert bool(got) is fires, [f["message"] for f in got]
    if fires:
        assert got[0]["evidence"]["section"] == "notes" and got[0]["evidence"]["quote"]


def test_template_phrase_blank_year(tmp_path):
    got = _edited_findings(tmp_path, S004, {L_CHANGE: ("2025年度", "202 年度")}, "text.template_phrase")
    assert got and "202年度" in got[0]["evidence"]["quote"] and "年度未填写完整" in got[0]["message"]


@pytest.mark.parametrize(("heading", "fires"), [
    ("第三部分 2025年度部门预算情况说明", True),  # a 单位 report calling itself 部门
    ("第三部分 2025年度单位预算情况说明", False),
])
def test_level_name(tmp_path, heading, fires):
    got = _edited_findings(tmp_path, S004, {374: ("第三部分 2025年度单位预算情况说明", heading)}, "text.level_name")
    assert bool(got) is fires, [f["message"] for f in got]
    if fires:
        assert "单位预算" in got[0]["message"] and "部门预算" in got[0]["message"] and got[0]["evidence"]["page"]


@pytest.mark.parametrize(("name", "fires"), [
    ("医疗卫生与计划生育支出", True), ("文化体育与传媒支出", True), ("卫生健康支出", False), ("文化旅游体育与传媒支出", False),
])
def test_class_name_in_force_for_the_year(tmp_path, name, fires):
    got = _edited_findings(tmp_path, S004, {L_CLASSES: ("社会保障和就业支出28.42万元", f"{name}28.42万元")},
                           "text.class_name")
    assert bool(got) is fires, [f["message"] for f in got]
    if fires:
        assert name in got[0]["evidence"]["quote"] and got[0]["evidence"]["section"] == "notes"


def test_class_names_registry_by_year():
    from budgetlens.checks.text import outdated_names

    assert outdated_names(2018) == {}  # the old names were in force up to the 2018 reports
    old = outdated_names(2019)
    assert old["医疗卫生与计划生育支出"][:2] == ("210", "卫生健康支出")
    assert old["文化体育与传媒支出"][:2] == ("207", "文化旅游体育与传媒支出")


@pytest.mark.parametrize(("text", "what"), [
    ("下降52.48%。。", "连续两个句号"),
    ("下降52.48%，，主要原因是人员减少。", "标点重复"),
    ("下降52.48%……主要原因是人员减少。", None),  # an ellipsis is not doubled punctuation
    ("下降52.48%。", None),
])
def test_punctuation(tmp_path, text, what):
    got = _edited_findings(tmp_path, S004, _change(text), "text.punctuation")
    assert (got[0]["message"] if got else None) is None if what is None else what in got[0]["message"], got


@pytest.mark.parametrize(("text", "what"), [
    ("下降52.48%（主要是人员减少。", "缺少右括号"),
    ("下降52.48%，主要是“人员减少。", "缺少右引号"),
    ("下降52.48%，主要是人员减少”。", "多了一个右引号"),
    ("下降52.48%（主要是人员减少）。", None),
    ("下降52.48%，主要是“人员减少”。", None),
])
def test_brackets_and_quotation_marks(tmp_path, text, what):
    got = _edited_findings(tmp_path, S004, _change(text), "text.brackets")
    if what is None:
        assert not got, [f["message"] for f in got]
    else:
        assert got and what in got[0]["message"] and "人员减少" in got[0]["evidence"]["quote"]


def test_unmapped_glyphs(tmp_path):
    got = _edited_findings(tmp_path, S004, _change("下降52.48%，主要原因是\ue01a\ue01b减少。"), "text.hidden_text")
    assert got and "无法显示" in got[0]["message"] and got[0]["evidence"]["page"]
    assert not _edited_findings(tmp_path, S004, {}, "text.hidden_text")


def test_missing_section(tmp_path):
    assert not _edited_findings(tmp_path, S004, {}, "text.missing_section")
    got = _edited_findings(tmp_path, S004, {574: None}, "text.missing_section")  # the 名词解释 heading
    assert [f["evidence"]["missing"] for f in got] == ["glossary"] and "目录中列有" in got[0]["message"]


@pytest.mark.parametrize(("text", "fires"), [
    ("机关运行经费减少为0.00万元，与上年持平。", True),
    ("机关运行经费0.00万元，与上年持平。", False),
])
def test_level_said_of_a_change(tmp_path, text, fires):
    got = _edited_findings(tmp_path, S004, {L_NO_OFFICE: ("本单位无机关运行经费。", text)}, "text.zero_base")
    assert bool(got) is fires, [f["message"] for f in got]


def test_percentage_from_nothing(tmp_path):
    # 003 says "比上年预算增加6.83万元，增长100%" of an item not budgeted the year before (hand list above);
    # the same sentence with a real base says nothing
    got = _edited_findings(tmp_path, S004, _change("下降52.48%。"), "text.zero_base")
    assert not got


@pytest.mark.parametrize(("edits", "missing"), [
    ({}, set()),
    # 公务接待费 no longer said (neither an amount nor "未发生")
    ({540: None, 542: None, 552: ("4、公务接待费支出0万元", "4、其他支出0万元")}, {"reception"}),
    # 公务用车 still said, but no longer how many there are (保有量)
    ({550: ("使用财政拨款负担的公务用车保有量共0辆车", "使用财政拨款负担")}, {"vehicles"}),
    # 接待 without 批次/人次
    ({552: ("共接待0批次，0人次。国内接待费0万元，共接待0批次，0人次，其中外事接待费0万元，共接待0批次，0人次，", "")},
     {"reception"}),
])
def test_three_public_items_and_counts_of_a_final(tmp_path, edits, missing):
    """Seed 000's items are each said (all 0, the counts given); with an item as if incurred, the counts
    are required of it."""
    from budgetlens.checks import text
    from budgetlens.checks.base import Context
    from budgetlens.extract import extract
    from conftest import RAW

    lines = (RAW / S000).read_text(encoding="utf-8").split("\n")
    for i, edit in sorted(edits.items(), reverse=True):
        if edit is None:
            del lines[i - 1]
        else:
            assert edit[0] in lines[i - 1]
            lines[i - 1] = lines[i - 1].replace(*edit)
    path = tmp_path / S000
    path.write_text("\n".join(lines), encoding="utf-8")
    sents = text.three_public_text(Context(extract(path)))
    items = text.said_items(sents)
    incurred = {k: "amount" if v else v for k, v in items.items()}
    gaps = {k for k, v in items.items() if not v} | {k for k, ok in text.said_counts(incurred, sents).items() if not ok}
    assert gaps == missing, (items, sents)


def test_a_workbook_that_cannot_be_written_is_one_line(tmp_path):
    from budgetlens.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = CliRunner().invoke(main, ["checklist", str(ROOT / "data" / "raw" / "004_f2bc4dd2dc88ab43.txt"),
                                    "--xlsx", str(blocker / "out.xlsx")])
    assert res.exit_code == 1 and "error:" in res.output and "Traceback" not in res.output
    assert not list(tmp_path.glob("**/*.xlsx"))


# --- other cities (../shared/corpus-cn): textual findings checked by hand on the page ----------------
# Every document of the national corpus was run; these are the ones with textual findings, each read in
# the PDF and a real slip of the text, and a few clean ones of other templates (a section heading of
# another template must not make a part "missing").
CN_HAND_CHECKED: dict[str, list[tuple[str, str]]] = {
    "fuzhou/17f2ee926e": [("text.punctuation", "贡献商务力量。。")],
    "fuzhou/6d7eb4ccd5": [("text.punctuation", "取得积极成效。。")],
    "fuzhou/ac7c3a0f82": [("text.zero_base", "该项5.38万元"), ("text.zero_base", "该项221.04万元")],
    "fuzhou/eea04ec7ea": [("text.zero_base", "该项200.00万元")],
    "guangzhou/1a56049230": [("text.brackets", "无增减变化）；")],  # a 右括号 without its 左括号
    "shanghai/42ac67394c": [("text.punctuation", "主要用于退休人员费用支出”后面漏了句号")],
    "shanghai/663ac9f29a": [("text.brackets", "含地质勘探〉")],  # "（含地质勘探〉": closed by 〉
    "shanghai/e6beaf625c": [("text.punctuation", "海洋灾害预警预报、、")],
    "suzhou/7a95ea0f97": [("text.brackets", "(机关党委(与办公室(组织人事处、审计监督处)合署办公)")],
    "shenzhen/597deef15e": [("text.template_phrase", "（请核实单位是否有涉密项目")],
    "shenzhen/6c7e025567": [("text.punctuation", "人才配套经费支出。。")] * 2
    + [("text.punctuation", "暂未纳入预算数据。。"), ("text.punctuation", "工作性接待支出。。")],
    "yantai/b733712ada": [("text.punctuation", "部门预算包括：。"), ("text.zero_base", "该项5万元")],
    "yantai/ff01bd3e54": [("text.punctuation", "部门预算包括：。")],
    "yantai/3a87ce9a0d": [("text.zero_base", "该项7.98万元")],
    "beijing/3d0eb3f36c": [("text.missing_section", "机构设置")],  # 部门情况说明 gives the duties only
    "beijing/c024054435": [("text.blank_page", "第18页是一页多余的空白页")],
    # clean: Beijing, Shenzhen, Yantai, Wuxi, Chongqing headings
    "beijing/0e0df07d60": [], "beijing/10dbc3b761": [], "shenzhen/08cc7487b7": [], "yantai/0207ba842f": [],
    "wuxi/9bd978c80b": [], "wuxi/744286f058": [], "chongqing/05f59e7a87": [],
}


# a sample by default (one document per kind of hit and a clean one); all of them with make corpus-cn
CN_SAMPLE = ["beijing/c024054435", "guangzhou/1a56049230", "shanghai/42ac67394c", "shenzhen/08cc7487b7",
             "shenzhen/597deef15e", "yantai/b733712ada"]
CN_KEYS = sorted(CN_HAND_CHECKED) if os.environ.get("BUDGETLENS_CORPUS_CN", "") == "all" else CN_SAMPLE


@pytest.mark.parametrize("key", CN_KEYS)
def test_textual_findings_on_other_cities_are_the_hand_checked_ones(corpus_cn_dir, key):
    from budgetlens.extract import extract

    path = corpus_cn_dir / f"{key}.pdf"
    if not path.exists():
        pytest.skip(f"{key}.pdf not in corpus-cn")
    expected = CN_HAND_CHECKED[key]
    got = _textual(extract(path).findings)
    unexpected = [f"{f['rule']}: {f['message']}" for f in got
                  if not any(f["rule"] == r and w in f["message"] for r, w in expected)]
    assert not unexpected, unexpected
    assert len(got) == len(expected), [f["message"] for f in got]


# --- a publication in two volumes (narrative + tables) read as one --------------------------------
def _volume_pairs(suffix: str) -> list[tuple[str, str]]:
    by_rest = {n.split("_", 1)[1]: n for n in _corpus_files(suffix)}
    return sorted((n, by_rest[rest.replace("-text_", "-tables_")]) for rest, n in by_rest.items()
                  if "-text_" in rest and rest.replace("-text_", "-tables_") in by_rest)


@pytest.mark.parametrize(("narrative", "tables"), _volume_pairs(".txt") + [p for p in _volume_pairs(".pdf") if "2018" in p[0]])
def test_textual_findings_on_two_volumes_read_together_are_the_hand_checked_ones(corpus_dir, narrative, tables):
    """Each volume's lines keep their own numbers after the merge (a tables volume's line 190 is not the
    narrative's line 190: a paragraph is not cut by the other volume's table), and a table note
    (注：本部门无相关收支项目) under one table is no claim about the next one."""
    from budgetlens.extract import extract

    result = extract([corpus_dir / narrative, corpus_dir / tables])
    stems = [re.sub(r"\.(txt|pdf)$", "", n) for n in (narrative, tables)]
    expected = [e for s in stems for e in HAND_CHECKED.get(s, [])]
    got = _textual(result.findings)
    assert sorted((f["rule"], any(w in f["message"] for _r, w in expected)) for f in got) \
        == sorted((r.split()[0], True) for r, _w in expected if narrative.endswith(".pdf") or not r.endswith(" pdf")), \
        [f["message"] for f in got]
    assert not [f for f in result.findings if f["rule"] == "narrative.none_but_table"], result.findings


def test_merged_volumes_number_their_lines_in_order():
    from budgetlens.document import Block, Document, RawTable
    from budgetlens.extract import merge_documents

    def doc(n: int) -> Document:
        return Document(path=f"v{n}", sha256="", format="text", pages=1,
                        blocks=[Block("text", text="一、说明", line=1),
                                Block("table", table=RawTable(rows=[["合计", "1"]], line=2, row_lines=[2, 3]), line=2)])
    volumes = [doc(1), doc(2)]
    merged = merge_documents(volumes)
    assert [b.line for b in merged.blocks] == [1, 2, 4, 5]
    assert merged.blocks[3].table.row_lines == [5, 6]
    assert [b.line for b in volumes[1].blocks] == [1, 2] and volumes[1].blocks[1].table.row_lines == [2, 3]


def test_a_second_volume_ends_the_part_the_first_ended_in():
    """The tables volume read after a narrative that ends with its 名词解释: the forms' cells (pages 1…
    again) are in no part, so no punctuation rule reads them as the glossary's prose."""
    from budgetlens.document import Block, Document
    from budgetlens.sections import layout

    doc = Document(path="v", sha256="", format="text", pages=3, blocks=[
        Block("text", text="一、部门职能", page=1, line=1), Block("text", text="负责全市水务工作。", page=1, line=2),
        Block("text", text="二、名词解释", page=2, line=3), Block("text", text="财政拨款收入：指本级财政拨款。", page=2, line=4),
        Block("text", text="发挥“感知神经“与“预警", page=1, line=5)])
    lay = layout(doc)
    assert lay.where(4) == "glossary" and lay.where(5) is None and lay.where(2) == "functions"


def test_a_required_table_another_title_stands_for():
    from budgetlens.registry import required_tables

    assert "basic_expenditure" in required_tables("budget")
    assert "basic_expenditure" not in required_tables("budget", ["一般公共预算支出表（按经济分类）"])
    assert "basic_expenditure" in required_tables("budget", ["一般公共预算支出表（按功能分类）"])
    assert "basic_expenditure" in required_tables("final", ["一般公共预算支出表"])


@pytest.mark.parametrize("key", ["shenzhen/08cc7487b7"])
def test_a_template_that_prints_the_basic_expenditure_under_its_own_title(corpus_cn_dir, key):
    from budgetlens.checklist import build_checklist
    from budgetlens.extract import extract

    path = corpus_cn_dir / f"{key}.pdf"
    if not path.exists():
        pytest.skip(f"{key}.pdf not in corpus-cn")
    result = extract(path)
    assert not [f for f in result.findings if f["rule"] == "completeness.missing_table"]
    assert all(i.ok is not False for i in build_checklist(result).items if i.id.startswith("table:"))


# Beijing's narrative volume with its tables volume (the performance forms come after the 名词解释)
@pytest.mark.parametrize(("narrative", "tables"), [("b3d20c6f28", "8ded020354")])
def test_beijing_volumes_read_together_have_no_textual_findings(corpus_cn_dir, narrative, tables):
    from budgetlens.extract import extract

    paths = [corpus_cn_dir / "beijing" / f"{n}.pdf" for n in (narrative, tables)]
    if not all(p.exists() for p in paths):
        pytest.skip("Beijing volumes not in corpus-cn")
    assert not [f["message"] for f in _textual(extract(paths).findings)]


@pytest.mark.parametrize(("reason", "direction"), [
    ("宣传事务一般行政管理事务经费增加", 1), ("一是受人员新增等因素影响，各单位的人员经费略有增加", 0),
    ("（1）人员经费增加", 0), ("项目压减", -1)])
def test_the_first_of_several_reasons_gives_no_direction(reason, direction):
    from budgetlens.checks.narrative import _reason_direction

    assert _reason_direction(reason) == direction
