"""Per-request DataLoaders: made on first use, kept for the request, never shared."""

from __future__ import annotations

from merchantops.api.graphql.core.loaders import Loaders
from merchantops.domain.catalog.models import Product, Sku


def test_a_loader_is_made_once_per_request_and_model() -> None:
    loaders = Loaders()

    assert loaders.by_id(Product) is loaders.by_id(Product)
    assert loaders.by_id(Product) is not loaders.by_id(Sku)
    assert loaders.grouped(Sku, "product_id", "code") is loaders.grouped(Sku, "product_id", "code")
    assert loaders.grouped(Sku, "product_id", "code") is not loaders.grouped(
        Sku, "product_id", "-code"
    )


def test_requests_never_share_a_loader() -> None:
    assert Loaders().by_id(Product) is not Loaders().by_id(Product)
