"""Units across documents: name normalisation, the alias table, unit_table on the processed seeds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetlens import units
from budgetlens.cli import main
from budgetlens.store import write_catalog
from conftest import RAW


def seed_processed(tmp_path_factory) -> Path:
    """``budgetlens extract data/raw --out <tmp>/data/processed`` once per session, with the alias
    table beside it in ``<tmp>/data/raw/units.csv`` (the project's layout). Shared by the report,
    notebook and browser tests (each imports this helper)."""
    root = tmp_path_factory.getbasetemp() / "seeds"
    processed = root / "data" / "processed"
    if not (processed / "catalog.parquet").is_file():
        res = CliRunner().invoke(main, ["extract", str(RAW), "--out", str(processed)])
        assert (processed / "catalog.parquet").is_file(), res.output
        (root / "data" / "raw").mkdir(parents=True, exist_ok=True)
        shutil.copy(RAW / "units.csv", root / "data" / "raw" / "units.csv")
    return processed


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> Path:
    return seed_processed(tmp_path_factory)


@pytest.mark.parametrize(("printed", "key"), [
    ("上海市普陀区人民政府万里街道办事处（部门预算）", "上海市普陀区人民政府万里街道办事处"),
    ("上海市普陀区人民政府万里街道办事处(单位预算)", "上海市普陀区人民政府万里街道办事处"),
    ("昌吉回族自治州 中小企业发展局", "昌吉州中小企业发展局"),
    ("昌吉州中小企业发展局", "昌吉州中小企业发展局"),
    ("黔东南苗族侗族自治州财政局", "黔东南州财政局"),
    ("中国共产党上海市普陀区委社会工作部", "中共上海市普陀区委社会工作部"),
    ("江苏省委办公厅", "中共江苏省委办公厅"),
    ("江苏省人大常委会办公厅", "江苏省人大常委会办公厅"),
    ("上海市普陀区商务委员会", "上海市普陀区商务委员会"),
    ("长治市中小企业服务中心2023年度单位决算公开", "长治市中小企业服务中心"),
    ("２０２５年长治市上党区中小企业服务中心", "长治市上党区中小企业服务中心"),
    ("　长治市 中小企业 服务中心　", "长治市中小企业服务中心"),
    ("", ""),
    (None, ""),
])
def test_normalise_unit_name(printed, key):
    assert units.normalise_unit_name(printed) == key


def test_display_name_drops_document_kind_brackets_only():
    assert units.display_name("上海市普陀区人民政府办公室（部门预算）") == "上海市普陀区人民政府办公室"
    assert units.display_name("上海市普陀区人民政府石泉路街道办事处（本级）") == "上海市普陀区人民政府石泉路街道办事处（本级）"


def test_safe_unit_id():
    assert units.safe_unit_id("长治市中小企业服务中心") == "长治市中小企业服务中心"
    assert "/" not in units.safe_unit_id("某局/某处 (试点)")


def test_read_aliases(tmp_path):
    csv = tmp_path / "units.csv"
    csv.write_text("alias,unit_id,canonical_name\n昌吉州 中小企业发展局,changji,昌吉回族自治州中小企业发展局\n\n",
                   encoding="utf-8")
    aliases = units.read_aliases(csv)
    assert aliases["昌吉州中小企业发展局"] == units.Alias("changji", "昌吉回族自治州中小企业发展局")
    # the canonical name is an alias of its unit too (in normalised form)
    assert aliases["昌吉州中小企业发展局"] is aliases[units.normalise_unit_name("昌吉回族自治州中小企业发展局")]
    assert units.read_aliases(tmp_path / "missing.csv") == {}
    assert units.read_aliases(None) == {}


def test_read_aliases_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_text("alias,unit_id,canonical_name\n某局,,某局\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"units.csv:2: every row needs an alias and a unit_id"):
        units.read_aliases(bad)
    bad.write_text("name,id\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="alias,unit_id,canonical_name"):
        units.read_aliases(bad)


def test_unit_table_of_the_seeds(processed):
    table = units.unit_table(processed)
    assert list(table.columns) == units.UNIT_COLUMNS
    assert len(table) == 4
    by_doc = table.set_index("doc_id")
    # 003 prints 昌吉州中小企业发展局; data/raw/units.csv names the unit and its canonical name
    assert by_doc.loc["003_159abbecd5886f59", "unit_id"] == "changji-sme-bureau"
    assert by_doc.loc["003_159abbecd5886f59", "unit_name"] == "昌吉回族自治州中小企业发展局"
    assert by_doc.loc["000_2dcbd3ad2c52b1d0", "unit_id"] == "长治市中小企业服务中心"
    assert by_doc.loc["004_f2bc4dd2dc88ab43", "unit_id"] == "长治市上党区中小企业服务中心"
    assert by_doc.loc["001_2dda58e37cec2b7a", "unit_id"] == "晋中市中小企业局"
    assert units.unit_ids(table) == ["changji-sme-bureau", "晋中市中小企业局", "长治市上党区中小企业服务中心",
                                     "长治市中小企业服务中心"]
    assert by_doc.loc["000_2dcbd3ad2c52b1d0", "year"] == 2023
    assert by_doc.loc["000_2dcbd3ad2c52b1d0", "kind"] == "final"


def test_without_the_alias_table_the_printed_name_decides(processed, tmp_path):
    table = units.unit_table(processed, tmp_path / "no-aliases.csv")
    assert "changji-sme-bureau" not in set(table["unit_id"])
    assert table.set_index("doc_id").loc["003_159abbecd5886f59", "unit_id"] == "昌吉州中小企业发展局"


def _copy_with_unit(processed: Path, target: Path, doc_id: str, new_id: str, unit: str, year: int,
                    scope: str | None = None) -> None:
    shutil.copytree(processed / doc_id, target / new_id)
    doc = json.loads((target / new_id / "document.json").read_text(encoding="utf-8"))
    doc["document"]["unit"] = unit
    doc["document"]["year"] = year
    if scope:
        doc["document"]["scope"] = scope
    (target / new_id / "document.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_name_variants_and_aliases_group_documents(processed, tmp_path):
    """Two years of the 昌吉 budget printed as 昌吉州… and 昌吉回族自治州… (部门预算) are one unit, with
    or without the alias table; a 长治 final printed with spaces joins its unit."""
    corpus = tmp_path / "processed"
    corpus.mkdir()
    for doc_id in ("000_2dcbd3ad2c52b1d0", "003_159abbecd5886f59"):
        shutil.copytree(processed / doc_id, corpus / doc_id)
    _copy_with_unit(processed, corpus, "003_159abbecd5886f59", "changji_2024", "昌吉回族自治州中小企业发展局（部门预算）", 2024)
    _copy_with_unit(processed, corpus, "000_2dcbd3ad2c52b1d0", "changzhi_2022", "长治市 中小企业服务中心", 2022)
    write_catalog(corpus)
    for aliases in (RAW / "units.csv", tmp_path / "none.csv"):
        table = units.unit_table(corpus, aliases)
        assert table.groupby("unit_id")["doc_id"].apply(sorted).to_dict() == {
            ("changji-sme-bureau" if aliases.is_file() else "昌吉州中小企业发展局"):
                ["003_159abbecd5886f59", "changji_2024"],
            "长治市中小企业服务中心": ["000_2dcbd3ad2c52b1d0", "changzhi_2022"],
        }
    unit = units.load_unit("changji-sme-bureau", corpus, RAW / "units.csv")
    assert unit.years == [2023, 2024]
    assert unit.latest.doc_id == "changji_2024"
    assert [d.label for d in unit.documents] == ["2023年预算", "2024年预算"]


def test_a_department_and_its_own_unit_report_are_two_units(processed, tmp_path):
    """上海市普陀区人民政府办公室 publishes a 部门预算 (with its subordinate units) and a 单位预算 (the
    office alone) for the same year: two reporting entities. A name with one scope stays one unit."""
    corpus = tmp_path / "processed"
    corpus.mkdir()
    _copy_with_unit(processed, corpus, "003_159abbecd5886f59", "dept", "某区人民政府办公室", 2025, "department")
    _copy_with_unit(processed, corpus, "003_159abbecd5886f59", "own", "某区人民政府办公室", 2025, "unit")
    _copy_with_unit(processed, corpus, "003_159abbecd5886f59", "own_2024", "某区人民政府办公室", 2024, "unit")
    _copy_with_unit(processed, corpus, "000_2dcbd3ad2c52b1d0", "other", "某某中心", 2025, "unit")
    write_catalog(corpus)
    table = units.unit_table(corpus, tmp_path / "none.csv")
    groups = table.groupby("unit_id")["doc_id"].apply(sorted).to_dict()
    assert groups == {"某区人民政府办公室": ["dept"], "某区人民政府办公室-单位": ["own", "own_2024"], "某某中心": ["other"]}
    assert set(table["unit_name"]) == {"某区人民政府办公室", "某区人民政府办公室（单位）", "某某中心"}


def test_document_scope_from_titles_and_unit_lines(tmp_path):
    from budgetlens.recognize import detect_scope
    from budgetlens.sources import read_source

    for text, scope in (("上海市普陀区2025年区级单位预算\n预算单位：某某委员会\n", "unit"),
                        ("上海市普陀区2025年区级部门预算\n预算主管部门：某某局\n", "department"),
                        ("某某局2024年度决算\n收入支出决算总表\n编制单位：某某局 单位：万元\n", "unit"),
                        ("某某局2024年度决算\n", None)):
        p = tmp_path / "s.txt"
        p.write_text(text, encoding="utf-8")
        assert detect_scope(read_source(p)) == scope


def test_unknown_unit_is_a_clear_error(processed):
    table = units.unit_table(processed)
    with pytest.raises(units.UnknownUnitError, match=r"unknown unit_id 'nope'.*Known units \(4\): changji-sme-bureau"):
        units.require_unit("nope", table)
    with pytest.raises(units.UnknownUnitError):
        units.load_unit("nope", processed)


def test_unknown_document_and_missing_processed_are_clear_errors(processed, tmp_path):
    assert units.require_document("000_2dcbd3ad2c52b1d0", processed) == "000_2dcbd3ad2c52b1d0"
    with pytest.raises(units.UnknownDocumentError, match="unknown document 'x'"):
        units.require_document("x", processed)
    with pytest.raises(units.ProcessedDataError, match=r"budgetlens extract data/raw --out"):
        units.unit_table(tmp_path / "empty")


def test_unit_document_reads_json_and_tables(processed):
    doc = units.UnitDocument.load(processed, "000_2dcbd3ad2c52b1d0")
    assert doc.unit == "长治市中小企业服务中心" and doc.year == 2023 and doc.kind == "final"
    assert doc.label == "2023年度决算"
    assert doc.source_name == "000_2dcbd3ad2c52b1d0.txt"
    assert {"table_id", "code", "measure", "value", "line"} <= set(doc.tables.columns)
    assert len(doc.tables) > 100


def test_find_aliases_csv(processed, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # the catalogue's relative paths do not resolve from here
    found = units.find_aliases_csv(processed, ["data/raw/000.txt"])
    assert found == processed.parent / "raw" / "units.csv"
    monkeypatch.setenv(units.ENV_ALIASES, str(tmp_path / "mine.csv"))
    assert units.find_aliases_csv(processed) == tmp_path / "mine.csv"
