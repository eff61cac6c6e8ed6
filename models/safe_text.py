"""Safe display of untrusted text: anything that did not come from the code itself.

Answers, authority names, round titles, values from the address bar, search
queries, labels and messages pass through ``escape_markdown`` before they reach
``st.markdown`` (or any Streamlit call that interprets Markdown). Every ASCII
punctuation character becomes a numeric character reference, so nothing typed
(``<script>``, ``**bold**``, ``[link](...)``, ``![img](...)``, ``$maths$``,
``:red[colour]``, a bare web address) can become markup, a link, a picture or
a style. ``escape_inline`` does the same for a fragment inside one line.

No Streamlit here.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Punctuation with no meaning in Markdown, HTML or Streamlit's extensions: left as typed.
_SAFE = set(" \n,;?'%")


#: An invisible word joiner: put inside "www.", after ":" and before "@" it stops the Markdown
#: renderer turning a bare web or e-mail address (or an :emoji: code) into a link or a picture,
#: which it does after character references are decoded.
JOINER = "\u2060"
_DEFUSE = re.compile(r"(?i)(www)(\.)|(:)|(@)")


def _defuse(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + JOINER + m.group(2)
        if m.group(3):
            return ":" + JOINER
        return JOINER + "@"

    return _DEFUSE.sub(fix, text)


def _escape_char(ch: str) -> str:
    if ch.isascii() and not ch.isalnum() and ch not in _SAFE:
        return f"&#{ord(ch)};"
    return ch


@functools.lru_cache(maxsize=2048)  # pure; pages escape the same answers on every rerun
def escape_markdown(text: str | None) -> str:
    """``text`` as inert Markdown that shows exactly the characters written.

    Every ASCII punctuation character becomes a numeric character reference
    (``<`` -> ``&#60;``), so no Markdown, HTML, link, maths or colour syntax
    survives; an invisible word joiner (``JOINER``) inside bare web and e-mail
    addresses stops them being linked. Line breaks are kept (each line ends with a hard break) and
    leading spaces are dropped so an indented line does not become a code block.
    """
    if not text:
        return ""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    escaped = [_escape_inline(line) for line in lines]
    out: list[str] = []
    for line in escaped:
        if not line:
            out.append("")  # a blank line: a paragraph break
        else:
            out.append(line + "  ")
    return "\n".join(out).strip()


def escape_inline(fragment: str) -> str:
    """One line's fragment made inert (no line handling)."""
    return "".join(_escape_char(ch) for ch in _defuse(fragment))


_escape_inline = escape_inline


# ---------------------------------------------------------------------------
# Characters no output should carry as they are (``exports.text`` cleans each writer's edge with
# these; what is stored is never changed).

#: Noncharacters (U+FDD0–U+FDEF and the last two code points of every plane), C0 controls other
#: than tab and newline (carriage returns are line breaks: ``line_breaks``), DEL and the C1
#: controls, the bidirectional embeddings, overrides and isolates (which can make text read
#: backwards), and lone surrogates (no file can hold one).
HOSTILE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ud800-\udfff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)
#: What a hostile character becomes in a document, a workbook, an image or a printed page:
#: the replacement character, so the reader sees that something was there.
MARK = "\ufffd"


def line_breaks(text: str) -> str:
    """Windows (CR LF) and old Mac (CR) line endings as ``\\n``."""
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def without_hostile(text: str, mark: str = MARK) -> str:
    """``text`` with line breaks as ``\\n`` and every ``HOSTILE`` character replaced by ``mark``."""
    text = line_breaks(text)
    if HOSTILE.search(text) is None:
        return text
    return HOSTILE.sub(mark, text)


_NAMED = {"\n": "\\n", "\t": "\\t"}
#: Shown as escapes besides the hostile characters: every other control, the format characters
#: (zero-width and bidirectional marks), surrogates and the line and paragraph separators.
_ESCAPED_CATEGORIES = ("Cc", "Cf", "Cs", "Zl", "Zp")


def _escape(ch: str) -> str:
    n = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if n < 0x100:
        return f"\\x{n:02x}"
    return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"


def escape_visible(text: str, keep: str = "") -> str:
    """``text`` with every control, format or hostile character shown as its escape (``\\x1b``,
    ``\\u202e``, ``\\n``), except the characters in ``keep`` (such as ``"\\n\\t"``)."""
    text = line_breaks(text)
    if text.isprintable() and HOSTILE.search(text) is None:
        return text
    return "".join(
        _escape(ch)
        if ch not in keep and (HOSTILE.match(ch) or unicodedata.category(ch) in _ESCAPED_CATEGORIES)
        else ch
        for ch in text
    )
