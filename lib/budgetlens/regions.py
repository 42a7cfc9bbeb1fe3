"""Which region a unit belongs to: its name → (province, city, district), from the registry of
administrative divisions (``registry/regions.yaml``).

The panel and the index group units by region so that like is compared with like. A unit name
starts with its region (``长治市上党区中小企业服务中心``, ``北京市信访办公室``,
``中共江苏省委办公厅``, ``襄垣县中小企业服务中心``), so :func:`resolve` reads the name from its
start (after a registry prefix such as ``中共``), taking at each step the longest division name
that matches, and goes down one level at a time: a province, then one of its cities, then one of
that city's districts. Names match in full (``昌吉回族自治州``), in the normalised form the units
use (``昌吉州``) and, for provinces and cities, without their 省/市/州 suffix (``新疆``, ``长治``;
a city written so only when a district follows, so ``中山大学`` is no city; a municipality's short
form is its province's: ``上海交通职业技术学院``). Districts match
without their 区/县 suffix only inside their city. A name that matches two divisions that are not
one inside the other (``城区``: 晋城 and 阳泉) gets only what they have in common (山西省), and a
name with no division at its start is looked for where a full province or city name (with its
suffix) occurs later (``国家税务总局深圳市税务局``). Nothing found: :data:`UNKNOWN`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from .units import normalise_unit_name

PROVINCE, CITY, DISTRICT = 0, 1, 2
UNKNOWN_LABEL = "未识别地区"
PROVINCE_LEVEL = "（省级或未细分）"  # a province-level unit, or one whose city is not known
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "林区",
             "新区", "省", "市", "区", "县", "州", "盟", "旗")


@dataclass(frozen=True)
class Region:
    """A unit's place: official full names, None where not known (a municipality is its own city)."""

    province: str | None = None
    city: str | None = None
    district: str | None = None

    @property
    def known(self) -> bool:
        return self.province is not None

    @property
    def group(self) -> str:
        """The city-level label the pages group by: ``山西省 长治市``, ``北京市``, ``江苏省（省级或未细分）``."""
        if self.province is None:
            return UNKNOWN_LABEL
        if self.city is None:
            return f"{self.province}{PROVINCE_LEVEL}"
        return self.city if self.city == self.province else f"{self.province} {self.city}"

    @property
    def label(self) -> str:
        """The full label: ``山西省 长治市 上党区``, ``北京市 东城区``."""
        if self.district is None:
            return self.group
        return f"{self.group.removesuffix(PROVINCE_LEVEL)} {self.district}"


UNKNOWN = Region()


@dataclass(frozen=True)
class _Node:
    name: str
    level: int
    province: str
    city: str | None
    order: int

    def region(self) -> Region:
        if self.level == PROVINCE:
            return Region(self.province)
        if self.level == CITY:
            return Region(self.province, self.name)
        return Region(self.province, self.city, self.name)

    def inside(self, other: _Node) -> bool:
        """A division inside ``other`` (not ``other`` itself)."""
        if self.level <= other.level or self.province != other.province:
            return False
        return other.level == PROVINCE or self.city == other.name


@dataclass(frozen=True)
class _Registry:
    prefixes: tuple[str, ...]
    forms: dict[str, tuple[tuple[_Node, bool], ...]]  # form → (division, is a suffix-less stem)
    longest: int
    zones: tuple[str, ...]  # words that may follow a city's short form as a district would
    order: dict[tuple[str | None, str | None, str | None], int]


