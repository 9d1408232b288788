"""scrapers.check_logs, the maintainer's check of each log family's rules, run against the mirror:
it passes on the mirror's pages and names the rule that no longer matches when a page changes."""

from mirror import Mirror
from mirror.sites import archive, avon_and_somerset, logpages, northumbria, police_scotland, psni, soh, wmp
from scrapers import check_logs


def test_every_family_passes_on_the_mirror(tmp_path, capsys):
    sites = [*soh.build(), archive.build(), wmp.build(), northumbria.build(), avon_and_somerset.build(),
             psni.build(), police_scotland.build()]
    with Mirror(sites=sites) as mirror:
        mirror.write_sites_file(tmp_path / "sites.json")
        status = check_logs.main(["--sites-file", str(tmp_path / "sites.json")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "reference '01.FOI.24.034567'" in out and "reference '762/22'" in out
    for family in ("soh metropolitan:", "wmp:", "northumbria:", "avon_and_somerset:", "psni:", "police_scotland:"):
        assert family in out


def test_a_changed_template_and_a_blocked_site_are_problems(tmp_path, capsys):
    [(_path, spec)] = logpages.load("avon_and_somerset", "site.yaml")
    # The site renamed its headings: the request can no longer be told from the response.
    items = [dict(item, body=item["body"].replace("## Request", "## What was asked")) for item in spec["items"]]
    changed = logpages.LogSite({**spec, "items": items})
    with Mirror(sites=[changed, *soh.build()]) as mirror:
        mirror.write_sites_file(tmp_path / "sites.json")
        moved = check_logs.main(["--sites-file", str(tmp_path / "sites.json"), "--family", "avon_and_somerset"])
        blocked = check_logs.main(["--sites-file", str(tmp_path / "sites.json"), "--family", "soh",
                                   "--force", "hampshire"])
    out = capsys.readouterr().out
    assert (moved, blocked) == (1, 1)
    assert "facial-recognition-technology-2025/: no boundary between the request and the response" in out
    assert "JavaScript challenge" in out
