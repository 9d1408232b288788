"""Reference data kept in the project: the force registry and the supplier table."""
