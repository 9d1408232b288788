"""Remove personal data that the dataset does not need (DESIGN rule 7).

The raw layer keeps what the site published; the published text has e-mail addresses and phone
numbers replaced by the same kind of mark WhatDoTheyKnow itself uses, so redactions stay
recognisable and are never read as content words.
"""

import re

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 01xxx / 02x / 07xxx / +44 forms, with the spacing people actually type.
PHONE = re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")


def redact(text: str) -> str:
    text = EMAIL.sub("[email address]", text)
    return PHONE.sub("[phone number]", text)
