"""The sidebar filters every comparison page shares, kept in the session and in the link.

``sidebar_filters()`` draws the widgets (stable keys ``flt_*``), returns the
filters and the returns they select, and writes the filters to the URL
query string so the view can be shared. The filters follow the user from page
to page through ``st.session_state``; a link opened afresh sets them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from analysis import filters as flt
from models.returns import AuthorityReturn
from models.safe_text import escape_markdown
from official.ofsted import GRADE_FILTER, NOT_A_VERDICT, OFSTED_ATTRIBUTION
from official.register import OGL_ATTRIBUTION
from store.loading import Dataset
from ui.cache import dataset_token, per_dataset
from ui.shown import provisional_notice, shown_dataset
from views.base import Selection

STATE = "filters"
SEEN = "_filters_link"
K_ROUND = "flt_round"
K_MODELS = "flt_models"
K_AUTHORITIES = "flt_authorities"
K_ROLE = "flt_role"
K_PUBLISHED = "flt_published"
K_NEIGHBOURS = "flt_neighbours"
K_GRADES = "flt_grades"


@dataclass
class FilterState:
    filters: flt.Filters
    returns: list[AuthorityReturn]
    dataset: Dataset
    published_rounds: frozenset[str]
    link_notes: tuple[str, ...] = ()  # what was wrong with the filters in the link, in words
    coverage: str | None = None  # which statistical neighbours have a return, in words

    @property
    def description(self) -> str:
        return self.filters.describe(self.dataset)

    def is_published(self, ret: AuthorityReturn) -> bool:
        return ret.round in self.published_rounds

    @property
    def selection(self) -> Selection:
        """The returns and choices every view is built from (one per data set and filters)."""
        return per_dataset(
            self.dataset,
            ("selection", self.filters),
            lambda: Selection(
                returns=tuple(self.returns),
                rounds=self.dataset.rounds,
                published_rounds=self.published_rounds,
                roles=tuple(self.filters.roles),
                models=self.filters.models,
                description=self.description,
            ),
        )

    @property
    def key(self) -> str:
        """The data set and the filters as one small string: what cached views are keyed on.

        The returns shown follow from these two, so a cache keyed on this need not hash them.
        """
        return f"{dataset_token(self.dataset)}|{self.filters!r}"


def _link_values(present: dict[str, str]) -> dict[str, str]:
    """The filters in the link; ``present`` is ``st.query_params.to_dict()`` (one read of the link)."""
    return {k: ",".join(st.query_params.get_all(k)) for k in flt.PARAM_KEYS if k in present}


def _set_widgets(f: flt.Filters) -> None:
    st.session_state[K_ROUND] = f.round_id
    st.session_state[K_MODELS] = list(f.models)
    st.session_state[K_AUTHORITIES] = list(f.authorities)
    st.session_state[K_ROLE] = f.role
    st.session_state[K_PUBLISHED] = f.include_published
    st.session_state[K_NEIGHBOURS] = f.neighbours_of
    st.session_state[K_GRADES] = list(f.grades)


def _reset() -> None:
    st.session_state[STATE] = flt.default_filters(shown_dataset(notice=False))
    _set_widgets(st.session_state[STATE])


def _from_widgets() -> None:
    """on_change of every filter widget: the widgets' values become the filters (before the rerun)."""
    current: flt.Filters = st.session_state.get(STATE) or flt.Filters()
    role = st.session_state.get(K_ROLE, current.role) or "both"
    st.session_state[STATE] = flt.Filters(
        round_id=st.session_state.get(K_ROUND, current.round_id),
        models=tuple(st.session_state.get(K_MODELS, current.models)),
        authorities=tuple(st.session_state.get(K_AUTHORITIES, current.authorities)),
        role=role if role in flt.ROLE_CHOICES else "both",
        include_published=bool(st.session_state.get(K_PUBLISHED, current.include_published)),
        neighbours_of=st.session_state.get(K_NEIGHBOURS, current.neighbours_of) or None,
        grades=tuple(st.session_state.get(K_GRADES, current.grades)),
    )


