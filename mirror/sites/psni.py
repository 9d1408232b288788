"""The mirrored disclosure log of the Police Service of Northern Ireland (spec §3.5): listing, items and
files as configured in mirror/content/psni/site.yaml (see mirror.sites.logpages.LogSite)."""

from mirror.sites.logpages import LogSite, build_log_site

ORDER = 42


def build(profile: str = "full") -> LogSite:
    return build_log_site("psni")
