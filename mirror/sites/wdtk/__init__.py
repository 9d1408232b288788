"""The WhatDoTheyKnow (Alaveteli) mirror: content from mirror/content/wdtk/, served in the
formats of ../shared/specs/whatdotheyknow.md."""

from mirror.sites.wdtk.loader import load_content, read_site_settings
from mirror.sites.wdtk.site import WdtkSite

ORDER = 0  # first site: it gets the base port (8100 by default)


def build() -> WdtkSite:
    return WdtkSite(load_content(), read_site_settings()["version"])
