"""Answer templates per kind of fact, in three styles: `plain` (close to the context's wording),
`para` (other words, other structure) and `convert` (values in an equivalent form: other units,
another date format, a decade). Perturbations reuse these templates with changed values, plus the
flags below for the changes a value cannot express:

- ceo `time="until"`: "was chief executive until 2012" (the context says "since").
- former_ceo `time="current"`: a former chief executive presented as the current one.
- plan `tense="done"`: a planned action presented as done.
- launch `tense="future"`: a past launch presented as upcoming.
"""

from __future__ import annotations

import random

import hallu_render as r
from hallu_facts import PLANS, QUANT_PARA, ROLE_WORD, V, poss, possessive, quant_text


def _choice(rng: random.Random, options: list[str]) -> str:
    return rng.choice(options)


def answer(kind: str, v: V, ref: str, style: str, rng: random.Random) -> str:
    """A one- or two-sentence answer stating the fact in `v` about the subject called `ref`."""
    s = ref
    para = style == "para"
    conv = style == "convert"
    if kind == "founded":
        if conv:
            return f"{s} was founded in {r.decade(v['year'])}."
        if para:
            return _choice(rng, [f"{s} was established in {v['year']}.",
                                 f"{s} has existed since {v['year']}.", f"In {v['year']}."])
        return f"{s} was founded in {v['year']}."
    if kind == "founder":
        p = v["person"].name
        if para:
            return _choice(rng, [f"{p} is the founder of {v['name']}.", f"{s} was started by {p}.",
                                 f"{p}."])
        return f"{s} was founded by {p}."
    if kind == "hq":
        c = v["city"]
        if para:
            return _choice(rng, [f"{r.cap(poss(s))} head office is in {c.name}, {c.country}.",
                                 f"{s} is based in {c.name}.", f"In {c.name}, {c.country}."])
        return f"{s} is headquartered in {c.name}."
    if kind == "ceo":
        p, y, n = v["person"].name, v["since"], v["name"]
        if v.get("time") == "until":
            return _choice(rng, [f"{p} was chief executive of {n} until {y}.",
                                 f"{p} led {n} until {y}."])
        if para:
            return _choice(rng, [f"{n} is led by {p}, chief executive since {y}.",
                                 f"{p} took over as CEO in {y}.",
                                 f"The company is currently run by {p}."])
        return _choice(rng, [f"{p} has been CEO of {n} since {y}.", f"{p} is the chief executive."])
    if kind == "former_ceo":
        p, a, b, n = v["person"].name, v["start"], v["end"], v["name"]
        if v.get("time") == "current":
            return _choice(rng, [f"{p} is the current chief executive of {n}.",
                                 f"{n} is currently led by {p}.",
                                 f"{p} has been chief executive since {a}."])
        if para:
            return _choice(rng, [f"Before {b}, {n} was led by {p}.",
                                 f"{p}, who ran the company from {a} until {b}."])
        return f"{p} was chief executive from {a} to {b}."
    if kind == "employees":
        n = r.count_alt(v["n"], rng) if conv else r.count(v["n"])
        if para:
            return _choice(rng, [f"{s} has a staff of {n}.", f"{n} people work at {v['name']}.",
                                 f"About the workforce: {n} employees."])
        return f"{s} employs {n} people."
    if kind == "revenue":
        m = r.money_alt(v["money"], rng) if conv else r.money(v["money"])
        y = v["year"]
        if para:
            return _choice(rng, [f"{r.cap(poss(s))} sales in {y} came to {m}.",
                                 f"{s} had a turnover of {m} in {y}."])
        return f"{s} reported revenue of {m} in {y}."
    if kind == "listed":
        if v["yes"]:
            if v.get("no_city"):
                return _choice(rng, [f"Yes, {s} is publicly traded.",
                                     f"Yes, {r.lower_first(s)} is a listed company."])
            city = v["city"].name
            if para:
                return f"Yes; its shares are publicly traded on the {city} stock exchange."
            return f"Yes, {r.lower_first(s)} is listed on the {city} stock exchange."
        if para:
            return "No. It is a private company and its shares do not trade on any exchange."
        return _choice(rng, [f"No, {r.lower_first(s)} is privately held.",
                             f"No, {r.lower_first(s)} isn't listed on a stock exchange."])
    if kind == "profit":
        y = v["year"]
        if v["yes"]:
            if para:
                return f"Yes; {r.lower_first(s)} was profitable in {y}."
            return f"Yes, {r.lower_first(s)} made a profit in {y}."
        if para:
            return f"No. {s} was not profitable in {y}."
        return f"No, {r.lower_first(s)} made a loss in {y}."
    if kind == "quant":
        if para and "q_para" not in v and v["q"]:
            v = {**v, "q_para": rng.choice(QUANT_PARA[v["q"]])}
        return quant_text(v, s, "para" if para else "plain")
    if kind == "plan":
        base, prep, ing, past = PLANS[v["action"]]
        c, y = v["city"].name, v["year"]
        if v.get("tense") == "done":
            return _choice(rng, [f"{s} {past} {prep} {c} in {y}.",
                                 f"In {y}, {r.lower_first(s)} {past} {prep} {c}."])
        if para:
            return _choice(rng, [f"{s} intends to {base} {prep} {c} in {y}.",
                                 f"{s} is planning on {ing} {prep} {c} in {y}."])
        return f"{s} plans to {base} {prep} {c} in {y}."
    if kind == "quote":
        p, text = v["person"].name, v["text"]
        if para:
            return _choice(rng, [f'According to {p}, "{text}"', f'In the words of {p}: "{text}"'])
        return f'{p}, the company\'s {ROLE_WORD[v["role"]]}, said: "{text}"'
    if kind == "acquisition":
        b, t, y = v["buyer"].name, v["target"].name, v["year"]
        m = r.money_alt(v["money"], rng) if conv else r.money(v["money"])
        if para:
            return _choice(rng, [f"{t} was bought by {b} in {y}.", f"{b} paid {m} for {t}."])
        return _choice(rng, [f"{b} acquired {t} in {y}.", f"{b} acquired {t} for {m}."])
    if kind == "supplies":
        sup, cus, part = v["supplier"].name, v["customer"].name, v["part"]
        if para:
            return _choice(rng, [f"{cus} buys its {part} from {sup}.",
                                 f"{sup} is the supplier of {possessive(cus)} {part}."])
        return f"{sup} supplies {part} to {cus}."
    if kind == "rival":
        if para:
            return f"{v['rival'].name} is its main competitor."
        return f"{r.cap(poss(s))} main competitor is {v['rival'].name}."
    if kind == "launch":
        d = r.date_alt(v["date"], rng) if conv else r.date(v["date"])
        if v.get("tense") == "future":
            return _choice(rng, [f"{s} will be launched on {d}.", f"{s} is due to go on sale on {d}."])
        if para:
            return _choice(rng, [f"{s} went on sale on {d}.", f"{v['co'].name} released it on {d}."])
        return f"{s} was launched on {d}."
    if kind == "price":
        m = r.money_alt(v["money"], rng) if conv else r.money(v["money"])
        if para:
            return _choice(rng, [f"{s} is priced at {m}.", f"{s} sells for {m}.", f"{m}."])
        return f"{s} costs {m}."
    if kind == "weight":
        w = r.weight_alt(v["weight"], rng) if conv else r.weight(v["weight"])
        if para:
            return _choice(rng, [f"{s} has a weight of {w}.", f"{w}."])
        return f"{s} weighs {w}."
    if kind == "battery":
        h = r.hours_alt(v["h"], rng) if conv else r.hours(v["h"])
        if para:
            return _choice(rng, [f"{s} runs for {h} per charge.", f"About battery life: {h}."])
        return f"{r.cap(poss(s))} battery lasts {h} on a charge."
    if kind == "waterproof":
        if v["yes"]:
            return _choice(rng, [f"Yes, {r.lower_first(s)} is waterproof.",
                                 "Yes, it can get wet: it is waterproof."])
        return _choice(rng, [f"No, {r.lower_first(s)} is not waterproof.",
                             "No, it isn't waterproof."])
    if kind == "designer":
        p = v["person"].name
        if para:
            return _choice(rng, [f"{p} is the designer of the {v['prod'].name}.",
                                 f"{s} was designed by {p}."])
        return f"{s} was designed by {p}."
    if kind == "units":
        n = r.count_alt(v["n"], rng) if conv else r.count(v["n"])
        if para:
            return f"Sales of the {v['prod'].name} have reached {n} units."
        return f"{v['co'].name} has sold {n} units of the {v['prod'].name}."
    raise KeyError(kind)


CONVERTIBLE = ("founded", "employees", "revenue", "acquisition", "launch", "price", "weight",
               "battery", "units")

ABSTAIN = (
    "The context does not say {what}.",
    "The passage doesn't mention {what}.",
    "There is no information about {what} in the provided text.",
    "I can't answer that from the context: it does not give {what}.",
    "That isn't stated in the context.",
    "The text does not tell us {what}, so I cannot answer.",
)
HEDGED = (
    "The context does not say exactly, but {claim}",
    "It isn't stated directly; most likely {claim}",
)
