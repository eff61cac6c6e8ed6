"""The return model, its taxonomies and the questionnaire derived from it."""

from models.returns import (
    AuthorityReturn,
    Caseload,
    CaseloadPart,
    Provenance,
    RoleSection,
    SurveyRound,
    Workforce,
)

__all__ = [
    "AuthorityReturn",
    "Caseload",
    "CaseloadPart",
    "Provenance",
    "RoleSection",
    "SurveyRound",
    "Workforce",
]
