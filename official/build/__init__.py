"""The yearly builds of reference_data/ from ../shared/reference/ (never imported by the running app)."""
