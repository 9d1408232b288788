"""Ways a reply's text gets mangled on its way to us, applied to a labelled corpus to see whether the
answer reader depends on one layout (``make eval CORPUS=dir PERTURB=all``).

Each perturbation is deterministic and keeps every word of the text, so a label that held for the
original holds for the perturbed text: rewrapped lines, CRLF line ends, a page's running header
and footer cutting a sentence, words hyphenated at line ends as PDF text has them, other numbering
styles, and Welsh page furniture before the English body.
"""

from __future__ import annotations

import re
import textwrap

WELSH_FURNITURE = (
    "Neidio i'r prif gynnwys\n"
    "Mae'r wefan hon yn defnyddio cwcis\n"
    "Cymraeg | English\n"
    "Rhyddid Gwybodaeth - Log datgelu\n"
)
# A running header and footer as a PDF's text layer gives them between two pages.
PAGE_BREAK = "\nOFFICIAL\nPage {n} of {total}\n\nFreedom of Information Request\n"
ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,2})[.)](?=\s)", re.MULTILINE)


def _paragraphs(text: str) -> list[str]:
    return re.split(r"\n[ \t]*\n", text)


def rewrap(text: str, width: int = 58) -> str:
    """Each paragraph's lines joined and wrapped again at another width."""
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width) if p.strip() else p for p in _paragraphs(text))


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def page_headers(text: str) -> str:
    """A page break (footer, header) in the middle of a line, twice: at a third and two thirds."""
    lines = text.split("\n")
    total = 3
    for n, at in ((3, 2 * len(lines) // 3), (2, len(lines) // 3)):
        if at >= len(lines):
            continue
        line = lines[at]
        cut = line.rfind(" ", 0, max(1, len(line) // 2))
        if cut <= 0:
            lines.insert(at, PAGE_BREAK.format(n=n, total=total).strip("\n"))
        else:
            lines[at] = line[:cut] + PAGE_BREAK.format(n=n, total=total) + line[cut + 1:]
    return "\n".join(lines)


def hyphenate(text: str, width: int = 52) -> str:
    """Lines wrapped at ``width`` with the long word at each line end split by a hyphen."""
    out = []
    for paragraph in _paragraphs(text):
        words = paragraph.split()
        lines, line = [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                if len(word) >= 9 and word.isalpha():
                    half = len(word) // 2
                    lines.append(f"{line} {word[:half]}-")
                    line = word[half:]
                    continue
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def numbering(text: str) -> str:
    """"1." and "2)" items renumbered in other styles, alternating "1/", "Q1.", "(1)"."""
    styles = ("{n}/", "Q{n}.", "({n})")
    counter = iter(range(10 ** 6))
    return ITEM.sub(lambda m: m["indent"] + styles[next(counter) % len(styles)].format(n=m["num"]), text)


def welsh_furniture(text: str) -> str:
    return WELSH_FURNITURE + text


PERTURBATIONS = {
    "rewrap": rewrap,
    "crlf": crlf,
    "page_headers": page_headers,
    "hyphenation": hyphenate,
    "numbering": numbering,
    "welsh_furniture": welsh_furniture,
}
