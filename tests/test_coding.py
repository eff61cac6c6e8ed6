"""How returns are coded: evidence keyed by taxonomy and code, the written rule, and the codebook.

The codebook's examples are checked against the real returns, so the rule and
the data cannot drift apart silently.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from conftest import FAKE_ROUND, fake_return
from pydantic import ValidationError
from source_docs import ROOT

from models.coding_examples import EXAMPLES
from models.returns import AuthorityReturn, RoleSection
from models.taxonomy import (
    CHANGES_HEADING,
    CODING_RULE,
    IMPACT_BY_CODE,
    IMPACT_EVIDENCE,
    IMPACT_RULE,
    QA_ACTIVITIES,
    QA_BY_CODE,
    QA_RULE,
    codebook_markdown,
)
from store.loading import load_survey_data
from store.schema import versions_table


def _section(**kw):
    return {"qa_activities": [], "impact_evidence": [], **kw}


# ---------------------------------------------------------------------------
# Evidence keyed by taxonomy and code; the older flat form still loads.


def test_old_flat_evidence_goes_under_the_taxonomy_where_each_code_is_chosen():
    section = RoleSection.model_validate(
        _section(
            qa_activities=["midway_review", "service_user_feedback"],
            impact_evidence=["service_user_feedback", "audit_findings"],
            evidence={
                "midway_review": ["Midway reviews."],
                "service_user_feedback": ["Feedback forms."],
                "audit_findings": ["Audit findings."],
            },
        )
    )
    assert section.evidence == {
        "qa": {"midway_review": ["Midway reviews."], "service_user_feedback": ["Feedback forms."]},
        "impact": {"service_user_feedback": ["Feedback forms."], "audit_findings": ["Audit findings."]},
    }
    assert section.quotes("qa", "midway_review") == ["Midway reviews."]
    assert section.quotes("impact", "midway_review") == []


def test_the_two_service_user_feedback_codes_keep_separate_quotes():
    section = RoleSection.model_validate(
        _section(
            qa_activities=["service_user_feedback"],
            impact_evidence=["service_user_feedback"],
            evidence={
                "qa": {"service_user_feedback": ["Parents are asked after each conference."]},
                "impact": {"service_user_feedback": ["The survey shows parents felt heard."]},
            },
        )
    )
    assert section.quotes("qa", "service_user_feedback") == ["Parents are asked after each conference."]
    assert section.quotes("impact", "service_user_feedback") == ["The survey shows parents felt heard."]


def test_a_stored_version_in_the_old_form_loads_and_dumps_in_the_new():
    old = {
        "authority": "Northshire",
        "round": "fake-round",
        "iro": _section(qa_activities=["midway_review"], evidence={"midway_review": ["Midway reviews."]}),
        "provenance": {"source": "synthetic"},
    }
    ret = AuthorityReturn.model_validate(old)
    dumped = ret.model_dump(mode="json")
    assert dumped["iro"]["evidence"] == {"qa": {"midway_review": ["Midway reviews."]}}
    assert AuthorityReturn.model_validate(dumped) == ret


@pytest.mark.parametrize(
    ("evidence", "error"),
    [
        # Old form, code chosen in neither taxonomy: the usual message, not a silent loss.
        ({"thematic_audit": ["A sentence."]}, "evidence_without_code"),
        # New form, code chosen in the other taxonomy only.
        ({"impact": {"midway_review": ["A sentence."]}}, "unknown_code"),
        ({"qa": {"audit_findings": ["A sentence."]}}, "unknown_code"),
        ({"qa": {"case_file_audit": ["A sentence."]}}, "evidence_without_code"),
        ({"elsewhere": {"midway_review": ["A sentence."]}}, "literal_error"),
    ],
)
def test_evidence_must_belong_to_a_code_chosen_in_its_taxonomy(evidence, error):
    with pytest.raises(ValidationError) as exc:
        RoleSection.model_validate(_section(qa_activities=["midway_review"], evidence=evidence))
    assert error in {e["type"] for e in exc.value.errors()}


# ---------------------------------------------------------------------------
# The rule is written once and shown from there.


def test_the_form_help_says_the_rule():
    qa_help = RoleSection.model_fields["qa_activities"].description
    impact_help = RoleSection.model_fields["impact_evidence"].description
    assert QA_RULE in qa_help and "expectations, input into quality and impact" in qa_help
    assert IMPACT_RULE in impact_help and "from the impact answer" in impact_help
    assert QA_RULE in CODING_RULE and IMPACT_RULE in CODING_RULE


# ---------------------------------------------------------------------------
# The codebook and its examples, checked against the real returns.

DATASET = load_survey_data()
CODEBOOK = ROOT / "docs" / "coding.md"


def _section_of(example):
    [ret] = [r for r in DATASET.returns if r.authority == example.authority]
    return getattr(ret, example.role)


def test_the_committed_codebook_is_the_one_the_taxonomy_writes():
    text = CODEBOOK.read_text(encoding="utf-8")
    assert CHANGES_HEADING in text, "docs/coding.md has lost its list of changes"
    generated = text[: text.index(CHANGES_HEADING)].rstrip("\n") + "\n"
    assert generated == codebook_markdown(), (
        "docs/coding.md is out of date: run "
        "python -c 'from models.taxonomy import write_codebook; write_codebook()'"
    )


def test_every_code_is_written_up_with_an_example_of_each_kind():
    for taxonomy, codes in (("qa", QA_ACTIVITIES), ("impact", IMPACT_EVIDENCE)):
        for code in codes:
            assert code.counts and code.does_not_count, code.code
            kinds = {e.counts for e in EXAMPLES if e.taxonomy == taxonomy and e.code == code.code}
            assert kinds == {True, False}, (
                f"{taxonomy} {code.code}: needs a counted and a not-counted example"
            )


@pytest.mark.parametrize(
    "example",
    EXAMPLES,
    ids=[f"{e.taxonomy}-{e.code}-{e.authority}-{'yes' if e.counts else 'no'}" for e in EXAMPLES],
)
def test_a_codebook_example_holds_in_the_data(example):
    section = _section_of(example)
    vocabulary = QA_BY_CODE if example.taxonomy == "qa" else IMPACT_BY_CODE
    assert example.code in vocabulary
    # The sentence is real: it is in that role's answers.
    assert any(example.quote in answer for answer in section.answers().values())
    chosen = section.qa_activities if example.taxonomy == "qa" else section.impact_evidence
    quotes = section.quotes(example.taxonomy, example.code)
    if example.counts:
        assert example.code in chosen and example.quote in quotes
    else:
        assert example.quote not in quotes


# ---------------------------------------------------------------------------
# Quotes shared across the two taxonomies follow the written rule.


@pytest.mark.parametrize("ret", DATASET.returns, ids=lambda r: r.authority)
def test_a_sentence_supports_both_taxonomies_only_as_the_rule_allows(ret):
    for role, section in ret.sections():
        qa = section.evidence.get("qa", {})
        impact_quotes = {q for quotes in section.evidence.get("impact", {}).values() for q in quotes}
        others = "\n".join(filter(None, (section.expectations, section.quality_inputs)))
        for code, quotes in qa.items():
            for quote in set(quotes) & impact_quotes:
                where = f"{ret.authority} {role} {code}: {quote[:60]!r}"
                # It is in the impact answer...
                assert quote in (section.impact or ""), where
                # ... and the activity is not also said in the other answers.
                assert not any(q in others for q in quotes), where


def test_the_two_service_user_feedback_codes_keep_separate_sentences_where_both_answers_allow():
    surrey = DATASET.get("seslip-qa-june", "Surrey").iro
    qa = surrey.quotes("qa", "service_user_feedback")
    impact = surrey.quotes("impact", "service_user_feedback")
    assert qa == [
        "User feedback is sought from children, families and stake holders and will be used on an ongoing basis to shape the service."
    ]
    assert impact and not set(qa) & set(impact)


def test_a_version_stored_before_the_change_reads_back_keyed_by_taxonomy(store):
    """A database saved before evidence was keyed by taxonomy still reads, and nothing is lost."""
    data = fake_return().model_dump(mode="json")
    data["iro"]["qa_activities"] = ["midway_review", "service_user_feedback"]
    data["iro"]["impact_evidence"] = ["service_user_feedback"]
    data["iro"]["evidence"] = {  # the old form: by code alone
        "midway_review": ["Midway reviews."],
        "service_user_feedback": ["Parents are asked."],
    }
    with store.engine.begin() as conn:
        conn.execute(
            sa.insert(versions_table).values(
                round_id=FAKE_ROUND,
                authority=data["authority"],
                authority_key=data["authority"].lower(),
                version=1,
                data=json.dumps(data),
                saved_at=dt.datetime.now(dt.UTC),
                channel="seed",
                submitted_by="seed",
                based_on=None,
            )
        )
    [ret] = store.current_returns(FAKE_ROUND)
    assert ret.iro.quotes("qa", "midway_review") == ["Midway reviews."]
    assert ret.iro.quotes("qa", "service_user_feedback") == ["Parents are asked."]
    assert ret.iro.quotes("impact", "service_user_feedback") == ["Parents are asked."]
