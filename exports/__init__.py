"""Writers of files people take away: Excel workbooks, CSV, and the return template."""
