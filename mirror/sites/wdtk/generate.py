"""The generated bulk of the WDTK mirror, from the templates in content/wdtk/generated.yaml.

Deterministic: choices are made by position (registry order, request number), never at random,
so every run serves the same ids, dates and bytes. Nothing is generated for the forces that
carry the end-to-end cases (``hand_written_only``), so those stay exactly as written; the big
force's bulk (all older than its hand-written requests) is the one exception.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mirror.sites.wdtk.content import Content
from mirror.sites.wdtk.loader import Loader, _read, _when
from mirror.sites.wdtk.model import Body


def fill(text: str, **tokens) -> str:
    for name, value in tokens.items():
        text = text.replace("{" + name + "}", str(value))
    return text.strip("\n")


class Generator:
    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.content: Content = loader.content
        self.spec = _read(loader.dir / "generated.yaml")

    def run(self) -> None:
        skip = set(self.spec["forces_without_requests"]) | set(self.spec["hand_written_only"])
        targets = [b for b in self.content.bodies.values() if b.force_id and b.url_name not in skip]
        self.batch(targets)
        self.big_force()

    def batch(self, targets: list[Body]) -> None:
        spec = self.spec["batch"]
        user = self.content.users[spec["user"]]
        sent = _when(spec["sent"])
        batch = self.content.add_batch(spec["title"], user, sent)
        outcomes = self.spec["outcomes"]
        for i, body in enumerate(targets):
            outcome = outcomes[i % len(outcomes)]
            text = self.loader.text({"use": spec["use"]}, body, user.name)
            request = self.content.new_request(body, user, spec["title"], sent + timedelta(seconds=i), text,
                                               batch=batch)
            if "text" not in outcome:
                continue  # still awaiting a response
            tokens = dict(body_name=body.name, requester=user.name, n=f"{2025}-{1000 + i}")
            attachments = []
            if "attachment" in outcome:
                a = outcome["attachment"]
                attachments.append({"name": fill(a["name"], **tokens), "title": fill(a["title"], **tokens),
                                    "text": fill(a["text"], **tokens)})
            answered = sent + timedelta(days=18 + i % 9, hours=i % 5, minutes=7 * i % 60)
            quoted = self.content.quote_request(request) if outcome.get("quote_request") else ""
            self.content.add_response(request, answered, fill(outcome["text"], **tokens), from_name=outcome["from"],
                                      attachments=attachments, state=outcome.get("state"), quoted=quoted)
            if "followup" in outcome:
                self.earlier_request(body, outcome, i)

    def earlier_request(self, body: Body, outcome: dict, i: int) -> None:
        """An older single request in the same vein as the force's batch answer."""
        spec = outcome["followup"]
        user = self.content.users["d_student"]
        year = 2021 + i % 3
        sent = datetime(year + 1, 1 + i % 6, 3 + i % 20, 9, 15)
        tokens = dict(body_name=body.name, requester=user.name, year=year, count=40 + 13 * i)
        entry = {"use": spec["use"]} if "use" in spec else {"text": fill(spec["request"], year=year)}
        request = self.content.new_request(body, user, fill(spec["title"], **tokens), sent,
                                           self.loader.text(entry, body, user.name))
        self.content.add_response(request, sent + timedelta(days=19, hours=3), fill(spec["text"], **tokens),
                                  from_name=outcome["from"], state=spec["state"])

    def big_force(self) -> None:
        spec = self.spec["big_force"]
        body = self.content.bodies[spec["body"]]
        first = _when(spec["first_sent"])
        answers = spec["answers"]
        for n in range(1, spec["count"] + 1):
            user = self.content.users[spec["users"][n % len(spec["users"])]]
            sent = first + timedelta(days=spec["every_days"] * (n - 1), minutes=(17 * n) % 480)
            tokens = dict(body_name=body.name, requester=user.name, n=n, count=n % 7, n_arrests=n % 3)
            title = fill(spec["titles"][n % len(spec["titles"])], **tokens)
            request = self.content.new_request(body, user, title, sent, fill(spec["request"], **tokens))
            answer = answers[n % len(answers)]
            self.content.add_response(request, sent + timedelta(days=15 + n % 10, hours=2),
                                      fill(answer["text"], **tokens), from_name="Information Rights Unit",
                                      state=answer["state"])


def generate(loader: Loader) -> None:
    Generator(loader).run()
