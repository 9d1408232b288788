"""The WhatDoTheyKnow (Alaveteli) mirror: content from mirror/content/wdtk/, served in the
formats of ../shared/specs/whatdotheyknow.md."""

from mirror.sites.wdtk import scaled
from mirror.sites.wdtk.generate import generate
from mirror.sites.wdtk.loader import Loader, read_site_settings
from mirror.sites.wdtk.site import WdtkSite

ORDER = 0  # first site: it gets the base port (8100 by default)


def build(profile: str = "full") -> WdtkSite:
    """profile "full": hand-written cases plus the generated bulk (every force, a force with more
    than 20 listing pages); "small": the hand-written cases only, for fast tests; "scale-<n>"
    (scale-1k, scale-10k, scale-50k): the hand-written cases plus n benchmark requests (scaled.py)."""
    loader = Loader()
    content = loader.load()
    if profile == "full":
        generate(loader)
    elif scaled.size(profile):
        scaled.generate(loader, scaled.size(profile))
    return WdtkSite(content, read_site_settings()["version"])
