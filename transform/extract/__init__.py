"""Downloaded files -> text. See docs/extraction.md.

    extract_file(path, name_hint=None) -> Extraction     one file, in this process
    extract_many(items, cache_dir, workers=2)            many files, cached, in parallel
"""
from .batch import extract_many
from .core import EXTRACTOR_VERSION, extract_file
from .model import Extraction

__all__ = ["EXTRACTOR_VERSION", "Extraction", "extract_file", "extract_many"]
