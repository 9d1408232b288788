"""The mirrored disclosure log of Avon and Somerset Constabulary (spec §3.3): listing, items and
files as configured in mirror/content/avon_and_somerset/site.yaml (see mirror.sites.logpages.LogSite)."""

from mirror.sites.logpages import LogSite, build_log_site

ORDER = 41


def build(profile: str = "full") -> LogSite:
    return build_log_site("avon_and_somerset")
