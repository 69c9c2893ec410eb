"""Per-request DataLoaders: made on first use, kept for the request, never shared."""

from __future__ import annotations

import pytest

from merchantops.api.graphql.core.loaders import Loaders


def test_a_loader_is_made_on_first_use_and_kept_for_the_request() -> None:
    loaders = Loaders()
    assert "product" not in vars(loaders)

    first = loaders.product

    assert loaders.product is first
    assert set(vars(loaders)) == {"product"}


def test_two_requests_never_share_a_loader_or_its_cache() -> None:
    assert Loaders().product is not Loaders().product


def test_reading_a_loader_off_the_class_is_a_clear_error() -> None:
    with pytest.raises(AttributeError, match="per-request loader"):
        _ = Loaders.product
