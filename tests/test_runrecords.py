"""Run records keep references to the page's charts instead of a copy of each (budgetlens.runrecords)."""

from __future__ import annotations

import base64
import hashlib
import re

import nbformat
import pytest

from budgetlens import runrecords

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
B64 = base64.b64encode(PNG).decode()
SHA = hashlib.sha256(PNG).hexdigest()


def notebook():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/html": f'<figure><img src="data:image/png;base64,{B64}" alt="a"></figure>'}),
        nbformat.v4.new_output("display_data", {"image/png": B64, "text/plain": "<Figure>"}),
        nbformat.v4.new_output("stream", name="stdout", text="plain text stays\n"),
    ]
    nb.cells = [cell]
    return nb


def test_images_become_references_and_the_original_is_untouched():
    nb = notebook()
    stripped, n = runrecords.strip_images(nb, "../../units/u.html")
    assert n == 2
    text = nbformat.writes(stripped)
    assert B64 not in text and "base64," not in text
    refs = runrecords.image_references(stripped)
    assert [(r["sha256"], r["bytes"], r["page"]) for r in refs] == [(SHA, len(PNG), "../../units/u.html")] * 2
    assert stripped.cells[0].outputs[1]["metadata"]["budgetlens"]["image/png"] == {"sha256": SHA, "bytes": len(PNG)}
    assert stripped.cells[0].outputs[2]["text"] == "plain text stays\n"
    assert B64 in nbformat.writes(nb)  # the notebook given is not changed
    nbformat.validate(stripped)


def test_an_inline_svg_chart_becomes_a_reference_to_the_page():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="图"><title>图</title><text>支出</text></svg>'
    text = f'<figure class="chart">{svg}<figcaption>说明</figcaption></figure>'
    stripped, n = runrecords.strip_html(text, "../../units/u.html")
    assert n == 1 and "<svg" not in stripped and "<figcaption>说明</figcaption>" in stripped
    raw = svg.encode("utf-8")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": stripped})]
    nb.cells = [cell]
    assert runrecords.image_references(nb) == [{"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw),
                                                 "page": "../../units/u.html"}]


def test_a_unit_record_references_exactly_the_charts_of_its_page(tmp_path):
    pytest.importorskip("papermill")
    from budgetlens import report
    from budgetlens.extract import extract
    from budgetlens.store import write_catalog, write_document
    from budgetlens.synth import generate_corpus
    from budgetlens.units import unit_ids, unit_table

    raw = tmp_path / "raw"
    generate_corpus(raw, 1, [2022, 2023], seed=5)
    processed = tmp_path / "processed"
    for f in sorted(raw.glob("syn-*.txt")):
        write_document(extract([f]), processed)
    write_catalog(processed)
    unit = unit_ids(unit_table(processed))[0]
    page = report.run_unit_notebook(unit, processed, tmp_path / "reports", timeout=120)
    record = tmp_path / "reports" / "runs" / "02_unit_report" / f"{unit}.ipynb"
    nb = nbformat.read(str(record), 4)
    refs = runrecords.image_references(nb)
    html = page.read_text(encoding="utf-8")
    in_page = [hashlib.sha256(svg.encode("utf-8")).hexdigest() for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]
    assert refs and [r["sha256"] for r in refs] == in_page
    assert {r["page"] for r in refs} == {"../../units/" + page.name}
    text = record.read_text(encoding="utf-8")
    assert "base64," not in text and "<svg" not in text
    assert record.stat().st_size < page.stat().st_size  # the page's charts are not in it a second time
