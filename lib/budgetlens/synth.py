"""Synthetic corpus of budget (预算) and final-account (决算) disclosures, with an answer key.

:func:`generate_corpus` writes realistic text reports for ``units`` invented units over
``years``, in exactly the two text templates of the seeds, so the parser that reads the
seeds reads them too:

* ``final``  — the 决算 template of seed 000 (山西 长治市 style): 公开01表…公开10表 with
  tab-separated rows, ``#`` headings, the narrative 第三部分 情况说明 and the
  项目支出绩效自评表 attachments of 第五部分 附件;
* ``budget`` — the 预算 template of seed 004 (长治市上党区 style): 预算收支总表 … 项目支出预算表,
  the narrative 第三部分 with its 项目支出绩效目标表 (in 元), 名词解释.

Layout of ``out_dir`` (flat)::

    out_dir/<unit_id>_<year>_<kind>.txt     kind = budget | final, unit_id = syn-0001 …
    out_dir/<unit_id>_<year>_<kind>.pdf     only with pdf=True and budgetlens.render_pdf present
    out_dir/answer_key.json                 faults, true facts, units

Figures are kept in integer hundredths of 万元, so every identity of DOMAIN.md holds exactly
at two decimals: 项 sum to 款, 款 to 类, 类 to 合计; 合计 = 基本支出 + 项目支出 per row;
收入总计 = 本年收入合计 + 年初结转和结余 = 本年支出合计 + 年末结转和结余 = 支出总计; the
财政拨款收支总表 columns match the 一般公共预算支出表; 人员经费 + 公用经费 = 基本支出 (一般公共预算);
三公合计 = 因公出国(境) + 公务用车购置 + 运行维护 + 公务接待; the narrative repeats the
tables' figures and shares. Each year is drawn from the previous one (±0–20 %, projects come
and go), one hidden year before the first is simulated so that every narrative can state its
change against the previous year's figures (增加/增长 for a rise, 减少/下降 for a fall, two
decimals). A unit has a budget and a final for each year; the final's 年初预算
("一般公共预算财政拨款支出年初预算…") equals that year's budget 一般公共预算 total (its whole
total when, as for most units, all money is 一般公共预算), and the final's 三公 预算数 equal the
budget's.

``fault_rate`` injects, with that probability per document, ONE inconsistency and records
it in the answer key (``files[<name>]["fault"]``): ``kind``, ``rule`` (the validator rule
that should catch it), ``may_also`` (other rules that may reasonably fire too, e.g. a table
cell the narrative repeats), ``where`` (table title/label, row, column, 1-based ``line``),
``original`` and ``new`` as printed. Documents without a fault have ``"fault": null``.
``files[<name>]["facts"]`` holds the generator's true figures (before any fault) with the
keys of the ``extract --json`` contract (all amounts in 万元); ``function_totals`` (类 → all-funds
expenditure), ``prior_year`` (what the narrative implies) and ``projects`` follow the contract
too; ``extra`` holds figures outside the contract (general_budget_initial, three_public_budget,
gov_fund/state_capital expenditure …).
"""

from __future__ import annotations

import hashlib
import json
import random
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["generate_corpus", "FAULT_RULES"]

# --------------------------------------------------------------------------- money


