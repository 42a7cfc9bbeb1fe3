"""The national corpus (../shared/corpus-cn) on the panel and the index: its units grouped by region
(province, city, district) like with like, names read in full, never "nan", years as integers.

Every hand-read unit name (tests/expected/corpus_cn/<city>/identities.yaml, all 198 documents) resolves
to its folder's city without the corpus; a small sample (the first document of each city folder)
goes through extraction, the panel's frame and the index.
"""

from __future__ import annotations

import re

import pytest
import yaml

from budgetlens.regions import resolve
from conftest import CORPUS_CN, EXPECTED

# Each folder of the corpus is one city's disclosures: (province, city) as the registry names them.
CITIES = {"beijing": ("北京市", "北京市"), "chongqing": ("重庆市", "重庆市"), "shanghai": ("上海市", "上海市"),
          "fuzhou": ("福建省", "福州市"), "quanzhou": ("福建省", "泉州市"), "guangzhou": ("广东省", "广州市"),
          "shenzhen": ("广东省", "深圳市"), "suzhou": ("江苏省", "苏州市"), "wuxi": ("江苏省", "无锡市"),
          "yantai": ("山东省", "烟台市")}


def _identities() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((EXPECTED / "corpus_cn").glob("*/identities.yaml")):
        out += [(path.parent.name, e) for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return out


def test_the_folders_are_the_cities_listed():
    assert {city for city, _ in _identities()} == set(CITIES)


@pytest.mark.parametrize(("city", "entry"), _identities(), ids=lambda v: v if isinstance(v, str) else v["file"])
def test_every_hand_read_unit_resolves_to_its_city(city, entry):
    region = resolve(entry["unit"])
    assert (region.province, region.city) == CITIES[city], (entry["unit"], region)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The first document (by file name) of each city folder, extracted into one processed folder."""
    if not CORPUS_CN.is_dir():
        pytest.skip(f"national corpus not found at {CORPUS_CN}")
    from budgetlens.extract import extract
    from budgetlens.store import write_catalog, write_document

    processed = tmp_path_factory.mktemp("cn-processed")
    chosen = {}
    for city in sorted(CITIES):
        first = min((CORPUS_CN / city).glob("*.pdf"))
        write_document(extract([first]), processed)
        chosen[first.name] = city
    write_catalog(processed)
    return processed, chosen


def test_sample_panel_groups_each_city_apart(sample, tmp_path):
    from budgetlens import panel, report, units

    processed, chosen = sample
    frame = panel.panel_frame(units.load_units(processed))
    assert len(frame) == len(chosen)
    for row in frame.itertuples():
        city = chosen[row.file.rsplit("/", 1)[-1]]
        province, name = CITIES[city]
        assert row.group == (name if name == province else f"{province} {name}"), (row.file, row.group)
        assert str(row.year) in {"2025", "2026"}
    assert frame["group"].nunique() == len(CITIES)
    index = report.write_index(processed, tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"\bnan\b|未识别地区|\b202[56]\.0\b", re.sub(r"<[^>]+>", " ", index))
