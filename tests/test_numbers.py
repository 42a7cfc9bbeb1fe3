"""Number primitives: printed amounts, blanks, 元 → 万元 (unit and property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from budgetlens.numbers import decimals, is_blank, parse_amount, to_wan


def test_printed_forms():
    assert parse_amount("1,033.18") == 1033.18
    assert parse_amount("１，０３３．１８") == 1033.18
    assert parse_amount(" 107.9 ") == 107.9
    assert parse_amount("(5.00)") == -5.0
    assert parse_amount("-5.00") == -5.0
    assert parse_amount("400,000") == 400000
    for blank in ("", "-", "——", "—", "--", None):
        assert parse_amount(blank) is None
        assert is_blank(blank)
    for text in ("合计", "2025年度", "12a", "1,03,3.1", "≥95%"):
        assert parse_amount(text) is None


def test_decimals_and_wan():
    assert decimals("1,033.18") == 2
    assert decimals("400,000") == 0
    assert to_wan(4_000_000, "元") == 400.0
    assert to_wan(12_345_678, "元") == 1234.5678
    assert to_wan(12.5, "万元") == 12.5


@given(st.integers(min_value=0, max_value=10**11), st.integers(min_value=0, max_value=99))
def test_thousands_separators_roundtrip(whole, cents):
    printed = f"{whole:,}.{cents:02d}"
    assert parse_amount(printed) == float(f"{whole}.{cents:02d}")
    assert parse_amount(printed.replace(",", "")) == parse_amount(printed)


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_yuan_to_wan_keeps_precision(yuan):
    assert abs(to_wan(yuan, "元") * 10000 - yuan) < 1e-3


def test_format_number():
    from budgetlens.numbers import format_number

    assert format_number(1033.18) == "1,033.18"
    assert format_number(-0.001) == "0.00"
    assert format_number(4.08, 3, trim=True) == "4.08"
    assert format_number(-0.0001, 3, trim=True) == "0"
    assert format_number(1234.5, 2, comma=False) == "1234.50"
