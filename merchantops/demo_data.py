"""The demo tenant's supply chain: suppliers, warehouses, catalog, purchase orders and stock.

Everything goes through the domain services, as the staff who would do it (the buyer orders,
finance approves, the warehouse clerk receives and ships), so the demo data is audited, emits
its events and keeps the stock ledger consistent. `seed_supply_chain` runs in one transaction:
either the whole supply chain is there or none of it, and `ensure_demo` calls it only while the
demo tenant has no products, so starting the server twice seeds once.

What a new user finds: six suppliers graded A, A, B, B, C and D (two with a grade history), two
warehouses (CENTRAL with zones MAIN and COLD, EAST), ten products in five categories and four
lifecycle stages, purchase orders in every status plus one over 50,000 waiting for finance,
lots from the receipts (perishables with expiry dates), customer allocations, most of them
shipped, reorder policies with SKUs under their safety stock, and the ABC classification.
Every movement is dated today: the services stamp the present, and the data goes through them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.catalog import service as catalog
from merchantops.domain.catalog.models import LifecycleStage, Sku
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.inventory import analytics, positions, stock, warehouses
from merchantops.domain.inventory.models import Zone
from merchantops.domain.purchasing import service as purchasing
from merchantops.domain.purchasing.models import PurchaseOrder, PurchaseOrderLine
from merchantops.domain.suppliers import service as suppliers
from merchantops.domain.suppliers.service import ContactSpec, Scores
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import Tenant, User
from merchantops.tenants.templates import manager_role, staff_role
from merchantops.workers.registry import shared_engine


@dataclass(frozen=True, slots=True)
class StaffMember:
    email: str
    password: str
    full_name: str
    roles: tuple[str, ...]
    title: str


BUYER = StaffMember(
    "buyer@demo.merchantops.test",
    "demo-buyer-password",  # printed on purpose, development only
    "Bea Buyer",
    (staff_role("supply-chain"),),
    "buyer",
)
CLERK = StaffMember(
    "clerk@demo.merchantops.test",
    "demo-clerk-password",
    "Wes Warehouse",
    (staff_role("warehouse"),),
    "warehouse clerk",
)
FINANCE = StaffMember(
    "finance@demo.merchantops.test",
    "demo-finance-password",
    "Fay Finance",
    (manager_role("finance"),),
    "finance manager",
)
DEMO_STAFF = (BUYER, CLERK, FINANCE)


@dataclass(frozen=True, slots=True)
class _Supplier:
    code: str
    name: str
    country: str
    contacts: tuple[ContactSpec, ...]
    # Scorecards in order; the last one gives the current grade (default weights: A >= 85,
    # B >= 70, C >= 55, else D).
    scorecards: tuple[tuple[str, Scores, str], ...]


SUPPLIERS = (
    _Supplier(
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
    _Supplier(
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
    _Supplier(
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
    _Supplier(
        "SKH",
        "Sakura Home Goods",
        "JP",
        (
            ContactSpec("Yui Tanaka", "Sales", "yui.tanaka@sakura-home.example", "+81 3 5550 0161"),
            ContactSpec("Ken Mori", "Quality", "quality@sakura-home.example", "+81 3 5550 0162"),
        ),
        (("2025-Q2", Scores(75, 68, 80, 72), ""),),
    ),
    _Supplier(
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
    _Supplier(
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


@dataclass(frozen=True, slots=True)
class _Product:
    name: str
    category: str
    description: str
    stage: LifecycleStage
    skus: tuple[tuple[str, str, str, str], ...]  # code, name, price, cost


PRODUCTS = (
    _Product(
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
    _Product(
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
    _Product(
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
    _Product(
        "Ceremonial matcha",
        "Coffee & Tea",
        "Stone-ground Uji matcha.",
        LifecycleStage.INTRODUCTION,
        (
            ("MATCHA-50G", "Matcha tin, 50 g", "19.90", "7.10"),
            ("MATCHA-100G", "Matcha tin, 100 g", "34.90", "12.40"),
        ),
    ),
    _Product(
        "Trail backpack 28 L",
        "Outdoor",
        "Water-resistant day pack with a hip belt.",
        LifecycleStage.GROWTH,
        (
            ("PACK-28-GRN", "Trail backpack 28 L, forest green", "129.00", "52.00"),
            ("PACK-28-BLK", "Trail backpack 28 L, black", "129.00", "52.00"),
        ),
    ),
    _Product(
        "Insulated steel bottle",
        "Outdoor",
        "Keeps drinks cold for 24 h.",
        LifecycleStage.MATURITY,
        (
            ("BOTTLE-500", "Steel bottle, 500 ml", "29.00", "9.50"),
            ("BOTTLE-750", "Steel bottle, 750 ml", "34.00", "11.20"),
        ),
    ),
    _Product(
        "Linen throw blanket",
        "Home",
        "Stonewashed linen, 130 x 170 cm.",
        LifecycleStage.GROWTH,
        (
            ("THROW-LIN-NAT", "Linen throw, natural", "69.00", "26.00"),
            ("THROW-LIN-SLT", "Linen throw, slate", "69.00", "26.00"),
        ),
    ),
    _Product(
        "Ceramic pour-over dripper",
        "Home",
        "Hand-glazed, fits size 02 filters.",
        LifecycleStage.DECLINE,
        (
            ("DRIP-CER-WHT", "Pour-over dripper, white", "32.00", "11.00"),
            ("DRIP-CER-BLK", "Pour-over dripper, black", "32.00", "11.00"),
        ),
    ),
    _Product(
        "Scented soy candle",
        "Home",
        "Hand-poured, 40 h burn time.",
        LifecycleStage.DECLINE,
        (
            ("CANDLE-LAV", "Soy candle, lavender", "22.00", "6.30"),
            ("CANDLE-CED", "Soy candle, cedar", "22.00", "6.30"),
        ),
    ),
    _Product(
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

# Customer orders: (reference, SKU, warehouse, quantity, shipped). Shipped ones are the usage
# ABC and turnover count; the others stay allocated.
ORDERS = (
    ("SO-10001", "TEE-ORG-BLK-M", "CENTRAL", 120, True),
    ("SO-10002", "TEE-ORG-WHT-M", "CENTRAL", 90, True),
    ("SO-10003", "MER-CREW-M", "CENTRAL", 95, True),
    ("SO-10004", "COF-ETH-250", "CENTRAL", 180, True),
    ("SO-10005", "COF-COL-250", "CENTRAL", 160, True),
    ("SO-10006", "COF-COL-1KG", "CENTRAL", 40, True),
    ("SO-10007", "PACK-28-GRN", "EAST", 30, True),
    ("SO-10008", "BOTTLE-500", "EAST", 45, True),
    ("SO-10009", "THROW-LIN-NAT", "CENTRAL", 25, True),
    ("SO-10010", "TEE-ORG-BLK-L", "CENTRAL", 60, True),
    ("SO-10011", "COF-ETH-250", "CENTRAL", 190, True),
    ("SO-10012", "MER-CREW-S", "CENTRAL", 30, True),
    ("SO-10013", "MATCHA-50G", "CENTRAL", 35, True),
    ("SO-10014", "BOX-S-25", "EAST", 120, True),
    ("SO-10015", "BOX-M-25", "EAST", 60, True),
    ("SO-10016", "CANDLE-LAV", "EAST", 15, True),
    ("SO-10017", "DRIP-CER-WHT", "CENTRAL", 8, True),
    ("SO-10018", "PACK-28-BLK", "EAST", 18, True),
    ("SO-10019", "MER-CREW-L", "CENTRAL", 40, False),
    ("SO-10020", "TEE-ORG-BLK-M", "CENTRAL", 50, False),
    ("SO-10021", "COF-COL-250", "CENTRAL", 30, False),
    ("SO-10022", "BOTTLE-750", "EAST", 12, False),
)

# Reorder policies: (SKU, warehouse, safety stock, reorder point, reorder quantity). After the
# orders above COF-ETH-250 and MER-CREW-M are under safety stock; TEE-ORG-BLK-M is at its
# reorder point, above safety.
POLICIES = (
    ("COF-ETH-250", "CENTRAL", 60, 120, 400),
    ("MER-CREW-M", "CENTRAL", 30, 50, 120),
    ("TEE-ORG-BLK-M", "CENTRAL", 60, 140, 300),
    ("COF-COL-250", "CENTRAL", 50, 100, 400),
    ("PACK-28-GRN", "EAST", 10, 20, 40),
    ("BOX-S-25", "EAST", 100, 200, 500),
    ("MATCHA-50G", "CENTRAL", 20, 40, 150),
)


class _Seeder:
    def __init__(self, tenant: Tenant, staff: dict[str, str]) -> None:
        self.tenant = tenant
        self.actors = staff  # email -> "user:<id>"
        self.evaluator = RuleEvaluator(shared_engine())
        self.buyer = Actor(frozenset(BUYER.roles))
        self.finance = Actor(frozenset({*FINANCE.roles, staff_role("finance")}))
        self.today = date.today()
        self.suppliers: dict[str, UUID] = {}
        self.skus: dict[str, UUID] = {}
        self.warehouses: dict[str, UUID] = {}
        self.zones: dict[str, UUID] = {}

    def as_(self, member: StaffMember) -> AbstractContextManager[None]:
        return actor_scope(self.actors[member.email])

    async def run(self) -> None:
        await self.suppliers_and_scorecards()
        await self.warehouses_and_zones()
        await self.catalog()
        await self.purchase_orders()
        await self.customer_orders()
        await self.reorder_policies()
        await analytics.classify()

    async def suppliers_and_scorecards(self) -> None:
        with self.as_(BUYER):
            for spec in SUPPLIERS:
                supplier = await suppliers.create_supplier(
                    spec.code, spec.name, country=spec.country, contacts=list(spec.contacts)
                )
                self.suppliers[spec.code] = supplier.id
                # BLW's downgrade to D comes after its last delivery (below).
                for period, scores, notes in spec.scorecards[:1]:
                    await suppliers.evaluate(supplier.id, scores, period=period, notes=notes)
            for spec in SUPPLIERS:
                if spec.code != "BLW":
                    for period, scores, notes in spec.scorecards[1:]:
                        await suppliers.evaluate(
                            self.suppliers[spec.code], scores, period=period, notes=notes
                        )

    async def warehouses_and_zones(self) -> None:
        with self.as_(CLERK):
            for code, name in (("CENTRAL", "Central distribution center"), ("EAST", "East hub")):
                warehouse = await warehouses.create_warehouse(code, name)
                self.warehouses[code] = warehouse.id
                for zone in await Zone.filter(warehouse_id=warehouse.id):
                    self.zones[f"{code}/{zone.code}"] = zone.id
            cold = await warehouses.create_zone(self.warehouses["CENTRAL"], "COLD", "Cold room")
            self.zones["CENTRAL/COLD"] = cold.id

    async def catalog(self) -> None:
        with self.as_(BUYER):
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
            for sku in await Sku.all().only("id", "code"):
                self.skus[sku.code] = sku.id

    async def order(
        self, supplier: str, warehouse: str, lines: list[tuple[str, int]], *, days: int = 14
    ) -> PurchaseOrder:
        """A draft from the buyer; unit costs are the SKUs' costs."""
        costs = {sku.code: sku.cost for sku in await Sku.filter(code__in=[c for c, _ in lines])}
        with self.as_(BUYER):
            return await purchasing.create(
                self.suppliers[supplier],
                self.warehouses[warehouse],
                [purchasing.LineSpec(self.skus[code], qty, costs[code]) for code, qty in lines],
                terms=purchasing.Terms(
                    delivery_date=self.today + timedelta(days=days),
                    quality_standard="AQL 2.5, general inspection level II",
                    payment_terms="30 days net",
                    penalty_terms="0.5% of the order value per day late, at most 10%",
                ),
            )

    async def submit(self, order: PurchaseOrder) -> None:
        with self.as_(BUYER):
            await purchasing.submit(self.evaluator, self.buyer, order.id)

    async def approve(self, order: PurchaseOrder) -> None:
        with self.as_(FINANCE):
            await purchasing.approve(self.evaluator, self.finance, order.id)

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
        received = [
            purchasing.ReceiptLine(
                lines[self.skus[code]].id,
                quantity,
                expires_on=self.today + timedelta(days=expiry[code]) if code in expiry else None,
                zone_id=self.zones[zone],
            )
            for code, quantity in quantities.items()
        ]
        with self.as_(CLERK):
            await purchasing.receive(order.id, received, note=note)

    async def purchase_orders(self) -> None:
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
        with self.as_(BUYER):
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
        with self.as_(BUYER):
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
        with self.as_(BUYER):
            await purchasing.close(candles.id)
        with self.as_(BUYER):
            for period, scores, notes in SUPPLIERS[-1].scorecards[1:]:
                await suppliers.evaluate(self.suppliers["BLW"], scores, period=period, notes=notes)

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
        with self.as_(BUYER):
            await purchasing.cancel(duplicate.id)

        # Over 50,000, submitted by the buyer: an approval request for the finance manager.
        season = await self.order(
            "ALP",
            "CENTRAL",
            [("PACK-28-GRN", 500), ("PACK-28-BLK", 400), ("BOTTLE-500", 600), ("BOTTLE-750", 600)],
            days=45,
        )
        await self.submit(season)

    async def customer_orders(self) -> None:
        with self.as_(CLERK):
            for reference, code, warehouse, quantity, shipped in ORDERS:
                allocation = await stock.allocate(
                    self.skus[code], self.warehouses[warehouse], quantity, reference
                )
                if shipped:
                    await stock.ship(allocation.id)

    async def reorder_policies(self) -> None:
        with self.as_(BUYER):
            for code, warehouse, safety, point, quantity in POLICIES:
                await positions.set_reorder_policy(
                    self.skus[code],
                    self.warehouses[warehouse],
                    safety_stock=safety,
                    reorder_point=point,
                    reorder_quantity=quantity,
                )


async def seed_supply_chain(tenant: Tenant) -> None:
    """Seed the tenant's supply chain, as the demo staff (who must be members already)."""
    staff = {
        user.email: f"user:{user.id}"
        for user in await User.filter(email__in=[member.email for member in DEMO_STAFF])
    }
    with tenant_scope(tenant.id):
        async with in_transaction():
            await _Seeder(tenant, staff).run()


__all__ = ["BUYER", "CLERK", "DEMO_STAFF", "FINANCE", "StaffMember", "seed_supply_chain"]
