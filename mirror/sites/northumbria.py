"""The mirrored disclosure log of Northumbria Police (spec §3.2): listing, items and
files as configured in mirror/content/northumbria/site.yaml (see mirror.sites.logpages.LogSite)."""

from mirror.sites.logpages import LogSite, build_log_site

ORDER = 40


def build(profile: str = "full") -> LogSite:
    return build_log_site("northumbria")
