"""Start every mirrored site together: used by tests (``with Mirror() as m``) and the CLI."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mirror.server import AccessLog, Fault, Site, SiteServer
from mirror.sites import build_sites


class Mirror:
    """All site families on 127.0.0.1, one port each, sharing one access log.

    ``port=0`` picks free ports; otherwise site i gets ``port + i``. Sites are reachable by
    name as attributes (``m.wdtk``) so tests can change content between crawls. ``profile``
    "small" serves only the hand-written cases (fast); "full" adds the generated bulk.
    """

    def __init__(self, port: int = 0, access_log_path: str | Path | None = None,
                 sites: list[Site] | None = None, profile: str = "full") -> None:
        self.log = AccessLog(access_log_path)
        self._sites = sites if sites is not None else build_sites(profile)
        self.servers: list[SiteServer] = []
        self._port = port

    def start(self) -> "Mirror":
        try:
            for i, site in enumerate(self._sites):
                server = SiteServer(site, self._port + i if self._port else 0, self.log)
                server.start()
                self.servers.append(server)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers.clear()

    def __enter__(self) -> "Mirror":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __getattr__(self, name: str) -> Site:
        for site in self.__dict__.get("_sites", []):
            if site.name == name:
                return site
        raise AttributeError(name)

    @property
    def sites(self) -> dict[str, str]:
        """Real base URL -> mirror base URL, the content of the sites file."""
        return {s.site.real_base_url: s.base_url for s in self.servers}

    def base_url(self, real_base_url: str) -> str:
        return self.sites[real_base_url.rstrip("/")]

    @property
    def access_log(self) -> list[dict]:
        return self.log.entries

    def add_fault(self, real_base_url: str, fault: Fault) -> Fault:
        """Make the site at ``real_base_url`` misbehave (see ``mirror.server.Fault``)."""
        for server in self.servers:
            if server.site.real_base_url == real_base_url.rstrip("/"):
                return server.add_fault(fault)
        raise KeyError(real_base_url)

    def write_sites_file(self, path: str | Path) -> None:
        # Written to a temporary name and renamed, so a reader never sees half a file.
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sites-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.sites, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
