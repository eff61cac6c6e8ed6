"""The database for a size: a Store seeded with the synthetic returns (``tools.synthetic``)."""

from __future__ import annotations


def seed_database(url: str, authorities: int, rounds: int, seed: int = 1):
    """A Store at ``url`` holding the synthetic returns; returns (store, dataset)."""
    from store import Store
    from tools.synthetic import synthetic_dataset

    dataset = synthetic_dataset(authorities, rounds, seed)
    store = Store(url)
    store.ensure_schema()
    store.seed(dataset)
    return store, dataset
