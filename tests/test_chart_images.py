"""Chart pictures for slides and the meeting pack: PNG and SVG, with their title and source."""

from __future__ import annotations

from pack_helpers import caseload_chart

from views.images import PNG_MAGIC, chart_png, chart_svg, image_file_name, png_size


def test_png_is_an_image_fit_for_a_slide():
    chart = caseload_chart()
    data = chart_png(chart)
    assert data.startswith(PNG_MAGIC)
    width, height = png_size(data)
    assert 1000 <= width <= 1600, width  # sharp on a projected slide, not a poster
    assert 150 <= height <= 1200, height


def test_svg_carries_the_title_and_the_source_as_text():
    svg = chart_svg(caseload_chart()).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "IRO caseloads by authority" in svg
    assert "Source: Synthetic returns; IRO Handbook (DCSF, 2010)" in svg
    assert "Northshire" in svg  # the data are drawn, not only the frame


def test_a_picture_is_made_once_per_chart():
    chart = caseload_chart()
    first = chart_png(chart)
    chart.chart = None  # were it converted again, this would fail
    assert chart_png(chart) is first


def test_a_title_with_markup_is_drawn_as_text():
    chart = caseload_chart(title="Caseloads <script>alert(1)</script> & more")
    svg = chart_svg(chart).decode("utf-8")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_file_name_comes_from_the_chart_key():
    assert image_file_name(caseload_chart(), "png") == "iro-caseloads.png"
