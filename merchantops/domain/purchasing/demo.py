"""The demo tenant's purchase orders: every status, plus one over 50,000 waiting for finance;
the receipts bring in the lots (perishables with expiry dates). Runs after every area's master
data (suppliers, warehouses, products) and before inventory's activity (which ships from the
stock received here)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from merchantops.domain.catalog.models import Sku
from merchantops.domain.inventory.models import Warehouse, Zone
from merchantops.domain.purchasing import service as purchasing
from merchantops.domain.purchasing.models import PurchaseOrder, PurchaseOrderLine
from merchantops.domain.seeding import BUYER, CLERK, FINANCE, Seed
from merchantops.domain.suppliers import service as suppliers
from merchantops.domain.suppliers.demo import LATE_DOWNGRADE, SUPPLIERS
from merchantops.domain.suppliers.models import Supplier


class _Buying:
    def __init__(self, seed: Seed) -> None:
        self.seed = seed
        self.buyer = seed.governance_actor(BUYER)
        self.finance = seed.governance_actor(FINANCE)
        self.suppliers: dict[str, UUID] = {}
        self.skus: dict[str, UUID] = {}
        self.warehouses: dict[str, UUID] = {}
        self.zones: dict[str, UUID] = {}

    async def look_up(self) -> None:
        """What the other areas seeded, by code."""
        self.suppliers = {s.code: s.id for s in await Supplier.all().only("id", "code")}
        self.skus = {s.code: s.id for s in await Sku.all().only("id", "code")}
        sites = await Warehouse.all().only("id", "code")
        self.warehouses = {w.code: w.id for w in sites}
        codes = {str(w.id): w.code for w in sites}
        for zone in await Zone.all().only("id", "code", "warehouse_id"):
            self.zones[f"{codes[str(zone.warehouse_id)]}/{zone.code}"] = zone.id

    async def late_downgrade(self) -> None:
        """Budget Lane's last scorecards, after its last delivery: downgraded to D."""
        (spec,) = [s for s in SUPPLIERS if s.code == LATE_DOWNGRADE]
        with self.seed.as_(BUYER):
            for period, scores, notes in spec.scorecards[1:]:
                await suppliers.evaluate(
                    self.suppliers[LATE_DOWNGRADE], scores, period=period, notes=notes
                )

    async def order(
        self, supplier: str, warehouse: str, lines: list[tuple[str, int]], *, days: int = 14
    ) -> PurchaseOrder:
        """A draft from the buyer; unit costs are the SKUs' costs."""
        costs = {sku.code: sku.cost for sku in await Sku.filter(code__in=[c for c, _ in lines])}
        with self.seed.as_(BUYER):
            return await purchasing.create(
                self.suppliers[supplier],
                self.warehouses[warehouse],
                [purchasing.LineSpec(self.skus[code], qty, costs[code]) for code, qty in lines],
                terms=purchasing.Terms(
                    delivery_date=self.seed.today + timedelta(days=days),
                    quality_standard="AQL 2.5, general inspection level II",
                    payment_terms="30 days net",
                    penalty_terms="0.5% of the order value per day late, at most 10%",
                ),
            )

    async def submit(self, order: PurchaseOrder) -> None:
        with self.seed.as_(BUYER):
            await purchasing.submit(self.seed.evaluator, self.buyer, order.id)

    async def approve(self, order: PurchaseOrder) -> None:
        with self.seed.as_(FINANCE):
            await purchasing.approve(self.seed.evaluator, self.finance, order.id)

    async def receive(
        self,
        order: PurchaseOrder,
        quantities: dict[str, int],
        *,
        zone: str,
        expires_in_days: dict[str, int] | None = None,
        note: str = "",
    ) -> None:
        """The clerk books the goods of `order` that arrived into `zone`."""
        lines = {line.sku_id: line for line in await PurchaseOrderLine.filter(purchase_order=order)}
        expiry = expires_in_days or {}
        today = self.seed.today
        received = [
            purchasing.ReceiptLine(
                lines[self.skus[code]].id,
                quantity,
                expires_on=today + timedelta(days=expiry[code]) if code in expiry else None,
                zone_id=self.zones[zone],
            )
            for code, quantity in quantities.items()
        ]
        with self.seed.as_(CLERK):
            await purchasing.receive(order.id, received, note=note)

    async def run(self) -> None:
        # Closed: apparel for CENTRAL, delivered in full.
        apparel = await self.order(
            "NWT",
            "CENTRAL",
            [
                ("MER-CREW-S", 60),
                ("MER-CREW-M", 120),
                ("MER-CREW-L", 90),
                ("TEE-ORG-WHT-M", 250),
                ("TEE-ORG-BLK-M", 300),
                ("TEE-ORG-BLK-L", 200),
            ],
        )
        await self.submit(apparel)
        await self.approve(apparel)
        await self.receive(
            apparel,
            {
                "MER-CREW-S": 60,
                "MER-CREW-M": 120,
                "MER-CREW-L": 90,
                "TEE-ORG-WHT-M": 250,
                "TEE-ORG-BLK-M": 300,
                "TEE-ORG-BLK-L": 200,
            },
            zone="CENTRAL/MAIN",
        )
        with self.seed.as_(BUYER):
            await purchasing.close(apparel.id)

        # Closed: home goods and matcha from Sakura; the matcha goes cold, with a best-before.
        home = await self.order(
            "SKH",
            "CENTRAL",
            [
                ("THROW-LIN-NAT", 60),
                ("THROW-LIN-SLT", 40),
                ("DRIP-CER-WHT", 50),
                ("DRIP-CER-BLK", 30),
                ("MATCHA-50G", 200),
                ("MATCHA-100G", 120),
            ],
        )
        await self.submit(home)
        await self.approve(home)
        await self.receive(
            home,
            {"THROW-LIN-NAT": 60, "THROW-LIN-SLT": 40, "DRIP-CER-WHT": 50, "DRIP-CER-BLK": 30},
            zone="CENTRAL/MAIN",
        )
        await self.receive(
            home,
            {"MATCHA-50G": 200, "MATCHA-100G": 120},
            zone="CENTRAL/COLD",
            expires_in_days={"MATCHA-50G": 180, "MATCHA-100G": 180},
        )
        with self.seed.as_(BUYER):
            await purchasing.close(home.id)

        # Received, not closed yet: coffee in two deliveries; the first Ethiopia lot expires soon.
        coffee = await self.order(
            "HBC", "CENTRAL", [("COF-ETH-250", 400), ("COF-COL-250", 400), ("COF-COL-1KG", 150)]
        )
        await self.submit(coffee)
        await self.approve(coffee)
        await self.receive(
            coffee,
            {"COF-ETH-250": 150},
            zone="CENTRAL/COLD",
            expires_in_days={"COF-ETH-250": 21},
            note="Early part shipment, older roast",
        )
        await self.receive(
            coffee,
            {"COF-ETH-250": 250, "COF-COL-250": 400, "COF-COL-1KG": 150},
            zone="CENTRAL/COLD",
            expires_in_days={"COF-ETH-250": 270, "COF-COL-250": 270, "COF-COL-1KG": 240},
        )

        # Closed short: candles from Budget Lane, before its downgrade to D.
        candles = await self.order("BLW", "EAST", [("CANDLE-LAV", 150), ("CANDLE-CED", 150)])
        await self.submit(candles)
        await self.approve(candles)
        await self.receive(
            candles, {"CANDLE-LAV": 100, "CANDLE-CED": 100}, zone="EAST/MAIN", note="Short"
        )
        with self.seed.as_(BUYER):
            await purchasing.close(candles.id)
        await self.late_downgrade()

        # Received: shipping boxes for EAST.
        boxes = await self.order("PPK", "EAST", [("BOX-S-25", 500), ("BOX-M-25", 300)])
        await self.submit(boxes)
        await self.approve(boxes)
        await self.receive(boxes, {"BOX-S-25": 500, "BOX-M-25": 300}, zone="EAST/MAIN")

        # Partially received: outdoor gear for EAST, the bottles half there.
        outdoor = await self.order(
            "ALP",
            "EAST",
            [("PACK-28-GRN", 80), ("PACK-28-BLK", 60), ("BOTTLE-500", 200), ("BOTTLE-750", 200)],
        )
        await self.submit(outdoor)
        await self.approve(outdoor)
        await self.receive(
            outdoor,
            {"PACK-28-GRN": 80, "PACK-28-BLK": 60, "BOTTLE-500": 100, "BOTTLE-750": 100},
            zone="EAST/MAIN",
        )

        # Approved, on its way: backpacks for CENTRAL.
        packs = await self.order("ALP", "CENTRAL", [("PACK-28-GRN", 40), ("PACK-28-BLK", 40)])
        await self.submit(packs)
        await self.approve(packs)

        # Submitted, waiting for finance to approve it.
        tees = await self.order(
            "NWT",
            "EAST",
            [("TEE-ORG-WHT-M", 200), ("TEE-ORG-BLK-M", 200), ("TEE-ORG-BLK-L", 200)],
            days=21,
        )
        await self.submit(tees)

        # Draft: the next coffee order for EAST.
        await self.order("HBC", "EAST", [("COF-ETH-250", 100), ("COF-COL-250", 100)])

        # Cancelled: a box order placed twice by mistake.
        duplicate = await self.order("PPK", "CENTRAL", [("BOX-S-25", 300), ("BOX-M-25", 300)])
        await self.submit(duplicate)
        with self.seed.as_(BUYER):
            await purchasing.cancel(duplicate.id)

        # Over 50,000, submitted by the buyer: an approval request for the finance manager.
        season = await self.order(
            "ALP",
            "CENTRAL",
            [("PACK-28-GRN", 500), ("PACK-28-BLK", 400), ("BOTTLE-500", 600), ("BOTTLE-750", 600)],
            days=45,
        )
        await self.submit(season)


async def activity(seed: Seed) -> None:
    buying = _Buying(seed)
    await buying.look_up()
    await buying.run()


__all__ = ["activity"]
