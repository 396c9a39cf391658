"""The review pages' routes: invitation, overview, one sentence, a decision, the live diff.

Every page of a language asks for a session holding that language first
(`_session_for`): none at all sends a browser to the start page (303), a
session without the language gets 403. Every POST then checks the CSRF token
(csrf.py), and Approve needs the reviewer role. Work that touches SQLite or
files runs in a worker thread (`run_in_threadpool`), never on the event loop.

Pages work without JavaScript (plain links and form posts, answered with a
redirect); with htmx a navigation or a decision swaps only the workspace and
announces the result in the page's live region.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from translate import languages
from translate.errors import DiskFull, TranslateError, WriteError
from translate.memory.health import MemoryReadOnly
from translate.serve import csrf
from translate.serve.access import AccessStore, InvitationRefused, Session
from translate.serve.limits import MAX_FORM_BYTES, FormRefused, NoBody, read_form
from translate.serve.review import workspace
from translate.serve.review.decide import ACTIONS, Conflict, decide, revision_of
from translate.serve.review.diff import summarize, word_diff
from translate.serve.state import ServerState
from translate.texts import SourceText

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
SESSION_COOKIE = "translate_session"
MAX_TEXT_CHARS = 5000
"""Longest translation of one sentence the pages accept (the longest source sentence has ~400)."""

_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$")
_HASH = re.compile(r"^[0-9a-f]{16}$")

BIDI_CONTROLS = {
    "\u061c": "ALM",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
"""Invisible characters that reorder what follows them: shown as visible marks, never obeyed, in displayed text."""
_BIDI = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


def shown(text: object) -> Markup:
    """Text for display: HTML-escaped, with bidirectional controls made visible ([RLO]) instead of obeyed."""
    escaped = str(escape("" if text is None else text))
    return Markup(
        _BIDI.sub(
            lambda m: (
                f'<span class="control" title="invisible control character '
                f'{BIDI_CONTROLS[m.group()]}">[{BIDI_CONTROLS[m.group()]}]</span>'
            ),
            escaped,
        )
    )


def when(stamp: str | None) -> str:
    """'2026-11-22T03:31:16Z' -> '2026-11-22 03:31 UTC' (the memory's times are UTC)."""
    match = re.match(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)", stamp or "")
    return f"{match.group(1)} {match.group(2)} UTC" if match else (stamp or "")


DECISION_LABELS = {
    "approved": "approved as drafted",
    "edited": "approved with changes",
    "draft": "saved a draft",
    "rejected": "sent back to the machine",
    "comment": "commented",
    "suggested": "suggested",
}


def decision_label(d: Any) -> str:
    """How the history names a decision; a refused one says its text was kept as a suggestion."""
    label = DECISION_LABELS.get(d.status, d.status)
    if getattr(d, "outcome", "") == "conflict":
        return f"{label}: refused, someone had changed it meanwhile (kept as a suggestion)"
    return label


templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["decision_label"] = decision_label
templates.env.filters["shown"] = shown
templates.env.filters["when"] = when
templates.env.globals["language_name"] = languages.name_or_code
templates.env.globals["html_lang"] = languages.html_lang
templates.env.globals["is_rtl"] = languages.is_rtl
SHORTCUTS = [
    ("Ctrl+Enter", "Save the edit as a draft and go to the next sentence"),
    ("Ctrl+Shift+Enter", "Approve and go to the next sentence (reviewers)"),
    ("Alt+↓", "Next sentence (Skip)"),
    ("Alt+↑", "Previous sentence"),
    ("Ctrl+Shift+Y", "Needs work: keep as a draft and say it needs more work"),
    ("Escape", "Undo your changes in the editor"),
]
AFTER_MESSAGES = {
    "draft": "Draft saved.",
    "approved": "Approved.",
    "edited": "Approved with your changes.",
    "needs-work": "Saved as needing work.",
    "suggested": "This sentence is approved: your text is kept as a suggestion for a reviewer.",
    "comment": "Comment saved.",
    "": "Nothing changed.",
}


class Stop(Exception):
    """Ends a request early with a ready response (a refusal or a redirect)."""

    def __init__(self, response: Response) -> None:
        self.response = response


def _endpoint(handler: Callable[..., Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    @wraps(handler)
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Stop as stop:
            return stop.response
        except FormRefused as refused:
            return Response(refused.message, status_code=400, media_type="text/plain; charset=utf-8")
        except TranslateError as err:  # a full disk, a read-only or damaged memory: said, never a traceback
            log.warning("%s %s: %s", request.method, request.url.path, err)
            return _cannot(request, err)

    return run


def _cannot(request: Request, err: TranslateError) -> Response:
    """What a person is told when the server cannot do what they asked (the details are in the server's log)."""
    if isinstance(err, DiskFull):
        why = "the server's disk is full"
    elif isinstance(err, (WriteError, MemoryReadOnly)):
        why = "the server cannot write its files"
    else:
        why = "the server cannot read its translation memory"
    done = "Nothing was saved" if request.method == "POST" else "This page cannot be shown"
    message = f"{done}: {why}. Keep a copy of your text, try again later, and tell your organizer."
    if _is_htmx(request):
        return Response(message, status_code=503, media_type="text/plain; charset=utf-8")
    context = {"title": "Problem", "message": message, "session": None, "base": request.scope.get("root_path", "")}
    return templates.TemplateResponse(request, "message.html", context | {"shortcuts": SHORTCUTS}, 503)


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and "hx-history-restore-request" not in request.headers


class ReviewPages:
    """The routes of the review part, bound to one server's state."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.access: AccessStore = state.access
        self.files = state.files

    def routes(self) -> list[BaseRoute]:
        limit = MAX_FORM_BYTES  # every body bounded before it is read, signed in or not (serve/limits.py)
        return [
            Route("/", _endpoint(self.home), methods=["GET"], max_body_size=limit),
            Route("/invite/{token}", _endpoint(self.invitation), methods=["GET"], max_body_size=limit),
            Route("/invite/{token}", _endpoint(self.accept), methods=["POST"], max_body_size=limit),
            Route("/sign-out", _endpoint(self.sign_out), methods=["POST"], max_body_size=limit),
            Route("/review/{lang}/{stem}", _endpoint(self.start_text), methods=["GET"], max_body_size=limit),
            Route("/review/{lang}/{stem}/{sentence}", _endpoint(self.sentence), methods=["GET"], max_body_size=limit),
            Route("/review/{lang}/{stem}/{sentence}", _endpoint(self.decision), methods=["POST"], max_body_size=limit),
            Route("/review/{lang}/{stem}/{sentence}/changes", _endpoint(self.changes), methods=["GET"], max_body_size=limit),
            Mount("/static", app=NoBody(StaticFiles(directory=HERE / "static"), limit), name="static"),
        ]

    # -- helpers -------------------------------------------------------------

    def page(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200, session: Session | None = None
    ) -> Response:
        base = request.scope.get("root_path", "")
        full = {"session": session, "base": base, "shortcuts": SHORTCUTS, **context}
        response = templates.TemplateResponse(request, name, full, status_code=status)
        response.headers["Vary"] = "HX-Request"
        return response

    def refuse(self, request: Request, status: int, message: str, session: Session | None = None) -> Stop:
        if _is_htmx(request):
            return Stop(Response(message, status_code=status, media_type="text/plain; charset=utf-8"))
        return Stop(
            self.page(
                request,
                "message.html",
                {"title": "Not allowed" if status == 403 else "Problem", "message": message},
                status,
                session,
            )
        )

    async def _session(self, request: Request) -> Session | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return await run_in_threadpool(self.access.session, token)

    async def _session_for(self, request: Request, lang: str) -> Session:
        session = await self._session(request)
        if session is None:
            if request.method == "GET" and not _is_htmx(request):
                raise Stop(
                    RedirectResponse(f"{request.scope.get('root_path', '')}/?from={quote(request.url.path)}", status_code=303)
                )
            raise self.refuse(
                request, 403, "You are not signed in: open your invitation link again, or ask your organizer for a new one."
            )
        if not _LANG.match(lang) or not session.holds(lang):
            raise self.refuse(request, 403, f"Your invitation does not cover {languages.name_or_code(lang)}.", session)
        return session

    async def _check_csrf(self, request: Request, session: Session) -> None:
        if csrf.cross_site(request) or not csrf.same_token(session.csrf_token, await csrf.given_token(request)):
            raise self.refuse(
                request, 403, "This form is out of date or did not come from this site: reload the page and try again.", session
            )

    async def _text(self, request: Request, stem: str) -> SourceText:
        text = await run_in_threadpool(self.files.text, stem)  # parses the texts again when a file changed
        if text is None:
            raise self.refuse(request, 404, "There is no such text here.")
        return text

    def _sentence_url(self, request: Request, lang: str, stem: str, source_hash: str | None) -> str:
        base = request.scope.get("root_path", "")
        return f"{base}/review/{lang}/{stem}/{source_hash}" if source_hash else f"{base}/review/{lang}/{stem}"

    # -- start, invitations ----------------------------------------------------

    async def home(self, request: Request) -> Response:
        session = await self._session(request)
        if session is None:
            return self.page(request, "signed_out.html", {"came_from": _same_site(request.query_params.get("from", ""))})

        def read() -> list[workspace.LanguageProgress]:
            with self.files.memory() as memory:
                return workspace.progress(self.files, memory, session.languages)

        rows = await run_in_threadpool(read)
        return self.page(request, "home.html", {"rows": rows}, session=session)

    async def invitation(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            invitation = await run_in_threadpool(self.access.pending, token)
        except InvitationRefused as refused:
            raise self.refuse(request, 403, str(refused)) from None
        form_token = csrf.new_token()
        response = self.page(request, "invitation.html", {"invitation": invitation, "form_token": form_token, "token": token})
        response.set_cookie(
            csrf.PRE_SESSION_COOKIE,
            form_token,
            max_age=3600,
            path="/invite",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    async def accept(self, request: Request) -> Response:
        token = request.path_params["token"]
        form = await read_form(request)
        if csrf.cross_site(request) or not csrf.same_token(request.cookies.get(csrf.PRE_SESSION_COOKIE), form.get(csrf.FIELD)):  # type: ignore[arg-type]
            raise self.refuse(
                request, 403, "This form is out of date or did not come from this site: open your invitation link again."
            )
        lifetime = timedelta(days=self.state.config.serve.session_days)
        try:
            session, session_token = await run_in_threadpool(self.access.accept, token, lifetime)
        except InvitationRefused as refused:
            raise self.refuse(request, 403, str(refused)) from None
        response = RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            session_token,
            max_age=int(lifetime.total_seconds()),
            path="/",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        response.delete_cookie(csrf.PRE_SESSION_COOKIE, path="/invite")
        return response

    async def sign_out(self, request: Request) -> Response:
        session = await self._session(request)
        if session is None:
            raise self.refuse(request, 403, "You are not signed in.")
        await self._check_csrf(request, session)
        await run_in_threadpool(self.access.end_session, request.cookies[SESSION_COOKIE])
        response = RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- sentences -----------------------------------------------------------

    async def start_text(self, request: Request) -> Response:
        lang, stem = request.path_params["lang"], request.path_params["stem"]
        await self._session_for(request, lang)
        text = await self._text(request, stem)

        def first() -> str | None:
            with self.files.memory() as memory:
                found = workspace.next_to_review(self.files, memory, lang, text)
            segments = workspace.distinct_segments(text)
            return found or (segments[0].source_hash if segments else None)

        found = await run_in_threadpool(first)
        if found is None:  # only code blocks, raw HTML or tables: nothing in it is translated
            raise self.refuse(request, 404, "This text has no sentences to translate (only code or markup).")
        return RedirectResponse(self._sentence_url(request, lang, stem, found), status_code=303)

    def _view(self, lang: str, text: SourceText, source_hash: str) -> workspace.SentenceView | None:
        with self.files.memory() as memory:
            return workspace.sentence_view(self.files, memory, lang, text, source_hash)

    async def _load(self, request: Request, lang: str, text: SourceText, source_hash: str) -> workspace.SentenceView:
        view = await run_in_threadpool(self._view, lang, text, source_hash) if _HASH.match(source_hash) else None
        if view is None:
            raise self.refuse(request, 404, "This sentence is not in the text (any more): go back to the texts.")
        return view

    async def workspace_page(
        self,
        request: Request,
        session: Session,
        view: workspace.SentenceView,
        message: str = "",
        status: int = 200,
        conflict: Conflict | None = None,
        mine: str | None = None,
        action: str = "save",
    ) -> Response:
        """The sentence's workspace, as a page or (htmx) a fragment: its diffs and markup made in a worker
        thread, since a 5,000-character conflict takes the diff most of a second the event loop must not lose."""
        editor_text = mine if mine is not None else view.current_text

        def render() -> Response:
            context = {
                "view": view,
                "editor_text": editor_text,
                "base_revision": revision_of(conflict.current if conflict else view.entry),
                "changes": summarize(view.machine_text, editor_text, view.language),
                "message": message,
                "conflict": conflict,
                "conflict_pieces": word_diff(conflict.theirs, conflict.mine, view.language) if conflict else [],
                "conflict_action": action,
                "csrf_token": session.csrf_token,
                "url": self._sentence_url(request, view.language, view.text.stem, view.source_hash),
                "previous_url": view.previous and self._sentence_url(request, view.language, view.text.stem, view.previous),
                "next_url": view.next and self._sentence_url(request, view.language, view.text.stem, view.next),
                "partial": partial,
            }
            response = self.page(request, "_workspace.html" if partial else "sentence.html", context, status, session)
            if partial:
                response.headers["HX-Push-Url"] = context["url"]
            return response

        partial = _is_htmx(request)
        return await run_in_threadpool(render)

    async def sentence(self, request: Request) -> Response:
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        session = await self._session_for(request, lang)
        text = await self._text(request, stem)
        view = await self._load(request, lang, text, source_hash)
        message = AFTER_MESSAGES.get(request.query_params.get("after", "-"), "")
        return await self.workspace_page(request, session, view, message)

    async def changes(self, request: Request) -> Response:
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        await self._session_for(request, lang)
        text = await self._text(request, stem)
        view = await self._load(request, lang, text, source_hash)
        edited = request.query_params.get("text", "")[:MAX_TEXT_CHARS]
        changes = await run_in_threadpool(summarize, view.machine_text, edited, lang)  # a diff: off the event loop
        return self.page(request, "_changes.html", {"changes": changes})

    async def decision(self, request: Request) -> Response:
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        session = await self._session_for(request, lang)
        await self._check_csrf(request, session)
        form = await read_form(request)
        action = str(form.get("action", ""))
        if action not in ACTIONS:
            raise self.refuse(request, 400, f"Unknown action '{action[:20]}'.", session)
        if action == "approve" and not session.can_approve:
            raise self.refuse(request, 403, "As a translator you can save drafts; a reviewer approves them.", session)
        text = await self._text(request, stem)
        segment = workspace.find_segment(text, source_hash)
        if segment is None:
            raise self.refuse(request, 404, "This sentence is not in the text (any more): go back to the texts.")
        edited = _clean(str(form.get("text", "")), segment.text)
        if not edited:
            raise self.refuse(request, 400, "An empty translation cannot be saved: write one, or Skip.", session)
        if len(edited) > MAX_TEXT_CHARS:
            raise self.refuse(
                request, 400, f"A translation of one sentence may have at most {MAX_TEXT_CHARS} characters.", session
            )
        source = self.state.config.source_language
        htmx = _is_htmx(request)

        def record() -> tuple[Any, str | None, workspace.SentenceView | None]:
            """Decide, then find what to show next, on one connection: the queue is read before and after."""
            with self.files.memory() as memory:
                seen = workspace.text_queue(memory, text, lang, source).order
                outcome = decide(
                    memory,
                    source=source,
                    language=lang,
                    sentence=segment.text,
                    document=text.path.name,
                    segment_id=f"{stem}:{source_hash}",
                    reviewer=session.name,
                    may_approve=session.can_approve,
                    action=action,
                    text=edited,
                    base=str(form.get("base", "")),
                    comment=_comment(form.get("comment")),
                )
                now = workspace.text_queue(memory, text, lang, source)
                following = (
                    None
                    if isinstance(outcome, Conflict)
                    else workspace.next_to_review(self.files, memory, lang, text, after=source_hash, order=seen, queue=now)
                )
                shown = following or source_hash
                view = (
                    workspace.sentence_view(self.files, memory, lang, text, shown, now)
                    if htmx or isinstance(outcome, Conflict)
                    else None
                )
                return outcome, following, view

        outcome, following, view = await run_in_threadpool(record)
        if isinstance(outcome, Conflict):
            assert view is not None
            return await self.workspace_page(
                request,
                session,
                view,
                "This sentence was changed meanwhile: compare the texts below.",
                409,
                conflict=outcome,
                mine=edited,
                action=action,
            )
        said = "needs-work" if action == "needs-work" and outcome.decision else outcome.decision
        if not htmx:
            target = self._sentence_url(request, lang, stem, following or source_hash)
            return RedirectResponse(f"{target}?after={said}", status_code=303)
        assert view is not None
        where = (
            f" Now sentence {view.position} of {view.total}; {view.waiting} still wait for a person."
            if following
            else " Nothing else in this text waits for a person."
        )
        return await self.workspace_page(request, session, view, f"{AFTER_MESSAGES[said]}{where}")


def _same_site(path: str) -> str:
    """`from` as a link back, only when it is a path of this site ("" otherwise): the start page must not
    offer "continue" to https://evil.example, //evil.example or a javascript: address."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        return ""
    return path


def _comment(value: object) -> str | None:
    """The comment field as sent (None when the form had none), at most MAX_TEXT_CHARS."""
    if not isinstance(value, str):
        return None
    return value.replace("\r\n", "\n").strip()[:MAX_TEXT_CHARS]


def _clean(text: str, source: str) -> str:
    """The edit as it will be stored: no surrounding space, one line where the source is one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in source:
        text = " ".join(line.strip() for line in text.split("\n") if line.strip())
    return text


def review_routes(state: ServerState) -> list[BaseRoute]:
    """The review part of the server (what `translate serve` offers people with an invitation)."""
    return ReviewPages(state).routes()
