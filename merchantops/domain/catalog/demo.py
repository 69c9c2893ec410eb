"""The demo tenant's catalogue: ten products in five categories and four lifecycle stages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from merchantops.domain.catalog import service as catalog
from merchantops.domain.catalog.models import LifecycleStage
from merchantops.domain.seeding import BUYER, Seed


@dataclass(frozen=True, slots=True)
class DemoProduct:
    name: str
    category: str
    description: str
    stage: LifecycleStage
    skus: tuple[tuple[str, str, str, str], ...]  # code, name, price, cost


PRODUCTS = (
    DemoProduct(
        "Merino crew sweater",
        "Apparel",
        "Fine-knit merino wool, unisex fit.",
        LifecycleStage.MATURITY,
        (
            ("MER-CREW-S", "Merino crew sweater, S", "89.00", "34.50"),
            ("MER-CREW-M", "Merino crew sweater, M", "89.00", "34.50"),
            ("MER-CREW-L", "Merino crew sweater, L", "89.00", "34.50"),
        ),
    ),
    DemoProduct(
        "Organic cotton T-shirt",
        "Apparel",
        "GOTS-certified cotton, 180 g/m2.",
        LifecycleStage.MATURITY,
        (
            ("TEE-ORG-WHT-M", "Organic tee, white, M", "24.00", "7.80"),
            ("TEE-ORG-BLK-M", "Organic tee, black, M", "24.00", "7.80"),
            ("TEE-ORG-BLK-L", "Organic tee, black, L", "24.00", "7.80"),
        ),
    ),
    DemoProduct(
        "Single-origin coffee beans",
        "Coffee & Tea",
        "Roasted weekly, whole beans.",
        LifecycleStage.GROWTH,
        (
            ("COF-ETH-250", "Ethiopia Yirgacheffe, 250 g", "14.50", "5.20"),
            ("COF-COL-250", "Colombia Huila, 250 g", "13.50", "4.90"),
            ("COF-COL-1KG", "Colombia Huila, 1 kg", "44.00", "16.80"),
        ),
    ),
    DemoProduct(
        "Ceremonial matcha",
        "Coffee & Tea",
        "Stone-ground Uji matcha.",
        LifecycleStage.INTRODUCTION,
        (
            ("MATCHA-50G", "Matcha tin, 50 g", "19.90", "7.10"),
            ("MATCHA-100G", "Matcha tin, 100 g", "34.90", "12.40"),
        ),
    ),
    DemoProduct(
        "Trail backpack 28 L",
        "Outdoor",
        "Water-resistant day pack with a hip belt.",
        LifecycleStage.GROWTH,
        (
            ("PACK-28-GRN", "Trail backpack 28 L, forest green", "129.00", "52.00"),
            ("PACK-28-BLK", "Trail backpack 28 L, black", "129.00", "52.00"),
        ),
    ),
    DemoProduct(
        "Insulated steel bottle",
        "Outdoor",
        "Keeps drinks cold for 24 h.",
        LifecycleStage.MATURITY,
        (
            ("BOTTLE-500", "Steel bottle, 500 ml", "29.00", "9.50"),
            ("BOTTLE-750", "Steel bottle, 750 ml", "34.00", "11.20"),
        ),
    ),
    DemoProduct(
        "Linen throw blanket",
        "Home",
        "Stonewashed linen, 130 x 170 cm.",
        LifecycleStage.GROWTH,
        (
            ("THROW-LIN-NAT", "Linen throw, natural", "69.00", "26.00"),
            ("THROW-LIN-SLT", "Linen throw, slate", "69.00", "26.00"),
        ),
    ),
    DemoProduct(
        "Ceramic pour-over dripper",
        "Home",
        "Hand-glazed, fits size 02 filters.",
        LifecycleStage.DECLINE,
        (
            ("DRIP-CER-WHT", "Pour-over dripper, white", "32.00", "11.00"),
            ("DRIP-CER-BLK", "Pour-over dripper, black", "32.00", "11.00"),
        ),
    ),
    DemoProduct(
        "Scented soy candle",
        "Home",
        "Hand-poured, 40 h burn time.",
        LifecycleStage.DECLINE,
        (
            ("CANDLE-LAV", "Soy candle, lavender", "22.00", "6.30"),
            ("CANDLE-CED", "Soy candle, cedar", "22.00", "6.30"),
        ),
    ),
    DemoProduct(
        "Recycled shipping boxes",
        "Packaging",
        "Corrugated, 100% recycled, packs of 25.",
        LifecycleStage.MATURITY,
        (
            ("BOX-S-25", "Shipping boxes, small, pack of 25", "18.00", "8.40"),
            ("BOX-M-25", "Shipping boxes, medium, pack of 25", "24.00", "11.50"),
        ),
    ),
)

# The way a product gets to its stage: forward from introduction.
_PATH = {
    LifecycleStage.INTRODUCTION: (),
    LifecycleStage.GROWTH: (LifecycleStage.GROWTH,),
    LifecycleStage.MATURITY: (LifecycleStage.GROWTH, LifecycleStage.MATURITY),
    LifecycleStage.DECLINE: (
        LifecycleStage.GROWTH,
        LifecycleStage.MATURITY,
        LifecycleStage.DECLINE,
    ),
}


async def master_data(seed: Seed) -> None:
    with seed.as_(BUYER):
        for spec in PRODUCTS:
            product = await catalog.create_product(
                spec.name,
                category=spec.category,
                description=spec.description,
                skus=[
                    catalog.SkuSpec(code, name, Decimal(price), Decimal(cost))
                    for code, name, price, cost in spec.skus
                ],
            )
            for stage in _PATH[spec.stage]:
                await catalog.change_stage(product.id, stage)


__all__ = ["PRODUCTS", "DemoProduct", "master_data"]