def money(c: int) -> str:
    """Hundredths of 万元 → '1,033.18'."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100:,}.{c % 100:02d}"


def _cell(c: int) -> str:
    return money(c) if c else ""


def _nar(c: int) -> str:
    return money(c) if c else "0"


def _trim(c: int) -> str:
    """'5', '2.59', '0.5' (the 自评表 style)."""
    s = f"{c // 100}.{c % 100:02d}".rstrip("0").rstrip(".")
    return s or "0"


def _pct(a: int, b: int) -> int:
    """a/b in hundredths of a percent, rounded half up (a, b ≥ 0)."""
    if b <= 0 or a <= 0:
        return 0
    return (2 * a * 10000 + b) // (2 * b)


def _fpct(h: int) -> str:
    return "0" if h == 0 else f"{h // 100}.{h % 100:02d}"


def _c(x: float) -> int:
    """万元 float → hundredths."""
    return max(0, int(round(x * 100)))


def _split(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def _cn(n: int) -> str:
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------- classifications

FINAL_CLASSES = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("210", "卫生健康支出"), ("211", "节能环保支出"),
    ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("229", "其他支出"), ("231", "债务还本支出"), ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出"),
]
BUDGET_CLASSES = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
    ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"), ("209", "社会保险基金支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
    ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"), ("229", "其他支出"), ("230", "转移性支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("233", "债务发行费用支出"), ("234", "抗疫特别国债安排的支出"),
]

NAMES: dict[str, str] = dict(BUDGET_CLASSES)
NAMES.update({
    # 201 一般公共服务
    "20101": "人大事务", "2010101": "行政运行", "2010102": "一般行政管理事务", "2010104": "人大会议",
    "2010108": "代表工作", "2010199": "其他人大事务支出",
    "20102": "政协事务", "2010201": "行政运行", "2010202": "一般行政管理事务", "2010204": "政协会议",
    "2010205": "委员视察", "2010299": "其他政协事务支出",
    "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行", "2010302": "一般行政管理事务",
    "2010308": "信访事务", "2010350": "事业运行", "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "20104": "发展与改革事务", "2010401": "行政运行", "2010402": "一般行政管理事务", "2010408": "物价管理",
    "2010450": "事业运行", "2010499": "其他发展与改革事务支出",
    "20105": "统计信息事务", "2010501": "行政运行", "2010502": "一般行政管理事务", "2010505": "专项统计业务",
    "2010507": "专项普查活动", "2010508": "统计抽样调查", "2010550": "事业运行",
    "20106": "财政事务", "2010601": "行政运行", "2010602": "一般行政管理事务", "2010607": "信息化建设",
    "2010650": "事业运行", "2010699": "其他财政事务支出",
    "20108": "审计事务", "2010801": "行政运行", "2010802": "一般行政管理事务", "2010804": "审计业务",
    "2010850": "事业运行",
    "20126": "档案事务", "2012601": "行政运行", "2012604": "档案馆", "2012699": "其他档案事务支出",
    "20138": "市场监督管理事务", "2013801": "行政运行", "2013802": "一般行政管理事务",
    "2013804": "市场主体管理", "2013805": "市场秩序执法", "2013812": "药品事务", "2013816": "食品安全监管",
    "2013850": "事业运行",
    # 204 公共安全
    "20406": "司法", "2040601": "行政运行", "2040602": "一般行政管理事务", "2040604": "基层司法业务",
    "2040605": "普法宣传", "2040607": "法律援助", "2040610": "社区矫正", "2040650": "事业运行",
    # 205 教育
    "20501": "教育管理事务", "2050101": "行政运行", "2050102": "一般行政管理事务",
    "2050199": "其他教育管理事务支出", "20502": "普通教育", "2050201": "学前教育", "2050202": "小学",
    "2050203": "初中", "20508": "进修及培训", "2050801": "教师进修", "2050803": "培训支出",
    # 206 科学技术
    "20601": "科学技术管理事务", "2060101": "行政运行", "2060102": "一般行政管理事务",
    "20604": "技术研究与开发", "2060499": "其他技术研究与开发支出", "20607": "科学技术普及",
    "2060701": "机构运行", "2060702": "科普活动", "2060705": "科技馆站",
    # 207 文化旅游体育与传媒
    "20701": "文化和旅游", "2070101": "行政运行", "2070102": "一般行政管理事务", "2070104": "图书馆",
    "2070108": "文化活动", "2070109": "群众文化", "2070111": "文化创作与保护", "2070113": "旅游宣传",
    "2070199": "其他文化和旅游支出",
    # 208 社会保障和就业
    "20801": "人力资源和社会保障管理事务", "2080101": "行政运行", "2080102": "一般行政管理事务",
    "2080109": "社会保险经办机构", "2080111": "公共就业服务和职业技能鉴定机构",
    "2080199": "其他人力资源和社会保障管理事务支出",
    "20802": "民政管理事务", "2080201": "行政运行", "2080202": "一般行政管理事务",
    "2080206": "社会组织管理", "2080207": "行政区划和地名管理", "2080208": "基层政权建设和社区治理",
    "20805": "行政事业单位养老支出", "2080501": "行政单位离退休", "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "20807": "就业补助", "2080799": "其他就业补助支出",
    "20808": "抚恤", "2080801": "死亡抚恤",
    "20810": "社会福利", "2081002": "老年福利", "2081005": "社会福利事业单位",
    "20811": "残疾人事业", "2081101": "行政运行", "2081102": "一般行政管理事务", "2081104": "残疾人康复",
    "2081105": "残疾人就业", "2081107": "残疾人生活和护理补贴", "2081199": "其他残疾人事业支出",
    "20828": "退役军人管理事务", "2082801": "行政运行", "2082802": "一般行政管理事务",
    "2082804": "拥军优属", "2082850": "事业运行",
    # 210 卫生健康
    "21001": "卫生健康管理事务", "2100101": "行政运行", "2100102": "一般行政管理事务",
    "21004": "公共卫生", "2100401": "疾病预防控制机构", "2100408": "基本公共卫生服务",
    "2100409": "重大公共卫生服务", "2100410": "突发公共卫生事件应急处置",
    "21007": "计划生育事务", "2100799": "其他计划生育事务支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
    "2101103": "公务员医疗补助",
    "21015": "医疗保障管理事务", "2101501": "行政运行", "2101502": "一般行政管理事务",
    "2101504": "信息化建设", "2101505": "医疗保障政策管理", "2101506": "医疗保障经办事务",
    "2101550": "事业运行",
    # 211 节能环保
    "21101": "环境保护管理事务", "2110101": "行政运行", "2110102": "一般行政管理事务",
    "2110104": "生态环境保护宣传", "2110199": "其他环境保护管理事务支出",
    "21103": "污染防治", "2110301": "大气", "2110302": "水体",
    # 212 城乡社区
    "21201": "城乡社区管理事务", "2120101": "行政运行", "2120102": "一般行政管理事务",
    "2120104": "城管执法", "2120106": "工程建设管理", "21203": "城乡社区公共设施",
    "2120399": "其他城乡社区公共设施支出", "21205": "城乡社区环境卫生", "2120501": "城乡社区环境卫生",
    "21208": "国有土地使用权出让收入安排的支出", "2120803": "城市建设支出",
    # 213 农林水
    "21301": "农业农村", "2130101": "行政运行", "2130102": "一般行政管理事务", "2130104": "事业运行",
    "2130106": "科技转化与推广服务", "2130108": "病虫害控制", "2130109": "农产品质量安全",
    "2130199": "其他农业农村支出",
    "21302": "林业和草原", "2130201": "行政运行", "2130202": "一般行政管理事务", "2130204": "事业机构",
    "2130205": "森林资源培育", "2130209": "森林生态效益补偿", "2130234": "林业草原防灾减灾",
    "21303": "水利", "2130301": "行政运行", "2130302": "一般行政管理事务", "2130304": "水利行业业务管理",
    "2130306": "水利工程运行与维护", "2130311": "水资源节约管理与保护", "2130316": "农村水利",
    "21305": "巩固脱贫攻坚成果衔接乡村振兴", "2130599": "其他巩固脱贫攻坚成果衔接乡村振兴支出",
    # 214 交通运输
    "21401": "公路水路运输", "2140101": "行政运行", "2140102": "一般行政管理事务", "2140104": "公路建设",
    "2140106": "公路养护", "2140199": "其他公路水路运输支出",
    # 215 资源勘探工业信息等
    "21508": "支持中小企业发展和管理支出", "2150801": "行政运行", "2150802": "一般行政管理事务",
    "2150805": "中小企业发展专项", "2150899": "其他支持中小企业发展和管理支出",
    # 220 自然资源海洋气象等
    "22001": "自然资源事务", "2200101": "行政运行", "2200102": "一般行政管理事务",
    "2200104": "自然资源规划及管理", "2200106": "自然资源利用与保护", "2200150": "事业运行",
    # 221 住房保障
    "22102": "住房改革支出", "2210201": "住房公积金", "2210202": "提租补贴", "2210203": "购房补贴",
    # 223 国有资本经营预算
    "22399": "其他国有资本经营预算支出", "2239999": "其他国有资本经营预算支出",
    # 224 灾害防治及应急管理
    "22401": "应急管理事务", "2240101": "行政运行", "2240102": "一般行政管理事务",
    "2240106": "安全监管", "2240108": "应急救援", "2240150": "事业运行",
    # 229 其他支出 (政府性基金)
    "22960": "彩票公益金安排的支出", "2296002": "用于社会福利的彩票公益金支出",
})

# 部门预算支出经济分类 (names as the 公开06表 prints them)
ECON_NAMES = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费",
    "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30114": "医疗费", "30199": "其他工资福利支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30303": "退职(役)费",
    "30304": "抚恤金", "30305": "生活补助", "30306": "救济费", "30307": "医疗费补助", "30308": "助学金",
    "30309": "奖励金", "30310": "个人农业生产补贴", "30311": "代缴社会保险费",
    "30399": "其他对个人和家庭的补助",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30203": "咨询费", "30204": "手续费",
    "30205": "水费", "30206": "电费", "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费",
    "30211": "差旅费", "30212": "因公出国（境）费用", "30213": "维修（护）费", "30214": "租赁费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30218": "专用材料费", "30224": "被装购置费",
    "30225": "专用燃料费", "30226": "劳务费", "30227": "委托业务费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30240": "税金及附加费用",
    "30299": "其他商品和服务支出",
    "307": "债务利息及费用支出", "30701": "国内债务付息", "30702": "国外债务付息",
    "30703": "国内债务发行费用", "30704": "国外债务发行费用",
    "309": "资本性支出（基本建设）", "30901": "房屋建筑物构建", "30902": "办公设备购置", "30903": "专用设备购置",
    "30905": "基础设施建设", "30906": "大型修缮", "30907": "信息网络及软件购置更新", "30908": "物资储备",
    "30913": "公务用车购置", "30919": "其他交通工具购置", "30921": "文物和陈列品购置", "30922": "无形资产购置",
    "30999": "其他资本性支出",
    "310": "资本性支出", "31001": "房屋建筑物构建", "31002": "办公设备购置", "31003": "专用设备购置",
    "31005": "基础设施建设", "31006": "大型修缮", "31007": "信息网络及软件购置更新", "31008": "物资储备",
    "31009": "土地补偿", "31010": "安置补助", "31011": "地上附着物和青苗补偿", "31012": "拆迁补偿",
    "31013": "公务用车购置", "31019": "其他交通工具购置", "31021": "文物和陈列品购置",
    "31022": "无形资产购置", "31099": "其他资本性支出",
    "311": "对企业补助（基本建设）", "31101": "资本金注入", "31199": "其他对企业补助",
    "312": "对企业补助", "31201": "资本金注入", "31203": "政府投资基金股权投资", "31204": "费用补贴",
    "31205": "利息补贴", "31299": "其他对企业补助",
    "313": "对社会保障基金补助", "31302": "对社会保险基金补助", "31303": "补充全国社会保障基金",
    "31304": "对机关事业单位职业年金的补助",
    "399": "其他支出", "39907": "国家赔偿费用支出", "39908": "对民间非营利组织和群众性自治组织补贴",
    "39909": "经常性赠与", "39910": "资本性赠与", "39999": "其他支出",
}
ECON_CLASS_NAMES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
                    "310": "资本性支出", "312": "对企业补助"}
# 政府预算支出经济分类 names for the budget's 基本支出分经济科目表
GOV_ECON = {
    "30101": "工资奖金津补贴", "30102": "工资奖金津补贴", "30103": "工资奖金津补贴", "30107": "工资奖金津补贴",
    "30108": "社会保障缴费", "30109": "社会保障缴费", "30110": "社会保障缴费", "30111": "社会保障缴费",
    "30112": "社会保障缴费", "30113": "住房公积金", "30114": "其他工资福利支出", "30199": "其他工资福利支出",
    "30201": "办公经费", "30205": "办公经费", "30206": "办公经费", "30207": "办公经费", "30208": "办公经费",
    "30209": "办公经费", "30211": "办公经费", "30212": "因公出国（境）费用", "30213": "维修（护）费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30226": "委托业务费", "30227": "委托业务费",
    "30228": "办公经费", "30229": "办公经费", "30231": "公务用车运行维护费", "30239": "办公经费",
    "30299": "其他商品和服务支出",
    "30301": "离退休费", "30302": "离退休费", "30304": "社会福利和救助", "30307": "社会福利和救助",
    "30309": "社会福利和救助", "30399": "其他对个人和家庭补助",
    "31002": "设备购置", "31013": "公务用车购置",
}

# The 公开06表 grid: four column blocks, rows as printed in seed 000 (page break before row 16).
_DETAIL_GRID = [
    ("301", "302", "307", "31011"), ("30101", "30201", "30701", "31012"), ("30102", "30202", "30702", "31013"),
    ("30103", "30203", "30703", "31019"), ("30106", "30204", "30704", "31021"), ("30107", "30205", "309", "31022"),
    ("30108", "30206", "30901", "31099"), ("30109", "30207", "30902", "311"), ("30110", "30208", "30903", "31101"),
    ("30111", "30209", "30905", "31199"), ("30112", "30211", "30906", "312"), ("30113", "30212", "30907", "31201"),
    ("30114", "30213", "30908", "31203"), ("30199", "30214", "30913", "31204"), ("303", "30215", "30919", "31205"),
    ("30301", "30216", "30921", "31299"),
    ("30302", "30217", "30922", "313"), ("30303", "30218", "30999", "31302"), ("30304", "30224", "310", "31303"),
    ("30305", "30225", "31001", "31304"), ("30306", "30226", "31002", "399"), ("30307", "30227", "31003", "39907"),
    ("30308", "30228", "31005", "39908"), ("30309", "30229", "31006", "39909"), ("30310", "30231", "31007", "39910"),
    ("30311", "30239", "31008", "39999"), ("30399", "30240", "31009", None), (None, "30299", "31010", None),
]
_DETAIL_BREAK = 16
_DASH = {"309", "30901", "30902", "30903", "30905", "30906", "30907", "30908", "30913", "30919", "30921",
         "30922", "30999", "311", "31101", "31199"}

# --------------------------------------------------------------------------- regions and topics

REGIONS = [
    ("长治市", ["上党区", "潞州区", "屯留区", "潞城区"],
     ["襄垣县", "平顺县", "黎城县", "壶关县", "长子县", "武乡县", "沁县", "沁源县"]),
    ("晋中市", ["榆次区", "太谷区"], ["榆社县", "左权县", "和顺县", "昔阳县", "寿阳县", "祁县", "平遥县", "灵石县"]),
    ("临汾市", ["尧都区"], ["曲沃县", "翼城县", "襄汾县", "洪洞县", "古县", "安泽县", "浮山县", "吉县", "乡宁县",
                         "大宁县", "隰县", "永和县", "蒲县", "汾西县"]),
    ("运城市", ["盐湖区"], ["临猗县", "万荣县", "闻喜县", "稷山县", "新绛县", "绛县", "垣曲县", "夏县", "平陆县",
                         "芮城县"]),
    ("大同市", ["平城区", "云冈区", "新荣区", "云州区"], ["阳高县", "天镇县", "广灵县", "灵丘县", "浑源县", "左云县"]),
    ("晋城市", ["城区"], ["沁水县", "阳城县", "陵川县", "泽州县"]),
    ("忻州市", ["忻府区"], ["定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县", "五寨县", "岢岚县",
                         "河曲县", "保德县", "偏关县"]),
    ("吕梁市", ["离石区"], ["文水县", "交城县", "兴县", "临县", "柳林县", "石楼县", "岚县", "方山县", "中阳县", "交口县"]),
    ("阳泉市", ["矿区", "郊区"], ["平定县", "盂县"]),
    ("朔州市", ["朔城区", "平鲁区"], ["山阴县", "应县", "右玉县"]),
]


@dataclass(frozen=True)
class Topic:
    key: str
    field: str                 # what the unit works on, for the duty sentences
    dept: str                  # name suffix of the 行政单位
    center: str | None         # name suffix of the subordinate centre
    center_type: str           # 参公事业单位 | 事业单位
    admin: str                 # 行政运行 项 of the department
    center_admin: str          # basic 项 of the centre
    general: str               # 一般行政管理事务 项 (project line for running costs)
    projects: tuple            # (项, name, econ class, 运转|特定目标)
    offices: tuple


TOPICS = [
    Topic("sme", "中小企业", "中小企业发展促进局", "中小企业服务中心", "参公事业单位", "2150801", "2150801",
          "2150802", (("2150805", "中小企业发展专项资金", "312", "特定目标"),
                      ("2150805", "“小升规”奖励资金", "312", "特定目标"),
                      ("2150899", "中小企业服务体系建设专项资金", "302", "特定目标"),
                      ("2150899", "中小企业展销会经费", "302", "特定目标"),
                      ("2150802", "职称评审费", "302", "运转")),
          ("政策法规", "发展规划", "经济监测", "融资服务", "服务体系建设")),
    Topic("renda", "人大工作", "人大常委会办公室", None, "事业单位", "2010101", "2010101", "2010102",
          (("2010104", "人大会议经费", "302", "特定目标"), ("2010108", "人大代表履职经费", "302", "特定目标"),
           ("2010199", "人大信息化建设经费", "302", "特定目标")),
          ("研究室", "联络工作", "法制工作", "财经工作")),
    Topic("zhengxie", "政协工作", "政协办公室", None, "事业单位", "2010201", "2010201", "2010202",
          (("2010204", "政协全会经费", "302", "特定目标"), ("2010205", "委员视察调研经费", "302", "特定目标"),
           ("2010299", "文史资料编撰经费", "302", "特定目标")),
          ("研究室", "提案委员会办公室", "文史委员会办公室")),
    Topic("govoffice", "政府办公室工作", "人民政府办公室", "信访服务中心", "事业单位", "2010301", "2010350",
          "2010302", (("2010308", "信访事项办理经费", "302", "特定目标"),
                      ("2010399", "政务服务热线运行经费", "302", "特定目标")),
          ("秘书", "督查", "信息", "行政审批服务")),
    Topic("fagai", "发展改革", "发展和改革局", "价格认证中心", "事业单位", "2010401", "2010450", "2010402",
          (("2010408", "价格监测经费", "302", "特定目标"), ("2010499", "重点项目前期工作经费", "302", "特定目标")),
          ("综合规划", "投资管理", "价格管理", "粮食和物资储备")),
    Topic("stats", "统计", "统计局", "社会经济调查中心", "事业单位", "2010501", "2010550", "2010502",
          (("2010505", "专项统计调查经费", "302", "特定目标"), ("2010507", "经济普查经费", "302", "特定目标"),
           ("2010508", "住户抽样调查经费", "302", "特定目标")),
          ("综合统计", "农业统计", "工业交通统计", "统计执法")),
    Topic("finance", "财政", "财政局", "财政事务服务中心", "事业单位", "2010601", "2010650", "2010602",
          (("2010607", "财政信息化建设经费", "310", "特定目标"), ("2010699", "财政监督检查经费", "302", "特定目标")),
          ("预算", "国库", "经济建设", "社会保障", "行政政法", "农业农村")),
    Topic("audit", "审计", "审计局", "审计服务中心", "事业单位", "2010801", "2010850", "2010802",
          (("2010804", "审计业务经费", "302", "特定目标"),),
          ("财政审计", "经济责任审计", "固定资产投资审计")),
    Topic("market", "市场监督管理", "市场监督管理局", "检验检测中心", "事业单位", "2013801", "2013850", "2013802",
          (("2013804", "市场主体登记管理经费", "302", "特定目标"), ("2013805", "市场秩序执法经费", "302", "特定目标"),
           ("2013812", "药品安全监管经费", "302", "特定目标"), ("2013816", "食品安全抽检经费", "302", "特定目标")),
          ("登记注册", "食品安全", "药品医疗器械", "价格监督检查", "质量发展")),
    Topic("archives", "档案", "档案馆", None, "事业单位", "2012604", "2012604", "2012601",
          (("2012699", "档案数字化建设经费", "302", "特定目标"),), ("档案接收征集", "档案保管利用")),
    Topic("justice", "司法行政", "司法局", "法律援助中心", "事业单位", "2040601", "2040650", "2040602",
          (("2040604", "基层司法所业务经费", "302", "特定目标"), ("2040605", "普法宣传经费", "302", "特定目标"),
           ("2040607", "法律援助案件补贴", "303", "特定目标"), ("2040610", "社区矫正工作经费", "302", "特定目标")),
          ("法治督察", "普法与依法治理", "人民参与和促进法治", "社区矫正管理")),
    Topic("edu", "教育", "教育局", "教师发展中心", "事业单位", "2050101", "2050801", "2050102",
          (("2050201", "学前教育发展资金", "302", "特定目标"), ("2050202", "义务教育学校公用经费补助", "302", "特定目标"),
           ("2050803", "中小学教师培训经费", "302", "特定目标")),
          ("基础教育", "教育督导", "学生资助管理", "安全稳定")),
    Topic("tech", "科学技术", "科学技术局", "科普服务中心", "事业单位", "2060101", "2060701", "2060102",
          (("2060702", "科普活动经费", "302", "特定目标"), ("2060499", "科技创新项目补助资金", "312", "特定目标")),
          ("科技计划", "成果转化", "科技合作")),
    Topic("culture", "文化和旅游", "文化和旅游局", "图书馆", "事业单位", "2070101", "2070104", "2070102",
          (("2070108", "群众文化活动经费", "302", "特定目标"), ("2070111", "非物质文化遗产保护经费", "302", "特定目标"),
           ("2070113", "旅游宣传推广经费", "302", "特定目标")),
          ("艺术科", "公共服务", "产业发展", "市场管理")),
    Topic("hrss", "人力资源和社会保障", "人力资源和社会保障局", "就业服务中心", "事业单位", "2080101", "2080111",
          "2080102", (("2080109", "社会保险经办业务经费", "302", "特定目标"),
                      ("2080799", "职业技能培训补贴", "303", "特定目标")),
          ("就业促进", "社会保险", "劳动关系", "人才开发")),
    Topic("civil", "民政", "民政局", "社会福利院", "事业单位", "2080201", "2081005", "2080202",
          (("2080206", "社会组织管理经费", "302", "特定目标"), ("2080208", "社区治理专项经费", "302", "特定目标"),
           ("2081002", "高龄老人补贴", "303", "特定目标")),
          ("社会救助", "养老服务", "社会事务", "基层政权建设")),
    Topic("veterans", "退役军人事务", "退役军人事务局", "退役军人服务中心", "事业单位", "2082801", "2082850", "2082802",
          (("2082804", "拥军优属经费", "303", "特定目标"),), ("移交安置", "优抚褒扬", "权益维护")),
    Topic("disabled", "残疾人事业", "残疾人联合会", None, "事业单位", "2081101", "2081101", "2081102",
          (("2081104", "残疾人康复救助资金", "303", "特定目标"), ("2081105", "残疾人就业培训经费", "302", "特定目标"),
           ("2081107", "残疾人两项补贴", "303", "特定目标")),
          ("康复", "教育就业", "维权")),
    Topic("health", "卫生健康", "卫生健康局", "疾病预防控制中心", "事业单位", "2100101", "2100401", "2100102",
          (("2100408", "基本公共卫生服务补助资金", "302", "特定目标"),
           ("2100409", "重大公共卫生服务项目经费", "302", "特定目标"),
           ("2100410", "突发公共卫生事件应急处置经费", "302", "特定目标")),
          ("医政医管", "基层卫生健康", "疾病预防控制", "妇幼健康")),
    Topic("medins", "医疗保障", "医疗保障局", "医疗保障服务中心", "事业单位", "2101501", "2101550", "2101502",
          (("2101504", "医保信息化建设经费", "310", "特定目标"), ("2101505", "医疗保障基金监管经费", "302", "特定目标"),
           ("2101506", "医保经办服务经费", "302", "特定目标")),
          ("待遇保障", "医药服务管理", "基金监管")),
    Topic("env", "生态环境保护", "生态环境局", None, "事业单位", "2110101", "2110101", "2110102",
          (("2110104", "生态环境保护宣传经费", "302", "特定目标"), ("2110301", "大气污染防治专项资金", "302", "特定目标"),
           ("2110302", "水污染防治专项资金", "302", "特定目标")),
          ("环境监测", "生态保护", "环境执法")),
    Topic("urban", "住房和城乡建设", "住房和城乡建设局", "环境卫生服务中心", "事业单位", "2120101", "2120501",
          "2120102", (("2120104", "城市管理执法经费", "302", "特定目标"),
                      ("2120106", "建设工程质量安全监管经费", "302", "特定目标"),
                      ("2120399", "市政设施维护经费", "302", "特定目标")),
          ("村镇建设", "建筑市场监管", "城市建设", "房地产市场监管")),
    Topic("agri", "农业农村", "农业农村局", "农业技术推广中心", "事业单位", "2130101", "2130104", "2130102",
          (("2130106", "农业技术推广服务经费", "302", "特定目标"), ("2130108", "农作物病虫害防控经费", "302", "特定目标"),
           ("2130109", "农产品质量安全检测经费", "302", "特定目标")),
          ("种植业管理", "畜牧兽医", "农村经营管理", "乡村建设")),
    Topic("forestry", "林业和草原", "林业局", "林业发展中心", "事业单位", "2130201", "2130204", "2130202",
          (("2130205", "造林绿化工程资金", "302", "特定目标"), ("2130209", "森林生态效益补偿资金", "303", "特定目标"),
           ("2130234", "森林草原防火经费", "302", "特定目标")),
          ("生态修复", "资源管理", "森林防火")),
    Topic("water", "水利", "水利局", "水库管理中心", "事业单位", "2130301", "2130306", "2130302",
          (("2130304", "河湖长制工作经费", "302", "特定目标"), ("2130311", "水资源管理与保护经费", "302", "特定目标"),
           ("2130316", "农村饮水安全工程维修养护资金", "302", "特定目标")),
          ("水资源管理", "河湖管理", "农村水利", "水土保持")),
    Topic("transport", "交通运输", "交通运输局", "公路养护中心", "事业单位", "2140101", "2140106", "2140102",
          (("2140104", "农村公路建设资金", "310", "特定目标"), ("2140106", "公路日常养护经费", "302", "特定目标"),
           ("2140199", "交通运输安全监管经费", "302", "特定目标")),
          ("规划建设", "运输管理", "安全监督")),
    Topic("natres", "自然资源", "自然资源局", "不动产登记中心", "事业单位", "2200101", "2200150", "2200102",
          (("2200104", "国土空间规划编制经费", "302", "特定目标"), ("2200106", "耕地保护与地质灾害防治经费", "302", "特定目标")),
          ("国土空间规划", "耕地保护", "调查监测", "执法监察")),
    Topic("emergency", "应急管理", "应急管理局", "应急救援保障中心", "事业单位", "2240101", "2240150", "2240102",
          (("2240106", "安全生产监管执法经费", "302", "特定目标"), ("2240108", "应急救援物资储备经费", "302", "特定目标")),
          ("安全生产综合", "应急指挥", "防汛抗旱", "危险化学品监管")),
]
TOPIC_BY_KEY = {t.key: t for t in TOPICS}

_COMMON_PROJECTS = (("专项业务费", "302", "运转"), ("信息化运维经费", "302", "运转"),
                    ("机关运转保障经费", "302", "运转"))

# --------------------------------------------------------------------------- faults

FAULT_RULES = {
    "class_sum": "table.class_sum",
    "total_sum": "table.total_sum",
    "row_sum": "table.row_sum",
    "summary_balance": "summary.balance",
    "fiscal_vs_general": "cross.fiscal_vs_general",
    "basic_vs_detail": "cross.basic_vs_detail",
    "three_public_items": "cross.three_public_items",
    "narrative_amount": "narrative.amount_mismatch",
    "narrative_direction": "narrative.direction",
    "narrative_percent": "narrative.percent",
    "missing_table": "completeness.missing_table",
}

# Rules a fault of each kind also trips by construction, besides its own: a flipped 增加/减少 makes
# the stated percentage wrong too; a changed 公用经费 can fall below 机关运行经费; a changed class
# total disagrees with the summary table; a changed narrative figure breaks its percentage or a
# restatement of it in the same sentence.
KNOWN_KNOCK_ON = {
    # A flipped 增加/减少 also turns the stated reason against the change (narrative.reason_direction).
    "narrative_direction": ("narrative.percent", "narrative.reason_direction"),
    "basic_vs_detail": ("cross.office_vs_public",),
    "total_sum": ("cross.summary_vs_detail",),
    "narrative_amount": ("narrative.percent", "narrative.restated"),
}

# --------------------------------------------------------------------------- document model


@dataclass
class Amt:
    """A narrative amount in 万元 (hundredths); ``tag`` names the figure it repeats."""
    c: int
    tag: str = ""

    def text(self) -> str:
        return _nar(self.c) + "万元"


@dataclass
class Pct:
    h: int
    tag: str = ""

    def text(self) -> str:
        return _fpct(self.h) + "%"


@dataclass
class Dir:
    word: str
    tag: str = ""

    def text(self) -> str:
        return self.word


@dataclass
class Para:
    segs: list
    section: str = ""
    line: int = 0

    def text(self) -> str:
        return "".join(s if isinstance(s, str) else s.text() for s in self.segs)


@dataclass
class Row:
    cells: list[str]
    key: str = ""
    line: int = 0


@dataclass
class Table:
    tid: str
    title: str
    label: str | None
    pre: list[str]
    header: list[str]
    rows: list[Row]
    post: list[str] = field(default_factory=list)
    breaks: set = field(default_factory=set)
    trailer: list[str] = field(default_factory=list)
    empty: bool = False
    required: bool = False
    removed: bool = False
    line: int = 0

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class Lines:
    lines: list[str]


def _render(blocks: list) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Lines):
            out.extend(b.lines)
        elif isinstance(b, Para):
            b.line = len(out) + 1
            out.extend([b.text(), ""])
        elif isinstance(b, Table):
            b.line = len(out) + 1
            if b.removed:
                continue
            for p in b.pre:
                out.extend([p, ""])
            out.extend(b.header)
            for i, r in enumerate(b.rows):
                if i in b.breaks:
                    out.append("")
                r.line = len(out) + 1
                out.append("\t".join(r.cells))
            out.extend(b.trailer)
            out.append("")
            for p in b.post:
                out.extend([p, ""])
    return "\n".join(out) + "\n"


def _wrap6(name: str) -> str:
    """Names wrapped inside cells the way the seed's 支出决算表 prints them."""
    return " ".join(name[i:i + 6] for i in range(0, len(name), 6))


