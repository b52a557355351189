"""How values are written: numbers, money, weights, durations and dates, each in its usual form
and in the equivalent forms a faithful answer may use instead (a unit conversion, another date
format, a decade for a year)."""

from __future__ import annotations

import random

from hallu_world import MONTHS, Date, Money, Weight

CURRENCY_WORDS = {"$": "US dollars", "€": "euros", "£": "pounds"}
ORDINAL = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def count(n: int) -> str:
    return f"{n:,}"


def count_alt(n: int, rng: random.Random) -> str:
    """An equivalent spelling of a count: '12.4 thousand' or '12400'."""
    if n >= 1000 and n % 100 == 0 and rng.random() < 0.6:
        return f"{_trim(n / 1000)} thousand"
    return str(n)


def _trim(x: float) -> str:
    text = f"{x:,.3f}".rstrip("0").rstrip(".")
    return text


def money(m: Money) -> str:
    if m.amount >= 1_000_000_000:
        return f"{m.currency}{_trim(m.amount / 1e9)} billion"
    if m.amount >= 1_000_000:
        return f"{m.currency}{_trim(m.amount / 1e6)} million"
    return f"{m.currency}{m.amount:,}"


def money_alt(m: Money, rng: random.Random) -> str:
    """An equivalent amount: a smaller scale word, all digits, or the currency spelled out."""
    word = CURRENCY_WORDS[m.currency]
    if m.amount >= 1_000_000_000:
        return rng.choice(
            [f"{_trim(m.amount / 1e6)} million {word}", f"{m.currency}{_trim(m.amount / 1e6)}m"]
        )
    if m.amount >= 1_000_000:
        return rng.choice([f"{m.amount:,} {word}", f"{m.currency}{_trim(m.amount / 1e6)}m"])
    return f"{m.amount:,} {word}"


def weight(w: Weight) -> str:
    if w.grams >= 1000:
        return f"{_trim(w.grams / 1000)} kg"
    return f"{w.grams} g"


def weight_alt(w: Weight, rng: random.Random) -> str:
    if w.grams >= 1000:
        return rng.choice([f"{w.grams:,} grams", f"{w.grams:,} g"])
    return rng.choice([f"{_trim(w.grams / 1000)} kilograms", f"{_trim(w.grams / 1000)} kg"])


def hours(h: int) -> str:
    return f"{h} hours"


def hours_alt(h: int, rng: random.Random) -> str:
    if h % 24 == 0 and rng.random() < 0.5:
        days = h // 24
        return "a full day" if days == 1 else f"{days} days"
    return f"{h * 60:,} minutes"


def date(d: Date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_alt(d: Date, rng: random.Random) -> str:
    return rng.choice(
        [
            f"{d.year}-{d.month:02d}-{d.day:02d}",
            f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
            f"the {d.day}{ORDINAL.get(d.day, 'th')} of {MONTHS[d.month - 1]} {d.year}",
        ]
    )


def decade(year: int) -> str:
    return f"the {year // 10 * 10}s"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """Lower-cases a leading 'The'/'It' so a clause can follow a prefix; names stay capitalised."""
    if text == "It" or text.startswith(("The ", "It ", "Its ", "Yes,", "Yes;", "No,", "No.")):
        return text[:1].lower() + text[1:]
    return text
