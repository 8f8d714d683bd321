"""Realistic, varied demo products, generated deterministically (same index -> same product).

Pure: no store is touched here. `seed.py` writes what this makes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

SEED_PREFIX = "seed-"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Kind:
    """A type of product: its name, price band and the specifications it has."""

    name: str
    low: float
    high: float
    specs: tuple[str, ...]


CATALOG: dict[str, tuple[tuple[str, ...], tuple[Kind, ...]]] = {
    "electronics": (
        ("Sonora", "Voltix", "Nordby", "Kairo", "Lumen", "Arcwave"),
        (
            Kind("Wireless Headphones", 29, 449, ("color", "battery", "connectivity")),
            Kind("Bluetooth Speaker", 19, 299, ("color", "battery", "waterproof")),
            Kind("Smartwatch", 49, 599, ("color", "battery", "display")),
            Kind("4K Monitor", 179, 1299, ("size", "refresh rate", "panel")),
            Kind("Mechanical Keyboard", 39, 249, ("switches", "layout", "connectivity")),
            Kind("Gaming Mouse", 15, 149, ("dpi", "connectivity", "weight")),
            Kind("USB-C Charger", 9, 89, ("power", "ports")),
            Kind("Portable SSD", 49, 399, ("capacity", "interface")),
            Kind("Webcam", 25, 199, ("resolution", "frame rate")),
            Kind("Tablet", 129, 1199, ("display", "storage", "color")),
        ),
    ),
    "books": (
        ("Harbor Press", "Quill & Co", "Northwind Books", "Lantern House", "Atlas Publishing"),
        (
            Kind("Mystery Novel", 6, 29, ("pages", "format", "language")),
            Kind("Cookbook", 12, 49, ("pages", "format", "cuisine")),
            Kind("Science Fiction Novel", 6, 32, ("pages", "format", "language")),
            Kind("History Book", 10, 59, ("pages", "format", "era")),
            Kind("Children's Picture Book", 5, 24, ("pages", "age")),
            Kind("Programming Guide", 19, 79, ("pages", "format", "topic")),
        ),
    ),
    "clothing": (
        ("Fjordline", "Urbanthread", "Mistral", "Oak & Pine", "Cobalt", "Saltmarsh"),
        (
            Kind("Cotton T-Shirt", 8, 45, ("size", "color", "material")),
            Kind("Denim Jacket", 39, 189, ("size", "color", "fit")),
            Kind("Rain Jacket", 45, 299, ("size", "color", "waterproof")),
            Kind("Wool Sweater", 35, 179, ("size", "color", "material")),
            Kind("Chino Trousers", 25, 119, ("size", "color", "fit")),
            Kind("Summer Dress", 19, 149, ("size", "color", "material")),
        ),
    ),
    "shoes": (
        ("Stride", "Peakform", "Marlowe", "Tread & Co", "Velox"),
        (
            Kind("Running Shoes", 45, 229, ("size", "color", "drop")),
            Kind("Trail Running Shoes", 59, 249, ("size", "color", "waterproof")),
            Kind("Leather Boots", 79, 399, ("size", "color", "material")),
            Kind("Canvas Sneakers", 25, 99, ("size", "color")),
            Kind("Sandals", 15, 89, ("size", "color", "material")),
        ),
    ),
    "home": (
        ("Hearthly", "Nook", "Birchwood", "Casa Verde", "Linden"),
        (
            Kind("Table Lamp", 19, 189, ("color", "bulb", "material")),
            Kind("Throw Blanket", 15, 119, ("color", "material", "size")),
            Kind("Wall Clock", 12, 99, ("color", "diameter")),
            Kind("Scented Candle", 6, 45, ("scent", "burn time")),
            Kind("Bookshelf", 49, 399, ("color", "material", "shelves")),
            Kind("Area Rug", 39, 599, ("size", "color", "material")),
        ),
    ),
    "kitchen": (
        ("Copperleaf", "Chef's Choice", "Sagebrook", "Ironhill", "Kettle & Co"),
        (
            Kind("Chef's Knife", 19, 249, ("blade", "length", "handle")),
            Kind("Cast Iron Skillet", 19, 129, ("diameter", "weight")),
            Kind("Espresso Machine", 89, 1299, ("pressure", "color", "capacity")),
            Kind("Blender", 29, 499, ("power", "capacity", "color")),
            Kind("Cutting Board", 9, 79, ("material", "size")),
            Kind("Electric Kettle", 19, 149, ("capacity", "color", "power")),
        ),
    ),
    "sports": (
        ("Summitline", "Pulse", "Ironclad", "Tempo", "Bluefin"),
        (
            Kind("Yoga Mat", 12, 129, ("thickness", "color", "material")),
            Kind("Adjustable Dumbbells", 49, 449, ("weight", "material")),
            Kind("Road Bike Helmet", 29, 299, ("size", "color", "weight")),
            Kind("Tennis Racket", 25, 279, ("weight", "head size", "grip")),
            Kind("Football", 12, 149, ("size", "material")),
            Kind("Swim Goggles", 8, 59, ("color", "lens")),
        ),
    ),
    "toys": (
        ("Brightblock", "Tinker Town", "Marble Fox", "Little Atlas"),
        (
            Kind("Building Blocks Set", 14, 199, ("pieces", "age")),
            Kind("Jigsaw Puzzle", 9, 49, ("pieces", "theme")),
            Kind("Remote Control Car", 25, 179, ("battery", "range", "color")),
            Kind("Board Game", 15, 89, ("players", "age", "duration")),
            Kind("Plush Bear", 8, 59, ("size", "color")),
        ),
    ),
    "beauty": (
        ("Velvet & Vine", "Aurelia", "Pure Tide", "Maison Rose"),
        (
            Kind("Face Moisturizer", 9, 89, ("volume", "skin type")),
            Kind("Shampoo", 5, 39, ("volume", "hair type", "scent")),
            Kind("Eau de Parfum", 29, 249, ("volume", "scent")),
            Kind("Lip Balm", 3, 19, ("flavor", "spf")),
        ),
    ),
    "garden": (
        ("Greenfold", "Rootwise", "Meadow & Moss", "Terrace"),
        (
            Kind("Garden Hose", 19, 99, ("length", "material")),
            Kind("Pruning Shears", 12, 79, ("blade", "handle")),
            Kind("Raised Garden Bed", 49, 349, ("size", "material")),
            Kind("Solar Path Lights", 15, 99, ("pieces", "battery")),
        ),
    ),
    "office": (
        ("Paperline", "Deskwise", "Inkwell", "Foldwell"),
        (
            Kind("Ergonomic Office Chair", 99, 899, ("color", "material", "max load")),
            Kind("Standing Desk", 199, 999, ("size", "color", "motor")),
            Kind("Fountain Pen", 12, 249, ("nib", "color")),
            Kind("Notebook", 4, 35, ("pages", "ruling", "size")),
        ),
    ),
    "pet-supplies": (
        ("Pawsome", "Tailwind", "Whisker & Co", "Good Boy"),
        (
            Kind("Dog Bed", 25, 199, ("size", "color", "material")),
            Kind("Cat Scratching Post", 19, 149, ("height", "color")),
            Kind("Dog Leash", 9, 49, ("length", "color")),
            Kind("Automatic Pet Feeder", 39, 199, ("capacity", "power")),
        ),
    ),
    "outdoors": (
        ("Ridgeway", "Northstar", "Campfire", "Alpenglow"),
        (
            Kind("Camping Tent", 59, 699, ("capacity", "weight", "season")),
            Kind("Sleeping Bag", 35, 399, ("temperature", "weight", "fill")),
            Kind("Hiking Backpack", 39, 349, ("volume", "color", "weight")),
            Kind("Headlamp", 12, 99, ("lumens", "battery")),
        ),
    ),
}

CATEGORIES = tuple(CATALOG)
ADJECTIVES = (
    "Classic",
    "Pro",
    "Compact",
    "Ultra",
    "Eco",
    "Premium",
    "Lite",
    "Deluxe",
    "Essential",
    "Signature",
    "Travel",
    "Studio",
)
SPEC_VALUES: dict[str, tuple[Any, ...]] = {
    "color": ("black", "white", "navy", "red", "olive", "grey", "sand", "teal", "burgundy"),
    "battery": ("10 h", "20 h", "30 h", "40 h", "60 h"),
    "connectivity": ("Bluetooth 5.3", "USB-C", "2.4 GHz wireless", "wired"),
    "waterproof": ("IPX4", "IPX7", "IP68", "no"),
    "display": ('1.4" AMOLED', '10.9" LCD', '11" OLED', '1.9" LCD'),
    "size": ("XS", "S", "M", "L", "XL", "38", "40", "42", "44", "27 in", "32 in"),
    "refresh rate": ("60 Hz", "120 Hz", "144 Hz", "165 Hz"),
    "panel": ("IPS", "VA", "OLED"),
    "switches": ("linear red", "tactile brown", "clicky blue"),
    "layout": ("ANSI", "ISO", "75%", "TKL"),
    "dpi": (800, 1600, 3200, 16000, 26000),
    "weight": ("58 g", "280 g", "1.2 kg", "2.5 kg", "12 kg"),
    "power": ("20 W", "65 W", "100 W", "1200 W", "1800 W"),
    "ports": (1, 2, 3, 4),
    "capacity": ("500 GB", "1 TB", "2 TB", "1.5 l", "2 persons", "4 persons"),
    "interface": ("USB 3.2", "Thunderbolt 4"),
    "resolution": ("1080p", "1440p", "4K"),
    "frame rate": ("30 fps", "60 fps"),
    "storage": ("64 GB", "128 GB", "256 GB", "512 GB"),
    "pages": (96, 180, 256, 320, 412, 560),
    "format": ("paperback", "hardcover", "e-book"),
    "language": ("English", "French", "German", "Spanish"),
    "cuisine": ("Italian", "Japanese", "Mexican", "Nordic", "Indian"),
    "era": ("ancient", "medieval", "modern", "20th century"),
    "age": ("3+", "6+", "8+", "12+"),
    "topic": ("Python", "Rust", "Go", "distributed systems"),
    "material": ("cotton", "wool", "leather", "oak", "steel", "bamboo", "recycled polyester"),
    "fit": ("slim", "regular", "relaxed"),
    "drop": ("4 mm", "8 mm", "10 mm"),
    "bulb": ("E27 LED", "E14 LED", "integrated LED"),
    "diameter": ("20 cm", "26 cm", "30 cm"),
    "scent": ("vanilla", "cedar", "lavender", "citrus", "sea salt"),
    "burn time": ("25 h", "40 h", "60 h"),
    "shelves": (3, 4, 5),
    "blade": ("German steel", "Damascus", "ceramic", "carbon steel"),
    "length": ("15 m", "20 cm", "25 m", "1.5 m"),
    "handle": ("walnut", "polymer", "pakkawood"),
    "pressure": ("9 bar", "15 bar", "19 bar"),
    "thickness": ("4 mm", "6 mm", "8 mm"),
    "head size": ("98 sq in", "100 sq in", "105 sq in"),
    "grip": ("G2", "G3", "G4"),
    "lens": ("clear", "mirrored", "smoke"),
    "pieces": (12, 100, 500, 1000),
    "theme": ("landscape", "city", "animals", "art"),
    "range": ("30 m", "80 m", "150 m"),
    "players": ("2-4", "2-6", "1-5"),
    "duration": ("20 min", "45 min", "90 min"),
    "volume": ("50 ml", "250 ml", "500 ml", "30 l", "45 l", "65 l"),
    "skin type": ("dry", "oily", "sensitive", "all"),
    "hair type": ("curly", "fine", "colored", "all"),
    "flavor": ("mint", "cherry", "unscented"),
    "spf": ("none", "SPF 15", "SPF 30"),
    "max load": ("120 kg", "150 kg"),
    "motor": ("single", "dual"),
    "nib": ("EF", "F", "M", "B"),
    "ruling": ("dotted", "lined", "blank", "grid"),
    "height": ("60 cm", "90 cm", "120 cm"),
    "temperature": ("-5 °C", "0 °C", "5 °C"),
    "fill": ("down", "synthetic"),
    "season": ("3-season", "4-season"),
    "lumens": (200, 400, 900),
}
PHRASES = (
    "Built to last with {material} details.",
    "A customer favourite for everyday use.",
    "Designed in {place} and tested for a full year.",
    "Backed by a {years}-year warranty.",
    "Ships in recyclable packaging.",
    "Easy to clean and simple to store.",
    "Award-winning design loved by reviewers.",
    "Perfect as a gift.",
)
PLACES = ("Oslo", "Lisbon", "Kyoto", "Portland", "Melbourne", "Berlin", "Montreal")


def product_id(index: int) -> str:
    return f"{SEED_PREFIX}{index:06d}"


def _price(rng: random.Random, kind: Kind) -> float:
    # Most goods cluster at the cheap end of their band, as real catalogues do.
    raw = kind.low + (kind.high - kind.low) * rng.random() ** 2
    return round(int(raw) + rng.choice((0.0, 0.49, 0.95, 0.99)), 2)


def make_product(index: int, rng: random.Random) -> dict[str, Any]:
    """Product number `index`, drawn from `rng`."""
    category = CATEGORIES[index % len(CATEGORIES)]
    brands, kinds = CATALOG[category]
    kind = kinds[rng.randrange(len(kinds))]
    brand = brands[rng.randrange(len(brands))]
    adjective = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
    model = f"{rng.choice('ABCDEFGHKMRSTVX')}{rng.randrange(10, 990)}"
    specs = {name: rng.choice(SPEC_VALUES[name]) for name in kind.specs}
    specs["brand"] = brand
    phrases = rng.sample(PHRASES, 2)
    description = " ".join(
        [f"The {brand} {adjective.lower()} {kind.name.lower()}, model {model}."]
        + [
            p.format(
                material=specs.get("material", "premium"),
                place=rng.choice(PLACES),
                years=rng.choice((1, 2, 3, 5)),
            )
            for p in phrases
        ]
    )
    created = EPOCH - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
    rated = rng.random() < 0.8
    return {
        "_id": product_id(index),
        "name": f"{brand} {adjective} {kind.name} {model}",
        "description": description,
        "price": _price(rng, kind),
        "category": category,
        "stock": 0 if rng.random() < 0.12 else rng.randrange(1, 500),
        "specifications": specs,
        "rating": round(rng.uniform(2.5, 5.0), 1) if rated else 0.0,
        "ratingCount": rng.randrange(1, 800) if rated else 0,
        "createdAt": created,
        "updatedAt": created,
        "version": 1,
    }


def make_products(count: int, seed: int = 20_000) -> Iterator[dict[str, Any]]:
    """The first `count` seeded products: the same ones on every run, so seeding is idempotent."""
    rng = random.Random(seed)
    for index in range(count):
        yield make_product(index, rng)
