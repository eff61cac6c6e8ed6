"""Synthetic returns (tools.synthetic): valid, deterministic, and varied like the real ones."""

from __future__ import annotations

import datetime as dt

from models.returns import AuthorityReturn
from official.register import Authority, Register
from store.loading import dump_yaml, load_survey_data, return_to_yaml, slugify
from tools.synthetic import authority_name, synthetic_dataset, synthetic_returns


def test_every_return_is_a_valid_submitted_return():
    ds = synthetic_dataset(authorities=30, rounds=2, seed=3)
    assert len(ds.returns) == 60
    assert sorted(ds.rounds) == ["synthetic-round-1", "synthetic-round-2"]
    for ret in ds.returns:
        again = AuthorityReturn.model_validate(ret.model_dump(mode="json"), context={"require_answers": True})
        assert again == ret
        assert ret.round in ds.rounds


def test_same_seed_same_returns_and_other_seed_differs():
    assert synthetic_returns(10, 2, seed=5) == synthetic_returns(10, 2, seed=5)
    assert synthetic_returns(10, 2, seed=5) != synthetic_returns(10, 2, seed=6)


def test_one_return_per_authority_per_round_with_fake_names():
    returns = synthetic_returns(12, 3)
    keys = [r.key for r in returns]
    assert len(keys) == len(set(keys))
    assert {r.authority for r in returns} == {authority_name(i) for i in range(1, 13)}
    assert authority_name(7) == "Authority 007"
    # Names stay sortable past 999 authorities.
    assert synthetic_returns(1000, 1)[-1].authority == "Authority 1000"


def test_answers_and_caseloads_are_varied_like_real_returns():
    returns = synthetic_returns(153, 1)
    caseloads = [r.iro.caseload for r in returns]
    assert any(c.low is not None and c.low == c.high for c in caseloads)  # a single figure
    assert any(c.low is not None and c.high is not None and c.low < c.high for c in caseloads)  # a range
    assert any(c.low is None and c.high is not None for c in caseloads)  # "up to N"
    assert any(c.unit == "families" for c in caseloads)
    assert any(c.parts for c in caseloads)  # split by population
    assert any(not c.has_numbers for c in caseloads)  # words only
    assert {r.combined_role for r in returns} == {True, False}
    assert any(r.cp_chair is None for r in returns)  # combined role, CP chair section not answered
    lengths = sorted(len(r.iro.expectations) for r in returns)
    assert lengths[0] >= 50 and lengths[-1] >= 1000  # short and long answers
    assert all(r.iro.qa_activities and r.iro.impact_evidence for r in returns)


def synthetic_register(ds) -> Register:
    """A register of the invented authorities, so that loading links each return to an entry."""
    names = sorted({r.authority for r in ds.returns})
    return Register(
        [
            Authority(
                n,
                n,
                f"Z{i:08d}",
                f"{i:03d}",
                "",
                "Z12000001",
                "Synthetic region",
                "live",
                dt.date(2009, 1, 1),
                None,
            )
            for i, n in enumerate(names, 1)
        ]
    )


def test_returns_round_trip_through_the_data_files(tmp_path):
    ds = synthetic_dataset(authorities=4, rounds=1)
    (tmp_path / "rounds").mkdir()
    rnd = next(iter(ds.rounds.values()))
    (tmp_path / "rounds" / f"{rnd.id}.yaml").write_text(dump_yaml(rnd.model_dump(mode="json")))
    (tmp_path / rnd.id).mkdir()
    for ret in ds.returns:
        (tmp_path / rnd.id / f"{slugify(ret.authority)}.yaml").write_text(return_to_yaml(ret))
    loaded = load_survey_data(tmp_path, register=synthetic_register(ds))
    assert loaded.problems == []
    assert loaded.returns == ds.returns
