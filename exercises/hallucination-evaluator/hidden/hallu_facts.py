"""Kinds of fact: how each is written into a context passage, asked about, and answered.

A fact is a kind plus a dict of values. Faithful and perturbed answers go through the same answer
templates (a perturbation changes the values, never the wording around them), so the wording of an
answer says nothing about its label.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import hallu_render as r

V = dict[str, Any]

# Quantified facts about a company. `det` quantifiers modify a noun ("most of its factories"),
# `adv` ones a verb ("usually ships"). Universal quantifiers also occur in contexts, so "all" or
# "always" in an answer is not a hallucination by itself.
QUANT_FACTS: dict[str, dict[str, Any]] = {
    "exports": {
        "type": "det", "qs": ("most", "some", "many"),
        "ctx": "{Q} of {poss} sales come from exports to {country}.",
        "para": "{Qp} of {poss} sales are exports to {country}.",
        "question": "How much of {name_s} business comes from exports to {country}?",
    },
    "solar": {
        "type": "det", "qs": ("most", "some", "several", "all"),
        "ctx": "{Q} of {poss} factories run on solar power.",
        "para": "{Qp} of {poss} factories are powered by solar energy.",
        "question": "Do {name_s} factories use solar power?",
    },
    "remote": {
        "type": "det", "qs": ("many", "some", "most", "a few"),
        "ctx": "{Q} of {poss} engineers work remotely.",
        "para": "{Qp} of {poss} engineers work from home.",
        "question": "Do {name_s} engineers work remotely?",
    },
    "assembly": {
        "type": "det", "qs": ("all", "most", "some"),
        "ctx": "{Q} of {poss} products are assembled in {city}.",
        "para": "{Qp} of {poss} products are put together in {city}.",
        "question": "Where are {name_s} products assembled?",
    },
    "shipping": {
        "type": "adv", "qs": ("usually", "often", "always"),
        "ctx": "{ref} {Q} ships orders within two days.",
        "para": "{ref} {Qp} sends out orders within two days.",
        "question": "How quickly does {name} ship orders?",
    },
    "direct": {
        "type": "adv", "qs": ("rarely", "sometimes", "never"),
        "ctx": "{ref} {Q} sells directly to consumers.",
        "para": "{ref} {Qp} sells straight to consumers.",
        "question": "Does {name} sell directly to consumers?",
    },
}
QUANT_PARA = {
    "most": ("the majority", "more than half"), "some": ("a portion", "part"),
    "several": ("a number",), "many": ("a large number", "a lot"), "all": ("every one", "all"),
    "a few": ("a small number",), "usually": ("typically", "normally", "generally"),
    "often": ("frequently",), "always": ("always", "invariably"),
    "rarely": ("seldom", "hardly ever"), "sometimes": ("occasionally",), "never": ("never",),
}
# Strengthening a hedged quantifier into a universal one: overgeneralisation.
OVERGENERAL = {
    "most": "all", "some": "all", "several": "all", "many": "all", "a few": "all",
    "usually": "always", "often": "always", "sometimes": "always", "rarely": "never",
}

PLANS = (  # base form, preposition, -ing form, past form
    ("open a second factory", "in", "opening a second factory", "opened a second factory"),
    ("build a new warehouse", "in", "building a new warehouse", "built a new warehouse"),
    ("move its headquarters", "to", "moving its headquarters", "moved its headquarters"),
    ("set up a research centre", "in", "setting up a research centre", "set up a research centre"),
)
ROLE_WORD = {"ceo": "chief executive", "founder": "founder"}


def poss(ref: str) -> str:
    if ref == "It":
        return "its"
    if ref == "The company":
        return "the company's"
    return possessive(ref)


def possessive(name: str) -> str:
    """'Brannoch Robotics'' for names ending in s, "Velmar's" otherwise."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _pick(rng: random.Random, *options: str) -> str:
    return rng.choice(options)


# ---------------------------------------------------------------- context sentences


