"""What the return template looks like: its sheets, columns, limits and the words it reads as yes and no.

Shared by the writer (``exports.template_writer``) and the reader (``exports.template_reader``).
"""

from __future__ import annotations

SHEET = "Return"


INSTRUCTIONS = "Instructions"


LISTS = "Lists"


HEADERS = ("field", "question", "answer", "help")


REQUIRED_HEADERS = HEADERS[:3]


#: Largest file accepted, in bytes.
MAX_BYTES = 5 * 1024 * 1024


#: Largest total size once unzipped (a small file can unpack to a huge one).
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024


#: Most rows read from the Return sheet (the template has about 50).
MAX_ROWS = 500


#: Most columns read from the Return sheet.
MAX_COLUMNS = 20


YES_WORDS = {"yes", "y", "true", "1"}


NO_WORDS = {"no", "n", "false", "0"}


MULTI_SEPARATOR = ";"


ANY_AUTHORITY = "(any: the authority is the one you unlock when you upload the file)"
