"""How returns are coded: evidence keyed by taxonomy and code, the written rule, and the codebook.

The codebook's examples are checked against the real returns, so the rule and
the data cannot drift apart silently.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.returns import AuthorityReturn, RoleSection


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
