"""Question / context / answer items by family: six kinds of faithful answer (label 0) and eleven
kinds of hallucination (label 1), each built on its own scene.

Every hallucination is made from a faithful answer by one targeted change, rendered with the same
template and the same random choices, so the pair differs exactly where the meaning does;
`Item.faithful` keeps the faithful twin for the package's own tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import hallu_answers as a
import hallu_facts as f
import hallu_render as r
from hallu_scene import PRODUCT_KINDS, Key, Scene, build_scene, other_quote, values
from hallu_world import QUOTES, City, Company, Date, Money, Person, Weight, World

FAITHFUL = ("faithful_restatement", "faithful_paraphrase", "faithful_conversion",
            "faithful_reordered", "faithful_partial", "faithful_abstain")
HALLUCINATED = ("entity_swap", "number_change", "date_change", "negation_flip",
                "unsupported_detail", "wrong_relation", "overgeneralisation",
                "unanswerable_answered", "conflation", "temporal_shift", "fabricated_quote")
# Kinds of hallucination that only the hidden corpus holds: the public sample never shows them.
HELD_OUT = ("conflation", "temporal_shift", "fabricated_quote")

PAIRS = (  # two-fact questions
    ("founded", "founder", "Who founded {n}, and when?"),
    ("founded", "hq", "When was {n} founded, and where is it based?"),
    ("ceo", "employees", "Who runs {n}, and how many people work there?"),
    ("hq", "ceo", "Where is {n} based, and who leads it?"),
    ("revenue", "employees", "How big is {n}? Give its revenue for {year} and its headcount."),
    ("launch", "price", "When was the {p} launched, and what does it cost?"),
    ("weight", "battery", "How heavy is the {p}, and how long does its battery last?"),
    ("designer", "launch", "Who designed the {p}, and when did it come out?"),
    ("price", "waterproof", "What does the {p} cost, and is it waterproof?"),
)
FAMILY_KINDS = {
    "entity_swap": ("founder", "ceo", "hq", "designer", "acquisition", "supplies", "rival",
                    "plan", "former_ceo", "quant"),
    "number_change": ("employees", "revenue", "price", "weight", "battery", "units",
                      "acquisition"),
    "date_change": ("founded", "ceo", "former_ceo", "revenue", "launch", "acquisition", "plan",
                    "profit"),
    "negation_flip": ("listed", "profit", "waterproof"),
    "wrong_relation": ("founder", "ceo", "designer", "acquisition", "supplies"),
    "overgeneralisation": ("quant",),
    "conflation": ("founded", "hq", "ceo", "employees"),
    "temporal_shift": ("plan", "ceo", "former_ceo", "launch"),
}
RELATION_OF = {"acquisition": "acquisition", "supplies": "supplies", "rival": "rival"}
DETAILS_COMPANY = (
    " It also has a research office in {city}.",
    " The company was named after a river near {city}.",
    " This made it the largest maker of {what} in {country}.",
    " Its shares rose {pct}% after the announcement.",
    " Most of its customers are hospitals and universities.",
    " The decision was controversial among its staff.",
    " The company has never had a product recall.",
    " It has won the {country} Export Prize three times.",
    " It was the first company in {country} to publish its carbon emissions.",
)
DETAILS_PRODUCT = (
    " It was named {category} of the year in {country}.",
    " It comes with a {small}-year warranty.",
    " It is widely regarded as the most reliable {category} on the market.",
    " Its frame is made of recycled aluminium.",
    " It sold out within {small} days of its launch.",
    " Reviewers praised its quiet operation.",
)
CITATIONS = (
    "According to the {city} Herald, {answer}",
    "As reported in its {year} annual report, {answer}",
    "A {year} interview with {person} confirms it: {answer}",
)


@dataclass
class Item:
    question: str
    context: str
    answer: str
    label: int
    family: str
    faithful: str = ""  # a hallucination's faithful twin (same template, same choices)
    kind: str = ""

    def as_input(self) -> dict[str, str]:
        return {"question": self.question, "context": self.context, "answer": self.answer}


class Retry(Exception):
    """This attempt cannot make the family on the scene drawn; draw again."""


def _ref(kind: str, v: f.V, rng: random.Random) -> str:
    if kind in PRODUCT_KINDS:
        return rng.choice([f"The {v['prod'].name}", "It"])
    if kind in ("ceo", "former_ceo", "quote", "acquisition", "supplies"):
        return v["name"]  # these templates name their people and companies themselves
    return rng.choices([v["name"], v["co"].stem, "It", "The company"], weights=[45, 20, 20, 15])[0]


def _question_values(v: f.V, rng: random.Random) -> f.V:
    return {**v, "name": rng.choice([v["co"].name, v["co"].name, v["co"].stem])}


def _render(kind: str, v: f.V, ref: str, style: str, seed: float) -> str:
    return a.answer(kind, v, ref, style, random.Random(seed))


def _style(kind: str, rng: random.Random) -> str:
    if kind in a.CONVERTIBLE and rng.random() < 0.2:
        return "convert"
    return rng.choice(("plain", "para"))


# ------------------------------------------------------------------ value perturbations


def _absent(names: list[str], context: str, rng: random.Random) -> str:
    options = [n for n in names if n not in context]
    if not options:
        raise Retry
    return rng.choice(options)


def _change_count(n: int, rng: random.Random) -> int:
    for _ in range(20):
        mode = rng.random()
        if mode < 0.25 and n >= 100:
            digits = list(str(n))
            i = rng.randrange(len(digits) - 1)
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            new = int("".join(digits))
        else:
            new = int(n * rng.choice((0.5, 0.6, 0.7, 0.8, 1.25, 1.3, 1.5, 2, 3)))
            magnitude = 10 ** max(len(str(new)) - 2, 0)
            new = new // magnitude * magnitude
        if new != n and new > 0:
            return new
    raise Retry


def _change_money(m: Money, rng: random.Random) -> Money:
    if m.amount >= 1_000_000 and rng.random() < 0.3:
        factor = 1000 if m.amount < 1_000_000_000 else 1 / 1000  # million <-> billion
        return Money(int(m.amount * factor), m.currency)
    return Money(_change_count(m.amount, rng), m.currency)


def _change_year(y: int, rng: random.Random, low: int = 1900, high: int = 2031) -> int:
    options = [y + d for d in (-6, -4, -3, -2, -1, 1, 2, 3, 5, 10) if low <= y + d <= high]
    return rng.choice(options)


def _change_date(d: Date, rng: random.Random) -> Date:
    roll = rng.random()
    if roll < 0.5:
        return Date(_change_year(d.year, rng), d.month, d.day)
    if roll < 0.8:
        return Date(d.year, rng.choice([m for m in range(1, 13) if m != d.month]), d.day)
    return Date(d.year, d.month, rng.choice([x for x in range(1, 29) if x != d.day]))


def _perturb_number(kind: str, v: f.V, rng: random.Random) -> f.V:
    v = dict(v)
    if kind in ("employees", "units"):
        v["n"] = _change_count(v["n"], rng)
    elif kind in ("revenue", "price", "acquisition"):
        v["money"] = _change_money(v["money"], rng)
    elif kind == "weight":
        v["weight"] = Weight(_change_count(v["weight"].grams, rng))
    elif kind == "battery":
        v["h"] = rng.choice([h for h in (3, 5, 6, 8, 10, 12, 15, 18, 20, 24, 40, 72) if h != v["h"]])
    return v


def _perturb_date(kind: str, v: f.V, rng: random.Random) -> f.V:
    v = dict(v)
    if kind == "launch":
        v["date"] = _change_date(v["date"], rng)
    elif kind == "ceo":
        v["since"] = _change_year(v["since"], rng)
    elif kind == "former_ceo":
        slot = rng.choice(("start", "end"))
        v[slot] = _change_year(v[slot], rng)
    else:
        v["year"] = _change_year(v["year"], rng)
    return v


def _perturb_entity(kind: str, v: f.V, scene: Scene, world: World, rng: random.Random) -> f.V:
    v = dict(v)
    ctx = scene.context
    people = [p.name for p in world.people]
    cities = [c.name for c in world.cities]
    companies = [c.name for c in world.companies]
    if kind in ("founder", "ceo", "designer", "former_ceo"):
        v["person"] = Person(_absent(people, ctx, rng))
    elif kind in ("hq", "plan"):
        name = _absent(cities, ctx, rng)
        v["city"] = City(name, next(c.country for c in world.cities if c.name == name))
    elif kind == "acquisition":
        v["target"] = _company_named(world, _absent(companies, ctx, rng))
    elif kind == "supplies":
        v["supplier"] = _company_named(world, _absent(companies, ctx, rng))
    elif kind == "rival":
        v["rival"] = _company_named(world, _absent(companies, ctx, rng))
    elif kind == "quant":
        if QUANTIFIED_PLACE.get(v["key"]) == "country":
            v["country"] = _absent(world.countries, ctx, rng)
        elif QUANTIFIED_PLACE.get(v["key"]) == "city":
            name = _absent(cities, ctx, rng)
            v["city"] = City(name, "")
        else:
            raise Retry
    return v


QUANTIFIED_PLACE = {"exports": "country", "assembly": "city"}


def _company_named(world: World, name: str) -> Company:
    return next(c for c in world.companies if c.name == name)


def _wrong_relation(kind: str, v: f.V, scene: Scene, rng: random.Random) -> f.V:
    v = dict(v)
    fx = scene.facts
    if kind in ("founder", "ceo", "designer"):
        roles = {"founder": ("ceo", "designer", "former_ceo"), "ceo": ("founder", "designer"),
                 "designer": ("founder", "ceo")}[kind]
        others = [fx[(k, "C")]["person"] for k in roles if (k, "C") in fx]
        others = [p for p in others if p != v["person"]]
        if not others:
            raise Retry
        v["person"] = rng.choice(others)
    elif kind == "acquisition":
        v["buyer"], v["target"] = v["target"], v["buyer"]
    elif kind == "supplies":
        v["supplier"], v["customer"] = v["customer"], v["supplier"]
        v["part"] = v["supplier"].sector[2] if rng.random() < 0.3 else v["part"]
    return v


# A misquotation changes one word of a real quote into a plausible other one.
MISQUOTE = {"useful": "practical", "tools": "machines", "winter": "summer", "people": "customers",
            "manual": "warranty", "floor": "office", "long": "short", "twice": "three times",
            "launch": "release", "Quiet": "Small", "small": "young", "goal": "target",
            "Growth": "Profit", "expensive": "costly", "disappear": "blend"}


def _misquote(text: str, rng: random.Random) -> str:
    words = text.split()
    spots = [i for i, w in enumerate(words) if w.strip(".,") in MISQUOTE]
    if not spots:
        raise Retry
    i = rng.choice(spots)
    word = words[i].strip(".,")
    words[i] = words[i].replace(word, MISQUOTE[word])
    return " ".join(words)


# ------------------------------------------------------------------ item builders


def _need_for(family: str, kind: str) -> set[Key]:
    need: set[Key] = {(kind, "C")} if kind not in RELATION_OF else set()
    if family == "wrong_relation" and kind in ("founder", "ceo", "designer"):
        partner = {"founder": "ceo", "ceo": "founder", "designer": "founder"}[kind]
        need.add((partner, "C"))
    return need


def make_item(family: str, world: World, rng: random.Random) -> Item:
    for _ in range(200):
        try:
            return _make(family, world, rng)
        except Retry:
            continue
    raise RuntimeError(f"could not build an item of family {family}")


def _make(family: str, world: World, rng: random.Random) -> Item:
    seed = rng.random()
    if family in ("faithful_abstain", "unanswerable_answered"):
        return _unanswerable(family, world, rng, seed)
    if family in ("faithful_reordered", "faithful_partial") or (
        family in ("entity_swap", "number_change", "date_change", "negation_flip",
                   "unsupported_detail") and rng.random() < 0.2
    ):
        return _two_facts(family, world, rng, seed)
    if family in FAMILY_KINDS:
        kind = rng.choice(FAMILY_KINDS[family])
    elif family == "faithful_conversion":
        kind = rng.choice(a.CONVERTIBLE)
    elif family == "fabricated_quote" and rng.random() < 0.5:
        kind = "quote"
    else:
        kind = rng.choice(("founded", "founder", "hq", "ceo", "former_ceo", "employees",
                           "revenue", "listed", "profit", "quant", "plan", "quote", "launch",
                           "price", "weight", "battery", "waterproof", "designer", "units",
                           "acquisition", "supplies", "rival"))
    relation = RELATION_OF.get(kind)
    need = _need_for(family, kind)
    who = "C"
    if family == "conflation":
        need |= {(kind, "S")}
        who = rng.choice(("C", "C", "S"))
    scene = build_scene(rng, world, need=need, relation=relation)
    v = scene.facts[(kind, who)]
    if family == "overgeneralisation" and v["q"] not in f.OVERGENERAL:
        raise Retry
    if family == "faithful_conversion":
        style = "convert"
    elif family == "faithful_restatement":
        style = "plain"
    elif family == "faithful_paraphrase":
        style = "para"
    else:
        style = _style(kind, rng)
    qv = _question_values(v, rng)
    question = f.question(kind, qv, rng)
    ref = _ref(kind, qv, rng)
    faithful = _render(kind, qv, ref, style, seed)
    if family in FAITHFUL:
        return Item(question, scene.context, faithful, 0, family, kind=kind)
    answer = _hallucinate(family, kind, who, qv, ref, style, seed, scene, world, rng, faithful)
    if answer == faithful or answer.lower() in scene.context.lower():
        raise Retry
    return Item(question, scene.context, answer, 1, family, faithful=faithful, kind=kind)


def _hallucinate(family: str, kind: str, who: str, v: f.V, ref: str, style: str, seed: float,
                 scene: Scene, world: World, rng: random.Random, faithful: str) -> str:
    if family == "entity_swap":
        return _render(kind, _perturb_entity(kind, v, scene, world, rng), ref, style, seed)
    if family == "number_change":
        return _render(kind, _perturb_number(kind, v, rng), ref, style, seed)
    if family == "date_change":
        return _render(kind, _perturb_date(kind, v, rng), ref, style, seed)
    if family == "negation_flip":
        return _render(kind, {**v, "yes": not v["yes"], "no_city": True}, ref, style, seed)
    if family == "wrong_relation":
        return _render(kind, _wrong_relation(kind, v, scene, rng), ref, style, seed)
    if family == "overgeneralisation":
        q = v["q"]
        new = "" if rng.random() < 0.25 else f.OVERGENERAL[q]
        return _render(kind, {**v, "q": new, "q_literal": True}, ref, style, seed)
    if family == "unsupported_detail":
        return _add_detail(faithful, kind, scene, world, rng)
    if family == "conflation":
        return _conflate(kind, who, v, ref, style, seed, scene, rng)
    if family == "temporal_shift":
        flag = {"plan": ("tense", "done"), "ceo": ("time", "until"),
                "former_ceo": ("time", "current"), "launch": ("tense", "future")}[kind]
        return _render(kind, {**v, flag[0]: flag[1]}, ref, style, seed)
    if family == "fabricated_quote":
        return _fabricate_quote(kind, v, ref, style, seed, scene, world, rng, faithful)
    raise KeyError(family)


def _add_detail(faithful: str, kind: str, scene: Scene, world: World, rng: random.Random) -> str:
    if faithful.endswith('"'):
        raise Retry
    product = kind in PRODUCT_KINDS
    template = rng.choice(DETAILS_PRODUCT if product else DETAILS_COMPANY)
    in_context = [v["city"].name for v in scene.facts.values() if "city" in v]
    city = (rng.choice(in_context) if in_context and rng.random() < 0.3
            else _absent([c.name for c in world.cities], scene.context, rng))
    detail = template.format(
        city=city, country=_absent(world.countries, scene.context, rng),
        what=scene.co.sector[1], pct=rng.choice((4, 7, 9, 12, 18, 25)),
        category=scene.co.product.category, small=rng.choice((2, 3, 5)),
    )
    return faithful + detail


def _conflate(kind: str, who: str, v: f.V, ref: str, style: str, seed: float, scene: Scene,
              rng: random.Random) -> str:
    other = scene.facts[(kind, "S" if who == "C" else "C")]
    if rng.random() < 0.2 and ref not in ("It", "The company"):
        # Two companies merged into one name: "Brannoch Foods" from Brannoch Robotics and
        # Velmar Foods.
        mine, theirs = scene.company(who), scene.company("S" if who == "C" else "C")
        fused = f"{mine.stem} {theirs.sector[0]}"
        return _render(kind, {**v, "name": fused}, fused, style, seed)
    slots = {"founded": ("year",), "hq": ("city",), "ceo": ("person", "since"),
             "employees": ("n",)}[kind]
    changed = {**v, **{s: other[s] for s in slots}}
    if all(changed[s] == v[s] for s in slots):
        raise Retry
    return _render(kind, changed, ref, style, seed)


def _fabricate_quote(kind: str, v: f.V, ref: str, style: str, seed: float, scene: Scene,
                     world: World, rng: random.Random, faithful: str) -> str:
    people = scene.people()
    if kind == "quote":
        roll = rng.random()
        if roll < 0.5:
            return _render(kind, {**v, "text": other_quote(v["text"], rng)}, ref, style, seed)
        if roll < 0.75:
            others = [p for p in people if p != v["person"].name]
            if not others:
                raise Retry
            return _render(kind, {**v, "person": Person(rng.choice(others))}, ref, "para", seed)
        return _render(kind, {**v, "text": _misquote(v["text"], rng)}, ref, style, seed)
    if faithful.endswith('"'):
        raise Retry
    if rng.random() < 0.5 and people:
        # Contexts quote without the final full stop: '"We measure twice and ship once," said'.
        text = rng.choice([q for q in QUOTES if q[:-1] not in scene.context])
        speaker = rng.choice(people)
        return faithful + rng.choice([f' {speaker} said at the time: "{text}"',
                                      f' As {speaker} put it, "{text}"'])
    template = rng.choice(CITATIONS)
    if "annual report" in template and "annual report" in scene.context:
        raise Retry
    return template.format(
        city=_absent([c.name for c in world.cities], scene.context, rng),
        year=rng.randrange(2015, 2025), person=rng.choice(people) if people else "its founder",
        answer=r.lower_first(faithful),
    )


def _two_facts(family: str, world: World, rng: random.Random, seed: float) -> Item:
    k1, k2, template = rng.choice(PAIRS)
    scene = build_scene(rng, world, need={(k1, "C"), (k2, "C")})
    v1, v2 = scene.facts[(k1, "C")], scene.facts[(k2, "C")]
    name = rng.choice([scene.co.name, scene.co.stem])
    question = template.format(n=name, p=scene.co.product.name, year=v1.get("year",
                               v2.get("year", "")))
    qv1, qv2 = {**v1, "name": name}, {**v2, "name": name}
    style1 = "plain" if family == "faithful_reordered" else _style(k1, rng)
    style2 = rng.choice(("plain", "para"))
    ref1, ref2 = _ref(k1, qv1, rng), rng.choice(["It", _ref(k2, qv2, rng)])
    first = _render(k1, qv1, ref1, style1, seed)
    second = _render(k2, qv2, ref2, style2, seed + 1)
    if family == "faithful_partial":
        return Item(question, scene.context, rng.choice([first, second]), 0, family, kind=k1)
    reorder = family == "faithful_reordered" or rng.random() < 0.5
    if family == "faithful_reordered":
        return Item(question, scene.context, f"{second} {first}", 0, family, kind=k1)
    # A hallucination hidden in one of two facts, the other stated correctly.
    target = rng.choice([(k1, qv1, ref1, style1, seed), (k2, qv2, ref2, style2, seed + 1)])
    kind = target[0]
    if family in FAMILY_KINDS and kind not in FAMILY_KINDS[family]:
        raise Retry
    wrong = _hallucinate(family, kind, "C", target[1], target[2], target[3], target[4], scene,
                         world, rng, _render(*target))
    faithful_parts = [first, second]
    parts = [wrong if target[0] == k1 else first, wrong if target[0] == k2 else second]
    if reorder:
        parts.reverse()
        faithful_parts.reverse()
    answer, faithful = " ".join(parts), " ".join(faithful_parts)
    if answer == faithful:
        raise Retry
    return Item(question, scene.context, answer, 1, family, faithful=faithful, kind=kind)


def _unanswerable(family: str, world: World, rng: random.Random, seed: float) -> Item:
    kind = rng.choice(f.UNANSWERABLE_KINDS)
    # A quote names the chief executive or the founder: it would answer those questions.
    avoid = {(kind, "C")} | ({("quote", "C")} if kind in ("ceo", "founder") else set())
    scene = build_scene(rng, world, avoid=avoid)
    v = values(kind, scene.co, rng)
    if kind in ("revenue", "profit"):
        v["year"] = rng.randrange(2016, 2024)
    qv = _question_values(v, rng)
    question = f.question(kind, qv, rng)
    if family == "faithful_abstain":
        text = rng.choice(a.ABSTAIN).format(what=f.what(kind, qv))
        return Item(question, scene.context, text, 0, family, kind=kind)
    roll = rng.random()
    if roll < 0.35:
        pass  # the true value in the invented world: right, but not supported by this context
    elif roll < 0.65:
        qv = _perturb_number(kind, qv, rng)
        qv = _perturb_date(kind, qv, rng) if kind in ("founded", "launch") else qv
        if "person" in qv or "city" in qv:
            qv = _perturb_entity(kind, qv, scene, world, rng)
        if "yes" in qv:
            qv["yes"] = rng.random() < 0.5
    else:
        qv = _borrow(kind, qv, scene, rng)
    ref = _ref(kind, qv, rng)
    claim = _render(kind, qv, ref, _style(kind, rng), seed)
    if rng.random() < 0.15:
        claim = rng.choice(a.HEDGED).format(claim=r.lower_first(claim))
    return Item(question, scene.context, claim, 1, family, kind=kind)


def _borrow(kind: str, v: f.V, scene: Scene, rng: random.Random) -> f.V:
    """An answer to an unanswerable question built from a value the context gives for
    something else (another year, another person, the other company's figure)."""
    v = dict(v)
    pool: dict[str, list[object]] = {"year": [], "person": [], "city": [], "n": [], "money": []}
    for fact in scene.facts.values():
        for slot in ("year", "since", "start", "end"):
            if slot in fact:
                pool["year"].append(fact[slot])
        for slot in ("person", "city", "n", "money"):
            if slot in fact:
                pool[slot].append(fact[slot])
    changed = False
    for slot in ("year", "person", "city", "n", "money"):
        if slot in v and pool[slot]:
            v[slot] = rng.choice(pool[slot])
            changed = True
    if "date" in v and pool["year"]:
        v["date"] = Date(int(str(rng.choice(pool["year"]))), v["date"].month, v["date"].day)
        changed = True
    if not changed:
        raise Retry
    return v
