"""Synthetic units and their figures, simulated year by year so that every identity holds exactly."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from .money import _c, _split
from .topics import _COMMON_PROJECTS, REGIONS, TOPICS, Topic


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