def _breaks(n: int, rng: random.Random, first: tuple[int, int] = (20, 27), every: int = 31) -> set:
    out, pos = set(), rng.randint(*first)
    while pos < n:
        out.add(pos)
        pos += every
    return out


# --------------------------------------------------------------------------- units and figures


@dataclass
class Project:
    name: str
    code: str
    econ: str
    kind: str                 # 运转 | 特定目标
    src: str                  # gen | fund | cap
    amount: int               # budget: planned; final: executed
    initial: int = 0          # final: 年初预算数
    adjusted: int = 0         # final: 全年预算数
    in_year: bool = False


@dataclass
class Unit:
    uid: str
    name: str
    city: str
    place: str                # district/county, '' for city level
    level: str                # city | district | county
    topic: Topic
    utype: str                # 行政单位 | 参公事业单位 | 事业单位
    admin: str                # basic 项 (行政运行 / 事业运行 …)
    general: str
    dept_code: str
    offices: list[str]
    quota: int
    k: dict                   # per-head coefficients and switches
    pub_w: dict               # 302 item weights
    pool: list                # project candidates (code, name, econ, kind)
    fund_project: tuple | None
    cap_project: tuple | None
    vehicles: int


@dataclass
class Plan:
    year: int
    staff: int
    retirees: int
    wage: float
    pubidx: float
    projects: list            # Project (budget amounts)
    tp: dict                  # 三公 budget
    carry_end: int = 0


