"""Split a reStructuredText document of the threading module into sentences.

The unit of traceability is a *sentence* of prose, a *signature* (the argument of an object
directive: ``.. method:: acquire(blocking=True, timeout=-1)``), or a *version note*
(``.. versionchanged:: 3.2`` with its text). How the text is cut:

1. Lines are grouped into paragraphs (blank lines and lines made only of ``?`` separate them;
   the 2.7 document is a scrape that uses those). Literal blocks (after ``::``, or in
   ``code-block``/``testcode`` directives), comments, and the ``module``, ``index`` and
   ``include`` directives are dropped, as are paragraphs whose every line looks like code.
2. A heading is a line underlined with ``=``, ``-``, ``^``, ``~``, ``"`` or ``*``; in the scraped
   2.7 text, also a one-line paragraph at the margin without final punctuation (the word
   ``Note`` alone is a label, dropped). Headings name sections; they are not units.
3. Object directives (``function``, ``class``, ``method``, ``attribute``, ``data``,
   ``exception``) set the current object (a method under a class is ``Class.method``) and give
   one signature unit per signature line.
4. Inline markup is removed (``:meth:`~Thread.run``` becomes ``run``, ````None```` becomes
   ``None``, ``*n*`` becomes ``n``), whitespace is collapsed, and a paragraph is cut after
   ``.``, ``!`` or ``?`` followed by a space and a capital letter, a quote or markup, except after
   ``e.g.``, ``i.e.``, ``etc.``, ``vs.`` and ``Dr.``-like abbreviations; each bullet item is a
   paragraph.

A unit's ``key`` is a hash of its object and text, so an annotation stays attached to its
sentence when the document moves text around, and a changed sentence shows up as one missing
and one stale annotation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ["Unit", "normalize", "split", "strip_markup"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence, signature or version note of a document."""

    key: str
    section: str
    object: str
    kind: str  # "sentence", "signature" or "note"
    text: str
    note: str = ""  # "versionchanged 3.2" for the text of a version note

    @property
    def excerpt(self) -> str:
        return self.text if len(self.text) <= 60 else self.text[:57] + "..."


_OBJECT_DIRECTIVES = {"function", "class", "method", "attribute", "data", "exception", "decorator"}
_NOTE_DIRECTIVES = {"versionadded", "versionchanged", "deprecated", "deprecated-removed"}
_SKIP_DIRECTIVES = {"module", "index", "include", "code-block", "testcode", "doctest", "highlight",
                    "sectionauthor", "moduleauthor", "toctree"}
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w-]+)::\s*(.*)$")
_UNDERLINE = re.compile(r"^([=\-^~\"*])\1{2,}\s*$")
_BULLET = re.compile(r"^(\s*)(?:[*\-+•]|\d+\.)\s+")
_CODE_LINE = re.compile(
    r"^\s*(#|def |class |import |from \w+ import|with |while |for |if |print\b|return\b|\.\.\.|>>>"
    r"|[\w.\[\]]+\s*[-+]?=[^=]|[\w.]+\(.*\)\s*(#.*)?$|\w+\s*\+=)"
)
_ROLE = re.compile(r":[\w:-]+:`([^`]*)`")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.")