def sidebar_filters(*, show_role: bool = True) -> FilterState:
    """Draw the shared filters in the sidebar; return them with the returns they select.

    The filters live in ``st.session_state["filters"]``; the widgets write to it when changed
    and are set from it on every run, so they keep their values from page to page. A link
    opened afresh (or edited by hand) sets them.
    """
    ds = shown_dataset()  # only the rounds this person may see (survey.visibility)
    present = st.query_params.to_dict()  # the last value of each key, as st.query_params.get gives
    link = _link_values(present)
    notes: list[str] = []
    current: flt.Filters | None = st.session_state.get(STATE)
    if current is None or (link and link != st.session_state.get(SEEN)):
        current, notes = flt.from_query_params(link, ds)
    options = per_dataset(ds, ("choices", current), lambda: flt.choices(ds, current))
    if options.rounds and current.round_id not in options.rounds:
        current = replace(current, round_id=next(iter(options.rounds)))
    names = per_dataset(ds, ("names", current), lambda: flt.authority_names(ds, current))
    current = replace(current, authorities=tuple(a for a in current.authorities if a in names))
    st.session_state[STATE] = current
    _set_widgets(current)

    with st.sidebar:
        st.header("Filters")
        if not options.rounds:
            st.caption("There is no questionnaire round in the data yet.")
        else:
            st.selectbox(
                "Survey round",
                list(options.rounds),
                format_func=options.rounds.get,
                key=K_ROUND,
                on_change=_from_widgets,
            )
        if options.has_published:
            st.toggle(
                "Include published service descriptions",
                key=K_PUBLISHED,
                on_change=_from_widgets,
                help="Documents about authorities' services, not questionnaire returns: Dudley's practice "
                "standards, Walsall's web page, a protocol linked to Stockport's, and a service briefing "
                "from an authority it does not name. They are left out unless you include them, and are "
                "marked wherever they appear.",
            )
        st.multiselect(
            "Model",
            list(flt.MODEL_LABELS),
            format_func=flt.MODEL_LABELS.get,
            key=K_MODELS,
            on_change=_from_widgets,
            placeholder="All models",
            help="Combined: the same officers review care plans and chair child protection "
            "conferences. Not stated: the source does not say.",
        )
        st.multiselect(
            "Authorities", names, key=K_AUTHORITIES, on_change=_from_widgets, placeholder="All authorities"
        )
        st.selectbox(
            "Statistical neighbours of",
            [None, *options.neighbour_authorities],
            format_func=lambda name: "No neighbour filter" if name is None else f"{name} and its neighbours",
            key=K_NEIGHBOURS,
            on_change=_from_widgets,
            placeholder="No neighbour filter",
            help="Keep one authority and its ten statistical neighbours (the DfE's, as in LAIT, May 2025): "
            "authorities like it, wherever they are in England. Their latest Ofsted grades are listed "
            "above the page.",
        )
        st.multiselect(
            "Ofsted overall grade",
            list(GRADE_FILTER),
            format_func=GRADE_FILTER.get,
            key=K_GRADES,
            on_change=_from_widgets,
            placeholder="Any grade",
            help="Keep the authorities whose latest Ofsted inspection of children's services (ILACS) gave "
            f"this overall effectiveness grade. {NOT_A_VERDICT}",
        )
        if show_role:
            st.radio(
                "Role",
                list(flt.ROLE_CHOICES),
                format_func=flt.ROLE_CHOICES.get,
                key=K_ROLE,
                on_change=_from_widgets,
                horizontal=True,
            )

    chosen = current
    wanted = flt.to_query_params(chosen, ds)
    for key in flt.PARAM_KEYS:
        if key in wanted:
            if present.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in present:
            del st.query_params[key]
    st.session_state[SEEN] = wanted

    returns = list(per_dataset(ds, ("apply", chosen), lambda: flt.apply(chosen, ds)))
    with st.sidebar:
        st.caption(f"{len(returns)} return{'s' if len(returns) != 1 else ''} shown.")
        st.button("Clear filters", on_click=_reset, key="flt_reset", icon=":material/filter_alt_off:")
    coverage = per_dataset(ds, ("neighbours", chosen), lambda: flt.neighbour_coverage(chosen, ds))
    published = per_dataset(ds, ("published",), lambda: frozenset(flt.published_rounds(ds)))
    return FilterState(chosen, returns, ds, published, tuple(notes), coverage or None)


def show_filter_messages(state: FilterState) -> None:
    """Under the page's title: what was wrong with the link's filters, and the neighbours' coverage."""
    provisional_notice(state.dataset, state.filters.round_id)
    for note in state.link_notes:  # quotes values from the address bar: never markup
        st.warning(escape_markdown(note), icon=":material/link_off:")
    if state.coverage:
        st.info(escape_markdown(state.coverage), icon=":material/hub:")
        st.caption(escape_markdown(f"{OGL_ATTRIBUTION} {OFSTED_ATTRIBUTION}"))


_DRAWN = "_filters_drawn"


def shared_filters(*, show_role: bool = True) -> None:
    """app.py draws the sidebar's filters once, for every Compare page, before the page runs; the
    page picks them up with ``page_filters()``."""
    st.session_state[_DRAWN] = sidebar_filters(show_role=show_role)


def page_filters(*, show_role: bool = True) -> FilterState:
    """The filters app.py drew for this run (or, for a page run on its own, drawn now), with their
    messages shown under the page's title."""
    state = st.session_state.pop(_DRAWN, None)
    if not isinstance(state, FilterState):
        state = sidebar_filters(show_role=show_role)
    show_filter_messages(state)
    return state


def no_returns_message(state: FilterState) -> str:
    if not state.dataset.returns:
        return "There are no returns in the data yet. Returns appear here once authorities submit them."
    if state.filters.neighbours_of and not state.filters.models and not state.filters.authorities:
        return (
            f"Neither {state.filters.neighbours_of} nor any of its statistical neighbours has a return in "
            "this round. Choose 'No neighbour filter' in the sidebar (or press 'Clear filters') to see more."
        )
    if state.filters.grades and not state.filters.models and not state.filters.authorities:
        return (
            "No authority with a return in this round has the Ofsted grade chosen. Clear 'Ofsted overall "
            "grade' in the sidebar (or press 'Clear filters') to see more."
        )
    if not state.filters.models and not state.filters.authorities and not state.filters.neighbours_of:
        return (
            "There are no returns in this round yet. Choose another round in the sidebar, or "
            "include the published service descriptions."
        )
    return (
        "No returns match these filters. Clear the model, authority, neighbour or grade filters in the sidebar "
        "(or press 'Clear filters') to see more."
    )


def require_returns(state: FilterState) -> None:
    """Stop the page with a plain message when the filters select no return."""
    if not state.returns:
        st.info(escape_markdown(no_returns_message(state)), icon=":material/filter_alt_off:")
        st.stop()
