"""Reading printed amounts: thousands separators, blanks, dashes, full-width digits, 元 → 万元."""

from __future__ import annotations

import re
from functools import lru_cache

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－（）％", "0123456789.,-()%")
_BLANKS = {"", "-", "--", "—", "——", "———", "/", "－", "─", "…", "*", "x", "X"}
_AMOUNT = re.compile(r"^\(?-?\d{1,3}(,\d{3})+(\.\d+)?\)?$|^\(?-?\d+(\.\d+)?\)?$")


@lru_cache(maxsize=65536)
def clean_number_text(text: str) -> str:
    """Normalise a cell for number parsing: full-width forms, spaces, currency marks."""
    s = text.translate(_FULLWIDTH).strip()
    s = s.replace("¥", "").replace("￥", "").replace(" ", "").replace("\u3000", "")
    return s


def is_blank(text: str | None) -> bool:
    """True for cells that print no amount (empty, dashes)."""
    return text is None or clean_number_text(text) in _BLANKS


@lru_cache(maxsize=65536)
def parse_amount(text: str | None) -> float | None:
    """Parse a printed amount; ``None`` for blank cells or non-numbers.

    ``1,033.18`` → 1033.18; ``(5.00)`` and ``-5.00`` → -5.0; ``——`` → None.
    """
    if text is None:
        return None
    s = clean_number_text(text)
    if s in _BLANKS:
        return None
    if not _AMOUNT.match(s):
        return None
    neg = s.startswith("(") and s.endswith(")")
    s = s.strip("()").replace(",", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return -value if neg else value


def is_amount(text: str | None) -> bool:
    return parse_amount(text) is not None


def decimals(text: str | None) -> int:
    """Number of decimals printed (0 for integers); used for rounding tolerances."""
    s = clean_number_text(text or "")
    if "." not in s:
        return 0
    return len(s.rsplit(".", 1)[1].rstrip(")"))


def to_wan(value: float | None, source_unit: str) -> float | None:
    """Convert an amount printed in ``source_unit`` (元 or 万元) to 万元, keeping precision."""
    if value is None:
        return None
    if source_unit == "元":
        return round(value / 10000.0, 6)
    if source_unit == "亿元":
        return round(value * 10000.0, 6)
    return value


def round2(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, 2)


_CN_NUM = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?")


def parse_cn_amount(text: str) -> float | None:
    """The first number in a narrative fragment like ``1,033.18万元`` (no unit conversion)."""
    m = _CN_NUM.search(text.translate(_FULLWIDTH))
    if not m:
        return None
    try:
        return float(m.group(0).replace(",", "").replace("，", ""))
    except ValueError:
        return None


def format_number(value: float, decimals: int = 2, *, comma: bool = True, trim: bool = False) -> str:
    """How budgetlens prints a figure: ``1033.18`` → ``1,033.18``; a value that rounds to zero is
    ``0.00`` (never ``-0.00``); ``trim`` drops trailing zeros (``4.080`` → ``4.08``)."""
    v = float(value)
    if abs(v) < 0.5 * 10 ** -decimals:
        v = 0.0
    s = f"{v:,.{decimals}f}" if comma else f"{v:.{decimals}f}"
    if trim and "." in s:
        s = s.rstrip("0").rstrip(".")
    return s
