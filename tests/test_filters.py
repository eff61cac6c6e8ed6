"""The shared filters: reading and writing a link, and which returns they select (no Streamlit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import filters as flt
from store.loading import load_survey_data

FAKE = Path(__file__).parent / "fake_data" / "compare"


@pytest.fixture(scope="module")
def ds():
    data = load_survey_data(FAKE)
    assert not data.problems
    return data


def names(returns):
    return [(r.authority, r.round) for r in returns]


def test_default_is_newest_questionnaire_round_without_published(ds):
    f = flt.default_filters(ds)
    assert f.round_id == "fake-june"
    assert f.include_published is False
    assert names(f.apply(ds)) == [
        ("Alphaton", "fake-june"),
        ("Beta Borough", "fake-june"),
        ("Gamma City", "fake-june"),
    ]


@pytest.mark.parametrize(
    ("params", "expected", "notes"),
    [
        # no link: the defaults
        ({}, flt.Filters(round_id="fake-june"), 0),
        # an older round by id
        ({"round": "fake-march"}, flt.Filters(round_id="fake-march"), 0),
        # every questionnaire round
        ({"round": "all"}, flt.Filters(round_id="all"), 0),
        # an unknown round is ignored, with a note
        ({"round": "nope"}, flt.Filters(round_id="fake-june"), 1),
        # models, comma-separated or repeated, case and dashes forgiven
        (
            {"model": "Combined,not-stated"},
            flt.Filters(round_id="fake-june", models=("combined", "not_stated")),
            0,
        ),
        ({"model": ["separate", "separate"]}, flt.Filters(round_id="fake-june", models=("separate",)), 0),
        # an unknown model is dropped with a note, the known one kept
        ({"model": "combined,hybrid"}, flt.Filters(round_id="fake-june", models=("combined",)), 1),
        # authorities by slug or name
        (
            {"authority": "beta-borough,Alphaton"},
            flt.Filters(round_id="fake-june", authorities=("Beta Borough", "Alphaton")),
            0,
        ),
        # an unknown authority is dropped with a visible note, never a crash
        ({"authority": "atlantis,alphaton"}, flt.Filters(round_id="fake-june", authorities=("Alphaton",)), 1),
        # role
        ({"role": "cp_chair"}, flt.Filters(round_id="fake-june", role="cp_chair"), 0),
        ({"role": "cp-chair"}, flt.Filters(round_id="fake-june", role="cp_chair"), 0),
        ({"role": "director"}, flt.Filters(round_id="fake-june"), 1),
        # published descriptions on and off
        ({"published": "1"}, flt.Filters(round_id="fake-june", include_published=True), 0),
        ({"published": "no"}, flt.Filters(round_id="fake-june"), 0),
        ({"published": "maybe"}, flt.Filters(round_id="fake-june"), 1),
        # naming the published round turns them on (with a note that it is not a questionnaire round)
        ({"round": "fake-published"}, flt.Filters(round_id="fake-june", include_published=True), 1),
        # a published authority without published included: kept, with a note that it shows nothing
        ({"authority": "delta"}, flt.Filters(round_id="fake-june", authorities=("Delta",)), 1),
    ],
)
def test_from_query_params(ds, params, expected, notes):
    got, messages = flt.from_query_params(params, ds)
    assert got == expected
    assert len(messages) == notes, messages


def test_unknown_authority_note_names_it(ds):
    _, messages = flt.from_query_params({"authority": "atlantis"}, ds)
    assert messages == ["The link names an authority 'atlantis' that is not in the data; it was left out."]


@pytest.mark.parametrize(
    "f",
    [
        flt.Filters(round_id="fake-june"),
        flt.Filters(round_id="fake-march", models=("separate",), role="iro"),
        flt.Filters(round_id="all", authorities=("Beta Borough", "Alphaton"), include_published=True),
        flt.Filters(round_id="fake-june", models=("combined", "not_stated"), role="cp_chair"),
    ],
)
def test_link_round_trip(ds, f):
    params = flt.to_query_params(f, ds)
    back, messages = flt.from_query_params(params, ds)
    assert back == f
    assert messages == []


def test_defaults_make_a_short_link_that_names_its_round(ds):
    # The round is always named, so the link keeps its meaning once a newer round is shared.
    assert flt.to_query_params(flt.default_filters(ds), ds) == {"round": "fake-june"}
    assert flt.to_query_params(flt.Filters(round_id="fake-june", authorities=("Beta Borough",)), ds) == {
        "round": "fake-june",
        "authority": "beta-borough",
    }


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (flt.Filters(round_id="fake-june", models=("separate",)), [("Beta Borough", "fake-june")]),
        (flt.Filters(round_id="fake-june", models=("not_stated",)), [("Gamma City", "fake-june")]),
        (flt.Filters(round_id="fake-march"), [("Alphaton", "fake-march")]),
        (
            flt.Filters(round_id="all", authorities=("Alphaton",)),
            [("Alphaton", "fake-june"), ("Alphaton", "fake-march")],
        ),
        # published descriptions come last, only when included
        (
            flt.Filters(round_id="fake-june", models=("combined",), include_published=True),
            [("Alphaton", "fake-june"), ("Delta", "fake-published")],
        ),
        # nothing matches: an empty list, not an error
        (flt.Filters(round_id="fake-march", models=("separate",)), []),
    ],
)
def test_apply(ds, f, expected):
    assert names(flt.apply(f, ds)) == expected


def test_authority_choices_follow_round_and_published(ds):
    assert flt.authority_names(ds, flt.Filters(round_id="fake-march")) == ["Alphaton"]
    assert "Delta" not in flt.authority_names(ds, flt.Filters(round_id="fake-june"))
    assert "Delta" in flt.authority_names(ds, flt.Filters(round_id="fake-june", include_published=True))


def test_describe_says_what_is_shown(ds):
    text = flt.Filters(round_id="fake-june", models=("combined",), role="iro").describe(ds)
    assert "Fake June round" in text
    assert "Combined (IRO and CP chair)" in text
    assert "role: IRO" in text
    assert "published service descriptions left out" in text


def test_roles():
    assert flt.Filters().roles == ["iro", "cp_chair"]
    assert flt.Filters(role="cp_chair").roles == ["cp_chair"]
