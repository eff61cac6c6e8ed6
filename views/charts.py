"""Every chart the product draws, as Altair charts that only draw.

Each function takes a frame built by a view module and returns an Altair chart
(data inline). Colour always comes with a second signal (shape, a ✓ mark, a
dashed line), from the model colours and shapes in ``models.vocabulary``.
Altair is imported inside the functions: it costs a second at start-up and
only pages that draw a chart need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from models.vocabulary import IRO_BAND, MODEL_COLOURS, MODEL_ORDER, MODEL_SHAPES, REPORTED_AS

if TYPE_CHECKING:
    import altair as alt

BAND_COLOUR = "#009E73"
BAND_TEXT_COLOUR = "#00573F"
ROW_HEIGHT = 34
FONT = 12


def _alt():
    import altair as alt

    return alt


def model_colour_scale() -> alt.Scale:
    alt = _alt()
    return alt.Scale(domain=list(MODEL_COLOURS), range=list(MODEL_COLOURS.values()))


def model_shape_scale() -> alt.Scale:
    alt = _alt()
    return alt.Scale(domain=list(MODEL_SHAPES), range=list(MODEL_SHAPES.values()))


def _model_colour() -> alt.Color:
    alt = _alt()
    return alt.Color("Model:N", scale=model_colour_scale(), legend=alt.Legend(title="Model"))


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Legends at the bottom, readable type: the same for the page, the PNG and the pack."""
    return chart.configure_legend(
        orient="bottom", direction="horizontal", titleFontSize=FONT, labelFontSize=FONT
    ).configure_axis(labelFontSize=FONT, titleFontSize=FONT)


def _tooltip() -> list[alt.Tooltip]:
    alt = _alt()
    return [
        alt.Tooltip("Authority:N"),
        alt.Tooltip("Model:N"),
        alt.Tooltip("Answer (as reported):N", title="Answer (as reported)"),
        alt.Tooltip("Read as:N", title="Read as"),
        alt.Tooltip("Unit:N", title="Counts"),
        alt.Tooltip("Reported as:N"),
        alt.Tooltip("Which children:N"),
        alt.Tooltip("Parts:N", title="Stated parts"),
        alt.Tooltip("Compared:N", title="Figure compared"),
    ]


def _band_layers(x_max: float, *, label: bool) -> list[alt.Chart]:
    alt = _alt()
    scale = alt.Scale(domain=[0, x_max], nice=False)
    layers = [
        alt.Chart(pd.DataFrame({"band": [IRO_BAND.label]}))
        .mark_rect(color=BAND_COLOUR, opacity=0.18)
        .encode(
            x=alt.X(datum=IRO_BAND.low, scale=scale),
            x2=alt.X2(datum=IRO_BAND.high),
            tooltip=alt.Tooltip("band:N", title="Shaded band"),
        )
    ]
    if label:
        layers.append(
            alt.Chart(pd.DataFrame({"band": [IRO_BAND.label]}))
            .mark_text(
                text=IRO_BAND.label,
                align="left",
                baseline="bottom",
                dy=-4,
                color=BAND_TEXT_COLOUR,
                fontSize=FONT,
            )
            .encode(x=alt.X(datum=IRO_BAND.low), y=alt.value(0))
        )
    return layers