def strip_markup(text: str) -> str:
    """Plain text of an inline reStructuredText fragment."""

    def role(m: re.Match[str]) -> str:
        inner = m.group(1)
        target = re.match(r"^(.*?)\s*<[^>]*>$", inner)
        if target and target.group(1):
            return target.group(1)
        if inner.startswith("~"):
            return inner[1:].rsplit(".", 1)[-1]
        return inner.lstrip("!.")

    text = _ROLE.sub(role, text)
    text = re.sub(r"``([^`]*)``", r"\1", text)
    text = re.sub(r"`([^`<]*?)\s*(<[^>]*>)?`_{0,2}", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\1", text)
    text = text.replace("\\ ", "").replace("\\", "")
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Text reduced to lower-case words, for comparing a quote with a document."""
    text = strip_markup(text).lower().replace("--", " ").replace("—", " ").replace("–", " ")
    return " ".join(re.findall(r"[a-z0-9_]+", text))


def _sentences(paragraph: str) -> list[str]:
    text = " ".join(paragraph.split())
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?](?:[\"')\]*]*)\s+(?=[A-Z0-9\"'(`*:])", text):
        before = text[: m.start() + 1]
        if before.endswith(_ABBREVIATIONS) or re.search(r"\b[A-Z]\.$", before):
            continue
        piece = strip_markup(text[start : m.end()])
        if piece:
            out.append(piece)
        start = m.end()
    tail = strip_markup(text[start:])
    if tail:
        out.append(tail)
    return out


def _is_code(lines: list[str]) -> bool:
    return all(_CODE_LINE.match(line) for line in lines)


def _is_scraped_heading(lines: list[str], indent: int) -> bool:
    if len(lines) != 1 or indent:
        return False
    text = strip_markup(lines[0])
    if text == "Note" or len(text) > 80 or not text:
        return False
    return text[-1] not in ".:!?;,)" and ": " not in text and not _CODE_LINE.match(lines[0])


@dataclass
class _Block:
    """A directive whose indented content is being read."""

    indent: int  # the directive line's indentation
    name: str
    object: str = ""
    note: str = ""


class _Splitter:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.section = ""
        self.units: list[Unit] = []
        self.seen: dict[str, int] = {}
        self.stack: list[_Block] = []

    # -- output ---------------------------------------------------------------------------------

    def emit(self, kind: str, text: str, note: str = "") -> None:
        obj = self.current_object()
        base = hashlib.sha1(f"{obj}\n{text}".encode()).hexdigest()[:10]
        n = self.seen.get(base, 0) + 1
        self.seen[base] = n
        key = base if n == 1 else f"{base}-{n}"
        self.units.append(Unit(key, self.section, obj, kind, text, note))

    def current_object(self) -> str:
        for block in reversed(self.stack):
            if block.object:
                return block.object
        return ""

    def current_note(self) -> str:
        for block in reversed(self.stack):
            if block.note:
                return block.note
        return ""

    # -- reading --------------------------------------------------------------------------------

    def pop_blocks(self, indent: int) -> None:
        while self.stack and indent <= self.stack[-1].indent:
            self.stack.pop()

    def skip_indented(self, i: int, indent: int) -> int:
        """Skip the block indented more than ``indent`` starting at line ``i``."""
        while i < len(self.lines):
            line = self.lines[i]
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            i += 1
        return i

    def run(self) -> list[Unit]:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        return self.units

    def step(self, i: int) -> int:
        line = self.lines[i]
        if not line.strip() or re.fullmatch(r"\s*\?+\s*", line):
            return i + 1
        indent = len(line) - len(line.lstrip())
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if _UNDERLINE.match(nxt) and not _UNDERLINE.match(line) and indent == 0:
            self.pop_blocks(-1)
            self.section = strip_markup(line)
            return i + 2
        if _UNDERLINE.match(line):
            return i + 1
        self.pop_blocks(indent)
        m = _DIRECTIVE.match(line)
        if m:
            return self.directive(i, indent, m.group(2), m.group(3))
        if line.lstrip().startswith(".. "):
            return self.skip_indented(i + 1, indent)  # a comment or a label
        return self.paragraph(i, indent)

    def directive(self, i: int, indent: int, name: str, arg: str) -> int:
        i += 1
        if name in _SKIP_DIRECTIVES:
            return self.skip_indented(i, indent)
        # directive options (":noindex:") and continued signatures
        signatures = [arg] if arg else []
        while i < len(self.lines) and self.lines[i].strip():
            stripped = self.lines[i].strip()
            if signatures and signatures[-1].endswith("\\"):
                signatures[-1] = signatures[-1][:-1].rstrip() + " " + stripped
            elif re.match(r"^:[\w-]+:(\s|$)", stripped):
                pass  # an option such as :noindex:
            elif name in _OBJECT_DIRECTIVES:
                signatures.append(stripped)
            else:
                break
            i += 1
        block = _Block(indent, name)
        if name in _OBJECT_DIRECTIVES:
            block.object = self.object_name(name, signatures[0] if signatures else "")
            self.stack.append(block)
            for sig in signatures:
                self.emit("signature", strip_markup(sig))
            return i
        if name in _NOTE_DIRECTIVES:
            version, _, rest = arg.partition(" ")
            block.note = f"{name} {version}"
            self.stack.append(block)
            if rest.strip():
                for s in _sentences(rest):
                    self.emit("note", s, block.note)
            elif not self.has_content(i, indent):
                self.emit("note", f"[{name} {version}]", block.note)
            return i
        self.stack.append(block)
        if arg.strip():  # availability, seealso with an argument
            label = "Availability: " if name == "availability" else ""
            for s in _sentences(label + arg):
                self.emit("sentence", s)
        return i

    def has_content(self, i: int, indent: int) -> bool:
        while i < len(self.lines) and not self.lines[i].strip():
            i += 1
        if i >= len(self.lines):
            return False
        line = self.lines[i]
        return len(line) - len(line.lstrip()) > indent

    def object_name(self, directive: str, signature: str) -> str:
        name = re.split(r"[(\s]", signature.strip(), maxsplit=1)[0]
        if directive in {"method", "attribute"} and "." not in name:
            owner = self.current_object()
            if not owner and self.section.endswith(" Objects"):
                owner = self.section.split()[0]
            if owner:
                name = f"{owner.split('.')[0]}.{name}"
        return name

    def paragraph(self, i: int, indent: int) -> int:
        lines: list[str] = []
        bullet = _BULLET.match(self.lines[i])
        while i < len(self.lines):
            line = self.lines[i]
            if not line.strip() or re.fullmatch(r"\s*\?+\s*", line):
                break
            if lines and (_BULLET.match(line) or _DIRECTIVE.match(line)):
                break
            lines.append(line)
            i += 1
        if _is_code(lines):
            return i
        if _is_scraped_heading(lines, indent) and not self.stack:
            self.section = strip_markup(lines[0])
            return i
        if len(lines) == 1 and strip_markup(lines[0]) == "Note":
            return i
        text = " ".join(line.strip() for line in lines)
        if bullet:
            text = _BULLET.sub("", " ".join(line.strip() for line in lines), count=1)
        literal = text.endswith("::")
        if literal:
            text = text[:-2].rstrip()
            text = text + ":" if text and not text.endswith(" ") else text
        for s in _sentences(text):
            if s.strip(":"):
                self.emit("note" if self.current_note() else "sentence", s, self.current_note())
        if literal:
            while i < len(self.lines) and not self.lines[i].strip():
                i += 1
            return self.skip_indented(i, indent)
        return i


def split(text: str) -> list[Unit]:
    """The units of a reStructuredText document, in document order."""
    return _Splitter(text).run()
