"""Codes the yearly builds and the running app share: England's and the regions' LAIT codes, and two fixed phrases."""

from __future__ import annotations

#: A measure computed here from two LAIT measures; its polarity is that of LAIT's own
#: percentage measure ``RevCP`` (Review of Child Protection Cases).
DERIVED_REVIEWED = "CPP_Reviewed_pct"


ENGLAND_CODE = "970"


#: LAIT's code for each region of the register (Inner and Outer London are left out).
LAIT_REGION_CODES = {
    "E12000001": "980",
    "E12000002": "981",
    "E12000003": "982",
    "E12000004": "983",
    "E12000005": "984",
    "E12000006": "985",
    "E12000007": "986",
    "E12000008": "989",
    "E12000009": "990",
}


REGION_AREA_CODES = tuple(LAIT_REGION_CODES.values())


#: The reason for a year before an authority began or after it ended.
DID_NOT_EXIST = "the authority did not exist on that date"
