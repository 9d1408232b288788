"""Local mirror of the real sites (WhatDoTheyKnow first), served over HTTP on 127.0.0.1."""

from mirror.harness import Mirror
from mirror.server import Fault

__all__ = ["Mirror", "Fault"]
