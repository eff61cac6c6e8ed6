"""Saves: latency one after another, and fifty at once from separate processes (none may be lost)."""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

from tools.bench.results import SaveResult


def measure_save_latency(store, dataset, n: int) -> list[float]:
    """Save ``n`` amended returns one after another (round-robin over the open round's authorities)."""
    round_id = max(dataset.rounds)  # the last round is open for submissions
    current = {r.authority: r for r in dataset.returns if r.round == round_id}
    names = sorted(current)
    times = []
    for i in range(n):
        name = names[i % len(names)]
        ret = current[name]
        amended = ret.model_copy(update={"notes": [f"bench save {i}"]})
        t0 = time.perf_counter()
        saved = store.save(amended, based_on=ret.provenance.version, channel="form", submitted_by="bench")
        times.append((time.perf_counter() - t0) * 1000)
        current[name] = saved
    return times


def _concurrent_saver(url: str, round_id: str, authority: str, marker: str, barrier, results) -> None:
    from store import Store
    from store.errors import ConflictError, StorageError

    outcome: dict[str, Any] = {"marker": marker, "authority": authority}
    try:
        store = Store(url)
        ret = store.current(round_id, authority)
        based_on = ret.provenance.version
        amended = ret.model_copy(update={"notes": [marker]})
        barrier.wait(timeout=120)
        try:
            saved = store.save(amended, based_on=based_on, channel="form", submitted_by="bench")
            outcome.update(result="landed", version=saved.provenance.version)
        except ConflictError:
            outcome.update(result="refused")
        except StorageError as exc:
            outcome.update(result="failed", message=str(exc)[:200])
        store.dispose()
    except Exception as exc:
        outcome.update(result="failed", message=f"{exc.__class__.__name__}: {exc}"[:200])
    results.put(outcome)


def measure_concurrent_saves(store, dataset, url: str, n: int = 50) -> SaveResult:
    """``n`` processes save at once: half amend the same return (one should land, the rest be
    refused as conflicts), half amend different returns (all should land). Then every save
    reported as landed is looked up: one missing or holding someone else's answers is lost."""
    round_id = max(dataset.rounds)
    names = sorted({r.authority for r in dataset.returns if r.round == round_id})
    shared = names[0]
    others = names[1:] or names
    targets = [shared if i % 2 == 0 else others[(i // 2) % len(others)] for i in range(n)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    store.dispose()
    procs = [
        ctx.Process(
            target=_concurrent_saver,
            args=(url, round_id, target, f"bench concurrent save {i}", barrier, results),
        )
        for i, target in enumerate(targets)
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    elapsed = time.perf_counter() - t0
    res = SaveResult(concurrent=n, concurrent_s=elapsed)
    lost: set[str] = set()
    for o in outcomes:
        if o["result"] == "landed":
            res.landed += 1
            # The version it was told it saved must hold its own answers...
            stored = store.version(round_id, o["authority"], o["version"])
            if stored.notes != [o["marker"]]:
                lost.add(o["marker"])
        elif o["result"] == "refused":
            res.refused += 1
        else:
            res.failed += 1
            res.notes.append(o.get("message", "failed"))
    # ... and still be in the return's history once everyone has finished.
    for name in set(targets):
        kept = {m for h in store.history(round_id, name) for m in h.ret.notes}
        for o in outcomes:
            if o["result"] == "landed" and o["authority"] == name and o["marker"] not in kept:
                lost.add(o["marker"])
    res.lost = len(lost)
    return res