def ctx_sentence(kind: str, v: V, ref: str, rng: random.Random) -> str:
    """One sentence of the context stating the fact; `ref` names the subject."""
    s = ref
    if kind == "intro":
        return _pick(rng, f"{s} makes {v['what']}.", f"{s} is a maker of {v['what']}.")
    if kind == "founded":
        return _pick(rng, f"{s} was founded in {v['year']}.", f"{s} dates from {v['year']}.")
    if kind == "founded_by":
        return f"{s} was founded in {v['year']} by {v['person'].name}."
    if kind == "founder":
        return _pick(rng, f"{s} was founded by {v['person'].name}.",
                     f"{v['person'].name} founded {s if s not in ('It', 'The company') else 'it'}.")
    if kind == "hq":
        city = v["city"]
        return _pick(rng, f"{s} is headquartered in {city.name}, {city.country}.",
                     f"{r.cap(poss(s))} head office is in {city.name}, {city.country}.")
    if kind == "ceo":
        p = v["person"].name
        return _pick(rng, f"{p} has been chief executive of {v['co'].name} since {v['since']}.",
                     f"Since {v['since']}, {v['co'].name} has been led by chief executive {p}.")
    if kind == "former_ceo":
        return (f"{v['person'].name} was chief executive of {v['co'].name} from {v['start']} "
                f"until {v['end']}.")
    if kind == "employees":
        return _pick(rng, f"{s} employs {r.count(v['n'])} people.",
                     f"{s} has a workforce of {r.count(v['n'])}.")
    if kind == "revenue":
        m, y = r.money(v["money"]), v["year"]
        return _pick(rng, f"In {y}, {r.lower_first(s)} reported revenue of {m}.",
                     f"According to its {y} annual report, {r.lower_first(s)} had revenue of {m}.")
    if kind == "listed":
        if v["yes"]:
            return _pick(rng, f"{s} is listed on the {v['city'].name} stock exchange.",
                         f"{r.cap(poss(s))} shares trade on the {v['city'].name} stock exchange.")
        return _pick(rng, f"{s} is privately held and is not listed on any stock exchange.",
                     f"{s} remains a private company; its shares are not publicly traded.")
    if kind == "profit":
        if v["yes"]:
            return _pick(rng, f"{s} turned a profit in {v['year']}.",
                         f"{s} was profitable in {v['year']}.")
        return _pick(rng, f"{s} did not make a profit in {v['year']}.",
                     f"{s} reported a loss for {v['year']}.")
    if kind == "quant":
        return quant_text(v, ref, "ctx")
    if kind == "plan":
        base, prep = PLANS[v["action"]][:2]
        return _pick(rng, f"{s} plans to {base} {prep} {v['city'].name} in {v['year']}.",
                     f"{s} has announced plans to {base} {prep} {v['city'].name} in {v['year']}.")
    if kind == "quote":
        p, text, role = v["person"].name, v["text"], ROLE_WORD[v["role"]]
        return _pick(rng, f'"{text[:-1]}," said {p}, the company\'s {role}.',
                     f'{p}, the {role} of {v["co"].name}, once said: "{text}"')
    if kind == "acquisition":
        b, t, m, y = v["buyer"].name, v["target"].name, r.money(v["money"]), v["year"]
        return _pick(rng, f"In {y}, {b} acquired {t} for {m}.",
                     f"{t} was bought by {b} in {y} for {m}.")
    if kind == "supplies":
        return _pick(rng, f"{v['supplier'].name} supplies {v['part']} to {v['customer'].name}.",
                     f"{v['customer'].name} buys its {v['part']} from {v['supplier'].name}.")
    if kind == "rival":
        return f"{r.cap(poss(s))} main competitor is {v['rival'].name}."
    if kind == "product_intro":
        cat = v["prod"].category
        article = "an" if cat[0] in "aeiou" else "a"
        return f"{r.cap(poss(s))} best-known product is the {v['prod'].name}, {article} {cat}."
    if kind == "launch":
        return _pick(rng, f"{s} was launched on {r.date(v['date'])}.",
                     f"{v['co'].name} released the {v['prod'].name} on {r.date(v['date'])}.")
    if kind == "price":
        return _pick(rng, f"{s} costs {r.money(v['money'])}.",
                     f"{s} is priced at {r.money(v['money'])}.")
    if kind == "weight":
        return f"{s} weighs {r.weight(v['weight'])}."
    if kind == "battery":
        return _pick(rng, f"{r.cap(poss(s))} battery lasts {r.hours(v['h'])} on a single charge.",
                     f"{s} runs for {r.hours(v['h'])} on one charge.")
    if kind == "waterproof":
        return f"{s} is waterproof." if v["yes"] else f"{s} is not waterproof."
    if kind == "designer":
        return f"{s} was designed by {v['person'].name}."
    if kind == "units":
        return f"{v['co'].name} has sold {r.count(v['n'])} units of the {v['prod'].name}."
    raise KeyError(kind)


def quant_text(v: V, ref: str, style: str) -> str:
    spec = QUANT_FACTS[v["key"]]
    q = v["q"]
    if style == "ctx" or v.get("q_literal"):
        word = q
    else:
        word = v.get("q_para") or q
    fields = {"poss": poss(ref), "ref": ref, "country": v.get("country", ""),
              "city": v["city"].name if "city" in v else ""}
    template = spec["ctx"] if style in ("ctx", "plain") else spec["para"]
    template = template.replace("{Qp}", "{Q}")
    if word == "":  # a quantifier dropped by an overgeneralisation: "ships orders ..."
        template = template.replace("{Q} of ", "").replace(" {Q}", "")
    return r.cap(template.format(Q=word, **fields))