@dataclass
class Figures:
    year: int
    kind: str
    econ: dict
    lines: dict               # code7 -> {(part, src): c}
    projects: list
    income: dict              # code7 -> {src: c}
    carry_begin: int
    carry_end: int
    tp: dict                  # 三公 (budget values for a budget, actual for a final)
    tp_budget: dict
    procurement: tuple
    staff: int
    quota: int
    vehicles: int

    # -- aggregates
    def exp(self, part: str | None = None, src: str | tuple | None = None, code: str = "") -> int:
        srcs = (src,) if isinstance(src, str) else src
        t = 0
        for c7, d in self.lines.items():
            if not c7.startswith(code):
                continue
            for (p, s), v in d.items():
                if (part is None or p == part) and (srcs is None or s in srcs):
                    t += v
        return t

    def inc(self, src: str | tuple | None = None, code: str = "") -> int:
        srcs = (src,) if isinstance(src, str) else src
        return sum(v for c7, d in self.income.items() if c7.startswith(code)
                   for s, v in d.items() if srcs is None or s in srcs)

    def econ_class(self, cls: str) -> int:
        return sum(v for k, v in self.econ.items() if k.startswith(cls))

    @property
    def personnel(self) -> int:
        return self.econ_class("301") + self.econ_class("303")

    @property
    def public(self) -> int:
        return self.econ_class("302") + self.econ_class("310")

    @property
    def tp_total(self) -> int:
        return sum(self.tp.values())


