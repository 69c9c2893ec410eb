"""Suppliers of the demo tenant: six, graded A, A, B, B, C and D, two with a grade history."""

from __future__ import annotations

from dataclasses import dataclass

from merchantops.domain.seeding import BUYER, Seed
from merchantops.domain.suppliers import service as suppliers
from merchantops.domain.suppliers.models import Supplier
from merchantops.domain.suppliers.service import ContactSpec, Scores


@dataclass(frozen=True, slots=True)
class DemoSupplier:
    code: str
    name: str
    country: str
    contacts: tuple[ContactSpec, ...]
    # Scorecards in order; the last one gives the current grade (default weights: A >= 85,
    # B >= 70, C >= 55, else D).
    scorecards: tuple[tuple[str, Scores, str], ...]


SUPPLIERS = (
    DemoSupplier(
        "NWT",
        "Northwind Textiles",
        "PT",
        (
            ContactSpec(
                "Ines Carvalho",
                "Account manager",
                "ines.carvalho@northwind-textiles.example",
                "+351 21 555 0142",
            ),
            ContactSpec(
                "Rui Matos", "Logistics", "logistics@northwind-textiles.example", "+351 21 555 0199"
            ),
        ),
        (("2025-Q2", Scores(92, 90, 80, 88), "Consistent quality, ships on time."),),
    ),
    DemoSupplier(
        "HBC",
        "Harbor Brew Coffee Co.",
        "CO",
        (
            ContactSpec(
                "Camila Ortiz", "Export sales", "camila@harborbrew.example", "+57 1 555 0123"
            ),
        ),
        (
            ("2025-Q1", Scores(80, 75, 70, 80), "Two late containers."),
            ("2025-Q2", Scores(90, 88, 82, 90), "Delivery fixed; cupping scores up."),
        ),
    ),
    DemoSupplier(
        "ALP",
        "Alpine Outdoor Gear GmbH",
        "AT",
        (
            ContactSpec(
                "Lukas Berger", "Key account", "l.berger@alpine-outdoor.example", "+43 1 555 0177"
            ),
        ),
        (("2025-Q2", Scores(78, 72, 75, 70), "Good gear, lead times slipping."),),
    ),
    DemoSupplier(
        "SKH",
        "Sakura Home Goods",
        "JP",
        (
            ContactSpec("Yui Tanaka", "Sales", "yui.tanaka@sakura-home.example", "+81 3 5550 0161"),
            ContactSpec("Ken Mori", "Quality", "quality@sakura-home.example", "+81 3 5550 0162"),
        ),
        (("2025-Q2", Scores(75, 68, 80, 72), ""),),
    ),
    DemoSupplier(
        "PPK",
        "Pacific Paper & Pack",
        "US",
        (
            ContactSpec(
                "Jordan Blake", "Customer success", "jordan@pacificpack.example", "+1 555 0100 311"
            ),
        ),
        (("2025-Q2", Scores(62, 55, 70, 60), "Short shipments twice this quarter."),),
    ),
    DemoSupplier(
        "BLW",
        "Budget Lane Wholesale",
        "CN",
        (ContactSpec("Wei Zhang", "Sales", "wei.zhang@budgetlane.example", "+86 21 5550 0188"),),
        (
            ("2025-Q1", Scores(60, 58, 65, 50), ""),
            ("2025-Q2", Scores(45, 40, 60, 35), "Failed wax quality test; no new orders."),
        ),
    ),
)


async def master_data(seed: Seed) -> None:
    """The suppliers and their scorecards; BLW's downgrade to D comes after its last delivery
    (purchasing's demo)."""
    with seed.as_(BUYER):
        for spec in SUPPLIERS:
            supplier = await suppliers.create_supplier(
                spec.code, spec.name, country=spec.country, contacts=list(spec.contacts)
            )
            for period, scores, notes in spec.scorecards[:1]:
                await suppliers.evaluate(supplier.id, scores, period=period, notes=notes)
        for spec in SUPPLIERS:
            if spec.code != LATE_DOWNGRADE:
                supplier = await Supplier.get(code=spec.code)
                for period, scores, notes in spec.scorecards[1:]:
                    await suppliers.evaluate(supplier.id, scores, period=period, notes=notes)


LATE_DOWNGRADE = "BLW"

__all__ = ["LATE_DOWNGRADE", "SUPPLIERS", "DemoSupplier", "master_data"]
