"""Read the WDTK mirror content (mirror/content/wdtk/) into a ``Content`` store.

Files:
- ``site.yaml``: the mirror's fixed "today", users, extra bodies and per-body overrides;
- ``texts.yaml``: request wordings reused by several requests (``use: name``);
- ``requests/*.yaml``: hand-written requests, one file per force or theme;
- ``batches.yaml``: batch requests (the same wording sent to several bodies).

Bodies for every force come from the project's force registry (reference/forces.csv).
Text may hold the tokens ``{body_name}``, ``{requester}`` and ``{foi_email}`` (the masked
reply address, ``[FOI #id email]``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from mirror.sites.wdtk.content import Content
from mirror.sites.wdtk.model import Batch, Body, InfoRequest
from reference.registry import load_forces

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "wdtk"


def _read(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _when(value) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 9, 0)
    return datetime.fromisoformat(str(value))


def _tags(values) -> list[tuple[str, str | None]]:
    tags = []
    for value in values or []:
        name, _, rest = str(value).partition(":")
        tags.append((name, rest or None))
    return tags


class Loader:
    def __init__(self, content_dir: Path = CONTENT_DIR) -> None:
        self.dir = content_dir
        site = _read(content_dir / "site.yaml")
        self.site = site
        self.texts: dict[str, str] = _read(content_dir / "texts.yaml")
        self.content = Content(_when(site["today"]).date())

    def load(self) -> Content:
        self._load_bodies()
        for user in self.site["users"]:
            self.content.add_user(user["url_name"], user["name"], user.get("about_me", ""), user.get("ban_text", ""))
        for path in sorted((self.dir / "requests").glob("*.yaml")):
            for entry in _read(path) or []:
                self.add_request(entry)
        batches = self.dir / "batches.yaml"
        for entry in (_read(batches) if batches.exists() else None) or []:
            self.add_batch(entry)
        return self.content

    # -- bodies -------------------------------------------------------------------------------

    def _load_bodies(self) -> None:
        overrides = self.site.get("body_overrides", {})
        created = _when(self.site["bodies_created_at"])
        for force in load_forces():
            if not force.wdtk_url_name:
                continue
            extra = dict(overrides.get(force.wdtk_url_name, {}))
            website = force.website if "/" in force.website else f"https://www.{force.website}" if force.website else None
            if website and not website.startswith("http"):
                website = "https://www." + website
            tags = ["police_force", "police"] + ([f"wikidata:{force.wikidata_qid}"] if force.wikidata_qid else [])
            # `url_name` in an override renames the body on the site; list the registry's name
            # under historic_url_names so that it redirects (spec §10.2).
            self.content.add_body(
                extra.pop("url_name", force.wdtk_url_name), force.name, _when(extra.pop("created_at", created)),
                updated_at=_when(extra.pop("updated_at", self.site["bodies_updated_at"])),
                home_page=website, disclosure_log=force.disclosure_log_url,
                tags=_tags(tags + extra.pop("tags", [])), force_id=force.force_id, **extra)
        for extra in self.site.get("other_bodies", []):
            extra = dict(extra)
            self.content.add_body(extra.pop("url_name"), extra.pop("name"), _when(extra.pop("created_at")),
                                  updated_at=_when(extra.pop("updated_at")), tags=_tags(extra.pop("tags", [])),
                                  **extra)

    # -- requests -----------------------------------------------------------------------------

    def text(self, entry: dict, body: Body, requester: str, request: InfoRequest | None = None) -> str:
        text = self.texts[entry["use"]] if "use" in entry else entry["text"]
        text = text.replace("{body_name}", body.name).replace("{requester}", requester)
        if request is not None:
            text = text.replace("{foi_email}", f"[FOI #{request.id} email]")
        return text.strip("\n")

    def add_request(self, entry: dict, batch: Batch | None = None) -> InfoRequest:
        content = self.content
        body = content.bodies[entry["body"]]
        user = content.users[entry["user"]] if entry.get("user") else None
        requester = user.name if user else entry.get("user_name", "")
        request = content.new_request(
            body, user, entry["title"], _when(entry["sent"]), self.text(entry, body, requester),
            user_name=entry.get("user_name"), batch=batch, prominence=entry.get("prominence", "normal"),
            prominence_reason=entry.get("prominence_reason", ""), law_used=entry.get("law_used", "foi"),
            tags=_tags(entry.get("tags")))
        # {foi_email} needs the id, known only now.
        first = request.outgoing_messages[0]
        first.text = first.text.replace("{foi_email}", f"[FOI #{request.id} email]")
        for event in entry.get("events", []):
            self.add_event(request, event, requester)
        if entry.get("state"):
            # Classified a day after the last event unless the content says when.
            default = request.events[-1].created_at.replace(tzinfo=None, microsecond=0) + timedelta(days=1)
            content.classify(request, entry["state"], _when(entry.get("described_at") or default))
        return request

    def add_event(self, request: InfoRequest, event: dict, requester: str) -> None:
        content, kind, at = self.content, event["type"], _when(event["at"])
        if kind == "response":
            attachments = [dict(a, text=self._attachment_text(a, request)) if "text" in a else a
                           for a in event.get("attachments", [])]
            content.add_response(request, at, self.text(event, request.body, requester, request),
                                 from_name=event.get("from"), attachments=attachments,
                                 prominence=event.get("prominence", "normal"), hidden_reason=event.get("hidden_reason", ""),
                                 state=event.get("state"), first_part=event.get("first_part", 2),
                                 quoted=self._quoted(event, request, requester))
        elif kind == "followup":
            content.add_followup(request, at, self.text(event, request.body, requester, request),
                                 kind=event.get("kind", "followup"), prominence=event.get("prominence", "normal"),
                                 hidden_reason=event.get("hidden_reason", ""))
        elif kind == "resent":
            content.add_resent(request, at)
        elif kind == "comment":
            content.add_comment(request, content.users[event["user"]], at, event["text"].strip("\n"),
                                visible=event.get("visible", True))
        elif kind == "classify":
            content.classify(request, event["state"], at)
        else:
            raise ValueError(f"{request.url_title}: unknown event type {kind!r}")

    def _quoted(self, event: dict, request: InfoRequest, requester: str) -> str:
        """The quoted sections folded under a reply: the request as sent (`quote_request: true`),
        or `quoted:` text, e.g. the request with the force's answers typed under each question."""
        if "quoted" in event:
            return self.text({"text": event["quoted"]}, request.body, requester, request)
        return self.content.quote_request(request) if event.get("quote_request") else ""

    def _attachment_text(self, attachment: dict, request: InfoRequest) -> str:
        return attachment["text"].replace("{body_name}", request.body.name)

    def add_batch(self, entry: dict) -> Batch:
        user = self.content.users[entry["user"]]
        batch = self.content.add_batch(entry["title"], user, _when(entry["sent"]))
        for member in entry["members"]:
            request_entry = {"title": entry["title"], "user": entry["user"], "sent": entry["sent"],
                             "use": entry["use"], **member}
            self.add_request(request_entry, batch=batch)
        return batch


def read_site_settings(content_dir: Path = CONTENT_DIR) -> dict:
    return _read(content_dir / "site.yaml")


def load_content(content_dir: Path = CONTENT_DIR) -> Content:
    return Loader(content_dir).load()
