"""Tests of the synthetic corpus generator (budgetlens.synth).

The checks below read the generated text with a few lines of their own (not the product
parser): tab-separated rows are summed and compared, so they test the generator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from budgetlens.synth import FAULT_RULES, generate_corpus

YEARS = [2021, 2022, 2023]
N_UNITS = 14


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("clean")
    summary = generate_corpus(out, N_UNITS, YEARS, seed=7)
    key = json.loads((out / "answer_key.json").read_text(encoding="utf-8"))
    return out, summary, key


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("faulty")
    summary = generate_corpus(out, 40, YEARS, fault_rate=0.5, seed=7)
    key = json.loads((out / "answer_key.json").read_text(encoding="utf-8"))
    return out, summary, key


# --------------------------------------------------------------------------- a tiny checker


def cents(s: str) -> int:
    s = s.strip()
    if not s or s == "——":
        return 0
    return int(round(float(s.replace(",", "")) * 100))


FINAL_TITLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
                "一般公共预算财政拨款基本支出决算明细表", "政府性基金预算财政拨款收入支出决算表",
                "国有资本经营预算财政拨款支出决算表", "财政拨款“三公”经费支出决算表", "部门决算公开相关信息统计表"]
BUDGET_TITLES = ["预算收支总表", "预算收入总表", "预算支出总表", "财政拨款收支总表", "一般公共预算支出预算表（不含上年结转）",
                 "一般公共预算安排基本支出分经济科目表（不含上年结转）", "政府性基金预算收入表（不含上年结转）",
                 "政府性基金预算支出表（不含上年结转）", "国有资本经营预算收支预算表（不含上年结转）",
                 "财政拨款安排“三公”经费支出预算表", "财政拨款安排机关运行经费预算表", "项目支出预算表（本年预算）",
                 "项目支出预算表（上年结转）"]
REQUIRED = {"final": FINAL_TITLES[:9], "budget": BUDGET_TITLES[:6] + [BUDGET_TITLES[7], BUDGET_TITLES[9]]}


def split_tables(text: str, kind: str) -> dict[str, list[list[str]]]:
    """Title → tab-separated rows, from the title line to the next title or the narrative."""
    titles = FINAL_TITLES if kind == "final" else BUDGET_TITLES
    tables: dict[str, list[list[str]]] = {}
    current = None
    for line in text.split("\n"):
        bare = line.lstrip("#").strip()
        if kind == "budget":
            bare = re.sub(r"^\d{4}年", "", bare)
        if bare in titles and "\t" not in line:
            current = bare
            tables[current] = []
        elif "第三部分" in line and "\t" not in line:
            current = None
        elif current and "\t" in line and not line.startswith("-----"):
            tables[current].append(line.split("\t"))
    return tables


def classified(rows: list[list[str]]) -> list[tuple[str, list[int]]]:
    out = []
    for r in rows:
        if r[0] == "合计" or (r[0].isdigit() and len(r[0]) in (3, 5, 7)):
            out.append((r[0], [cents(c) for c in r[2:]]))
    return out


def hierarchy_problems(rows: list[tuple[str, list[int]]]) -> set[str]:
    found = set()
    codes = [(c, v) for c, v in rows if c != "合计"]
    total = next((v for c, v in rows if c == "合计"), None)
    ncol = len(rows[0][1]) if rows else 0
    for j in range(ncol):
        if total is not None and codes and total[j] != sum(v[j] for c, v in codes if len(c) == 3):
            found.add("table.total_sum")
        for c, v in codes:
            if len(c) in (3, 5):
                kids = [w[j] for d, w in codes if len(d) == len(c) + 2 and d.startswith(c)]
                if kids and v[j] != sum(kids):
                    found.add("table.class_sum")
    return found


def row_problems(rows, total_col: int, parts: list[int]) -> set[str]:
    for _c, v in rows:
        if v[total_col] != sum(v[i] for i in parts):
            return {"table.row_sum"}
    return set()


def class_values(rows, label_col: int, value_col: int) -> dict[str, int]:
    out = {}
    for r in rows:
        m = re.match(r"^[一二三四五六七八九十]+、(.+)$", r[label_col]) if len(r) > label_col else None
        if m and len(r) > value_col and r[value_col].strip():
            out[m.group(1)] = cents(r[value_col])
    return out


def check_document(text: str, kind: str) -> set[str]:
    """The rule ids of DOMAIN.md identities this document breaks."""
    T = split_tables(text, kind)
    bad: set[str] = set()
    missing = [t for t in REQUIRED[kind] if t not in T]
    if missing:
        bad.add("completeness.missing_table")
    if kind == "final":
        spec = {"收入决算表": (0, list(range(1, 7))), "支出决算表": (0, list(range(1, 6))),
                "一般公共预算财政拨款支出决算表": (0, [1, 2]), "国有资本经营预算财政拨款支出决算表": (0, [1, 2]),
                "政府性基金预算财政拨款收入支出决算表": (2, [3, 4])}
    else:
        spec = {"预算收入总表": (0, list(range(1, 6))), "预算支出总表": (0, [1, 2]),
                "一般公共预算支出预算表（不含上年结转）": (0, [1, 2]), "政府性基金预算支出表（不含上年结转）": (0, [1, 2])}
    for title, (tc, parts) in spec.items():
        if title in T:
            rows = classified(T[title])
            if rows and any(any(v) for _c, v in rows):
                bad |= hierarchy_problems(rows) | row_problems(rows, tc, parts)
    # the 收支总表
    if kind == "final" and "收入支出决算总表" in T:
        rows = {r[0]: r for r in T["收入支出决算总表"]}
        left_items = sum(cents(r[2]) for r in T["收入支出决算总表"] if re.match(r"^[一二三四五六七八]、", r[0]))
        right_items = sum(cents(r[5]) for r in T["收入支出决算总表"] if re.match(r"^[一二三四五六七八九十]+、", r[3]))
        inc, exp_ = cents(rows["本年收入合计"][2]), cents(rows["本年收入合计"][5])
        gl = cents(rows["总计"][2])
        gr = cents(rows["总计"][5])
        if (left_items != inc or right_items != exp_ or gl != gr
                or gl != inc + cents(rows["使用非财政拨款结余"][2]) + cents(rows["年初结转和结余"][2])
                or gr != exp_ + cents(rows["使用非财政拨款结余"][5]) + cents(rows["年初结转和结余"][5])):
            bad.add("summary.balance")
    if kind == "budget" and "预算收支总表" in T:
        rows = {r[0]: r for r in T["预算收支总表"]}
        left_items = sum(cents(r[1]) for r in T["预算收支总表"] if re.match(r"^[一二三四五]、", r[0]))
        right_items = sum(cents(r[3]) for r in T["预算收支总表"] if re.match(r"^[一二三四五六七八九十]+、", r[2]))
        inc, exp_ = cents(rows["本年收入合计"][1]), cents(rows["本年收入合计"][3])
        gl, gr = cents(rows["收入总计"][1]), cents(rows["收入总计"][3])
        if left_items != inc or right_items != exp_ or gl != gr or gl != inc + cents(rows["上年结转"][1]):
            bad.add("summary.balance")
    # 财政拨款收支总表 vs 一般公共预算支出表
    fs, ge = ("财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表") if kind == "final" else \
        ("财政拨款收支总表", "一般公共预算支出预算表（不含上年结转）")
    if fs in T and ge in T:
        lab, gcol = (3, 6) if kind == "final" else (2, 4)
        fis = class_values(T[fs], lab, gcol)
        gen = {r[1]: cents(r[2]) for r in T[ge] if r[0].isdigit() and len(r[0]) == 3}
        gtot = next(cents(r[2]) for r in T[ge] if r[0] == "合计")
        ftot = next(cents(r[gcol]) for r in T[fs] if "本年支出合计" in r[lab])
        if fis != gen or gtot != ftot:
            bad.add("cross.fiscal_vs_general")
    # 基本支出表 vs 一般公共预算支出表 basic column
    bd = "一般公共预算财政拨款基本支出决算明细表" if kind == "final" else "一般公共预算安排基本支出分经济科目表（不含上年结转）"
    if bd in T and ge in T:
        basic = next(cents(r[3]) for r in T[ge] if r[0] == "合计")
        if kind == "final":
            tot = next(r for r in T[bd] if r[0] == "人员经费合计")
            detail = cents(tot[2]) + cents(tot[10])
        else:
            detail = next(cents(r[2]) for r in T[bd] if r[0] == "合计")
        if basic != detail:
            bad.add("cross.basic_vs_detail")
    # 三公
    if kind == "final" and "财政拨款“三公”经费支出决算表" in T:
        rows = T["财政拨款“三公”经费支出决算表"]
        data = [r for r in rows[4:] if len(r) == 12]
        for r in data:
            v = [cents(c) for c in r]
            for o in (0, 6):
                if v[o] != v[o + 1] + v[o + 2] + v[o + 5] or v[o + 2] != v[o + 3] + v[o + 4]:
                    bad.add("cross.three_public_items")
    if kind == "budget" and "财政拨款安排“三公”经费支出预算表" in T:
        rows = {r[0]: cents(r[1]) for r in T["财政拨款安排“三公”经费支出预算表"][2:] if r[0]}
        if (rows["合计"] != rows["因公出国（境）费"] + rows["公务接待费"] + rows["公务用车购置及运行费"]
                or rows["公务用车购置及运行费"] != rows["①公务用车购置费"] + rows["②公务用车运行维护费"]):
            bad.add("cross.three_public_items")
    # narrative direction words agree with each other
    narrative = text.split("第三部分", 2)[-1]
    for m in re.finditer(r"(增加|减少)([\d,]+\.\d{2})万元，(增长|下降)", narrative):
        if (m.group(1) == "增加") != (m.group(3) == "增长"):
            bad.add("narrative.direction")
    return bad


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- tests


def test_file_count_and_names(clean):
    out, summary, key = clean
    txt = sorted(p.name for p in out.glob("*.txt"))
    assert len(txt) == N_UNITS * len(YEARS) * 2 == summary["text_files"] == summary["files"]
    for name in txt:
        assert re.fullmatch(r"syn-\d{4}_(2021|2022|2023)_(budget|final)\.txt", name)
    assert set(key["files"]) == set(txt)
    assert summary["faults"] == 0
    assert all(v["fault"] is None for v in key["files"].values())


def test_deterministic(tmp_path, clean):
    out, _summary, _key = clean
    generate_corpus(tmp_path, N_UNITS, YEARS, seed=7)
    for p in out.glob("*"):
        assert read(p) == read(tmp_path / p.name), p.name
    other = tmp_path / "other"
    generate_corpus(other, N_UNITS, YEARS, seed=8)
    assert read(other / "syn-0001_2022_final.txt") != read(out / "syn-0001_2022_final.txt")


def test_units_have_distinct_stable_names(clean):
    out, _s, key = clean
    names = [u["unit"] for u in key["units"]]
    assert len(set(names)) == len(names)
    for name, v in key["files"].items():
        text = read(out / name)
        assert f"名称：{v['unit']}" in text
        assert v["unit"] == next(u["unit"] for u in key["units"] if u["unit_id"] == v["unit_id"])


def test_every_clean_report_satisfies_its_identities(clean):
    out, _s, key = clean
    for name, v in key["files"].items():
        assert check_document(read(out / name), v["kind"]) == set(), name


def test_templates_follow_the_seeds(clean):
    out, _s, _key = clean
    final = read(out / "syn-0001_2022_final.txt")
    for needle in ["公开01表", "公开10表", "金额单位：万元", "### 第三部分 情况说明", "项目\t行次\t金额\t项目\t行次\t金额",
                   "#### 一、收入支出决算总体情况说明", "## 第四部分 名词解释", "本表反映部门本年度的总收支"]:
        assert needle in final
    budget = read(out / "syn-0001_2022_budget.txt")
    for needle in ["预算公开表1", "2022年预算收支总表", "单位名称：", "单位：万元", "部门公开表9", "预算公开表10",
                   "第三部分 2022年度单位预算情况说明", "第四部分 名词解释"]:
        assert needle in budget
    # empty tables are marked, page breaks leave blank lines inside tables
    assert "说明：本表无数据" in "".join(read(p) for p in out.glob("*_final.txt"))
    assert "注：本表无数据" in budget


def test_final_initial_budget_equals_budget_total(clean):
    out, _s, key = clean
    for name, v in key["files"].items():
        if v["kind"] != "final":
            continue
        budget = key["files"][name.replace("_final", "_budget")]
        assert v["extra"]["general_budget_initial"] == budget["facts"]["general_budget_expenditure"]
        text = read(out / name)
        m = re.search(r"一般公共预算财政拨款支出年初预算([\d,.]+)万元", text)
        assert cents(m.group(1)) == round(budget["facts"]["general_budget_expenditure"] * 100)
        if budget["facts"]["general_budget_expenditure"] == budget["facts"]["grand_total"]:
            btext = read(out / name.replace("_final", "_budget"))
            total = re.search(r"收入总计\t([\d,.]+)", btext).group(1)
            assert cents(total) == cents(m.group(1))


def test_narrative_states_change_against_previous_year(clean):
    out, _s, key = clean
    pats = {"final": re.compile(r"收入总计([\d,.]+)万元，.*?收入总计(增加|减少)([\d,.]+)万元，(增长|下降)([\d.]+)%"),
            "budget": re.compile(r"预算收入总计([\d,.]+)万元，.*?比上年(增加|减少)([\d,.]+)万元，(增长|下降)([\d.]+)%")}
    for name, v in key["files"].items():
        text = read(out / name)
        m = pats[v["kind"]].search(text)
        if not m:
            assert "持平" in text
            continue
        cur, word, delta, word2, pct = cents(m.group(1)), m.group(2), cents(m.group(3)), m.group(4), m.group(5)
        prev_name = name.replace(f"_{v['year']}_", f"_{v['year'] - 1}_")
        if (out / prev_name).exists():
            ptext = read(out / prev_name)
            if v["kind"] == "final":
                prev = cents(re.search(r"\n总计\t31\t([\d,.]+)", ptext).group(1))
            else:
                prev = cents(re.search(r"\n收入总计\t([\d,.]+)", ptext).group(1))
        else:
            prev = round(v["prior_year"]["grand_total"] * 100)
        assert (word == "增加") == (cur > prev) and (word2 == "增长") == (cur > prev), name
        assert delta == abs(cur - prev), name
        assert pct == f"{abs(cur - prev) * 100 / prev:.2f}" or abs(float(pct) - abs(cur - prev) * 100 / prev) < 0.006


def test_year_over_year_drift_is_plausible(clean):
    _out, _s, key = clean
    ratios = []
    for v in key["files"].values():
        now, prev = v["facts"]["general_budget_expenditure"], v["prior_year"]["general_budget_expenditure"]
        ratios.append(now / prev)
    assert all(0.4 < r < 2.5 for r in ratios)
    assert sum(0.8 <= r <= 1.2 for r in ratios) / len(ratios) > 0.6


def test_narrative_repeats_table_figures(clean):
    out, _s, key = clean
    for name, v in key["files"].items():
        text = read(out / name)
        f = v["facts"]
        if v["kind"] == "final":
            m = re.search(r"基本支出([\d,.]+)万元，占比([\d.]+)%", text)
            assert cents(m.group(1)) == round(f["basic_expenditure"] * 100)
            assert float(m.group(2)) == pytest.approx(100 * f["basic_expenditure"] / f["expenditure_total"], abs=0.006)
            m = re.search(r"人员经费([\d,.]+)万元", text)
            assert cents(m.group(1)) == round(f["personnel_expenditure"] * 100)
        else:
            m = re.search(r"基本支出([\d,.]+)万元，占([\d.]+)%", text)
            assert cents(m.group(1)) == round(f["basic_expenditure"] * 100)
            m = re.search(r"一般公共预算当年支出([\d,.]+)万元", text)
            assert cents(m.group(1)) == round(f["general_budget_expenditure"] * 100)


def test_fault_rate_honoured_and_recorded(faulty):
    out, summary, key = faulty
    files = key["files"]
    n = len(files)
    faults = [v["fault"] for v in files.values() if v["fault"]]
    assert summary["faults"] == len(faults)
    assert 0.35 * n < len(faults) < 0.65 * n
    assert {f["rule"] for f in faults} <= set(FAULT_RULES.values())
    assert len({f["rule"] for f in faults}) >= 8          # the kinds are mixed
    for f in faults:
        assert f["kind"] in FAULT_RULES and FAULT_RULES[f["kind"]] == f["rule"]
        assert "where" in f and "original" in f and "new" in f and f["original"] != f["new"]
        assert f["where"]["line"] is not None


def test_faults_touch_only_their_document_and_are_detectable(faulty, tmp_path):
    out, _s, key = faulty
    generate_corpus(tmp_path, 40, YEARS, fault_rate=0.0, seed=7)
    detected = 0
    for name, v in key["files"].items():
        bad_text, good_text = read(out / name), read(tmp_path / name)
        f = v["fault"]
        if f is None:
            assert bad_text == good_text, name
            continue
        assert bad_text != good_text, name
        found = check_document(bad_text, v["kind"])
        if f["rule"] in ("narrative.amount_mismatch", "narrative.percent"):
            good_lines, bad_lines = good_text.split("\n"), bad_text.split("\n")
            line = f["where"]["line"]
            assert f["original"] in good_lines[line - 1] and f["new"] in bad_lines[line - 1], name
            assert sum(a != b for a, b in zip(good_lines, bad_lines, strict=True)) == 1, name
        else:
            assert f["rule"] in found, (name, f["rule"], found)
            detected += 1
        if f["rule"] != "completeness.missing_table":
            line = f["where"]["line"]
            assert bad_text.split("\n")[line - 1] != good_text.split("\n")[line - 1], name
    assert detected > 0


def test_pdf_flag_is_optional(tmp_path):
    summary = generate_corpus(tmp_path, 1, [2023], pdf=True, seed=3)
    assert summary["text_files"] == 2
    if summary["pdf_files"] == 0:
        assert "PDF skipped" in summary["pdf_message"]
    else:
        assert len(list(tmp_path.glob("*.pdf"))) == 2


def test_refuses_data_raw(tmp_path):
    with pytest.raises(ValueError):
        generate_corpus(tmp_path / "data" / "raw", 1, [2023])


def test_fast_enough(tmp_path):
    import time

    t0 = time.perf_counter()
    generate_corpus(tmp_path, 100, YEARS, fault_rate=0.1, seed=1)
    assert time.perf_counter() - t0 < 10
