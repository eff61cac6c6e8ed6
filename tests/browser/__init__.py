"""End-to-end tests in a real browser (a package, so its conftest and modules never shadow tests/)."""
