"""seslip-2027 with questions of its own and three answers, for tests that need it ready-made.

Kent, Medway and Surrey start from their seslip-qa-june returns (carried forward) and answer the
round's figures; Medway's IRO count is "counted differently", so it is shown but kept out of the median.
Synthetic answers only: the figures below are made up for tests and appear in no data file.
"""

from __future__ import annotations

import datetime as dt

from models.questions import QuestionAnswer, library_question
from store import Store
from survey import round_questions as rq
from survey import rounds as rr

QUESTIONS = [
    "iro_fte",
    "iro_children_per_fte",
    "dispute_notices_raised",
    "dispute_notices_resolved_20_days",
    "reviews_on_time_pct",
    "iro_annual_report",
]
ANSWERS = {
    "Kent": {"iro_fte": 9.5, "iro_children_per_fte": 64, "dispute_notices_raised": 14,
             "dispute_notices_resolved_20_days": 11, "reviews_on_time_pct": 92, "iro_annual_report": True},
    "Medway": {"iro_fte": 6, "iro_children_per_fte": 58, "dispute_notices_raised": 8,
               "dispute_notices_resolved_20_days": 8, "reviews_on_time_pct": 88, "iro_annual_report": False},
    "Surrey": {"iro_fte": 12, "iro_children_per_fte": 70, "dispute_notices_raised": 20,
               "reviews_on_time_pct": 95, "iro_annual_report": True},
}  # fmt: skip
DIFFERENTLY = {("Medway", "iro_fte"): "Includes the IRO manager's whole post"}


def seed_2027(store: Store) -> None:
    rr.create_round(
        store,
        round_id="seslip-2027",
        title="SESLIP survey 2027",
        group_id="south-east",
        deadline=dt.date(2099, 6, 30),
        held_on=None,
        from_round="seslip-qa-june",
    )
    for qid in QUESTIONS:
        rq.add_from_library(store, "seslip-2027", qid)
    for name, values in ANSWERS.items():
        base = store.current("seslip-qa-june", name)
        answers = {
            qid: QuestionAnswer(
                value=v, counted_differently=DIFFERENTLY.get((name, qid)), asked=library_question(qid).text
            )
            for qid, v in values.items()
        }
        ret = base.model_copy(update={"round": "seslip-2027", "answers": answers})
        store.save(ret, based_on=None, channel="form", submitted_by="authority lead")