def caseload_panel(
    data: pd.DataFrame, order: list[str], x_max: float, title: str, band: bool
) -> alt.LayerChart:
    """One panel of caseloads: a row per authority, a dot for the figure compared, a bar for a
    range (solid) or an 'up to' figure (faint, dashed, from 0), the IRO band shaded where ``band``."""
    alt = _alt()
    labels = [o for o in order if o in set(data["Label"])]
    scale = alt.Scale(domain=[0, x_max], nice=False)
    x = alt.X("Start:Q", title="Caseload per officer", scale=scale)
    y = alt.Y("Label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))
    base = alt.Chart(data).encode(y=y)
    layers: list[alt.Chart] = _band_layers(x_max, label=True) if band else []
    intervals = data[data["Reported as"].isin([REPORTED_AS["range"], REPORTED_AS["up_to"]])]
    if not intervals.empty:
        kinds = [REPORTED_AS["range"], REPORTED_AS["up_to"]]
        layers.append(
            alt.Chart(intervals)
            .mark_bar(height=14, strokeWidth=1.5)
            .encode(
                x=x,
                x2="End:Q",
                y=y,
                color=_model_colour(),
                stroke=alt.Stroke("Model:N", scale=model_colour_scale(), legend=None),
                fillOpacity=alt.FillOpacity(
                    "Reported as:N",
                    scale=alt.Scale(domain=kinds, range=[0.55, 0.12]),
                    legend=alt.Legend(title="Bar shows"),
                ),
                strokeDash=alt.StrokeDash(
                    "Reported as:N", scale=alt.Scale(domain=kinds, range=[[1, 0], [5, 3]]), legend=None
                ),
                tooltip=_tooltip(),
            )
        )
    layers.append(
        base.mark_point(filled=True, size=150, opacity=1, stroke="black", strokeWidth=0.6).encode(
            x=alt.X("Figure:Q", title="Caseload per officer", scale=scale),
            color=_model_colour(),
            shape=alt.Shape("Model:N", scale=model_shape_scale(), legend=alt.Legend(title="Model")),
            tooltip=_tooltip(),
        )
    )
    layers.append(
        base.mark_text(align="left", dx=12, fontSize=FONT, color="#333333").encode(
            x=alt.X("End:Q", title="Caseload per officer"), text="Value label:N"
        )
    )
    return alt.layer(*layers).properties(
        title=alt.TitleParams(title, anchor="start", fontSize=13), height=alt.Step(ROW_HEIGHT)
    )


def caseload_chart(data: pd.DataFrame, order: list[str], x_max: float, title: str, band: bool):
    """``caseload_panel`` ready to draw (legend and type settings applied)."""
    return _finish(caseload_panel(data, order, x_max, title, band))


def model_strip_chart(data: pd.DataFrame, band: bool) -> alt.LayerChart:
    """Caseloads grouped by model: one row per authority, models one after another."""
    alt = _alt()
    data = data.copy()
    data["_m"] = data["Model"].map({m: i for i, m in enumerate(MODEL_ORDER)})
    data = data.sort_values(["_m", "Figure"], ascending=[True, False]).drop(columns="_m")
    data["Row"] = data["Model"] + " · " + data["Label"]
    x_max = max(float(data["Figure"].max()) * 1.2, 100.0) if not data.empty else 100.0
    scale = alt.Scale(domain=[0, x_max], nice=False)
    layers = _band_layers(x_max, label=False) if band else []
    layers.append(
        alt.Chart(data)
        .mark_point(filled=True, size=150, opacity=0.9, stroke="black", strokeWidth=0.6)
        .encode(
            x=alt.X(
                "Figure:Q", title="Caseload per officer (one figure, or the middle of a range)", scale=scale
            ),
            y=alt.Y(
                "Row:N", sort=list(data["Row"]), title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)
            ),
            color=_model_colour(),
            shape=alt.Shape("Model:N", scale=model_shape_scale(), legend=alt.Legend(title="Model")),
            tooltip=_tooltip(),
        )
    )
    return _finish(alt.layer(*layers).properties(height=alt.Step(ROW_HEIGHT - 6)))


def prevalence_chart(data: pd.DataFrame, title: str) -> alt.Chart:
    """How many authorities report each code, split by model: a bar per code, stacked by model
    (colour and a pattern of labels: each segment is labelled with its count)."""
    alt = _alt()
    order = list(dict.fromkeys(data.sort_values(["Total", "Label"], ascending=[False, True])["Label"]))
    bars = (
        alt.Chart(data)
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            y=alt.Y("Label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300, labelOverlap=False)),
            x=alt.X("Reporting:Q", title="Authorities reporting it", axis=alt.Axis(tickMinStep=1)),
            color=_model_colour(),
            order=alt.Order("Model order:Q"),
            tooltip=[
                alt.Tooltip("Label:N", title="Activity"),
                alt.Tooltip("Model:N"),
                alt.Tooltip("Reporting:Q", title="Authorities"),
                alt.Tooltip("Answered:Q", title="Of"),
            ],
        )
    )
    text = (
        alt.Chart(data[data["Reporting"] > 0])
        .mark_text(align="right", dx=-3, color="white", fontSize=11, fontWeight="bold")
        .encode(
            y=alt.Y("Label:N", sort=order),
            x=alt.X("End:Q"),
            text=alt.Text("Marker:N"),
        )
    )
    return _finish(
        alt.layer(bars, text).properties(
            title=alt.TitleParams(title, anchor="start", fontSize=13), height=alt.Step(24)
        )
    )


