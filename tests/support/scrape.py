"""Reading what `/metrics` (or the registry) says, as Prometheus would."""

from __future__ import annotations

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from merchantops.observability import metrics


def samples(text: str | None = None) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample by (name, labels); the process's registry unless a scrape is given."""
    page = text if text is not None else generate_latest(metrics.REGISTRY).decode()
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(page):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(name: str, text: str | None = None, **labels: str) -> float:
    """A sample's value (0 when the series does not exist yet)."""
    return samples(text).get((name, frozenset(labels.items())), 0.0)


def total(name: str, text: str | None = None) -> float:
    """A metric's samples added up over every label value."""
    return sum(found for (sample, _), found in samples(text).items() if sample == name)


SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("_count", "_sum", "_created", ""),
    "info": ("_info",),
}


def exported_names() -> set[str]:
    """Every sample name the registry exports or will once a label value is used: a family's
    name with its type's suffixes (`_total`, `_bucket`, `_count`, `_sum`, ...)."""
    names: set[str] = set()
    for family in metrics.REGISTRY.collect():
        for suffix in SUFFIXES.get(family.type, ("",)):
            names.add(family.name + suffix)
    return names


__all__ = ["exported_names", "samples", "total", "value"]
