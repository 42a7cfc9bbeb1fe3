"""Amounts in integer hundredths of 万元 and how the templates print them."""

from __future__ import annotations


def money(c: int) -> str:
    """Hundredths of 万元 → '1,033.18'."""
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100:,}.{c % 100:02d}"


def _cell(c: int) -> str:
    return money(c) if c else ""


def _nar(c: int) -> str:
    return money(c) if c else "0"


def _trim(c: int) -> str:
    """'5', '2.59', '0.5' (the 自评表 style)."""
    s = f"{c // 100}.{c % 100:02d}".rstrip("0").rstrip(".")
    return s or "0"


def _pct(a: int, b: int) -> int:
    """a/b in hundredths of a percent, rounded half up (a, b ≥ 0)."""
    if b <= 0 or a <= 0:
        return 0
    return (2 * a * 10000 + b) // (2 * b)


def _fpct(h: int) -> str:
    return "0" if h == 0 else f"{h // 100}.{h % 100:02d}"


def _c(x: float) -> int:
    """万元 float → hundredths."""
    return max(0, int(round(x * 100)))


def _split(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def _cn(n: int) -> str:
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")