def _make_unit(i: int, rng: random.Random, used: set) -> Unit:
    for _ in range(1000):
        city, districts, counties = rng.choice(REGIONS)
        level = rng.choices(["city", "district", "county"], [0.35, 0.2, 0.45])[0]
        place = "" if level == "city" else rng.choice(districts if level == "district" else counties)
        topic = rng.choice(TOPICS)
        is_center = topic.center is not None and rng.random() < 0.45
        suffix = topic.center if is_center else topic.dept
        if level == "county":
            name = f"{place}{suffix}"
        else:
            name = f"{city}{place}{suffix}"
        if name not in used:
            used.add(name)
            break
    else:  # pragma: no cover - 28 topics × ~90 places is far more than anyone asks for
        raise ValueError("ran out of distinct unit names")
    if is_center:
        utype = topic.center_type if topic.center_type == "参公事业单位" else rng.choice(
            ["事业单位", "事业单位", "参公事业单位"])
        admin = topic.center_admin if utype == "事业单位" else topic.admin
    else:
        utype = "参公事业单位" if topic.key in ("archives", "disabled") else "行政单位"
        admin = topic.admin
    size = rng.random()
    quota = int(round(5 * (30 ** size))) + rng.randint(0, 4)      # 5 … ~150 persons
    pool = [p for p in topic.projects]
    for nm, econ, kind in _COMMON_PROJECTS:
        pool.append((topic.general, nm, econ, kind))
    if rng.random() < 0.3:
        pool.append(("2130599", "驻村帮扶工作经费", "302", "特定目标"))
    if rng.random() < 0.25:
        pool.append((topic.general, "遗属人员补助", "303", "运转"))
    rng.shuffle(pool)
    unit_sep = utype == "事业单位"
    k = {
        "base": rng.uniform(3.0, 4.2), "allow": rng.uniform(2.2, 3.8),
        "bonus": rng.uniform(0.3, 1.0) if not unit_sep or rng.random() < 0.3 else 0.0,
        "perf": rng.uniform(1.0, 3.0) if unit_sep or rng.random() < 0.5 else 0.0,
        "civil_med": (not unit_sep) and rng.random() < 0.6,
        "other_wage": rng.random() < 0.4, "lixiu": rng.choice([0, 0, 0, 0, 1, 2]),
        "ret": rng.uniform(3.5, 6.0), "med_sub": rng.random() < 0.5,
        "famplan": rng.random() < 0.35, "fuxu": rng.random() < 0.1, "other_aid": rng.random() < 0.3,
        "pub": rng.uniform(1.2, 2.8), "biz": rng.uniform(0.05, 0.25) if unit_sep and rng.random() < 0.5 else 0.0,
        "oth": rng.uniform(0.005, 0.03) if rng.random() < 0.15 else 0.0,
        "recv": rng.random() < 0.6, "abroad": rng.random() < 0.04, "carry": rng.random() < 0.3,
        "equip": rng.random() < 0.2, "proc": rng.uniform(0.02, 0.2), "no_tp": rng.random() < 0.3,
        "area": rng.uniform(15, 30),
    }
    fund_project = None
    if topic.key == "civil" and rng.random() < 0.6:
        fund_project = ("2296002", "福利彩票公益金项目", "303", "特定目标")
    elif topic.key == "urban" and rng.random() < 0.5:
        fund_project = ("2120803", "城市基础设施建设项目", "310", "特定目标")
    cap_project = None
    if topic.key in ("sme", "fagai", "finance") and rng.random() < 0.4:
        cap_project = ("2239999", "直属困难企业维稳解困资金", "303", "特定目标")
    vehicles = 0 if k["no_tp"] else rng.choice([0, 0, 1, 1, 2, 3])
    dept_code = str(rng.randint(101, 499))
    sect = "科" if level == "city" else "股"
    offices = ["办公室"] + [o if o.endswith(("室", "科")) else o + sect for o in topic.offices]
    pub_w = {"30201": rng.uniform(2, 5), "30211": rng.uniform(1, 3), "30228": rng.uniform(1, 2),
             "30229": rng.uniform(0.5, 1.5), "30239": rng.uniform(2, 6)}
    for code, p, lo, hi in (("30205", 0.5, 0.3, 1), ("30206", 0.6, 0.5, 2), ("30207", 0.7, 0.3, 1.5),
                            ("30208", 0.5, 1, 3), ("30209", 0.4, 1, 3), ("30213", 0.4, 0.5, 2),
                            ("30215", 0.4, 0.1, 0.5), ("30216", 0.5, 0.1, 0.6), ("30226", 0.3, 0.5, 2),
                            ("30227", 0.3, 0.5, 2), ("30299", 0.6, 0.5, 2)):
        if rng.random() < p:
            pub_w[code] = rng.uniform(lo, hi)
    return Unit(uid=f"syn-{i:04d}", name=name, city=city, place=place, level=level, topic=topic, utype=utype,
                admin=admin, general=topic.general, dept_code=dept_code, offices=offices, quota=quota, k=k,
                pub_w=pub_w, pool=pool, fund_project=fund_project, cap_project=cap_project, vehicles=vehicles)


def _project_amount(u: Unit, staff: int, econ: str, rng: random.Random) -> int:
    per_head = 15.0 * max(staff, 3)
    if econ in ("312", "310"):
        share = rng.uniform(0.15, 0.9)
    elif econ == "303":
        share = rng.uniform(0.01, 0.3)
    else:
        share = rng.uniform(0.02, 0.35)
    return max(_c(per_head * share), 50)


def _tp_budget(u: Unit, staff: int, year: int, rng: random.Random) -> dict:
    tp = {"abroad": 0, "buy": 0, "run": 0, "recv": 0}
    if u.k["no_tp"]:
        return tp
    if u.vehicles:
        tp["run"] = _c(u.vehicles * rng.uniform(1.0, 2.2))
        if rng.random() < 0.07:
            tp["buy"] = _c(rng.uniform(12, 24))
    if u.k["recv"]:
        tp["recv"] = _c(rng.uniform(0.2, 0.6) + staff * rng.uniform(0.01, 0.05))
    if u.k["abroad"] and rng.random() < 0.5:
        tp["abroad"] = _c(rng.uniform(2, 8))
    return tp


