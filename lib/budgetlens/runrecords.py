"""Run records without their images: each chart is stored once, in the page, and referenced here.

An executed notebook (``reports/runs/<notebook>/<id>.ipynb``) is the log of a run: parameters,
every cell with its execution count, timings, text and HTML outputs, errors. Its charts are the
bulk of it (a unit page's twelve PNGs are ~85 % of the notebook) and the exported page embeds the
same bytes, so the record keeps a reference instead: ``<img src="#" data-sha256="…"
data-bytes="…" data-in="../../units/<id>.html" alt="…">`` in HTML outputs (for a ``data:`` image
and for an inline ``<svg>`` chart alike), and for ``image/*``
outputs a ``text/html`` note with the same fields (the original mimetype in the output's metadata).
The sha256 is that of the decoded image, so a reader can check the page holds exactly that chart.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
from typing import Any

_DATA_URI = re.compile(r'src=(["\'])data:(image/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)\1')
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _digest(b64: str) -> tuple[str, int]:
    raw = base64.b64decode("".join(b64.split()))
    return hashlib.sha256(raw).hexdigest(), len(raw)


def _reference(sha: str, size: int, page: str) -> str:
    return f'src="#" data-sha256="{sha}" data-bytes="{size}" data-in="{html.escape(page, quote=True)}"'


def strip_html(text: str, page: str) -> tuple[str, int]:
    """``text`` with every ``src="data:image/…;base64,…"`` replaced by a reference, and every
    inline ``<svg>…</svg>`` chart by an ``<img>`` reference (sha256 of its UTF-8 markup, which the
    page holds verbatim); (text, count)."""
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        count += 1
        return _reference(*_digest(m.group(3)), page)

    def sub_svg(m: re.Match) -> str:
        nonlocal count
        count += 1
        raw = m.group(0).encode("utf-8")
        return f'<img {_reference(hashlib.sha256(raw).hexdigest(), len(raw), page)} alt="image/svg+xml in the page">'

    text = _DATA_URI.sub(sub, text)
    return _INLINE_SVG.sub(sub_svg, text), count


def strip_images(nb: Any, page: str) -> tuple[Any, int]:
    """A copy of the executed notebook ``nb`` whose images are references to ``page`` (a path
    relative to the record); returns (notebook, images replaced). ``nb`` itself is not changed."""
    out = copy.deepcopy(nb)
    replaced = 0
    for cell in out.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data")
            if not data:
                continue
            if "text/html" in data:
                body = data["text/html"]
                text = "".join(body) if isinstance(body, list) else body
                text, n = strip_html(text, page)
                if n:
                    data["text/html"] = text
                    replaced += n
            for mime in [m for m in data if m in _IMAGE_TYPES]:
                sha, size = _digest("".join(data.pop(mime)) if isinstance(data[mime], list) else data.pop(mime))
                output.setdefault("metadata", {}).setdefault("budgetlens", {})[mime] = {"sha256": sha, "bytes": size}
                data.setdefault("text/html", f'<img {_reference(sha, size, page)} alt="{mime} in the page">')
                replaced += 1
    return out, replaced


def image_references(nb: Any) -> list[dict[str, Any]]:
    """The image references a stripped record holds (sha256, bytes, page), in order."""
    found = []
    pattern = re.compile(r'data-sha256="([0-9a-f]{64})" data-bytes="(\d+)" data-in="([^"]*)"')
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            body = (output.get("data") or {}).get("text/html")
            text = "".join(body) if isinstance(body, list) else (body or "")
            found += [{"sha256": s, "bytes": int(b), "page": html.unescape(p)} for s, b, p in pattern.findall(text)]
    return found
