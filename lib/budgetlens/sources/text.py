"""Text extractions of reports: markdown-like (TAB tables, ``#`` headings, stray tags),
plain text with form feeds and pipe tables; encoding detected (UTF-8/BOM, UTF-16, GB18030)."""

from __future__ import annotations

import hashlib
import json
import re

from ..document import PAGE_NUMBER_RE, Block, Document, RawTable, SourceError, fold_glyphs

_TAGS = re.compile(r"</?(?:b|p|strong|em|i|u|br|span|div|font)\b[^>]*>", re.I)
_PAGE_BREAK = re.compile(r"^\s*-{1,3}\s*PAGE[_ ]BREAK\s*-{1,3}\s*$", re.I)
_RULE_CELL = re.compile(r"^:?-{2,}:?$")


def decode_bytes(data: bytes, path: str) -> str:
    """Decode a report's bytes: BOMs first, then UTF-8, then GB18030 (a superset of GBK)."""
    if not data.strip():
        raise SourceError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"%PDF"):
        raise SourceError(path, "is a PDF with a text-file name; rename it to .pdf")
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 8:
        # UTF-16 without BOM has a NUL in every other byte of ASCII text.
        text = _first_decoding(data, ("utf-16-le", "utf-16-be"))
        if text is not None:
            return text
        raise SourceError(path, "binary file, not a text extraction of a report")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(sample) // 50:
        raise SourceError(path, "binary file, not a text extraction of a report")
    text = _first_decoding(data, ("utf-8", "gb18030"))
    if text is not None:
        return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - library failure is a decode failure
        best = None
    if best is not None and _looks_like_text(str(best)):
        return str(best)
    raise SourceError(path, "unknown text encoding (tried UTF-8, UTF-16, GB18030)")


def _first_decoding(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The first decoding that succeeds and reads as text."""
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    return None


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad <= max(2, len(text[:20000]) // 200)


def _split_row(line: str) -> list[str] | None:
    """Cells of a table row (TAB- or pipe-separated), or None for a text line."""
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif line.lstrip().startswith("|") and line.rstrip().endswith("|") and line.count("|") >= 3:
        cells = [c.strip() for c in line.strip()[1:-1].split("|")]
    else:
        return None
    if all(_RULE_CELL.match(c) or c == "" for c in cells) and any(cells):
        return []  # a markdown rule row: part of the table, no content
    return cells


def clean_line(line: str) -> str:
    line = _TAGS.sub("", line)
    return line.replace("\u3000", " ").replace("\xa0", " ").rstrip(" \r\n")


def page_texts(text: str, path: str) -> str:
    """Another extractor's per-page dump (``[{"page": 1, "text": "…"}, …]``, as PyMuPDF scripts
    write it) as one text with a form feed between pages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(path, f"not valid JSON (line {exc.lineno})") from None
    if isinstance(data, dict):
        data = data.get("pages", data)
    if not isinstance(data, list) or not all(isinstance(p, dict) and isinstance(p.get("text"), str) for p in data) \
            or not data:
        raise SourceError(path, 'JSON but not a list of page texts ([{"page": 1, "text": "…"}, …])')
    pages = sorted(data, key=lambda p: p.get("page", 0) if isinstance(p.get("page"), int) else 0)
    return "\f".join(p["text"] for p in pages)


_CONTEXT_CELL = re.compile(r"^(?:(?:部门|单位|编制部门|编制单位|部门名称|单位名称|预算单位|填报单位|预算主管部门)\s*[(（]?[^)）:：]{0,4}[)）]?"
                           r"\s*[:：].*|(?:金额|货币)?单位\s*[:：]\s*(?:亿元|万元|元)|公开\s*\d+\s*表|表\s*[0-9一二三四五六七八九十]+)$")


def _context_cells(cells: list[str]) -> bool:
    """A row whose cells only name the unit, the currency or the table's number: the line above a
    table (编制单位：X<TAB><TAB>单位：万元), read as text like the other context lines."""
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and any("：" in c or ":" in c for c in filled) and all(_CONTEXT_CELL.match(c) for c in filled)


def read_text(path: str) -> Document:
    """Read a text extraction into blocks: one text block per line, TAB/pipe rows into tables.

    A blank line between table rows (a page break inside the table) does not end the table.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise SourceError(path, f"cannot read file ({exc.strerror or exc})") from None
    text = decode_bytes(data, path)
    if path.lower().endswith(".json"):
        text = page_texts(text, path)
    text = fold_glyphs(text)
    sha = hashlib.sha256(data).hexdigest()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    state = {"page": 1, "table": None}

    def take(raw: str, lineno: int) -> None:
        if _PAGE_BREAK.match(raw):
            state["page"] += 1
            return
        line = clean_line(raw)
        cells = _split_row(line)
        page = state["page"]
        if cells is not None and _context_cells(cells):
            line, cells = "  ".join(c for c in cells if c.strip()), None  # 编制单位：X<TAB>…<TAB>单位：万元
        if cells is not None:
            if cells == []:
                return
            table = state["table"]
            if table is None:
                table = RawTable(rows=[], page=page, line=lineno)
                state["table"] = table
                blocks.append(Block(kind="table", table=table, page=page, line=lineno))
            table.rows.append(cells)
            table.row_lines.append(lineno)
            return
        stripped = line.strip()
        if not stripped:
            return  # a blank line (a page break inside a table) does not end a table
        state["table"] = None
        stripped = re.sub(r"^#{1,6}\s*", "", stripped)
        if stripped.startswith(("- ", "* ")) and not PAGE_NUMBER_RE.match(stripped):  # "- 3 -" is a page number
            stripped = stripped[2:].strip()
        stripped = stripped.replace("**", "")
        if stripped:
            blocks.append(Block(kind="text", text=stripped, page=page, line=lineno))

    for lineno, raw in enumerate(text.split("\n"), start=1):
        for i, segment in enumerate(raw.split("\f")):
            if i:
                state["page"] += 1
            take(segment, lineno)
    page = state["page"]
    if not any(b.kind == "text" for b in blocks) and not any(b.kind == "table" for b in blocks):
        raise SourceError(path, "no text content")
    return Document(path=path, sha256=sha, format="text", pages=page, blocks=blocks)
