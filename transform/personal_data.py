"""Remove personal data that the dataset does not need (DESIGN rule 7).

The raw layer keeps what the site published. The published text has e-mail addresses, phone
numbers and the names of the people in the correspondence replaced by marks of the kind
WhatDoTheyKnow itself uses, so redactions stay recognisable and are never read as content words.
Names come from the correspondence headers (requester, officer), from salutations, from signature
blocks (the lines after "Yours sincerely" and the like: a name-like line beside a job title or
unit) and from "Signed:", "Name:" and "Author:" lines. What the code needs to know about closings,
role words, titles and public offices is data, in personal_data.yaml; force, supplier and product
names come from the reference tables and are never removed.

Redaction runs when a document's text is made (transform/documents.py), before the answer reader
sees it, so every evidence offset is an offset into the published text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from reference.registry import load_forces, load_suppliers

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 01xxx / 02x / 07xxx / +44 forms, with the spacing people actually type. The number
# ends on a digit, so the space or line break after it stays.
PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){8,9}\d(?!\d)")
# "Dear Mr Smith", "Dear Ms J. Smith": the salutation names the person even when no header does.
SALUTATION = re.compile(r"\b(Dear\s+(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?)\s+((?:[A-Z]\.?\s+)*[A-Z][\w'-]+)")
NAME_MARK = "[name removed]"
PHONE_MARK = "[phone number]"
VOCABULARY_FILE = Path(__file__).with_name("personal_data.yaml")

# One word of a name: "Okonkwo", "Ferreira-Holt", "O'Neill", "McAllister", "Zoë", an initial ("J",
# "J.", "J.R.") or a surname in capitals ("SMITH"). The first letter is a capital.
NAME_WORD = re.compile(r"(?:[A-Z]\.){1,3}|[^\W\d_]\.?|[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Lower-case words that belong inside a name ("Anna de Souza").
PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "le", "la", "bin", "al"}
# What ends a name on its line: "Sam Hollis, Information Officer", "Sam Hollis | FOI Unit".
SEPARATOR = re.compile(r"\s*(?:[,;|/(–—]|-\s|$)")
MAX_NAME_WORDS = 4
# A signature block is read this many non-blank lines past its closing at most, within this
# many characters.
BLOCK_LINES = 6
BLOCK_CHARS = 1000


def _words(phrases: Iterable[str]) -> set[str]:
    return {w.casefold() for phrase in phrases for w in re.findall(r"[^\W\d_][\w'-]*", phrase)}


def _any_of(phrases: Iterable[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


@dataclass(frozen=True)
class Vocabulary:
    closing: re.Pattern  # a line that closes a letter; group "rest": what follows it on the line
    role: re.Pattern  # a job title or unit word anywhere in a string
    unit: re.Pattern  # the end of a unit's name at the start of a string ("Information Unit")
    office: re.Pattern  # a public office whose holder's name is kept
    title: re.Pattern  # a title or rank before a name (kept)
    label: re.Pattern  # "Signed:", "Name:", "Author:" at the start of a line; group "value"
    extension: re.Pattern  # "Ext: 4512", "Direct Dial 734512": group "number"
    stop: frozenset[str]  # words that are never part of a name (roles, not_names), case-folded
    registered: frozenset[str]  # words of force, supplier and product names, case-folded
    registered_names: re.Pattern  # a force or supplier name of two or more words


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    registered = [name for force in load_forces() for name in (force.name, *force.aliases)]
    registered += [name for s in load_suppliers() for name in (s.name, *s.aliases, *s.products)]
    roles = data["jobs"] + data["fields"] + data["units"]
    return Vocabulary(
        closing=re.compile(rf"^[ \t>]*(?:{_any_of(data['closings'])})"
                           r"(?:[ \t]*[,.!:;|/-][ \t]*(?P<rest>[^\n]*)|[ \t]*)$", re.I | re.M),
        role=re.compile(rf"\b(?:{_any_of(roles)})\b", re.I),
        unit=re.compile(rf"(?:(?:{_any_of(data['fields'])})\s+)*(?:{_any_of(data['units'])})\b", re.I),
        office=re.compile(rf"\b(?:{_any_of(data['public_offices'])})\b", re.I),
        title=re.compile(rf"(?:{_any_of(data['titles'])})\.?\s+"),
        label=re.compile(rf"^[ \t]*(?:{_any_of(data['name_labels'])})[ \t]*[:\-][ \t]*(?P<value>[^\n]*)$", re.I | re.M),
        extension=re.compile(rf"\b(?:{_any_of(data['extension_labels'])})\b\.?[ \t]*(?:no\.?[ \t]*)?:?\s*"
                             r"(?P<number>\d(?:[ -]?\d){2,9})(?!\d)", re.I),
        stop=frozenset(_words(roles + data["not_names"])),
        registered=frozenset(_words(registered)),
        registered_names=re.compile(rf"(?:{_any_of(n for n in registered if len(n.split()) > 1)})\b", re.I),
    )


def _is_name_word(word: str) -> bool:
    return bool(NAME_WORD.fullmatch(word)) and word[0].isupper()


def leading_name(line: str) -> tuple[str, str] | None:
    """(name, rest) when ``line`` starts with a person's name, after any title: up to four
    capitalised words that are not role, force or supplier words, followed by nothing, a
    separator, a role or a force name. "Sam Hollis, Disclosure Officer" -> ("Sam Hollis",
    ", Disclosure Officer"); "Kent Police" and "Information Compliance Unit" -> None."""
    v = vocabulary()
    line = line.strip()
    title = v.title.match(line)
    head = line[title.end():] if title else line
    words: list[re.Match] = []
    for match in re.finditer(r"[^\s,;|/()]+", head):
        word = match.group()
        if head[words[-1].end() if words else 0:match.start()].strip():
            break  # a separator came first
        if word.rstrip(".").casefold() in v.stop or v.registered_names.match(head, match.start()):
            break
        if not (_is_name_word(word) or (words and word in PARTICLES)):
            break
        words.append(match)
    while words and words[-1].group() in PARTICLES:
        words.pop()
    if not words or len(words) > MAX_NAME_WORDS:
        return None
    name = head[words[0].start():words[-1].end()].rstrip(".")
    rest = head[words[-1].end():]
    if all(w.casefold() in v.registered for w in _words([name])):
        return None  # "Greater Manchester", "NeoFace": a force, a supplier or a product
    # Without a separator the name must run on into a capitalised role or force name, as in OCR
    # text ("Sam Hollis Disclosure Officer"), not into a sentence ("Deployment records, ...") or a
    # place ("Bridgend Custody Suite").
    after = rest.strip()
    runs_on = after[:1].isupper() and bool(v.role.match(after) or v.registered_names.match(after))
    if not (SEPARATOR.match(rest) or runs_on):
        return None
    if v.unit.match(after):
        return None  # "Corporate Information Unit": the capitalised words name the unit
    return name, rest


def _beside(rest: str, next_line: str) -> str:
    """Where a name's role is: after it on its line ("Sam Hollis, Disclosure Officer"), or else on
    the next line, which then belongs to the name (and not to the next signatory or label)."""
    v = vocabulary()
    return rest if v.role.search(rest) or v.office.search(rest) else rest + "\n" + next_line


def _signature_names(text: str) -> set[str]:
    """Names in the signature blocks of a letter or e-mail."""
    v = vocabulary()
    names = set()
    for closing in v.closing.finditer(text):
        # Only the lines just after the closing: splitting all the rest of a long text at every
        # closing would make a long thread quadratic.
        after = text[closing.end():closing.end() + BLOCK_CHARS].split("\n")
        lines = [closing.group("rest") or ""] + after
        # A reply quoted in an e-mail thread starts its lines with ">".
        lines = [line.lstrip("> \t") for line in lines]
        lines = [line for line in lines if line.strip()][:BLOCK_LINES]
        for i, line in enumerate(lines):
            found = leading_name(line)
            if not found:
                continue
            name, rest = found
            beside = _beside(rest, lines[i + 1] if i + 1 < len(lines) else "")
            if v.office.search(beside):
                break  # a Chief Constable or a Commissioner signs in a public role
            # A name needs a role beside it, except a full name straight after the closing
            # ("Yours faithfully, Jane Example"): one word alone could be anything.
            if v.role.search(beside) or (i == 0 and len(name.split()) > 1):
                names.add(name)
                break
    return names


def _labelled_names(text: str) -> set[str]:
    """Names on "Signed:", "Name:" and "Author:" lines, unless in a public office (named on the
    line or the next one, as in a signature block)."""
    v = vocabulary()
    names = set()
    for label in v.label.finditer(text):
        found = leading_name(label.group("value"))
        next_line = text[label.end():label.end() + BLOCK_CHARS].lstrip("\n").split("\n", 1)[0]
        if found and not v.office.search(_beside(found[1], next_line)):
            names.add(found[0])
    return names


def names_in_letter(text: str) -> set[str]:
    """People's names that a text's own layout gives away: signature blocks and labelled lines."""
    return _signature_names(text) | _labelled_names(text)


def names_in_headers(authors: Iterable[str | None]) -> set[str]:
    """People's names among correspondence authors: "Jane Example" or "J Smith, Kent Police"
    yield the personal part; department names such as "Information Compliance" yield nothing."""
    stop = vocabulary().stop
    names = set()
    for author in authors:
        if not author:
            continue
        person = author.split(",")[0].strip()
        words = re.findall(r"[A-Za-z][\w'-]*", person)
        if words and not any(w.casefold() in stop for w in words) and not person.startswith("["):
            names.add(person)
    return names


def _name_pattern(names: set[str]) -> re.Pattern | None:
    v = vocabulary()
    parts = set()
    for name in names:
        parts.add(re.escape(name))
        # A surname alone ("Mr Example") identifies the person too; single letters do not, and
        # a word that also names a force, a supplier or a role ("Kent", "Lead") stays.
        parts.update(re.escape(w) for w in name.split()
                     if len(w) > 2 and w[0].isupper() and w.casefold() not in v.registered | v.stop)
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\b")


def redact(text: str, names: Iterable[str] = frozenset()) -> str:
    """``text`` without e-mail addresses, phone numbers, extensions and people's names: those in
    ``names`` (found in the correspondence headers) and those the text's own layout gives away."""
    # A pattern that opens with a look-behind or \b is tried at every character; most texts
    # (long attachments) hold no "@" and no "Dear", and a substring test says so at C speed.
    if "@" in text:
        text = EMAIL.sub("[email address]", text)
    text = PHONE.sub(PHONE_MARK, text)
    extension = vocabulary().extension
    text = extension.sub(lambda m: m.group()[:m.start("number") - m.start()] + PHONE_MARK, text)
    if "Dear" in text:
        text = SALUTATION.sub(lambda m: f"{m.group(1)} {NAME_MARK}", text)
    pattern = _name_pattern(set(names) | names_in_letter(text))
    return pattern.sub(NAME_MARK, text) if pattern else text