def grid_chart(data: pd.DataFrame, codes: list[str], authorities: list[str], title: str) -> alt.LayerChart:
    """Codes (rows) by authorities (columns): a ✓ in each cell the authority reports, a faint dot
    where it does not; the ✓ is a shape, so colour is never the only signal."""
    alt = _alt()
    x = alt.X(
        "Authority:N",
        sort=authorities,
        title=None,
        axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=160, labelOverlap=False),
    )
    y = alt.Y("Label:N", sort=codes, title=None, axis=alt.Axis(labelLimit=300, labelOverlap=False))
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="#d0d0d0", strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "Mark:N",
                scale=alt.Scale(domain=["✓ Yes", "— No"], range=["#cfe3f3", "#ffffff"]),
                legend=alt.Legend(title="Reported"),
            ),
            tooltip=[
                alt.Tooltip("Authority:N"),
                alt.Tooltip("Label:N", title="Activity"),
                alt.Tooltip("Mark:N"),
            ],
        )
    )
    ticks = (
        alt.Chart(data[data["Reports"]])
        .mark_text(text="✓", fontSize=15, fontWeight="bold", color="#0b0c0c")
        .encode(x=x, y=y)
    )
    return _finish(
        alt.layer(cells, ticks).properties(
            title=alt.TitleParams(title, anchor="start", fontSize=13),
            width=alt.Step(34),
            height=alt.Step(24),
        )
    )


#: Areas in a trend: the authority, its region, England (a dash pattern as well as a colour).
TREND_COLOURS = ("#0072B2", "#E69F00", "#555555")
TREND_DASHES = ([1, 0], [6, 3], [2, 2])


def trend_chart(data: pd.DataFrame, title: str, order: list[str]) -> alt.LayerChart:
    """A small trend: one line per area (authority, region, England) by year; colour, dash and shape differ."""
    alt = _alt()
    areas = [a for a in order if a in set(data["Area"])]
    colour = alt.Color(
        "Area:N",
        scale=alt.Scale(domain=areas, range=list(TREND_COLOURS[: len(areas)])),
        legend=alt.Legend(title=None),
    )
    base = alt.Chart(data).encode(
        x=alt.X("Year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Value:Q", title=title, scale=alt.Scale(zero=True)),
        color=colour,
        tooltip=[alt.Tooltip("Area:N"), alt.Tooltip("Year:O"), alt.Tooltip("Value:Q")],
    )
    lines = base.mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash(
            "Area:N", scale=alt.Scale(domain=areas, range=list(TREND_DASHES[: len(areas)])), legend=None
        )
    )
    points = base.mark_point(filled=True, size=50).encode(
        shape=alt.Shape(
            "Area:N", scale=alt.Scale(domain=areas, range=["circle", "square", "triangle-up"][: len(areas)])
        )
    )
    return _finish(alt.layer(lines, points).properties(height=220))


def _label_sides(data: pd.DataFrame, x: str, y: str) -> list[str]:
    """'left' for a dot with another dot just to its right (their labels would overlap), else 'right'."""
    xs, ys = data[x].astype(float).tolist(), data[y].astype(float).tolist()
    x_span = (max(xs) - min(xs)) or 1.0
    y_span = (max(ys) - min(ys)) or 1.0
    sides = []
    for i, (xi, yi) in enumerate(zip(xs, ys, strict=True)):
        crowded = any(
            j != i and 0 <= (xj - xi) / x_span < 0.25 and abs(yj - yi) / y_span < 0.08 and (xj, j) > (xi, i)
            for j, (xj, yj) in enumerate(zip(xs, ys, strict=True))
        )
        sides.append("left" if crowded else "right")
    return sides


