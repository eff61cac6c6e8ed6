"""Synthetic returns for the benchmark and tests: valid, deterministic, realistic in size.

``synthetic_dataset(authorities=153, rounds=5, seed=1)`` makes ``authorities``
fake authorities ("Authority 001", ...) answering ``rounds`` questionnaire rounds.
Every return validates as a *submitted* return would
(``context={"require_answers": True}``). Answers are made of plausible sentences
and are about as long as the real ones (a few hundred to a few thousand
characters); caseloads cover single figures, ranges, "up to N", families and
split caseloads; QA and impact codes are drawn from the taxonomies, with
supporting sentences for some of them.

The same seed always gives the same data. No real authority's name or answer is used.
"""

from __future__ import annotations

import datetime as dt
import random

from models.returns import AuthorityReturn, SurveyRound
from models.taxonomy import IMPACT_EVIDENCE, QA_ACTIVITIES
from store.loading import Dataset

_SENTENCES = {
    "expectations": [
        "Chair reviews for children looked after within statutory timescales.",
        "Meet the child before each review and record their wishes and feelings.",
        "Monitor the care plan between reviews and challenge drift and delay.",
        "Write to the child after each review in words they understand.",
        "Chair initial and review child protection conferences.",
        "Ensure parents and professionals contribute to the plan and understand it.",
        "Quality assure the social work assessment before the conference.",
        "Attend team meetings and support newly qualified social workers.",
        "Keep the independent oversight of the child's journey in view at every stage.",
        "Record decisions clearly and circulate them within five working days.",
    ],
    "quality_inputs": [
        "Midway reviews are completed for every child between meetings.",
        "A quality assurance form is completed after each conference.",
        "The officers take part in the monthly case-file audit programme.",
        "Themed audits are completed when the service asks for them.",
        "Concerns are raised through the dispute resolution process and tracked.",
        "Managers dip-sample the officers' records each quarter.",
        "The officers give consultation to teams before initial conferences.",
        "Good practice is fed back to social workers and their managers.",
        "Readiness checks confirm reports are shared before the meeting.",
        "Findings are reported to the quality assurance board each quarter.",
    ],
    "impact": [
        "Feedback from children and families is collected after meetings.",
        "Audit findings show plans are clearer and more focused on the child.",
        "Performance data show fewer repeat child protection plans.",
        "Escalations are analysed and most are resolved at the first stage.",
        "Participation of children in their reviews has risen this year.",
        "The annual report sets out the service's work and its impact.",
        "Managers review a sample of records to judge the difference made.",
        "The officers' involvement is visible on the children's case records.",
        "We are not yet able to evidence impact consistently.",
        "Timeliness of reviews has stayed above ninety per cent.",
    ],
}

_PARTS = [
    ("children on child protection plans", "child_protection"),
    ("children looked after", "looked_after"),
    ("care leavers and children placed at home", "mixed"),
]


def authority_name(i: int, width: int = 3) -> str:
    """'Authority 001': clearly fake, sortable."""
    return f"Authority {i:0{width}d}"


def round_id(r: int) -> str:
    return f"synthetic-round-{r}"


def synthetic_rounds(rounds: int) -> list[SurveyRound]:
    out = []
    for r in range(1, rounds + 1):
        out.append(
            SurveyRound(
                id=round_id(r),
                title=f"Synthetic round {r}",
                region="Synthetic region",
                held_on=dt.date(2020 + r, 6, 1),
                source="synthetic",
                kind="questionnaire",
                description="Synthetic returns made by tools.synthetic for benchmarks and tests.",
                changes=["The first round; it defines the questionnaire."] if r == 1 else [],
                open_for_submissions=r == rounds,
            )
        )
    return out


def _answer(rng: random.Random, kind: str, sentences: int) -> str:
    pool = _SENTENCES[kind]
    lines = [rng.choice(pool) for _ in range(sentences)]
    if rng.random() < 0.5:
        return "\n".join(f"- {line}" for line in lines)
    return " ".join(lines)


