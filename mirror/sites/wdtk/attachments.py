"""Attachment downloads and their side pages (spec §1.2, §8.1, §8.7): filename checks, hidden
and erased files, the "still preparing" wait page, and the attach/html views."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import unquote, urlencode

from markupsafe import Markup

from mirror.server import Request, Response, redirect, text_response
from mirror.sites.wdtk import pages
from mirror.sites.wdtk.caching import MEDIUM_CACHE
from mirror.sites.wdtk.files import attachment_bytes
from mirror.sites.wdtk.model import VIEWABLE


class AttachmentRoutes:
    """Route handlers mixed into WdtkSite; they use its content, lookups and page helpers."""

    def __init__(self) -> None:
        super().__init__()
        # Per attachment: downloads sent to the wait page, and wait pages shown.
        self._waits_served: dict[int, int] = {}
        self._wait_pages_shown: dict[int, int] = {}

    def _find_attachment(self, request: Request, slug: str, im: str, part: str, filename: str):
        """(request, message, attachment, None) or (..., response) following spec §1.2's checks."""
        info_request, other = self._find_request(request, slug)
        if other:
            return None, None, None, other
        message = info_request.incoming_message(int(im))
        if not message:
            return None, None, None, self.not_found(request)
        wanted = unquote(filename)
        attachment = next((a for a in message.attachments if a.part == int(part) and a.display_filename == wanted), None)
        if attachment is None:  # the part number moved: fall back to a unique filename match
            same_name = [a for a in message.attachments if a.display_filename == wanted]
            attachment = same_name[0] if len(same_name) == 1 else None
        if attachment is None:
            return None, None, None, redirect(f"/request/{slug}#incoming-{message.id}", 303)
        if message.hidden or attachment.hidden:
            return None, None, None, self.error_page(request, 403, "Attachment hidden",
                                                     "This attachment has been hidden.")
        if attachment.erased:
            return None, None, None, self.error_page(request, 403, "Attachment erased",
                                                     "This attachment has been erased.")
        return info_request, message, attachment, None

    def directory_listing(self, request: Request, slug: str, im: str, part: str) -> Response:
        return text_response("Directory listing not allowed", 403)

    def attachment(self, request: Request, slug: str, im: str, part: str, filename: str) -> Response:
        info_request, message, attachment, other = self._find_attachment(request, slug, im, part, filename)
        if other:
            return other
        served = self._waits_served.get(attachment.id, 0)
        if served < attachment.wait:
            # Masking is "still running": send the client to the wait page (spec §8.1), with the
            # full path it asked for as a signed referer, as AttachmentsController#ensure_masked does.
            self._waits_served[attachment.id] = served + 1
            fullpath = request.path + ("?" + urlencode({k: v[0] for k, v in request.query.items()}) if request.query else "")
            return redirect(self._wait_url(attachment.id, "wait", fullpath), 302)
        headers = [("Content-Type", attachment.content_type),
                   ("Content-Disposition", f'attachment; filename="{attachment.display_filename}"'),
                   ("Cache-Control", MEDIUM_CACHE)]
        if attachment.extension == "csv":  # so the file can be explored in Datasette Lite
            headers += [("Access-Control-Allow-Origin", "*"), ("Access-Control-Request-Method", "GET")]
        return Response(200, attachment_bytes(attachment), headers)

    @staticmethod
    def _sign(value: str) -> str:
        """Stands in for Rails' signed ids and MessageVerifier tokens: encoded data, '--', digest."""
        encoded = base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
        return encoded + "--" + hashlib.sha1(value.encode()).hexdigest()

    @staticmethod
    def _unsign(token: str) -> str | None:
        encoded = token.split("--")[0]
        try:
            return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        except ValueError:
            return None

    def _token(self, attachment_id: int) -> str:
        return self._sign(f"gid://alaveteli/FoiAttachment/{attachment_id}")

    def _wait_url(self, attachment_id: int, step: str, referer: str) -> str:
        return f"/attachments/{self._token(attachment_id)}/{step}?" + urlencode({"referer": self._sign(referer)})

    def _attachment_by_token(self, token: str):
        for info_request in self.content.requests:
            for message in info_request.incoming_messages:
                for attachment in message.attachments:
                    if self._token(attachment.id) == token:
                        return info_request, message, attachment
        return None, None, None

    def attachment_wait(self, request: Request, token: str, step: str) -> Response:
        info_request, message, attachment = self._attachment_by_token(token)
        if not attachment:
            return self.not_found(request)
        referer = self._unsign(request.arg("referer"))
        if not referer:
            return self.not_found(request)
        noindex = [("X-Robots-Tag", "noindex")]
        shown = self._wait_pages_shown.get(attachment.id, 0)
        if step == "wait" and shown >= attachment.wait:
            return redirect(self._wait_url(attachment.id, "done", referer), 302, noindex)
        if step == "wait":
            # One "still preparing" page per redirect; its meta refresh then finds it done.
            self._wait_pages_shown[attachment.id] = shown + 1
            text = pages.message_page("Attachment processing...", [
                "We're still preparing this attachment. The page will reload automatically once it's ready."],
                self.ctx(request), "attachment_wait", refresh=2)
            return self.html(request, text, headers=noindex)
        link = Markup('<a class="button" href="{}">Download attachment</a>').format(referer)
        text = pages.message_page("Attachment available for download.", [
            "The attachment has now been processed and is available for download.", link],
            self.ctx(request), "attachment_done")
        return self.html(request, text, headers=noindex)

    def attachment_html(self, request: Request, slug: str, im: str, part: str, filename: str) -> Response:
        info_request, message, attachment, other = self._find_attachment(request, slug, im, part, filename)
        if other:
            return other
        if attachment.extension not in VIEWABLE:
            return self.not_found(request)
        ctx = self.ctx(request)
        url = info_request.attachment_url(message, attachment)
        return self.html(request, pages.attachment_view(attachment, url, ctx), cache=MEDIUM_CACHE)
