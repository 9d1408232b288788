"""Cache-Control values of anonymous answers (spec §7.2, ApplicationController#anonymous_cache)."""

MEDIUM_CACHE = "max-age=3600, public"
LONG_CACHE = "max-age=86400, public"
NO_CACHE = "max-age=0, private, must-revalidate"
