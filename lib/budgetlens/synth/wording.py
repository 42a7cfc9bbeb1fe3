"""Narrative phrasing shared by both templates: changes against the previous year and their reasons."""

from __future__ import annotations

from .figures import Figures, Unit
from .model import Amt, Dir, Pct
from .money import _pct


def _yoy(cur: int, prev: int, tag: str) -> list:
    """'增加X万元，增长Y%' / '减少X万元，下降Y%' / '持平'."""
    d = cur - prev
    if d == 0:
        return ["持平"]
    word, word2 = ("增加", "增长") if d > 0 else ("减少", "下降")
    segs: list = [Dir(word, tag), Amt(abs(d), tag + ".delta")]
    if prev > 0:
        segs += ["，" + word2, Pct(_pct(abs(d), prev), tag + ".yoy")]
    return segs


def _reason(cur: Figures, prev: Figures, scope: tuple = ("gen", "fund", "cap", "biz", "oth"),
            whole: float | None = None) -> str:
    """Why a total changed, in the direction it changed (``whole``: its change, when it is a grand
    total whose carry-over may move it the other way than what was spent)."""
    dp = cur.exp("project", scope) - prev.exp("project", scope)
    db = cur.exp("basic", scope) - prev.exp("basic", scope)
    if whole is not None and whole * (dp + db) < 0:
        return "年初结转和结余增加" if whole > 0 else "年初结转和结余减少"
    # The part that moved the way the whole did (an author explains a fall by what fell).
    if (abs(dp) >= abs(db) or db * (dp + db) < 0) and dp * (dp + db) >= 0:
        new = [x.name for x in cur.projects if x.name not in {y.name for y in prev.projects}]
        gone = [x.name for x in prev.projects if x.name not in {y.name for y in cur.projects}]
        if dp > 0 and new:
            return f"本年新增{new[0]}"
        if dp < 0 and gone:
            return f"{gone[0]}项目结束"
        return "项目支出增加" if dp > 0 else "项目支出减少"
    return "人员变动及工资调整，人员经费增加" if db > 0 else "人员变动，人员经费减少"


def _dept_word(u: Unit) -> str:
    return "部门" if u.utype == "行政单位" else "单位"


def _duties(u: Unit) -> list[str]:
    lvl = {"city": "省、市", "district": "省、市、区", "county": "省、市、县"}[u.level]
    f = u.topic.field
    items = [
        f"贯彻执行国家和{lvl}有关{f}工作的法律法规和方针政策，研究提出{f}工作的发展规划和年度计划建议并组织实施。",
        f"负责{f}领域的日常管理、业务指导和监督检查工作，推进{f}工作规范化、制度化建设。",
        f"组织开展{f}相关的调查研究、宣传培训和信息统计工作，为党委、政府决策提供参考。",
        f"负责本{_dept_word(u)}财务、资产、人事和党风廉政建设等工作。",
    ]
    return items


def _region_short(u: Unit) -> str:
    return u.place or u.city
