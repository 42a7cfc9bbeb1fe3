"""The words performance forms print: column headers, row labels, grades, and the narrative's counts.

Headers are matched by the text they contain (first pattern wins), never by their position, so
forms whose columns come in another order or carry other wording read the same way.
"""

from __future__ import annotations

import re

# Columns of the funds block (项目资金 … 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 得分).
FUND_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("declared", re.compile(r"目标申报")),
    ("initial", re.compile(r"预算编制|年初预算|年初数|年初安排")),
    ("rate", re.compile(r"执行率|完成率")),
    ("executed", re.compile(r"执行数|全年执行|实际支出|实际执行|支出数|决算数")),
    ("budget", re.compile(r"全年预算|调整后预算|全年数|预算数|预算下达|下达资金")),
    ("balance", re.compile(r"结余|结转|结\(转\)余")),
    ("weight", re.compile(r"分值|权重")),
    ("score", re.compile(r"得分")),
    ("difference", re.compile(r"差异")),
    ("text", re.compile(r"偏差|原因|措施|说明")),
]
FUNDS_END = re.compile(r"^(?:项目)?年度(?:总体|绩效)?目标|^(?:总体|绩效)目标|绩效指标|一级指标|二级指标")
FUND_NUMERIC = {"declared", "initial", "rate", "executed", "budget", "balance", "weight", "score", "difference"}

# Columns of the indicator table (一级/二级/三级指标, 指标值, 分值, 得分 …).
INDICATOR_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("basis", re.compile(r"设置依据|依据")),
    ("prior", re.compile(r"上年")),
    ("rule", re.compile(r"赋分|评分规则|计分|评分标准")),
    ("proof", re.compile(r"佐证")),
    ("deviation", re.compile(r"偏差|原因|改进")),
    ("analysis", re.compile(r"分析情况|计算")),
    ("adjusted_target", re.compile(r"调整后")),
    ("actual", re.compile(r"实际|完成值|完成情况")),
    ("weight_ref", re.compile(r"参考分值")),
    ("weight", re.compile(r"分值|权重")),
    ("score", re.compile(r"得分")),
    ("target", re.compile(r"指标值|目标值")),
    ("level1", re.compile(r"一级")),
    ("level2", re.compile(r"二级")),
    ("level3", re.compile(r"三级|指标名称")),
]
LEVELS = ("level1", "level2", "level3")
INDICATOR_VALUES = ("target", "adjusted_target", "actual", "weight", "score", "deviation")

# A cell that only names the indicator block (绩效指标) is not an indicator level.
GROUP_LABELS = {"绩效指标", "绩效目标", "年度绩效指标"}
# Names that are first-level categories wherever they stand in a row.
LEVEL1_WORDS = {"产出指标", "效益指标", "满意度指标", "产出", "效益", "满意度", "效果", "效果指标", "投入",
                "过程", "决策", "管理", "投入指标", "过程指标", "决策指标", "管理指标"}

# Label cells of the form's head (项目名称 | X, 主管部门及代码 | 206-…).
HEAD_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("name", re.compile(r"^项目名称")),
    ("department", re.compile(r"^主管部门|^主管单位|^部门名称|^单位名称")),
    ("implementing_unit", re.compile(r"^(?:实施单位|预算单位|项目单位|执行单位|责任单位)")),
]
# First cells of the form's head rows (never an indicator row, even when a PDF repeats them).
HEAD_ROW = re.compile(r"^(?:项目名称|主管部门|实施单位|预算单位|项目单位|项目属性|项目期|项目资金|资金总额|年度资金总额|"
                      r"单位负责人|填报单位)")
# A form's head right under its title (tells a new form from a repeated page header).
HEAD_START = re.compile(r"^(?:项目名称|预算单位|主管部门|实施单位|项目单位)")
# The project amount of a target form (年度预算总额: 5万元, 年度资金总额: 400,000).
TARGET_AMOUNT = re.compile(r"^(?:年度预算总额|年度资金总额|年度资金|项目资金总额|资金总额|预算总额|项目总额|预算金额)")
PERIOD_AMOUNT = re.compile(r"^(?:实施期资金总额|实施期预算总额|实施期资金)")

