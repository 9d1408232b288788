"""tests/mutations.toml still mutates the code it names: each entry's text is in its file exactly
once and its test files exist. (The mutations themselves run with `make mutate`, not here.)"""
from tests.mutate import load, problems


def test_every_mutation_still_applies_to_the_source():
    mutations = load()
    assert problems(mutations) == []
    assert len({m.name for m in mutations}) == len(mutations), "two entries share a name"
