"""FOIA exemptions cited in the force's words, with sub-section and whether they back an NCND.

Only a cited section counts (corpus rule 6). Sections 1, 16 and 17 are the duties and the refusal
notice, not exemptions. Sub-sections that by law carry the exclusion from the duty to confirm or
deny (s23(5), s24(2), s31(3)...) mark the citation as NCND even when the sentence does not say so.
"""

from __future__ import annotations

import re
from .gate import gated, per_request

# FOIA Part II exemptions plus s12 (cost) and s14 (vexatious), which forces cite the same way.
EXEMPTION_SECTIONS = {12, 14, 21, 22, 23, 24, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
                      41, 42, 43, 44}
# Sub-sections whose only job is to exclude the duty to confirm or deny.
NCND_SUBSECTIONS = {"s12(2)", "s14(2)", "s22(2)", "s23(5)", "s24(2)", "s26(3)", "s27(4)", "s28(3)", "s29(2)",
                    "s30(3)", "s31(3)", "s32(3)", "s33(3)", "s34(2)", "s35(3)", "s36(3)", "s37(2)", "s38(2)",
                    "s39(2)", "s40(5)", "s41(2)", "s42(2)", "s43(3)", "s44(2)"}

NUMBER = r"(?P<num>\d{1,2})\s*(?:\(\s*(?P<sub>\d{1,2})\s*\))?(?:\s*\(\s*[a-z]{1,3}\s*\))*"
# "Section 24(2)", "S31(3)", "s.40", "sec 12", "exemption 31(1)"; and the numbers listed after
# "Sections 24 and 31".
CITATION = re.compile(rf"(?<![A-Za-z])(?:sections?|secs?\.?|s\.?|ss\.?)\s*{NUMBER}", re.IGNORECASE)
# A cited section may carry its name before the next one: "24(2) (national security) and 31(3)",
# "24(2) National Security and 31(3)".
DESCRIPTION = r"(?:\s*\([^)\d]{2,40}\)|\s*[-–:]?\s*(?:[A-Za-z][\w'’]*\s*){1,4}?)?"
LISTED = re.compile(rf"{DESCRIPTION}\s*(?:,|and|&|/|or)\s*(?:sections?|s\.?)?\s*{NUMBER}(?![\d,.]*\s*(?:hours|days|%))",
                    re.IGNORECASE)
# Other Acts whose sections are not FOIA exemptions.
OTHER_ACT = gated(r"\s*(?:\(\s*\d+\s*\)\s*)*(?:\([a-z]\)\s*)*(?:of\s+(?!(?:the\s+|this\s+)?(?:Freedom|FOI|FoI|Act\b))(?:the\s+)?"
                  r"(?:(?:[A-Z][\w]*|and|of|the|for)\s+){0,8}(?:Act|Regulations?)\b|of\s+(?:the\s+)?(?:DPA|RIPA|PACE|GDPR))")

# A section named inside the wording of another ("information which is not exempt by virtue of
# section 30 is exempt under section 31"): the first is only named, not cited.
NAMED_NOT_CITED = gated(r"\bnot\s+(?:\w+\s+){0,2}?exempt\s+(?:by\s+virtue\s+of|under)\s*$", re.IGNORECASE)

NCND = gated(r"neither\s+confirm\w*\s+n?or\s+den(?:y|ies|ying)|\bNCND\b|confirm\s+or\s+deny\s+(?:whether|that)\s+"
             r"(?:any|the|it|we)[^.]{0,60}\b(?:exempt|rel(?:y|ies)|appl)", re.IGNORECASE)


@per_request
def citations(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """(section, subsection, start, end) for every exemption cited in ``text``. Cached for the
    request being read (several rules ask about the same sentence)."""
    found = []
    consumed = 0
    for m in CITATION.finditer(text):
        if m.start() < consumed:
            continue
        pos = m.end()
        items = [m]
        while True:
            more = LISTED.match(text, pos)
            if not more:
                break
            items.append(more)
            pos = more.end()
        consumed = pos
        if OTHER_ACT.match(text, pos) or NAMED_NOT_CITED.search(text[max(0, m.start() - 40):m.start()]):
            continue
        for item in items:
            num = int(item.group("num"))
            if num not in EXEMPTION_SECTIONS:
                continue
            section = f"s{num}"
            subsection = f"{section}({item.group('sub')})" if item.group("sub") else section
            found.append((section, subsection, item.start(), item.end()))
    return tuple(found)


def is_ncnd(subsection: str, context: str) -> bool:
    return subsection in NCND_SUBSECTIONS or bool(NCND.search(context))
