"""Customers of the demo tenant: eight, with their addresses, as master data."""

from __future__ import annotations

from dataclasses import dataclass

from merchantops.domain.customers import service as customers
from merchantops.domain.customers.service import AddressSpec, CustomerSpec
from merchantops.domain.seeding import BUYER, Seed


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    customer: CustomerSpec
    addresses: tuple[AddressSpec, ...]


def _home(recipient: str, line1: str, city: str, postal: str, country: str) -> AddressSpec:
    return AddressSpec(recipient, line1, city, country, label="Home", postal_code=postal)


CUSTOMERS = (
    DemoCustomer(
        CustomerSpec("Alice Moreau", "alice.moreau@example.com", "+33 1 5550 0101", ("vip",)),
        (
            _home("Alice Moreau", "12 Rue des Lilas", "Paris", "75011", "FR"),
            AddressSpec(
                "Alice Moreau", "3 Quai Ouest", "Lyon", "FR", label="Office", postal_code="69002"
            ),
        ),
    ),
    DemoCustomer(
        CustomerSpec("Ben Okafor", "ben.okafor@example.com", "+44 20 5550 0102", ("wholesale",)),
        (_home("Ben Okafor", "48 Camden Road", "London", "NW1 9DR", "GB"),),
    ),
    DemoCustomer(
        CustomerSpec("Chen Jing", "chen.jing@example.com", "+86 21 5550 0103"),
        (_home("Chen Jing", "88 Huaihai Road", "Shanghai", "200031", "CN"),),
    ),
    DemoCustomer(
        CustomerSpec("Diego Alvarez", "diego.alvarez@example.com", "", ("newsletter",)),
        (_home("Diego Alvarez", "Calle Mayor 7", "Madrid", "28013", "ES"),),
    ),
    DemoCustomer(
        CustomerSpec("Emma Schulz", "emma.schulz@example.com", "+49 30 5550 0105", ("vip",)),
        (
            _home("Emma Schulz", "Lindenstrasse 21", "Berlin", "10969", "DE"),
            AddressSpec(
                "Schulz GmbH", "Hafenweg 2", "Hamburg", "DE", label="Work", postal_code="20457"
            ),
        ),
    ),
    DemoCustomer(
        CustomerSpec("Farah Haddad", "farah.haddad@example.com", "+971 4 555 0106"),
        (_home("Farah Haddad", "Sheikh Zayed Road 101", "Dubai", "00000", "AE"),),
    ),
    DemoCustomer(
        CustomerSpec("Gus Peterson", "gus.peterson@example.com", "+1 555 0100 107", ("b2b",)),
        (_home("Gus Peterson", "500 Market Street", "San Francisco", "94105", "US"),),
    ),
    DemoCustomer(
        CustomerSpec("Hana Sato", "hana.sato@example.com", "+81 3 5550 0108", ("newsletter",)),
        (_home("Hana Sato", "2-1 Shibuya", "Tokyo", "150-0002", "JP"),),
    ),
)


async def master_data(seed: Seed) -> None:
    """The customers and their addresses, entered by the buyer (any staff with customer:write
    would do)."""
    with seed.as_(BUYER):
        for spec in CUSTOMERS:
            customer = await customers.create_customer(spec.customer)
            for address in spec.addresses:
                await customers.add_address(customer.id, address)


__all__ = ["CUSTOMERS", "DemoCustomer", "master_data"]
