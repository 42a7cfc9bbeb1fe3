"""Unit names → (province, city, district) from registry/regions.yaml (budgetlens.regions)."""

from __future__ import annotations

import pytest
import yaml

from budgetlens import regions
from budgetlens.regions import Region, resolve

PROVINCE_LEVEL = ["北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
                  "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
                  "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区",
                  "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区"]


def registry() -> dict:
    from importlib import resources

    return yaml.safe_load(resources.files("budgetlens.registry").joinpath("regions.yaml").read_text(encoding="utf-8"))


def test_the_registry_lists_every_province_level_division_and_the_corpora_cities():
    provinces = registry()["provinces"]
    assert sorted(provinces) == sorted(PROVINCE_LEVEL)
    cities = {c for p in provinces.values() for c in (p or {})}
    for city in ("北京市", "深圳市", "上海市", "广州市", "烟台市", "无锡市", "福州市", "苏州市", "重庆市", "泉州市",
                 "长治市", "昌吉回族自治州", "晋中市"):
        assert city in cities, city
    assert "普陀区" in provinces["上海市"]["上海市"]
    names = [n for p, cs in provinces.items() for c, ds in (cs or {}).items() for n in [c, *(ds or [])]]
    assert all(isinstance(n, str) and n for n in names)


@pytest.mark.parametrize(("name", "expected"), [
    ("长治市上党区中小企业服务中心", Region("山西省", "长治市", "上党区")),
    ("长治市中小企业服务中心", Region("山西省", "长治市")),
    ("晋中市中小企业局", Region("山西省", "晋中市")),
    ("昌吉回族自治州中小企业发展局", Region("新疆维吾尔自治区", "昌吉回族自治州")),
    ("昌吉州中小企业发展局", Region("新疆维吾尔自治区", "昌吉回族自治州")),  # the units' normalised form
    ("襄垣县中小企业服务中心", Region("山西省", "长治市", "襄垣县")),  # a county alone finds its city
    ("北京市信访办公室", Region("北京市", "北京市")),  # a municipality is its own city
    ("上海市普陀区人民政府万里街道办事处（部门预算）", Region("上海市", "上海市", "普陀区")),
    ("普陀区司法局", Region("上海市", "上海市", "普陀区")),
    ("中共江苏省委办公厅", Region("江苏省")),  # after a prefix
    ("江苏省委办公厅", Region("江苏省")),
    ("共青团深圳市委员会", Region("广东省", "深圳市")),
    ("深圳市南山区教育局", Region("广东省", "深圳市", "南山区")),
    ("重庆市石柱土家族自治县财政局", Region("重庆市", "重庆市", "石柱土家族自治县")),
    ("新疆财政厅", Region("新疆维吾尔自治区")),  # a province without its suffix
    ("上海交通职业技术学院", Region("上海市", "上海市")),  # a municipality without 市
    ("北京城市副中心工程建设管理办公室", Region("北京市", "北京市")),
    ("广州市", Region("广东省", "广州市")),
    ("长治上党区农业农村局", Region("山西省", "长治市", "上党区")),  # a city without 市 before a district
    ("烟台市蓬莱市财政局", Region("山东省", "烟台市", "蓬莱区")),  # 区/市/县 suffix forms inside a city
    ("国家税务总局深圳市税务局", Region("广东省", "深圳市")),  # a full city name later in the name
    ("城区教育局", Region("山西省")),  # 晋城 and 阳泉 both have a 城区: only what they share
    ("福州经济技术开发区生态环境局", Region("福建省", "福州市")),  # a city's short form before a zone word
    ("苏州工业园区管理委员会", Region("江苏省", "苏州市")),
    ("首都绿化委员会办公室", Region("北京市", "北京市")),  # an alias of the registry
])
def test_resolve(name, expected):
    assert resolve(name) == expected


@pytest.mark.parametrize("name", [None, "", "nan", float("nan"), "中山大学", "福州大学", "南山公园管理处", "中小企业服务中心",
                                  "12b953af30.pdf（未能读出单位名称）"])
def test_no_region_is_guessed(name):
    assert resolve(name) == regions.UNKNOWN
    assert resolve(name).label == "未识别地区"


def test_labels_and_order():
    assert resolve("长治市上党区中小企业服务中心").label == "山西省 长治市 上党区"
    assert resolve("长治市上党区中小企业服务中心").group == "山西省 长治市"
    assert resolve("北京市东城区财政局").label == "北京市 东城区"
    assert resolve("江苏省委办公厅").group == "江苏省（省级或未细分）"
    keys = [regions.sort_key(resolve(n)) for n in ("北京市信访办公室", "山西省财政厅", "长治市财政局",
                                                 "长治市上党区财政局", "晋中市财政局", "深圳市财政局", "中山大学")]
    assert keys == sorted(keys)