def rate_scatter(data: pd.DataFrame, who: str, rate: str) -> alt.LayerChart:
    """Each authority's caseload (across) against its official rate per 10,000 (up), every dot labelled;
    the shape says what the caseload counts."""
    alt = _alt()
    data = data.assign(_side=_label_sides(data, "Caseload compared", "Rate per 10,000"))
    x = alt.X("Caseload compared:Q", title=f"{who} caseload compared", scale=alt.Scale(zero=True))
    y = alt.Y("Rate per 10,000:Q", title=rate, scale=alt.Scale(zero=True))
    tooltip = [
        alt.Tooltip("Authority:N"),
        alt.Tooltip("Caseload compared:Q"),
        alt.Tooltip("Counted in:N"),
        alt.Tooltip("Rate per 10,000:Q"),
        alt.Tooltip("Year:N"),
    ]
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, color="#0072B2", stroke="black", strokeWidth=0.6)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "Counted in:N",
                scale=alt.Scale(range=["circle", "diamond", "square"]),
                legend=alt.Legend(title="Caseload counted in", labelLimit=400),
            ),
            tooltip=tooltip,
        )
    )
    right = (
        alt.Chart(data[data["_side"] == "right"])
        .mark_text(align="left", dx=7, dy=-6, fontSize=FONT)
        .encode(x=x, y=y, text=alt.Text("Authority:N"))
    )
    left = (
        alt.Chart(data[data["_side"] == "left"])
        .mark_text(align="right", dx=-7, dy=-6, fontSize=FONT)
        .encode(x=x, y=y, text=alt.Text("Authority:N"))
    )
    return _finish(alt.layer(dots, right, left).properties(height=320))


def share_by_round_chart(data: pd.DataFrame, rounds: list[str], title: str) -> alt.Chart:
    """The share of authorities reporting each code, one bar per round side by side (rounds told
    apart by colour and by the round named in each bar's label)."""
    alt = _alt()
    order = list(dict.fromkeys(data.sort_values(["Label"])["Label"]))
    return _finish(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("Label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300, labelOverlap=False)),
            yOffset=alt.YOffset("Round:N", sort=rounds),
            x=alt.X("Share:Q", title="Share of authorities reporting it", axis=alt.Axis(format="%")),
            color=alt.Color("Round:N", sort=rounds, legend=alt.Legend(title="Round", orient="top")),
            tooltip=[
                alt.Tooltip("Label:N", title="Activity"),
                alt.Tooltip("Round:N"),
                alt.Tooltip("Reporting:Q", title="Authorities"),
                alt.Tooltip("Of:Q"),
                alt.Tooltip("Share:Q", format=".0%"),
            ],
        )
        .properties(title=alt.TitleParams(title, anchor="start", fontSize=13), height=alt.Step(12))
    )


QUESTION_STATUS = {
    "Counted by the rule": "#0072B2",
    "Counted differently (not in the median)": "#BBBBBB",
}


def question_chart(
    data: pd.DataFrame, title: str, unit: str, medians: list[tuple[str, float]]
) -> alt.LayerChart:
    """One figure of a round's own questions: a bar per authority, the medians as labelled rules.
    A figure counted differently is grey and its label says so (colour is never the only signal)."""
    alt = _alt()
    order = list(data.sort_values(["Value", "Authority"], ascending=[False, True])["Label"])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("Label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
            x=alt.X("Value:Q", title=unit),
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=list(QUESTION_STATUS), range=list(QUESTION_STATUS.values())),
                legend=alt.Legend(title=None, labelLimit=400),
            ),
            tooltip=[alt.Tooltip("Authority:N"), alt.Tooltip("Answer:N"), alt.Tooltip("Status:N")],
        )
    )
    layers = [bars]
    lines = pd.DataFrame([{"Median": name, "Value": value} for name, value in medians])
    if not lines.empty:
        layers.append(
            alt.Chart(lines)
            .mark_rule(color="#D55E00", strokeWidth=2, strokeDash=[6, 3])
            .encode(x="Value:Q", tooltip=[alt.Tooltip("Median:N"), alt.Tooltip("Value:Q")])
        )
        layers.append(
            alt.Chart(lines)
            .mark_text(align="right", dx=-4, dy=-6, color="#8A3A00", fontSize=11, baseline="bottom")
            .encode(x="Value:Q", y=alt.value(0), text="Median:N")
        )
    return _finish(
        alt.layer(*layers).properties(
            title=alt.TitleParams(title, anchor="start", fontSize=13), height=alt.Step(ROW_HEIGHT - 8)
        )
    )