# ---------------------------------------------------------------- questions

QuestionFn = Callable[[V, random.Random], str]


def question(kind: str, v: V, rng: random.Random) -> str:
    n = v.get("name", "")
    if kind == "founded":
        return _pick(rng, f"When was {n} founded?", f"In what year was {n} established?")
    if kind == "founder":
        return _pick(rng, f"Who founded {n}?", f"Who started {n}?")
    if kind == "hq":
        return _pick(rng, f"Where is {n} based?", f"Where are {possessive(n)} headquarters?")
    if kind == "ceo":
        return _pick(rng, f"Who is the chief executive of {n}?", f"Who runs {n}?",
                     f"Who leads {n}, and since when?")
    if kind == "former_ceo":
        return _pick(rng, f"Who led {n} before its current chief executive?",
                     f"Who ran {n} before {v['end']}?")
    if kind == "employees":
        return _pick(rng, f"How many people does {n} employ?", f"How large is {possessive(n)} workforce?")
    if kind == "revenue":
        return _pick(rng, f"What was {possessive(n)} revenue in {v['year']}?",
                     f"How much revenue did {n} report for {v['year']}?")
    if kind == "listed":
        return _pick(rng, f"Is {n} a publicly traded company?",
                     f"Is {n} listed on a stock exchange?")
    if kind == "profit":
        return _pick(rng, f"Was {n} profitable in {v['year']}?",
                     f"Did {n} make a profit in {v['year']}?")
    if kind == "quant":
        spec = QUANT_FACTS[v["key"]]
        return spec["question"].format(name=n, name_s=possessive(n), country=v.get("country", ""),
                                       city=v["city"].name if "city" in v else "")
    if kind == "plan":
        return _pick(rng, f"What are {possessive(n)} plans for {v['city'].name}?",
                     f"What does {n} intend to do in {v['city'].name}?")
    if kind == "quote":
        return _pick(rng, f"What has {v['person'].name} said about the company?",
                     f"How has {possessive(n)} {ROLE_WORD[v['role']]} described the company's approach?")
    if kind == "acquisition":
        return _pick(rng, f"Which company did {v['buyer'].name} acquire in {v['year']}?",
                     f"Who bought {v['target'].name}, and when?",
                     f"How much did {v['buyer'].name} pay for {v['target'].name}?")
    if kind == "supplies":
        return _pick(rng, f"Who supplies {possessive(v['customer'].name)} {v['part']}?",
                     f"What is the relationship between {v['customer'].name} and "
                     f"{v['supplier'].name}?")
    if kind == "rival":
        return f"Who is {possessive(n)} main competitor?"
    p = v["prod"].name if "prod" in v else ""
    if kind == "launch":
        return _pick(rng, f"When was the {p} launched?", f"When did the {p} go on sale?")
    if kind == "price":
        return _pick(rng, f"How much does the {p} cost?", f"What is the price of the {p}?")
    if kind == "weight":
        return _pick(rng, f"How much does the {p} weigh?", f"How heavy is the {p}?")
    if kind == "battery":
        return _pick(rng, f"How long does the {possessive(p)} battery last?",
                     f"What is the battery life of the {p}?")
    if kind == "waterproof":
        return _pick(rng, f"Is the {p} waterproof?", f"Can the {p} get wet?")
    if kind == "designer":
        return f"Who designed the {p}?"
    if kind == "units":
        return f"How many units of the {p} has {v['co'].name} sold?"
    raise KeyError(kind)


def what(kind: str, v: V) -> str:
    """The missing information, for abstentions: 'how many people X employs'."""
    n = v.get("name", "")
    p = v["prod"].name if "prod" in v else ""
    return {
        "founded": f"when {n} was founded", "founder": f"who founded {n}",
        "hq": f"where {n} is based", "ceo": f"who runs {n}",
        "employees": f"how many people {n} employs",
        "revenue": f"{possessive(n)} revenue for {v.get('year')}",
        "listed": f"whether {n} is listed on a stock exchange",
        "profit": f"whether {n} made a profit in {v.get('year')}",
        "launch": f"when the {p} was launched", "price": f"the price of the {p}",
        "weight": f"how much the {p} weighs", "battery": f"the battery life of the {p}",
        "waterproof": f"whether the {p} is waterproof", "designer": f"who designed the {p}",
        "units": f"how many units of the {p} have been sold",
    }[kind]


UNANSWERABLE_KINDS = ("founded", "founder", "hq", "ceo", "employees", "revenue", "listed",
                      "profit", "launch", "price", "weight", "battery", "waterproof", "designer",
                      "units")