# Rows that close the indicator table.
TOTAL_ROW = re.compile(r"^(?:总分|总计|合计|综合得分|自评总分|评价总分|总得分)")
STOP_ROW = re.compile(r"^(?:项目绩效分析|自评结果分析|备注|负责人|评价人员|填报人|填报日期|主要经验|项目管理中存在|"
                      r"下一步改进|其他需说明|存在的问题|联系电话|单位负责人[(（]签)")
GRADE_LABEL = re.compile(r"等级|等次|评价结果|自评结果")

GRADES = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "中等": "中", "合格": "中",
          "差": "差", "较差": "差", "不合格": "差"}

# Rows of the funds block in the 项目资金情况 layout (预算资金 / 预算下达资金 / 实际支出资金).
FUND_ROW_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("budget", re.compile(r"预算下达|下达资金|全年预算")),
    ("executed", re.compile(r"实际支出|执行数|支出资金")),
    ("initial", re.compile(r"^预算资金$|年初预算")),
]

# Unit-level form: label → fact key (values in 万元 unless the label says 元).
UNIT_FIELDS: list[tuple[str, re.Pattern[str]]] = [
    ("carryover_begin", re.compile(r"^上年结转|^年初结转")),
    ("budget_initial", re.compile(r"^年初预算")),
    ("budget_change", re.compile(r"^预算调整")),
    ("other_change", re.compile(r"^其他调整")),
    ("budget_adjusted", re.compile(r"^全年预算|^调整后预算")),
    ("budget_executed", re.compile(r"^预算执行|^全年执行|^执行金额")),
    ("carryover_end", re.compile(r"^年末结余|^年末结转|^年终结")),
]
UNIT_TEXT_FIELDS = ("单位人员情况", "人员情况", "预算执行情况", "单位基本情况")
UNIT_STATEMENTS: list[tuple[str, re.Pattern[str]]] = [
    ("staff_authorized", re.compile(r"编制(?:人数|数)\s*(\d+)\s*(?:人|名)")),
    ("staff_actual", re.compile(r"(?:实有)?在职(?:人员|人数)\s*(\d+)\s*(?:人|名)")),
    ("expenditure_total", re.compile(r"(?:总支出|支出合计|本年支出|支出总额)\s*(\d[\d,]*(?:\.\d+)?)\s*万元")),
    ("basic_expenditure", re.compile(r"基本支出\s*(\d[\d,]*(?:\.\d+)?)\s*万元")),
    ("project_expenditure", re.compile(r"项目支出\s*(\d[\d,]*(?:\.\d+)?)\s*万元")),
]

# Narrative counts of the forms a document attaches.
COUNT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "二级项目绩效自评个数6个" — not "项目自评等级为“优”，1个" (a grade tally after a comma).
    ("self_evaluation", re.compile(r"项目[^。；\d，,]{0,8}?自评[^。；\d，,等]{0,12}?(\d+)\s*个")),
    ("self_evaluation", re.compile(r"自评[^。；\d]{0,6}?涵盖[^。；\d]{0,8}?项目\s*(\d+)\s*个")),
    ("self_evaluation", re.compile(r"绩效自评(?:表)?\s*(\d+)\s*(?:个|张|份)")),
    ("target", re.compile(r"公开[^。；\d]{0,8}?绩效目标(?:表)?\s*(\d+)\s*(?:个|张|份)")),
    ("target", re.compile(r"绩效目标表\s*(\d+)\s*(?:个|张|份)")),
]

SECTION_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
YEAR_LINE = re.compile(r"^[(（]?\s*20\d{2}\s*年度?\s*[)）]?$")
DATE_RANGE = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(?:至|-|—|~)\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$")
VALUE_LIKE = re.compile(r"^(?:[≥≤<>=＝＞＜]|\d[\d.,]*\s*(?:%|％|[\u4e00-\u9fff]{0,3}|[a-zA-Z/]{0,6})$)")
CODE_PREFIX = re.compile(r"^(\d{2,12})\s*[-—－_ ]\s*(.+)$")