def _stem(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@cache
def _registry() -> _Registry:
    text = resources.files("budgetlens.registry").joinpath("regions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    nodes: list[_Node] = []
    for province, cities in (data.get("provinces") or {}).items():
        nodes.append(_Node(province, PROVINCE, province, None, len(nodes)))
        for city, districts in (cities or {}).items():
            nodes.append(_Node(city, CITY, province, city, len(nodes)))
            nodes.extend(_Node(d, DISTRICT, province, city, len(nodes) + i) for i, d in enumerate(districts or []))
    forms: dict[str, list[tuple[_Node, bool]]] = {}
    for node in nodes:
        full = {node.name, normalise_unit_name(node.name)}
        entries = [(f, False) for f in full] + [(s, True) for s in {_stem(f) for f in full} - full if s]
        for form, stem in entries:
            if (node, False) not in forms.get(form, []):
                forms.setdefault(form, []).append((node, stem))
    for alias, target in (data.get("aliases") or {}).items():
        for node in nodes:
            if node.name == target and (node, False) not in forms.get(alias, []):
                forms.setdefault(alias, []).append((node, False))
    order = {}
    for n in nodes:
        order.setdefault((n.province, n.city if n.level else None, n.name if n.level == DISTRICT else None), n.order)
    prefixes = tuple(sorted((normalise_unit_name(p) or p for p in data.get("prefixes") or []), key=len, reverse=True))
    zones = tuple(sorted(data.get("zones") or [], key=len, reverse=True))
    return _Registry(prefixes, {k: tuple(v) for k, v in forms.items()}, max(map(len, forms)), zones, order)


def _candidates(text: str, pos: int, within: _Node | None, reg: _Registry) -> tuple[list[tuple[_Node, bool]], int]:
    """The divisions whose longest form starts at ``pos`` (inside ``within``), and that length."""
    for length in range(min(reg.longest, len(text) - pos), 1, -1):
        found = []
        for node, stem in reg.forms.get(text[pos:pos + length], ()):
            if within is not None and not node.inside(within):
                continue
            if within is None and stem and node.level == DISTRICT:
                continue  # 南山 alone is not 深圳市南山区
            found.append((node, stem))
        if found:
            return found, length
    return [], 0


def _choose(found: list[tuple[_Node, bool]]) -> tuple[_Node | None, Region | None]:
    """One division, or (for divisions not inside one another) the region they have in common."""
    nodes = list(dict.fromkeys(n for n, _ in found))
    if len(nodes) == 1:
        return nodes[0], None
    nodes.sort(key=lambda n: n.level)
    if all(b.inside(a) for a, b in zip(nodes, nodes[1:], strict=False)):
        same = len({n.name for n in nodes}) == 1  # a municipality: the province and its own city
        return (nodes[-1] if same else nodes[0]), None
    provinces = {n.province for n in nodes}
    cities = {n.city for n in nodes}
    if len(provinces) > 1:
        return None, UNKNOWN
    if len(cities) == 1 and None not in cities:
        return None, Region(nodes[0].province, nodes[0].city)
    return None, Region(nodes[0].province)


def _walk(text: str, pos: int, reg: _Registry, *, full_only: bool = False) -> Region:
    current: _Node | None = None
    while pos < len(text) and (current is None or current.level < DISTRICT):
        found, length = _candidates(text, pos, current, reg)
        if full_only and current is None:
            found = [(n, s) for n, s in found if not s and n.level < DISTRICT]
        if not found:
            break
        node, common = _choose(found)
        if common is not None:
            return common
        assert node is not None
        if current is None and node.level == CITY and node.name != node.province and all(s for _, s in found):
            # a city without its 市 only when one of its districts or zones follows (长治上党区,
            # 福州经济技术开发区; not 中山大学)
            after, _ = _candidates(text, pos + length, node, reg)
            if not after and not text.startswith(reg.zones, pos + length):
                break
        current, pos = node, pos + length
    return current.region() if current is not None else UNKNOWN


@lru_cache(maxsize=65536)
def resolve(name: str | None) -> Region:
    """The region of a unit name (see the module docstring); :data:`UNKNOWN` when none is found.

    >>> resolve("长治市上党区中小企业服务中心").label
    '山西省 长治市 上党区'
    >>> resolve("中共江苏省委办公厅").label
    '江苏省（省级或未细分）'
    >>> resolve("昌吉回族自治州中小企业发展局").group
    '新疆维吾尔自治区 昌吉回族自治州'
    """
    text = normalise_unit_name(name)
    if not text:
        return UNKNOWN
    reg = _registry()
    stripped = True
    while stripped:
        stripped = False
        for prefix in reg.prefixes:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, stripped = text[len(prefix):], True
                break
    region = _walk(text, 0, reg)
    if region.known:
        return region
    for pos in range(1, len(text) - 1):  # a full province or city name later in the name
        region = _walk(text, pos, reg, full_only=True)
        if region.known:
            return region
    return UNKNOWN


def sort_key(region: Region) -> tuple[int, int, int]:
    """Registry order (provinces as listed, then their cities, then districts); unknown last."""
    if not region.known:
        return (1 << 30, 0, 0)
    order = _registry().order
    p = order.get((region.province, None, None), 1 << 29)
    c = order.get((region.province, region.city, None), -1) if region.city else -1
    d = order.get((region.province, region.city, region.district), -1) if region.district else -1
    return (p, c, d)
