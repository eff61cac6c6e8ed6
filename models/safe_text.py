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
