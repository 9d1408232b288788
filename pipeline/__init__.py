"""The whole refresh, step by step: crawl -> transform -> publish (and the demo around it)."""
