"""Table definitions (``schema.tables``) and everything derived from them (``schema.derive``)."""
