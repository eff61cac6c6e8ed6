"""The one table of hostile strings every writer is tested with (Word, Excel, CSV, chart images,
HTML for print, the terminal).

Each case: (name, the text as stored, as a document shows it, as the terminal shows it). A
document (Word, Excel, CSV, image, HTML) shows each hostile character as the replacement mark
U+FFFD; the terminal shows its escape.
"""

from __future__ import annotations

M = "\ufffd"

#: (name, stored, in a document, in the terminal)
HOSTILE = [
    ("noncharacter U+FFFE", "North\ufffeshire", f"North{M}shire", "North\\ufffeshire"),
    ("noncharacter U+FFFF", "IRO\uffff caseload", f"IRO{M} caseload", "IRO\\uffff caseload"),
    ("noncharacter U+FDD0", "a\ufdd0b", f"a{M}b", "a\\ufdd0b"),
    ("noncharacter of plane 16", "a\U0010ffffb", f"a{M}b", "a\\U0010ffffb"),
    ("NUL", "a\x00b", f"a{M}b", "a\\x00b"),
    ("terminal escape: clear and red", "\x1b[2J\x1b[31mred", f"{M}[2J{M}[31mred", "\\x1b[2J\\x1b[31mred"),
    ("bell and backspace", "a\x07\x08b", f"a{M}{M}b", "a\\x07\\x08b"),
    ("DEL", "a\x7fb", f"a{M}b", "a\\x7fb"),
    ("C1 next line", "a\x85b", f"a{M}b", "a\\x85b"),
    ("C1 control sequence introducer", "a\x9b2Jb", f"a{M}2Jb", "a\\x9b2Jb"),
    ("right-to-left override", "report\u202efdp.exe", f"report{M}fdp.exe", "report\\u202efdp.exe"),
    ("left-to-right isolate", "\u2066Kent\u2069", f"{M}Kent{M}", "\\u2066Kent\\u2069"),
    ("vertical tab and form feed", "a\x0bb\x0cc", f"a{M}b{M}c", "a\\x0bb\\x0cc"),
]

#: Kept as they are everywhere (the terminal shows them too): ordinary text that looks unusual.
HARMLESS = [
    ("accents and a dash", "Brighton – Hove, café"),
    ("a character outside the basic plane", "𝔘nusual"),
    ("a tab", "a\tb"),
]


def names(cases):
    return [c[0] for c in cases]
