"""A View's chart as a picture (PNG or SVG), for slides, the meeting pack and "Download chart".

The Altair chart of a ``views.base.Chart`` is turned into its Vega-Lite spec (data inline)
and drawn by ``vl-convert`` (Vega-Lite to PNG or SVG without a browser). The picture carries
its own title and, under it, the source line, so a chart pasted into a slide or a board
report still says what it shows and where the figures come from. Every text in the spec is
cleaned at this edge (``exports.text.for_image``), so no stored answer or name can stop the
renderer.

Sizes: the chart is laid out about ``IMAGE_WIDTH`` pixels wide (a charts' ``"container"``
width becomes that) and drawn at ``scale`` 2 by default, so a PNG is about 1,200 pixels wide:
sharp on a projected slide and on an A4 page. Each picture is made once per chart and kept in
``chart.cache``. Renderers never compute: this draws what the View says, nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exports.text import for_image

if TYPE_CHECKING:
    from views.base import Chart

PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
#: Layout width of a chart's plot in CSS pixels (with its axis labels, about 600; × ``scale`` for a PNG).
IMAGE_WIDTH = 540
DEFAULT_SCALE = 2
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image_spec(chart: Chart) -> dict[str, Any]:
    """The chart's Vega-Lite spec with its title and source line set for a picture.

    The title is the View's (``chart.title``); the source (``chart.source``) is its subtitle,
    as "Source: …". A width of ``"container"`` (a page's full width) becomes ``IMAGE_WIDTH``.
    """
    key = "image_spec"
    if key not in chart.cache:
        # The chart was checked against Vega-Lite's schema when the page drew it (or by its tests):
        # checking again for every picture was a tenth of the meeting pack's time.
        spec = chart.chart.to_dict(validate=False)
        _fix_widths(spec)
        title: dict[str, Any] = {"text": chart.title, "anchor": "start", "fontSize": 15, "offset": 10}
        if chart.source:
            source = chart.source if chart.source.lower().startswith("source") else f"Source: {chart.source}"
            title["subtitle"] = source
            title["subtitleFontSize"] = 11
            title["subtitleColor"] = "#444444"
        spec["title"] = title
        spec.setdefault("background", "white")
        chart.cache[key] = _cleaned(spec)
    return chart.cache[key]


def _cleaned(spec: Any) -> Any:
    """Every text in the spec (titles, labels, data, keys) as a picture can draw it
    (``exports.text.for_image``): vl-convert stops the whole process on a noncharacter."""
    if isinstance(spec, str):
        return for_image(spec)
    if isinstance(spec, dict):
        return {(for_image(k) if isinstance(k, str) else k): _cleaned(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_cleaned(v) for v in spec]
    return spec


def _fix_widths(spec: Any) -> None:
    """Every ``"container"`` width in the spec (at any depth) becomes ``IMAGE_WIDTH``."""
    if isinstance(spec, dict):
        if spec.get("width") == "container":
            spec["width"] = IMAGE_WIDTH
        for value in spec.values():
            if isinstance(value, dict | list):
                _fix_widths(value)
    elif isinstance(spec, list):
        for item in spec:
            _fix_widths(item)
    if isinstance(spec, dict) and "$schema" in spec and "width" not in spec and _is_single_view(spec):
        spec["width"] = IMAGE_WIDTH


def _is_single_view(spec: dict[str, Any]) -> bool:
    return not any(k in spec for k in ("vconcat", "hconcat", "concat", "facet", "repeat"))


def chart_png(chart: Chart, scale: float = DEFAULT_SCALE) -> bytes:
    """The chart as a PNG (about 1,200 pixels wide at scale 2), title and source in the image."""
    import vl_convert

    key = f"png@{scale}"
    if key not in chart.cache:
        chart.cache[key] = bytes(vl_convert.vegalite_to_png(image_spec(chart), scale=scale))
    return chart.cache[key]


def chart_svg(chart: Chart) -> bytes:
    """The chart as SVG (UTF-8), title and source in the image as text."""
    import vl_convert

    key = "svg"
    if key not in chart.cache:
        chart.cache[key] = vl_convert.vegalite_to_svg(image_spec(chart)).encode("utf-8")
    return chart.cache[key]


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, read from its header."""
    if not data.startswith(PNG_MAGIC):
        raise ValueError("Not a PNG image.")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def image_file_name(chart: Chart, extension: str) -> str:
    """'iro-caseloads.png' from the chart's key."""
    from exports.text import file_stem

    return f"{file_stem(chart.key or chart.title)}.{extension}"
