"""Tooling kept apart from the product: the benchmark, synthetic returns for it and the tests,
and the launcher that starts the app and Chromium (for the browser tests and the benchmark)."""
