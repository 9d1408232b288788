"""Text -> answers: what a force's FOI reply says about facial recognition, with evidence.

    from transform.answers import Document, read_request
    answers = read_request([Document(document_id, kind, author_role, text), ...])

See ``reader.py`` for the steps and ``rules.py`` / ``vocab.py`` for the named patterns.
"""

from .model import Document, Exemption, Finding, RequestAnswers, SupplierMention
from .reader import read_request

__all__ = ["Document", "Exemption", "Finding", "RequestAnswers", "SupplierMention", "read_request"]