def _caseload(rng: random.Random, population: str) -> dict:
    shape = rng.choices(["single", "range", "up_to", "families", "split", "words"], [4, 4, 1, 1, 1, 1])[0]
    base = rng.randint(12, 90)
    if shape == "single":
        return {"text": f"{base}", "low": base, "high": base, "unit": "children", "population": population}
    if shape == "range":
        high = base + rng.randint(2, 15)
        return {
            "text": f"{base}-{high} children",
            "low": base,
            "high": high,
            "unit": "children",
            "population": population,
        }
    if shape == "up_to":
        return {"text": f"Up to {base}", "low": None, "high": base, "unit": "cases", "population": population}
    if shape == "families":
        high = base // 2 + rng.randint(1, 5)
        low = max(1, base // 2)
        return {
            "text": f"{low}-{high} families",
            "low": low,
            "high": high,
            "unit": "families",
            "population": population,
        }
    if shape == "split":
        n = rng.randint(2, 3)
        parts = []
        for label, pop in _PARTS[:n]:
            lo = rng.randint(5, 40)
            parts.append({"label": label, "low": lo, "high": lo + rng.randint(0, 8), "population": pop})
        text = ", ".join(f"{p['low']}-{p['high']} {p['label']}" for p in parts)
        return {
            "text": text,
            "low": sum(p["low"] for p in parts),
            "high": sum(p["high"] for p in parts),
            "unit": "children",
            "population": "mixed",
            "parts": parts,
        }
    # A caseload described in words only: the text is kept, no numbers.
    return {
        "text": "Caseloads vary with the complexity of the children's plans and are kept under review.",
        "unit": "cases",
        "population": population,
    }


def _section(rng: random.Random, population: str) -> dict:
    qa = rng.sample([c.code for c in QA_ACTIVITIES], rng.randint(1, 6))
    impact = rng.sample([c.code for c in IMPACT_EVIDENCE if c.code != "not_yet_evidenced"], rng.randint(1, 4))
    quality = _answer(rng, "quality_inputs", rng.randint(2, 12))
    evidence = {code: [quality.split("\n")[0].lstrip("- ")] for code in qa[:2]}
    return {
        "caseload": _caseload(rng, population),
        "expectations": _answer(rng, "expectations", rng.randint(3, 25)),
        "quality_inputs": quality,
        "impact": _answer(rng, "impact", rng.randint(1, 8)),
        "qa_activities": qa,
        "impact_evidence": impact,
        "evidence": evidence,
    }


def synthetic_return(rng: random.Random, authority: str, round_: str, version: int = 1) -> AuthorityReturn:
    combined = rng.random() < 0.3
    data = {
        "authority": authority,
        "round": round_,
        "combined_role": combined,
        "iro": _section(rng, "mixed" if combined else "looked_after"),
        "cp_chair": None if combined and rng.random() < 0.5 else _section(rng, "child_protection"),
        "workforce": {
            "iro_fte": round(rng.uniform(2, 30), 1) if rng.random() < 0.6 else None,
            "cp_chair_fte": round(rng.uniform(2, 20), 1) if rng.random() < 0.6 else None,
        },
        "notes": [],
        "provenance": {"source": "synthetic", "channel": "seed", "version": version},
    }
    return AuthorityReturn.model_validate(data, context={"require_answers": True})


def synthetic_returns(authorities: int, rounds: int, seed: int = 1) -> list[AuthorityReturn]:
    """``authorities`` × ``rounds`` valid returns; the same seed gives the same returns."""
    rng = random.Random(seed)
    width = max(3, len(str(authorities)))
    out = []
    for r in range(1, rounds + 1):
        for a in range(1, authorities + 1):
            out.append(synthetic_return(rng, authority_name(a, width), round_id(r)))
    return out


def synthetic_dataset(authorities: int = 153, rounds: int = 5, seed: int = 1) -> Dataset:
    rnds = synthetic_rounds(rounds)
    return Dataset(
        rounds={r.id: r for r in rnds},
        returns=synthetic_returns(authorities, rounds, seed),
    )
