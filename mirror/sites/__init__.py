"""Site families served by the mirror, one module (or package) each.

Adding a site = adding a module here that defines ``ORDER`` (an int; sites get ports in this
order, starting at the base port, so WhatDoTheyKnow with ORDER 0 gets the base port) and
``build(profile)``, returning a ``mirror.server.Site`` with its routes and content, or a list of
them for a family served on one site per force (Single Online Home). ``profile`` is "full"
(everything), "small" (just the hand-written cases, for fast tests) or "scale-<n>" (the
hand-written cases plus n WhatDoTheyKnow benchmark requests, sites/wdtk/scaled.py).
"""

from __future__ import annotations

import importlib
import pkgutil

from mirror.server import Site


def site_modules() -> list:
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    modules = [m for m in modules if hasattr(m, "build") and hasattr(m, "ORDER")]
    return sorted(modules, key=lambda m: (m.ORDER, m.__name__))


def build_sites(profile: str = "full") -> list[Site]:
    sites = []
    for module in site_modules():
        built = module.build(profile)
        sites.extend(built if isinstance(built, list) else [built])
    return sites
