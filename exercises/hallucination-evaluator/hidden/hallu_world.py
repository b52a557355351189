"""A small invented world: companies, their flagship products, people, cities and countries.

Every name is built from syllables by a seeded generator, so nothing can be looked up and no data
is downloaded. The public sample and the hidden corpus are drawn from two disjoint worlds: no
company, person, product or place of one appears in the other, so memorising the public sample
teaches nothing about a particular hidden item.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)

FIRST_NAMES = (
    "Ilsa", "Teodor", "Maren", "Oskar", "Liva", "Sefa", "Idris", "Noor", "Tomas", "Anneke",
    "Ravi", "Yusra", "Henrik", "Mila", "Dario", "Ines", "Kaito", "Leona", "Benedikt", "Solveig",
    "Amara", "Joren", "Priya", "Emrik", "Talia", "Corvin", "Nadia", "Feliks", "Ysolde", "Marek",
    "Odile", "Rune", "Zara", "Lucan", "Elin", "Hamid", "Greta", "Soren", "Ayla", "Bastian",
    "Carys", "Dmitri", "Esme", "Fabian", "Gwen", "Hugo", "Irena", "Jonas", "Katya", "Lorcan",
)
_SURNAME_HEADS = (
    "Mar", "Quen", "Tall", "Bran", "Vel", "Osk", "Lor", "Ferr", "Hald", "Wyn", "Cor", "Dab",
    "Esk", "Grim", "Hol", "Kest", "Lun", "Morr", "Nev", "Pell", "Rask", "Sorr", "Tarn", "Vey",
    "Wick", "Yarr", "Zell", "Ald", "Brev", "Carr",
)
_SURNAME_TAILS = (
    "owen", "nick", "berg", "ard", "ley", "mont", "ford", "ance", "ire", "strom", "ell", "ing",
    "holt", "wick", "ton", "ach", "ery", "ovic", "sen", "iano",
)
_COMPANY_HEADS = (
    "Bran", "Vel", "Quil", "Osk", "Tor", "Ash", "Mer", "Cal", "Dun", "Fen", "Glen", "Hav",
    "Ist", "Jor", "Kel", "Lys", "Mor", "Nor", "Pax", "Rhe", "Sil", "Tav", "Ulv", "Var", "Wex",
    "Yor", "Zan", "Bel", "Cra", "Dro",
)
_COMPANY_TAILS = (
    "noch", "mar", "mere", "field", "ora", "ex", "lyn", "ia", "eron", "vik", "stad", "wyn",
    "ion", "ara", "tec", "olt", "ance", "ity",
)
_CITY_HEADS = (
    "Tar", "Lor", "Ess", "Brin", "Mal", "Cor", "Dra", "Fal", "Gor", "Hel", "Kor", "Nar", "Ost",
    "Pel", "Quin", "Ros", "Sel", "Tol", "Ul", "Ver", "Wel", "Zor", "Ard", "Bly",
)
_CITY_TAILS = (
    "vik", "vane", "mouth", "dale", "hollow", "burg", "aster", "ford", "wick", "mere", "gate",
    "haven", "stead", "port", "by", "wold",
)
COUNTRIES = (
    "Vandria", "Oskeland", "Marrovia", "Quellin", "Tessary", "Brevonia", "Kaldor", "Ulvenia",
    "Astoria Minor", "Lessen", "Corwick Isles", "Dravonia",
)
_PRODUCT_BRANDS = (
    "Kestrel", "Orvio", "Lumen", "Pika", "Tundra", "Vireo", "Halcyon", "Sable", "Quokka",
    "Zephyr", "Nimbus", "Corvid", "Ember", "Fjord", "Gannet", "Heron", "Ibis", "Jackdaw",
    "Merlin", "Osprey", "Plover", "Raven", "Tern", "Wren", "Auk", "Bittern", "Curlew", "Dunlin",
    "Egret", "Fulmar", "Grebe", "Harrier", "Kittiwake", "Lapwing", "Martin", "Nightjar",
)
_PRODUCT_MODELS = ("K2", "300", "S4", "Mini", "Pro", "X1", "Air", "One", "7", "Duo", "Max", "II")

# (sector word in the company name, what it makes, a component it buys, the product category)
SECTORS = (
    ("Robotics", "industrial robots", "servo motors", "robot arm"),
    ("Audio", "headphones", "speaker drivers", "headset"),
    ("Optics", "camera lenses", "glass blanks", "lens"),
    ("Freight", "cargo drones", "carbon frames", "drone"),
    ("Energy", "home batteries", "battery cells", "battery pack"),
    ("Instruments", "laboratory scales", "load sensors", "scale"),
    ("Cycles", "electric bicycles", "hub motors", "e-bike"),
    ("Marine", "outboard engines", "propellers", "engine"),
    ("Devices", "smart thermostats", "microcontrollers", "thermostat"),
    ("Outdoor", "camping stoves", "gas valves", "stove"),
)

QUOTES = (
    "We would rather be useful than famous.",
    "Good tools should disappear into the work.",
    "Every product we ship has to survive a winter outdoors.",
    "Growth is a side effect, not a goal.",
    "We build for the people who repair things.",
    "If a customer needs the manual, we have failed.",
    "Our best ideas come from the factory floor.",
    "Cheap is expensive in the long run.",
    "We measure twice and ship once.",
    "Nobody remembers the launch date, only the product.",
    "Quiet machines make loud profits.",
    "A small team with a clear goal beats a large one without.",
)

EXCHANGES = ("stock exchange", "securities exchange")


@dataclass(frozen=True)
class Person:
    name: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class City:
    name: str
    country: str


@dataclass(frozen=True)
class Money:
    """An amount in whole currency units, shown with a symbol and a scale word."""

    amount: int
    currency: str  # "$", "€", "£"


@dataclass(frozen=True)
class Weight:
    grams: int


@dataclass(frozen=True)
class Date:
    year: int
    month: int
    day: int


@dataclass
class Product:
    name: str  # "Kestrel K2"
    brand: str  # "Kestrel"
    category: str
    launch: Date
    price: Money
    weight: Weight
    battery_hours: int
    waterproof: bool
    designer: Person
    units_sold: int


@dataclass
class Company:
    name: str  # "Brannoch Robotics"
    stem: str  # "Brannoch"
    sector: tuple[str, str, str, str]
    founded: int
    founder: Person
    city: City
    ceo: Person
    ceo_since: int
    former_ceo: Person
    employees: int
    revenue: Money
    revenue_year: int
    listed: bool
    exchange_city: City
    profit_year: int
    profitable: bool
    product: Product
    quote: str
    quote_speaker: str  # "ceo" or "founder"
    plan_city: City
    plan_year: int
    export_country: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    companies: list[Company]
    people: list[Person]
    cities: list[City]
    countries: list[str]
    products: list[Product]


@dataclass(frozen=True)
class NamePools:
    """Disjoint name pools for one world."""

    people: list[str]
    companies: list[str]
    cities: list[str]
    countries: list[str]
    brands: list[str]


def split_name_pools(rng: random.Random) -> tuple[NamePools, NamePools]:
    """Two worlds' worth of names that share no name: (public, hidden)."""
    people = [f"{f} {h}{t}" for f in FIRST_NAMES for h in _SURNAME_HEADS for t in _SURNAME_TAILS]
    surnames = sorted({f"{h}{t}" for h in _SURNAME_HEADS for t in _SURNAME_TAILS})
    rng.shuffle(surnames)
    # A surname belongs to one world only, so a hidden person never shares one with a public one.
    public_surnames = set(surnames[: len(surnames) // 2])
    companies = sorted({f"{h}{t}" for h in _COMPANY_HEADS for t in _COMPANY_TAILS})
    cities = sorted({f"{h}{t}" for h in _CITY_HEADS for t in _CITY_TAILS})
    for pool in (people, companies, cities):
        rng.shuffle(pool)
    countries = list(COUNTRIES)
    brands = list(_PRODUCT_BRANDS)
    rng.shuffle(countries)
    rng.shuffle(brands)
    pub_people = [p for p in people if p.split()[-1] in public_surnames]
    hid_people = [p for p in people if p.split()[-1] not in public_surnames]
    # Cities and company stems must not collide with each other either.
    cities = [c for c in cities if c not in set(companies)]
    half = len(companies) // 2, len(cities) // 2, len(countries) // 2, len(brands) // 2
    return (
        NamePools(
            pub_people, companies[: half[0]], cities[: half[1]], countries[: half[2]],
            brands[: half[3]],
        ),
        NamePools(
            hid_people, companies[half[0] :], cities[half[1] :], countries[half[2] :],
            brands[half[3] :],
        ),
    )


def _money(rng: random.Random, low: int, high: int, currency: str) -> Money:
    """A round amount between low and high with two significant digits, so that every way of
    writing it ("$8.1 billion", "8,100 million dollars") is exact."""
    amount = rng.randrange(low, high)
    magnitude = 10 ** (len(str(amount)) - 2)
    return Money(max(low, amount // magnitude * magnitude), currency)


def build_world(rng: random.Random, pools: NamePools, *, companies: int = 60) -> World:
    people_names = iter(pools.people)
    used_first: set[str] = set()

    def person() -> Person:
        # One first name per world appears at most a few times; mostly fresh combinations.
        for name in people_names:
            first = name.split()[0]
            if first in used_first and rng.random() < 0.7:
                continue
            used_first.add(first)
            return Person(name)
        raise RuntimeError("ran out of person names")

    cities = [City(name, rng.choice(pools.countries)) for name in pools.cities]
    brands = iter(pools.brands * 4)
    stems = iter(pools.companies)
    out: list[Company] = []
    products: list[Product] = []
    people: list[Person] = []
    seen_products: set[str] = set()
    for _ in range(companies):
        stem = next(stems)
        sector = rng.choice(SECTORS)
        founded = rng.randrange(1952, 2012)
        ceo_since = rng.randrange(max(founded + 3, 1995), 2022)
        brand = next(brands)
        name = f"{brand} {rng.choice(_PRODUCT_MODELS)}"
        while name in seen_products:
            name = f"{brand} {rng.choice(_PRODUCT_MODELS)}"
        seen_products.add(name)
        currency = rng.choice(("$", "€", "£"))
        product = Product(
            name=name,
            brand=brand,
            category=sector[3],
            launch=Date(rng.randrange(max(founded + 1, 2005), 2024), rng.randrange(1, 13),
                        rng.randrange(1, 29)),
            price=Money(rng.choice((49, 79, 99, 129, 149, 199, 249, 349, 499, 899, 1299, 2499)),
                        currency),
            weight=Weight(rng.choice((150, 240, 380, 450, 650, 850, 1200, 1500, 2300, 3400,
                                      4800, 7500, 12500))),
            battery_hours=rng.choice((4, 6, 8, 9, 10, 11, 12, 14, 16, 20, 24, 30, 36, 48)),
            waterproof=rng.random() < 0.5,
            designer=person(),
            units_sold=rng.choice((1, 2, 3, 4, 6, 8, 12, 15, 25, 40)) * 10_000,
        )
        company = Company(
            name=f"{stem} {sector[0]}",
            stem=stem,
            sector=sector,
            founded=founded,
            founder=person(),
            city=rng.choice(cities),
            ceo=person(),
            ceo_since=ceo_since,
            former_ceo=person(),
            employees=rng.choice((40, 85, 120, 240, 380, 650, 900, 1200, 2400, 3100, 5600,
                                  8200, 12400, 21000, 46000)),
            revenue=_money(rng, 2_000_000, 9_000_000_000, currency),
            revenue_year=rng.randrange(2016, 2024),
            listed=rng.random() < 0.5,
            exchange_city=rng.choice(cities),
            profit_year=rng.randrange(2015, 2024),
            profitable=rng.random() < 0.5,
            product=product,
            quote=rng.choice(QUOTES),
            quote_speaker=rng.choice(("ceo", "founder")),
            plan_city=rng.choice(cities),
            plan_year=rng.randrange(2026, 2031),
            export_country=rng.choice(pools.countries),
        )
        people += [product.designer, company.founder, company.ceo, company.former_ceo]
        products.append(product)
        out.append(company)
    # People who hold no role in any context are the pool entity swaps draw from.
    people += [person() for _ in range(40)]
    return World(out, people, cities, list(pools.countries), products)
