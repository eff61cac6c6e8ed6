"""The app's settings: each declared once, with its default and help."""
