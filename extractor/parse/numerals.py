"""Numbers as sentences write them: Arabic digits (``1,351``) or Chinese numerals (三, 十二, 一百零五, 两)."""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = "[零〇一二两三四五六七八九十百千万]+"
"""A run of Chinese numeral characters, for patterns (``chinese_number`` says whether it is a number)."""


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral (``十二`` → 12, ``二十一`` → 21, ``一百零五`` → 105, ``三万`` → 30000),
    or None for a run that is not one (``十十``, ``一二``)."""
    if not text:
        return None
    if "万" in text:
        high, _, low = text.partition("万")
        high_value = chinese_number(high) if high else 1
        low_value = chinese_number(low) if low else 0
        if high_value is None or low_value is None:
            return None
        return high_value * 10000 + low_value
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if DIGITS.get(ch) == 0:
            continue  # 一百零五: the zero only marks a skipped place
        if ch in DIGITS:
            if digit is not None:
                return None  # 一二: two digits in a row are a list, not a number
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)


def arabic_number(text: str) -> int | None:
    """``1,351`` → 1351; None for anything but digits and thousands separators."""
    plain = text.replace(",", "").replace(" ", "")
    return int(plain) if plain.isdigit() else None
