"""The mirrored disclosure log of Police Scotland (spec §3.4): listing, items and
files as configured in mirror/content/police_scotland/site.yaml (see mirror.sites.logpages.LogSite)."""

from mirror.sites.logpages import LogSite, build_log_site

ORDER = 43


def build(profile: str = "full") -> LogSite:
    return build_log_site("police_scotland")
