"""A scene is one item's context: a primary company, its flagship product and a second company
(a rival, an acquisition or a supplier), with a random subset of their facts written as a passage.
Each item gets its own scene, so no two items share a context."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import hallu_facts as f
from hallu_world import QUOTES, Company, Money, World

PRIMARY_KINDS = ("founded", "founder", "hq", "ceo", "former_ceo", "employees", "revenue",
                 "listed", "profit", "quant", "plan", "quote")
PRODUCT_KINDS = ("launch", "price", "weight", "battery", "waterproof", "designer", "units")
SECONDARY_KINDS = ("founded", "hq", "ceo", "employees")
RELATIONS = ("rival", "acquisition", "supplies")

Key = tuple[str, str]  # (kind, "C" or "S")


@dataclass
class Scene:
    co: Company
    sec: Company
    relation: str
    facts: dict[Key, f.V]
    sentences: list[str] = field(default_factory=list)

    @property
    def context(self) -> str:
        return " ".join(self.sentences)

    def company(self, who: str) -> Company:
        return self.co if who == "C" else self.sec

    def people(self) -> list[str]:
        """Names of the people the context mentions."""
        return sorted({v["person"].name for v in self.facts.values() if "person" in v})


def values(kind: str, co: Company, rng: random.Random) -> f.V:
    """The true values of one fact about `co` (and its product)."""
    v: f.V = {"co": co, "name": co.name}
    p = co.product
    if kind in PRODUCT_KINDS:
        v["prod"] = p
    if kind == "founded":
        v["year"] = co.founded
    elif kind == "founder":
        v["person"] = co.founder
    elif kind == "hq":
        v["city"] = co.city
    elif kind == "ceo":
        v.update(person=co.ceo, since=co.ceo_since)
    elif kind == "former_ceo":
        start = rng.randrange(max(co.founded, co.ceo_since - 14), co.ceo_since)
        v.update(person=co.former_ceo, start=start, end=co.ceo_since)
    elif kind == "employees":
        v["n"] = co.employees
    elif kind == "revenue":
        v.update(money=co.revenue, year=co.revenue_year)
    elif kind == "listed":
        v.update(yes=co.listed, city=co.exchange_city)
    elif kind == "profit":
        v.update(yes=co.profitable, year=co.profit_year)
    elif kind == "quant":
        key = rng.choice(sorted(f.QUANT_FACTS))
        v.update(key=key, q=rng.choice(f.QUANT_FACTS[key]["qs"]), country=co.export_country,
                 city=co.city)
    elif kind == "plan":
        v.update(action=rng.randrange(len(f.PLANS)), city=co.plan_city, year=co.plan_year)
    elif kind == "quote":
        role = co.quote_speaker
        v.update(person=co.ceo if role == "ceo" else co.founder, role=role, text=co.quote)
    elif kind == "launch":
        v["date"] = p.launch
    elif kind == "price":
        v["money"] = p.price
    elif kind == "weight":
        v["weight"] = p.weight
    elif kind == "battery":
        v["h"] = p.battery_hours
    elif kind == "waterproof":
        v["yes"] = p.waterproof
    elif kind == "designer":
        v["person"] = p.designer
    elif kind == "units":
        v["n"] = p.units_sold
    else:
        raise KeyError(kind)
    return v


def _company_ref(co: Company, rng: random.Random, first: bool) -> str:
    if first:
        return co.name
    return rng.choices([co.name, co.stem, "The company", "It"], weights=[35, 25, 20, 20])[0]


def build_scene(rng: random.Random, world: World, need: set[Key] = frozenset(),
                avoid: set[Key] = frozenset(), relation: str | None = None) -> Scene:
    """A context holding every fact in `need` and none in `avoid`."""
    co = rng.choice(world.companies)
    sec = rng.choice([c for c in world.companies if c is not co and c.sector != co.sector])
    relation = relation or rng.choice(RELATIONS)
    chosen: set[Key] = {(k, "C") for k in rng.sample(PRIMARY_KINDS, rng.randrange(5, 9))}
    chosen |= {(k, "C") for k in rng.sample(PRODUCT_KINDS, rng.randrange(2, 5))}
    chosen |= {(k, "S") for k in rng.sample(SECONDARY_KINDS, rng.randrange(1, 4))}
    chosen = (chosen | set(need)) - set(avoid)
    facts_: dict[Key, f.V] = {}
    for kind, who in sorted(chosen):
        facts_[(kind, who)] = values(kind, co if who == "C" else sec, rng)
    if relation == "acquisition":
        year = rng.randrange(max(co.founded, sec.founded) + 1, 2024)
        amount = rng.choice((12, 18, 25, 45, 60, 85, 120, 240, 410, 900)) * 1_000_000
        facts_[("acquisition", "C")] = {"co": co, "name": co.name, "buyer": co, "target": sec,
                                       "year": year, "money": Money(amount, co.revenue.currency)}
    elif relation == "supplies":
        facts_[("supplies", "C")] = {"co": co, "name": co.name, "supplier": sec, "customer": co,
                                    "part": co.sector[2]}
    else:
        facts_[("rival", "C")] = {"co": co, "name": co.name, "rival": sec}
    scene = Scene(co, sec, relation, facts_)
    scene.sentences = _write(scene, rng)
    return scene


def _write(scene: Scene, rng: random.Random) -> list[str]:
    co, sec, fx = scene.co, scene.sec, scene.facts
    out = [f.ctx_sentence("intro", {"what": co.sector[1]}, co.name, rng)]
    primary = [k for (k, w) in fx if w == "C" and k in PRIMARY_KINDS]
    rng.shuffle(primary)
    # "founded in 1987 by X" is one sentence half the time: alignment must handle both facts.
    merge = "founded" in primary and "founder" in primary and rng.random() < 0.5
    for kind in primary:
        if merge and kind == "founder":
            continue
        ref = _company_ref(co, rng, first=False)
        if merge and kind == "founded":
            v = {**fx[("founded", "C")], "person": fx[("founder", "C")]["person"]}
            out.append(f.ctx_sentence("founded_by", v, ref, rng))
        else:
            out.append(f.ctx_sentence(kind, fx[(kind, "C")], ref, rng))
    product_block: list[str] = []
    product = [k for (k, w) in fx if w == "C" and k in PRODUCT_KINDS]
    rng.shuffle(product)
    secondary_first = rng.random() < 0.3
    if product:
        intro_ref = co.name if secondary_first else rng.choice([co.name, "It"])
        product_block.append(f.ctx_sentence("product_intro", {"prod": co.product}, intro_ref, rng))
        for kind in product:
            ref = rng.choice([f"The {co.product.name}", "It"])
            product_block.append(f.ctx_sentence(kind, fx[(kind, "C")], ref, rng))
    secondary_block: list[str] = []
    for rel in ("acquisition", "supplies", "rival"):
        if (rel, "C") in fx:
            secondary_block.append(f.ctx_sentence(rel, fx[(rel, "C")], co.name, rng))
    sec_kinds = [k for (k, w) in fx if w == "S"]
    rng.shuffle(sec_kinds)
    for kind in sec_kinds:
        ref = rng.choice([sec.name, sec.stem])
        secondary_block.append(f.ctx_sentence(kind, fx[(kind, "S")], ref, rng))
    if secondary_first:
        return out + secondary_block + product_block
    return out + product_block + secondary_block


def other_quote(text: str, rng: random.Random) -> str:
    return rng.choice([q for q in QUOTES if q != text])
