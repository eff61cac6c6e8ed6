"""Search across answers, and text shown so that nothing an authority wrote can change the page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from analysis import filters as flt
from analysis import search
from models import safe_text
from store.loading import load_survey_data

FAKE = Path(__file__).parent / "fake_data" / "compare"


@pytest.fixture(scope="module")
def june():
    return flt.Filters(round_id="fake-june").apply(load_survey_data(FAKE))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("midway", ["midway"]),
        ("  midway   review ", ["midway", "review"]),
        ('"dispute resolution" audit', ["dispute resolution", "audit"]),
        ("Audit audit", ["Audit"]),  # duplicates ignored, whatever the case
        ("", []),
        ("   ", []),
        ("- ... midway", ["midway"]),  # punctuation alone is not a term
    ],
)
def test_terms(query, expected):
    assert search.terms(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # case-insensitive
        ("MIDWAY", [("Alphaton", "iro", "quality_inputs")]),
        # every word must appear in the same answer
        ("zebra crossing", [("Gamma City", "cp_chair", "impact")]),
        ("zebra", [("Gamma City", "iro", "impact"), ("Gamma City", "cp_chair", "impact")]),
        ("zebra midway", []),
        # caseload answers are searched too
        ("families", [("Beta Borough", "cp_chair", "caseload")]),
        # a phrase in quotes must appear as written (any spacing)
        ('"QA form"', [("Alphaton", "iro", "quality_inputs"), ("Gamma City", "cp_chair", "quality_inputs")]),
        ('"form QA"', []),
        ("", []),
    ],
)
def test_search(june, query, expected):
    assert [(h.authority, h.role, h.field) for h in search.search(june, query)] == expected


def test_search_filters_by_role_and_model(june):
    assert [h.authority for h in search.search(june, "zebra", roles=["cp_chair"])] == ["Gamma City"]
    assert search.search(june, "zebra", models=["combined", "separate"]) == []
    assert [h.authority for h in search.search(june, "midway", models=["combined"])] == ["Alphaton"]


def test_hits_grouped_by_authority_and_named_by_question(june):
    hits = search.search(june, "chair")
    grouped = search.group_hits(hits)
    assert list(grouped) == ["Alphaton", "Beta Borough", "Gamma City"]
    assert grouped["Beta Borough"][0].question == "CP chair: Expectations of role"


def test_matching_lines():
    text = "First line about audits.\nSecond line.\nThird about AUDITS again."
    assert search.matching_lines(text, ["audits"]) == [
        "First line about audits.",
        "Third about AUDITS again.",
    ]


HOSTILE = [
    "<script>alert('owned')</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _italic_ ~~struck~~ `code`",
    "[click here](http://evil.example) and <http://evil.example>",
    "Visit www.evil.example or http://evil.example now",
    ":red[alarm] :material/warning: $x^2$ $$y$$",
    "# Heading\n1. numbered\n- bullet\n> quote\n    indented code\n| a | b |",
    "A & B &amp; C &#60;",
]

#: What must never survive escaping: a raw tag, or markdown syntax characters.
RAW = re.compile(r"[<>\[\]()*_`#~$:|\\!&]")
ENTITY = re.compile(r"&#\d+;")


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_markdown_leaves_no_markup(text):
    out = safe_text.escape_markdown(text)
    # Every syntax character has become a character reference; nothing raw is left.
    assert not RAW.search(ENTITY.sub("", out)), out
    # Line-start list markers and '&' cannot start syntax either.
    for line in out.splitlines():
        assert not re.match(r"\s*(\d+[.)]|[-+>])\s", line), line
    # Reading it back gives exactly what was written (line by line, edges trimmed).
    back = html.unescape(out.replace("  \n", "\n")).replace(safe_text.JOINER, "")
    assert [x.strip() for x in back.splitlines() if x.strip()] == [
        x.strip() for x in text.splitlines() if x.strip()
    ]


@pytest.mark.parametrize(
    "text", ["www.evil.example", "http://evil.example", "HTTPS://evil.example", "me@evil.example", ":smile:"]
)
def test_bare_addresses_and_emoji_codes_are_defused(text):
    out = html.unescape(safe_text.escape_markdown(text))
    assert out != text and out.replace(safe_text.JOINER, "") == text
    for pattern in ("www.", "://", "me@", ":smile:"):
        assert pattern.lower() not in out.lower()


def test_escape_keeps_plain_text_readable():
    assert (
        safe_text.escape_markdown("Plain words, commas; and 95% too?") == "Plain words, commas; and 95% too?"
    )
    assert safe_text.escape_markdown(None) == ""
    assert safe_text.escape_markdown("one\ntwo") == "one  \ntwo"


@pytest.mark.parametrize("text", HOSTILE)
def test_highlight_adds_only_mark_tags(text):
    out = search.highlight(text, ["alert", "evil", "a"])
    tags = re.findall(r"</?[a-zA-Z][^>]*>", out)
    assert tags and set(tags) <= {"<mark>", "</mark>"}, tags
    assert not RAW.search(ENTITY.sub("", re.sub(r"</?mark>", "", out)))


def test_highlight_marks_every_match_case_insensitively():
    out = search.highlight("Plymouth University and plymouth", ["plymouth", "university"])
    assert out == "<mark>Plymouth</mark> <mark>University</mark> and <mark>plymouth</mark>"
    assert search.highlight("a <b> tag", ["b"]) == "a &#60;<mark>b</mark>&#62; tag"


@pytest.mark.parametrize(
    ("text", "query", "found"),
    [
        ("a mid-way review", "midway", True),  # hyphen inside a word forgiven
        ("Mid Way Review meetings", "midway review", True),  # space inside a word forgiven
        ("a midway review", "mid-way", True),
        ("dispute-resolution notice", '"dispute resolution"', True),
        ("the review was midway", "midway review", True),  # words in any order
        ("a mid-week review", "midway", False),
        ("reviewing", '"review meeting"', False),
    ],
)
def test_matching_forgives_hyphens_and_spaces(text, query, found):
    words = search.terms(query)
    assert search.matches(text, words) is found
    if found:
        assert search.spans(text, words)
