"""A template filter the site's row template needs: Datasette's own encoding of ids in URLs, so
an id holding "/" or ":" still makes a working link."""

from datasette import hookimpl
from datasette.utils import tilde_encode


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["tilde_encode"] = lambda value: tilde_encode(str(value))
