"""What the tests share: one CLI runner (``cli``), one AppTest opener (``pages``) and the table of
hostile strings every writer is tested with (``hostile``)."""