def _first_plan(u: Unit, year: int, rng: random.Random) -> Plan:
    staff = max(2, u.quota - rng.randint(0, max(1, u.quota // 8)))
    projects = []
    n = rng.choice([1, 2, 2, 3, 3, 4])
    for code, name, econ, kind in u.pool[:n]:
        projects.append(Project(name, code, econ, kind, "gen", _project_amount(u, staff, econ, rng)))
    for spec, src in ((u.fund_project, "fund"), (u.cap_project, "cap")):
        if spec:
            code, name, econ, kind = spec
            projects.append(Project(name, code, econ, kind, src, _c(rng.uniform(10, 80))))
    return Plan(year, staff, int(staff * rng.uniform(0.2, 0.9)), 1.0, 1.0, projects,
                _tp_budget(u, staff, year, rng))


def _next_plan(u: Unit, prev: Plan, rng: random.Random) -> Plan:
    staff = min(u.quota, max(2, prev.staff + rng.choice([-2, -1, 0, 0, 0, 1, 1, 2])))
    retirees = max(0, prev.retirees + rng.choice([-1, 0, 0, 1, 1, 2]))
    projects = []
    gen = [p for p in prev.projects if p.src == "gen"]
    for p in prev.projects:
        if p.src == "gen" and len(gen) > 1 and rng.random() < 0.12:
            continue                                   # project finished
        f = rng.uniform(0.8, 1.2)
        projects.append(Project(p.name, p.code, p.econ, p.kind, p.src, max(50, int(p.amount * f))))
    names = {p.name for p in projects}
    if rng.random() < 0.25 or not any(p.src == "gen" for p in projects):
        fresh = [x for x in u.pool if x[1] not in names]
        if fresh:
            code, name, econ, kind = fresh[0]
            projects.append(Project(name, code, econ, kind, "gen", _project_amount(u, staff, econ, rng)))
    return Plan(prev.year + 1, staff, retirees, prev.wage * rng.uniform(1.0, 1.06),
                prev.pubidx * rng.uniform(0.9, 1.1), projects, _tp_budget(u, staff, prev.year + 1, rng))


def _basic_econ(u: Unit, p: Plan, tp: dict, rng: random.Random, jitter: bool) -> dict:
    k = u.k

    def j(lo: float = 0.96, hi: float = 1.05) -> float:
        return rng.uniform(lo, hi) if jitter else 1.0

    n, w = p.staff, p.wage
    e: dict[str, int] = {}
    e["30101"] = _c(n * k["base"] * w * j())
    e["30102"] = _c(n * k["allow"] * w * j())
    if k["bonus"]:
        e["30103"] = _c(n * k["bonus"] * w * j())
    if k["perf"]:
        e["30107"] = _c(n * k["perf"] * w * j())
    wb = sum(e.values())
    e["30108"] = int(wb * 0.16 * j())
    e["30109"] = int(wb * 0.08 * j())
    e["30110"] = int(wb * 0.09 * j())
    if k["civil_med"]:
        e["30111"] = int(wb * 0.025 * j())
    e["30112"] = int(wb * 0.006 * j())
    e["30113"] = int(wb * 0.12 * j())
    if k["other_wage"]:
        e["30199"] = _c(n * 0.12 * j(0.8, 1.2))
    if k["lixiu"]:
        e["30301"] = _c(k["lixiu"] * 9.0 * w * j())
    if p.retirees:
        e["30302"] = _c(p.retirees * k["ret"] * w * j())
    if k["fuxu"]:
        e["30304"] = _c(rng.uniform(2, 6) if jitter else 3.5)
    if k["med_sub"] and p.retirees:
        e["30307"] = _c(p.retirees * 0.15 * j(0.8, 1.2))
    if k["famplan"]:
        e["30309"] = _c(max(1, n // 6) * 0.12)
    if k["other_aid"]:
        e["30399"] = _c(n * 0.05 * j(0.8, 1.2))
    pub = _c(n * k["pub"] * p.pubidx * j(0.85, 1.08))
    codes = sorted(u.pub_w)
    for code, v in zip(codes, _split(pub, [u.pub_w[c] * j(0.8, 1.2) for c in codes]), strict=True):
        e[code] = v
    if k["equip"]:
        e["31002"] = _c(n * 0.08 * j(0.5, 1.5))
    for key, code in (("abroad", "30212"), ("run", "30231"), ("recv", "30217"), ("buy", "31013")):
        if tp.get(key):
            e[code] = tp[key]
    return {c: v for c, v in e.items() if v > 0}


def _econ_line(u: Unit, code: str) -> str:
    sep = u.utype == "事业单位"
    return {
        "30108": "2080505", "30109": "2080506", "30110": "2101102" if sep else "2101101",
        "30111": "2101103", "30113": "2210201", "30301": "2080502" if sep else "2080501",
        "30302": "2080502" if sep else "2080501", "30304": "2080801",
        "30309": "2100799" if u.k["famplan"] else u.admin,
    }.get(code, u.admin)


def _figures(u: Unit, p: Plan, kind: str, rng: random.Random, budget: Figures | None,
             carry_begin: int) -> Figures:
    if kind == "budget":
        tp = dict(p.tp)
        econ = _basic_econ(u, p, tp, rng, jitter=False)
        projects = [Project(x.name, x.code, x.econ, x.kind, x.src, x.amount, x.amount, x.amount)
                    for x in p.projects]
    else:
        tp = {"abroad": int(p.tp["abroad"] * rng.uniform(0.7, 1.0)) if p.tp["abroad"] else 0,
              "buy": int(p.tp["buy"] * rng.uniform(0.92, 1.0)) if p.tp["buy"] else 0,
              "run": int(p.tp["run"] * rng.uniform(0.7, 1.0)) if p.tp["run"] else 0,
              "recv": int(p.tp["recv"] * rng.uniform(0.45, 1.0)) if p.tp["recv"] else 0}
        econ = _basic_econ(u, p, tp, rng, jitter=True)
        projects = []
        for x in p.projects:
            adjusted = x.amount if rng.random() < 0.75 else max(50, int(x.amount * rng.uniform(0.5, 1.3)))
            done = max(10, int(adjusted * (1.0 if rng.random() < 0.2 else rng.uniform(0.78, 1.0))))
            projects.append(Project(x.name, x.code, x.econ, x.kind, x.src, done, x.amount, adjusted))
        if rng.random() < 0.3:
            names = {x.name for x in projects}
            fresh = [x for x in u.pool if x[1] not in names]
            if fresh:
                code, name, econ_cls, pk = fresh[-1]
                amt = _project_amount(u, p.staff, econ_cls, rng)
                projects.append(Project(name, code, econ_cls, pk, "gen", amt, 0, amt, in_year=True))
    lines: dict = defaultdict(lambda: defaultdict(int))
    for code, v in econ.items():
        lines[_econ_line(u, code)][("basic", "gen")] += v
    admin_gen = lines[u.admin][("basic", "gen")]
    if u.k["biz"]:
        lines[u.admin][("basic", "biz")] += int(admin_gen * u.k["biz"] * (rng.uniform(0.9, 1.1) if kind == "final" else 1))
    if u.k["oth"]:
        lines[u.admin][("basic", "oth")] += max(1, int(admin_gen * u.k["oth"]))
    for x in projects:
        lines[x.code][("project", x.src)] += x.amount
    lines = {c: dict(d) for c, d in lines.items()}
    income = {c: defaultdict(int) for c in lines}
    for c, d in lines.items():
        for (_part, s), v in d.items():
            income[c][s] += v
    carry_end = 0
    if kind == "final":
        if u.k["carry"]:
            gp = sum(x.amount for x in projects if x.src == "gen")
            carry_end = int(gp * rng.uniform(0.03, 0.2))
        delta = carry_end - carry_begin
        plines = sorted((c for c in lines if ("project", "gen") in lines[c]),
                        key=lambda c: -lines[c][("project", "gen")])
        if delta >= 0:
            income[plines[0] if plines else u.admin]["gen"] += delta
        else:
            need = -delta
            for c in plines + [u.admin]:
                take = min(need, income[c]["gen"])
                income[c]["gen"] -= take
                need -= take
                if not need:
                    break
            assert need == 0
    else:
        carry_begin = 0
    income = {c: {s: v for s, v in d.items() if v} for c, d in income.items()}
    pub = sum(v for c, v in econ.items() if c[:3] in ("302", "310"))
    if kind == "final":
        tot = int(pub * u.k["proc"] * rng.uniform(0.6, 1.4))
        proj_proc = sum(x.amount for x in projects if x.econ in ("302", "310") and x.src == "gen")
        tot += int(proj_proc * rng.uniform(0.0, 0.3))
    else:
        tot = int(pub * u.k["proc"])
        tot += int(sum(x.amount for x in projects if x.econ in ("302", "310") and x.src == "gen") * 0.15)
    if tot and rng.random() < 0.25:
        tot = 0
    g, e_, s = _split(tot, [rng.uniform(0.3, 1), rng.choice([0, 0, 0, 0.5]), rng.uniform(0.2, 1)]) if tot else (0, 0, 0)
    return Figures(year=p.year, kind=kind, econ=econ, lines=lines, projects=projects, income=income,
                   carry_begin=carry_begin, carry_end=carry_end, tp=tp,
                   tp_budget=dict(budget.tp) if budget else dict(tp), procurement=(g, e_, s),
                   staff=p.staff, quota=u.quota, vehicles=u.vehicles)


def _simulate(u: Unit, years: list[int], seed: int) -> dict:
    """Budget and final figures for every year from min(years)-1 to max(years)."""
    rng = random.Random(f"{seed}:{u.uid}:figures")
    first, last = min(years) - 1, max(years)
    plan = _first_plan(u, first, rng)
    out = {}
    carry = _c(rng.uniform(5, 30)) if u.k["carry"] else 0
    for y in range(first, last + 1):
        if y > first:
            plan = _next_plan(u, plan, rng)
        b = _figures(u, plan, "budget", rng, None, 0)
        f = _figures(u, plan, "final", rng, b, carry)
        carry = f.carry_end
        out[y] = {"budget": b, "final": f}
    return out


# --------------------------------------------------------------------------- text helpers


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


# --------------------------------------------------------------------------- final (决算)

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


# --------------------------------------------------------------------------- budget (预算)

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


# --------------------------------------------------------------------------- facts (answer key)


def _facts(u: Unit, f: Figures, prev: Figures, budget: Figures | None) -> dict:
    fis = ("gen", "fund", "cap")
    m = lambda c: round(c / 100, 2)  # noqa: E731
    rev = f.inc()
    facts = {
        "revenue_total": m(rev), "expenditure_total": m(f.exp()), "grand_total": m(rev + f.carry_begin),
        "carryover_begin": m(f.carry_begin), "carryover_end": m(f.carry_end),
        "fiscal_revenue": m(f.inc(fis)), "general_budget_revenue": m(f.inc("gen")),
        "gov_fund_revenue": m(f.inc("fund")), "state_capital_revenue": m(f.inc("cap")),
        "basic_expenditure": m(f.exp("basic")), "project_expenditure": m(f.exp("project")),
        "general_budget_expenditure": m(f.exp(src="gen")), "personnel_expenditure": m(f.personnel),
        "public_expenditure": m(f.public), "three_public_total": m(f.tp_total),
        "office_operation": m(f.public if u.utype != "事业单位" else 0), "procurement_total": m(sum(f.procurement)),
        "staff_authorized": u.quota, "staff_actual": f.staff,
    }
    extra = {"gov_fund_expenditure": m(f.exp(src="fund")), "state_capital_expenditure": m(f.exp(src="cap")),
             "unit_funds_revenue": m(f.inc(("biz", "oth")))}
    if f.kind == "final":
        facts["vehicles"] = f.vehicles
        extra["general_budget_initial"] = m(budget.exp(src="gen")) if budget else None
        extra["general_budget_execution_rate"] = m(_pct(f.exp(src="gen"), budget.exp(src="gen"))) if budget else None
        extra["three_public_budget"] = m(sum(f.tp_budget.values()))
    classes = {c for c7 in f.lines for c in [c7[:3]]}
    out = {"facts": facts,
           "function_totals": {c: m(f.exp(code=c)) for c in sorted(classes)}}
    pg = prev.inc() + prev.carry_begin
    out["prior_year"] = {"grand_total": m(pg), "general_budget_expenditure": m(prev.exp(src="gen"))}
    prev_office = m(prev.public if u.utype != "事业单位" else 0)
    if f.kind == "final" or prev.tp_total or f.tp_total:
        out["prior_year"]["three_public_total"] = m(prev.tp_total)
    if u.utype != "事业单位":
        out["prior_year"]["office_operation"] = prev_office
    if prev.exp(src="cap") and f.exp(src="cap"):
        extra["prior_state_capital_expenditure"] = m(prev.exp(src="cap"))
    out["extra"] = extra
    if f.kind == "final":
        projs = []
        for x in _evaluated(f):
            _rows, _rs, total = _form_scores(x, f"{f.year}:{x.name}")
            projs.append({"name": x.name, "budget_initial": m(x.initial), "budget": m(x.adjusted),
                          "executed": m(x.amount), "execution_rate": m(_pct(x.amount, x.adjusted)),
                          "score": m(total), "grade": _grade(total)})
        out["projects"] = projs
    else:
        out["projects"] = [{"name": x.name, "budget": m(x.amount)} for x in f.projects]
    return out


# --------------------------------------------------------------------------- fault injection


def _num(s: str) -> int:
    return int(round(float(s.replace(",", "")) * 100)) if s.strip() else 0


def _bump(old: int, rng: random.Random) -> int:
    """A visibly different positive amount."""
    for _ in range(20):
        if old and rng.random() < 0.3:
            s = f"{old:d}"
            if len(s) >= 3:
                i = rng.randrange(len(s) - 1)
                new = int(s[:i] + s[i + 1] + s[i] + s[i + 2:])
                if new != old and new > 0:
                    return new
        delta = max(50, int(old * rng.uniform(0.03, 0.25)))
        new = old + delta if (rng.random() < 0.5 or old <= delta) else old - delta
        if new > 0 and new != old:
            return new
    return old + 100


def _where_table(t: Table, r: Row, col: int | None, colname: str | None = None) -> dict:
    return {"table": t.title, "label": t.label, "table_id": t.tid, "row": r.key or r.cells[0],
            "column": colname if colname is not None else col, "line": None, "_row": r}


def _colname(t: Table, col: int) -> str:
    hdr = [h.split("\t") for h in t.header]
    names = [next((hr[col] for hr in reversed(hdr) if col < len(hr) and hr[col].strip()
                   and not hr[col].strip().isdigit()), str(col))]
    return names[0]


def _inject(kind: str, doc_kind: str, blocks: list, rng: random.Random) -> dict | None:
    tables = {b.tid: b for b in blocks if isinstance(b, Table)}
    paras = [b for b in blocks if isinstance(b, Para)]

    def classified_rows(t: Table, digits: int) -> list[Row]:
        return [r for r in t.rows if r.key.isdigit() and len(r.key) == digits]

    def change_cells(t: Table, r: Row, cols: list[int], rule_kind: str) -> dict:
        old = _num(r.cells[cols[0]])
        new = _bump(old, rng)
        delta = new - old
        before = [r.cells[c] for c in cols]
        for c in cols:
            r.cells[c] = money(_num(r.cells[c]) + delta)
        w = _where_table(t, r, cols[0], _colname(t, cols[0]))
        w["cells"] = [{"column": _colname(t, c), "original": b, "new": r.cells[c]} for c, b in zip(cols, before, strict=True)]
        return {"where": w, "original": before[0], "new": r.cells[cols[0]]}

    if kind in ("class_sum", "row_sum", "total_sum"):
        cands = ["income", "expenditure", "general_expenditure"]
        t = tables[rng.choice(cands)]
        measure_cols = list(range(3, len(t.rows[0].cells)))
        if kind == "class_sum":
            r = rng.choice(classified_rows(t, 7))
            nz = [c for c in measure_cols if r.cells[c]]
            res = change_cells(t, r, [2] + nz[:1], kind)
            res["may_also"] = []
        elif kind == "row_sum":
            r = rng.choice(classified_rows(t, 7))
            res = change_cells(t, r, [2], kind)
            res["may_also"] = ["table.class_sum"]
        else:
            r = t.rows[0]
            nz = [c for c in measure_cols if r.cells[c]]
            col = nz[-1] if nz else None
            res = change_cells(t, r, [2] + ([col] if col else []), kind)
            also = ["narrative.amount_mismatch"]
            if t.tid == "general_expenditure":
                also.append("cross.fiscal_vs_general")
                if col == 3:
                    also.append("cross.basic_vs_detail")
            res["may_also"] = also
        return res
    if kind == "summary_balance":
        t = tables["income_expenditure_summary"]
        r = t.row("总计")
        col = 2 if doc_kind == "final" else 1
        res = change_cells(t, r, [col], kind)
        res["where"]["column"] = "收入总计"
        res["may_also"] = ["narrative.amount_mismatch"]
        return res
    if kind == "fiscal_vs_general":
        t = tables["general_expenditure"]
        leaves = [r for r in classified_rows(t, 7) if r.cells[4]]
        if not leaves:
            return None
        r = rng.choice(leaves)
        old = _num(r.cells[2])
        delta = _bump(old, rng) - old
        delta = max(delta, -_num(r.cells[4]) + 1)
        changed = []
        for key in (r.key, r.key[:5], r.key[:3], "合计"):
            rr = t.row(key)
            before = (rr.cells[2], rr.cells[4])
            rr.cells[2] = money(_num(rr.cells[2]) + delta)
            rr.cells[4] = money(_num(rr.cells[4]) + delta)
            changed.append({"row": key, "line": None, "_row": rr, "original": list(before),
                            "new": [rr.cells[2], rr.cells[4]]})
        w = _where_table(t, r, 2, _colname(t, 2))
        w["rows"] = changed
        w["note"] = "项, 款, 类 and 合计 rows changed together (total and 项目支出 columns): the table adds up, " \
                    "but no longer matches the 财政拨款收支总表's 一般公共预算 column"
        return {"where": w, "original": changed[0]["original"][0], "new": changed[0]["new"][0],
                "may_also": ["narrative.amount_mismatch"]}
    if kind == "basic_vs_detail":
        t = tables["basic_detail"]
        if doc_kind == "final":
            cands = [(r, 5) for r in t.rows[1:len(_DETAIL_GRID)] if r.cells[3].startswith("302") and r.cells[5]]
            if not cands:
                return None
            r, col = rng.choice(cands)
            old = _num(r.cells[col])
            delta = _bump(old, rng) - old
            cls = t.rows[0]
            tot = t.row("合计")
            before = [r.cells[col], cls.cells[5], tot.cells[10]]
            r.cells[col] = money(old + delta)
            cls.cells[5] = money(_num(cls.cells[5]) + delta)
            tot.cells[10] = money(_num(tot.cells[10]) + delta)
            w = _where_table(t, r, col, "决算数")
            w["row"] = r.cells[3]
            w["cells"] = [{"row": r.cells[3], "original": before[0], "new": r.cells[col]},
                          {"row": "302", "original": before[1], "new": cls.cells[5]},
                          {"row": "公用经费合计", "original": before[2], "new": tot.cells[10]}]
        else:
            cands = [r for r in t.rows if r.key.startswith("302") and len(r.key) == 5]
            if not cands:
                return None
            r = rng.choice(cands)
            old = _num(r.cells[2])
            delta = _bump(old, rng) - old
            before = []
            for rr in (r, t.row("302"), t.row("合计")):
                before.append((rr.key, rr.cells[2], rr.cells[4]))
                rr.cells[2] = money(_num(rr.cells[2]) + delta)
                rr.cells[4] = money(_num(rr.cells[4]) + delta)
            w = _where_table(t, r, 2, "合计")
            w["row"] = r.cells[0]
            w["cells"] = [{"row": k, "original": [a, b]} for k, a, b in before]
        w["note"] = "item, class row and 合计 changed together: the table adds up, but its total no longer " \
                    "matches the basic column of the 一般公共预算支出表"
        return {"where": w, "original": before[0] if doc_kind == "final" else before[0][1],
                "new": r.cells[col] if doc_kind == "final" else r.cells[2], "may_also": ["narrative.amount_mismatch"]}
    if kind == "three_public_items":
        t = tables["three_public"]
        if t.empty:
            return None
        if doc_kind == "final":
            r = t.rows[0]
            col = 11 if r.cells[11] else 7
            old = _num(r.cells[col])
            new = _bump(old, rng) if old else rng.randint(50, 300)
            before = r.cells[col]
            r.cells[col] = money(new)
            w = _where_table(t, r, col, "决算数·" + ("公务接待费" if col == 11 else "因公出国（境）费"))
        else:
            r = t.row("recv") if t.row("recv").cells[1] else t.row("abroad")
            old = _num(r.cells[1])
            new = _bump(old, rng) if old else rng.randint(50, 300)
            before = r.cells[1]
            r.cells[1] = r.cells[2] = money(new)
            w = _where_table(t, r, 1, r.cells[0] + "·合计")
        return {"where": w, "original": before, "new": money(new), "may_also": ["narrative.amount_mismatch"]}
    if kind == "missing_table":
        cands = [t for t in tables.values() if t.required]
        t = rng.choice(cands)
        t.removed = True
        return {"where": {"table": t.title, "label": t.label, "table_id": t.tid, "line": None, "_table": t},
                "original": t.title, "new": None, "may_also": []}
    # narrative faults
    cands = []
    for p in paras:
        for i, s in enumerate(p.segs):
            if kind == "narrative_amount" and isinstance(s, Amt) and s.c > 0 and s.tag:
                cands.append((p, i))
            elif kind == "narrative_direction" and isinstance(s, Dir):
                cands.append((p, i))
            elif kind == "narrative_percent" and isinstance(s, Pct) and s.h > 0 and s.tag:
                cands.append((p, i))
    if not cands:
        return None
    p, i = rng.choice(cands)
    s = p.segs[i]
    before_text = p.text()
    orig = s.text()
    if isinstance(s, Amt):
        p.segs[i] = Amt(_bump(s.c, rng), s.tag)
    elif isinstance(s, Dir):
        p.segs[i] = Dir("减少" if s.word == "增加" else "增加", s.tag)
    else:
        new = s.h
        while new == s.h or new <= 0:
            new = s.h + rng.choice([-1, 1]) * rng.randint(100, 1500)
            if new <= 0:
                new = s.h + rng.randint(100, 1500)
        p.segs[i] = Pct(new, s.tag)
    new_text = p.segs[i].text()
    return {"where": {"section": p.section, "figure": s.tag, "line": None, "_para": p,
                      "sentence_original": before_text[:200]},
            "original": orig, "new": new_text, "may_also": []}


def _finish_where(fault: dict) -> None:
    """Fill line numbers after rendering and drop the private references."""
    w = fault["where"]
    if "_row" in w:
        w["line"] = w.pop("_row").line
    if "_para" in w:
        w["line"] = w.pop("_para").line
    if "_table" in w:
        w["line"] = w.pop("_table").line
        w["note"] = "the whole table (title, label, rows, notes) is absent; line is where it would have started"
    for r in w.get("rows", []):
        if "_row" in r:
            r["line"] = r.pop("_row").line


_DOC_FAULTS = ["class_sum", "total_sum", "row_sum", "summary_balance", "fiscal_vs_general", "basic_vs_detail",
               "three_public_items", "narrative_amount", "narrative_direction", "narrative_percent", "missing_table"]


# --------------------------------------------------------------------------- driver


def _check_out_dir(out: Path) -> None:
    parts = out.resolve().parts
    for a, b in zip(parts, parts[1:], strict=False):
        if a == "data" and b == "raw":
            raise ValueError(f"{out}: synthetic reports must never be written into data/raw; choose another folder")


def generate_corpus(out_dir, units: int, years: list[int], *, pdf: bool = False, fault_rate: float = 0.0,
                    seed: int = 0) -> dict:
    """Write ``units`` × ``years`` × {budget, final} text reports and ``answer_key.json`` into ``out_dir``.

    Files are flat: ``out_dir/<unit_id>_<year>_<kind>.txt`` (``unit_id`` = ``syn-0001`` …, ``kind`` =
    ``budget`` or ``final``), plus ``.pdf`` twins when ``pdf=True`` and ``budgetlens.render_pdf`` is
    importable. Output is deterministic for a given ``seed`` (and independent of ``pdf``).

    Returns ``{"out_dir", "units", "years", "files" (count), "text_files", "pdf_files", "faults"
    (count), "faults_by_rule", "answer_key", "pdf_message"}``.
    """
    out = Path(out_dir)
    _check_out_dir(out)
    if units < 1:
        raise ValueError("units must be at least 1")
    years = sorted({int(y) for y in years})
    if not years:
        raise ValueError("years must not be empty")
    if not 0.0 <= fault_rate <= 1.0:
        raise ValueError("fault_rate must be between 0 and 1")
    out.mkdir(parents=True, exist_ok=True)
    master = random.Random(f"{seed}:units")
    used: set = set()
    unit_list = [_make_unit(i + 1, master, used) for i in range(units)]
    key_files: dict = {}
    written: list[Path] = []
    by_rule: dict[str, int] = defaultdict(int)
    for u in unit_list:
        figs = _simulate(u, years, seed)
        for y in years:
            for kind in ("budget", "final"):
                f = figs[y][kind]
                prev = figs[y - 1][kind]
                fname = f"{u.uid}_{y}_{kind}.txt"
                trng = random.Random(f"{seed}:{fname}:text")
                if kind == "budget":
                    blocks = _budget_document(u, f, prev, trng)
                    facts = _facts(u, f, prev, None)
                else:
                    blocks = _final_document(u, f, prev, figs[y]["budget"], trng)
                    facts = _facts(u, f, prev, figs[y]["budget"])
                frng = random.Random(f"{seed}:{fname}:fault")
                fault = None
                if fault_rate > 0 and frng.random() < fault_rate:
                    order = _DOC_FAULTS[:]
                    frng.shuffle(order)
                    for fk in order:
                        res = _inject(fk, kind, blocks, frng)
                        if res:
                            fault = {"kind": fk, "rule": FAULT_RULES[fk], **res}
                            fault["may_also"] = sorted(set(fault.get("may_also", [])) | set(KNOWN_KNOCK_ON.get(fk, ())))
                            break
                text = _render(blocks)
                if fault:
                    _finish_where(fault)
                    by_rule[fault["rule"]] += 1
                path = out / fname
                path.write_text(text, encoding="utf-8")
                written.append(path)
                key_files[fname] = {"unit_id": u.uid, "unit": u.name, "year": y, "kind": kind,
                                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                                    "fault": fault, **facts}
    pdf_files, pdf_message = 0, None
    if pdf:
        try:
            from budgetlens.render_pdf import render_text_report  # noqa: PLC0415 - optional, written elsewhere
        except ImportError as exc:
            pdf_message = f"PDF skipped: budgetlens.render_pdf is not available yet ({exc})"
            warnings.warn(pdf_message, stacklevel=2)
        else:
            for path in written:
                render_text_report(str(path), str(path.with_suffix(".pdf")))
                pdf_files += 1
    key = {
        "schema": 1, "generator": "budgetlens.synth", "seed": seed, "fault_rate": fault_rate, "years": years,
        "rules": FAULT_RULES,
        "units": [{"unit_id": u.uid, "unit": u.name, "city": u.city, "place": u.place, "level": u.level,
                   "topic": u.topic.key, "type": u.utype} for u in unit_list],
        "files": key_files,
    }
    key_path = out / "answer_key.json"
    key_path.write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    n_faults = sum(1 for v in key_files.values() if v["fault"])
    return {"out_dir": str(out), "units": units, "years": years, "files": len(written) + pdf_files,
            "text_files": len(written), "pdf_files": pdf_files, "faults": n_faults,
            "faults_by_rule": dict(sorted(by_rule.items())), "answer_key": str(key_path), "pdf_message": pdf_message}
