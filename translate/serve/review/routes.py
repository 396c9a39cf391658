"""The review pages' routes: invitation, overview, sentence list, one sentence, decisions, comments.

Every page of a language asks for a session holding that language first
(`_session_for`): none at all sends a browser to the start page (303), a
session without the language gets 403. Every POST then checks the CSRF token
(csrf.py), and Approve needs the reviewer role. Work that touches SQLite or
files runs in a worker thread (`run_in_threadpool`), never on the event loop.

Pages work without JavaScript (plain links and form posts, answered with a
redirect); with htmx a navigation or a decision swaps only the workspace and
announces the result in the page's live region.

The queue hands each browser a sentence no one else is on (presence.py), so
volunteers following it do not meet; Previous walks back along the sentences
the person opened. Every text a person sends is checked by the project's one
rule (translate/human_input.py) and refused with a message, never cut or
stored half; Approve runs the quality checks on the text and asks once when
they find something.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from translate import languages
from translate.errors import DiskFull, TranslateError, UsageError, WriteError
from translate.human_input import unfit_text
from translate.memory.health import MemoryReadOnly
from translate.memory.history import open_suggestions
from translate.memory.notes import Signal
from translate.review.text_checks import check_text
from translate.serve import csrf
from translate.serve.access import AccessStore, InvitationRefused, Session
from translate.serve.limits import MAX_FORM_BYTES, FormRefused, NoBody, read_form
from translate.serve.review import workspace
from translate.serve.review.decide import (
    ACTIONS,
    Conflict,
    Saved,
    Sentence,
    accept_suggestion,
    add_note,
    decide,
    dismiss_suggestion,
    revision_of,
)
from translate.serve.review.diff import summarize, word_diff
from translate.serve.review.presence import Holder, Presence
from translate.serve.review.presentation import AFTER_MESSAGES, SHORTCUTS, templates
from translate.serve.state import ServerState
from translate.texts import SourceText

log = logging.getLogger(__name__)
HERE = Path(__file__).parent  # the static files
SESSION_COOKIE = "translate_session"

_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$")
_HASH = re.compile(r"^[0-9a-f]{16}$")


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


def confirmation_of(text: str) -> str:
    """The token an "Approve anyway" carries: it confirms this very text, not a later edit."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class ReviewPages:
    """The routes of the review part, bound to one server's state."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.access: AccessStore = state.access
        self.files = state.files
        self.presence = Presence(self.access.path, self.access.clock)
        self.limits = state.config.limits

    def routes(self) -> list[BaseRoute]:
        sentence = "/review/{lang}/{stem}/{sentence}"
        limit = MAX_FORM_BYTES  # every body bounded before it is read, signed in or not (serve/limits.py)
        pages = [
            ("/", self.home, "GET"),
            ("/invite/{token}", self.invitation, "GET"),
            ("/invite/{token}", self.accept, "POST"),
            ("/sign-out", self.sign_out, "POST"),
            ("/review/{lang}/{stem}", self.start_text, "GET"),
            ("/review/{lang}/{stem}/sentences", self.sentence_list, "GET"),
            (sentence, self.sentence, "GET"),
            (sentence, self.decision, "POST"),
            (sentence + "/changes", self.changes, "GET"),
            (sentence + "/comments", self.comment, "POST"),
            (sentence + "/suggestions", self.suggestion, "POST"),
            (sentence + "/lease", self.renew, "POST"),
        ]
        routes: list[BaseRoute] = [
            Route(path, _endpoint(handler), methods=[method], max_body_size=limit) for path, handler, method in pages
        ]
        return [*routes, Mount("/static", app=NoBody(StaticFiles(directory=HERE / "static"), limit), name="static")]

    # -- helpers -------------------------------------------------------------

    def page(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200, session: Session | None = None
    ) -> Response:
        base = request.scope.get("root_path", "")
        full = {
            "session": session,
            "base": base,
            "shortcuts": SHORTCUTS,
            "max_text": self.limits.max_import_chars,
            "max_comment": self.limits.max_comment_chars,
            **context,
        }
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
            token = request.cookies.get(SESSION_COOKIE)
            if request.method == "GET" and not _is_htmx(request) and not token:
                raise Stop(
                    RedirectResponse(f"{request.scope.get('root_path', '')}/?from={quote(request.url.path)}", status_code=303)
                )
            raise self.refuse(request, 403, await run_in_threadpool(self.access.why_signed_out, token))
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

    def _text_url(self, request: Request, lang: str, stem: str) -> str:
        return f"{request.scope.get('root_path', '')}/review/{lang}/{stem}"

    def _sentence_url(self, request: Request, lang: str, stem: str, source_hash: str | None) -> str:
        base = self._text_url(request, lang, stem)
        return f"{base}/{source_hash}" if source_hash else base

    def _where(self, session: Session, lang: str, text: SourceText, source_hash: str, sentence: str) -> Sentence:
        return Sentence(
            source=self.state.config.source_language,
            language=lang,
            text=sentence,
            document=text.path.name,
            segment_id=f"{text.stem}:{source_hash}",
            person=session.name,
            may_approve=session.can_approve,
        )

    async def _form_text(self, request: Request, session: Session, field: str, limit: int, what: str, limit_name: str) -> str:
        """A text field of the form, checked by the project's one rule; refused (400) with a message otherwise."""
        form = await read_form(request)
        value = form.get(field)
        raw = value if isinstance(value, str) else ""
        problem = unfit_text(raw.replace("\r\n", "\n"), limit, what, limit_name)
        if problem:
            raise self.refuse(request, 400, f"Not saved: your {what}: {problem}. Your text is still in the form.", session)
        return raw

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
        given = form.get(csrf.FIELD)
        if csrf.cross_site(request) or not csrf.same_token(
            request.cookies.get(csrf.PRE_SESSION_COOKIE), given if isinstance(given, str) else None
        ):
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
        await run_in_threadpool(self.presence.release, session.id)
        response = RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- the queue and the list --------------------------------------------------

    async def start_text(self, request: Request) -> Response:
        """The next sentence for this browser: the first one waiting that no one else is on (after `after`)."""
        lang, stem = request.path_params["lang"], request.path_params["stem"]
        session = await self._session_for(request, lang)
        text = await self._text(request, stem)
        after = request.query_params.get("after") or None

        def first() -> str | None:
            with self.files.memory() as memory:
                queue = workspace.text_queue(memory, text, lang, self.state.config.source_language)
            candidates = queue.after(after)
            if after in candidates and len(candidates) > 1:
                candidates.remove(after)  # Skip moves on, even when the sentence skipped heads the queue
            chosen = self.presence.take_first(session.id, session.name, lang, stem, candidates)
            segments = workspace.distinct_segments(text)
            return chosen or (candidates[0] if candidates else segments[0].source_hash if segments else None)

        found = await run_in_threadpool(first)
        if found is None:  # only code blocks, raw HTML or tables: nothing in it is translated
            raise self.refuse(request, 404, "This text has no sentences to translate (only code or markup).")
        return RedirectResponse(self._sentence_url(request, lang, stem, found), status_code=303)

    async def sentence_list(self, request: Request) -> Response:
        lang, stem = request.path_params["lang"], request.path_params["stem"]
        session = await self._session_for(request, lang)
        text = await self._text(request, stem)
        show = request.query_params.get("show", "all")
        show = show if show in workspace.FILTERS else "all"
        query = request.query_params.get("q", "")[:200]

        def read() -> tuple[list[workspace.ListedSentence], dict[str, int]]:
            holders = {h: holder.person for h, holder in self.presence.holders(lang, stem, session.id).items()}
            with self.files.memory() as memory:
                return workspace.sentence_list(self.files, memory, lang, text, session.name, show, query, holders)

        rows, counts = await run_in_threadpool(read)
        context = {
            "text": text,
            "lang": lang,
            "rows": rows,
            "counts": counts,
            "show": show,
            "query": query,
            "list_url": f"{self._text_url(request, lang, stem)}/sentences",
            "text_url": self._text_url(request, lang, stem),
            "filter_url": lambda name: (
                f"{self._text_url(request, lang, stem)}/sentences?" + urlencode({"show": name, "q": query})
            ),
        }
        return self.page(request, "sentences.html", context, session=session)

    # -- one sentence ------------------------------------------------------------

    def _view(
        self, session: Session, lang: str, text: SourceText, source_hash: str
    ) -> tuple[workspace.SentenceView | None, Holder | None]:
        """The sentence's page data, leased to this browser unless someone else is on it (then who is)."""
        with self.files.memory() as memory:
            view = workspace.sentence_view(self.files, memory, lang, text, source_hash)
        if view is None:
            return None, None
        holder, view.previous = self.presence.arrive(session.id, session.name, lang, text.stem, source_hash)
        return view, holder

    async def _load(
        self, request: Request, session: Session, lang: str, text: SourceText, source_hash: str
    ) -> tuple[workspace.SentenceView, Holder | None]:
        found = await run_in_threadpool(self._view, session, lang, text, source_hash) if _HASH.match(source_hash) else None
        if found is None or found[0] is None:
            raise self.refuse(request, 404, "This sentence is not in the text (any more): go back to the texts.")
        return found[0], found[1]

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
        holder: Holder | None = None,
        asked: list[Signal] | None = None,
    ) -> Response:
        """The sentence's workspace, as a page or (htmx) a fragment: its diffs and markup made in a worker
        thread, since a 5,000-character conflict takes the diff most of a second the event loop must not lose."""
        editor_text = mine if mine is not None else view.current_text
        lang, stem = view.language, view.text.stem
        url = self._sentence_url(request, lang, stem, view.source_hash)
        partial = _is_htmx(request)

        def render() -> Response:
            context = {
                "view": view,
                "editor_text": editor_text,
                "base_revision": revision_of(conflict.current if conflict else view.entry),
                "changes": summarize(view.machine_text, editor_text, lang),
                "text_checks": asked if asked is not None else view.checks,
                "asked": asked,
                "confirmation": confirmation_of(editor_text) if asked else "",
                "message": message,
                "conflict": conflict,
                "conflict_pieces": word_diff(conflict.theirs, conflict.mine, lang) if conflict else [],
                "conflict_action": action,
                "holder": holder,
                "csrf_token": session.csrf_token,
                "url": url,
                "list_url": f"{self._text_url(request, lang, stem)}/sentences",
                "previous_url": self._sentence_url(request, lang, stem, view.previous) if view.previous else "",
                "next_url": f"{self._text_url(request, lang, stem)}?after={view.source_hash}" if view.next else "",
                "partial": partial,
            }
            response = self.page(request, "_workspace.html" if partial else "sentence.html", context, status, session)
            if partial:
                response.headers["HX-Push-Url"] = url
            return response

        return await run_in_threadpool(render)

    async def conflict_page(
        self,
        request: Request,
        session: Session,
        view: workspace.SentenceView,
        conflict: Conflict,
        action: str = "save",
        holder: Holder | None = None,
    ) -> Response:
        """409 and both texts: someone changed the sentence since the person's page showed it; theirs in the editor."""
        message = "This sentence was changed meanwhile: compare the texts below."
        return await self.workspace_page(
            request, session, view, message, 409, conflict=conflict, mine=conflict.mine, action=action, holder=holder
        )

    async def sentence(self, request: Request) -> Response:
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        session = await self._session_for(request, lang)
        text = await self._text(request, stem)
        view, holder = await self._load(request, session, lang, text, source_hash)
        message = AFTER_MESSAGES.get(request.query_params.get("after", "-"), "")
        return await self.workspace_page(request, session, view, message, holder=holder)

    async def renew(self, request: Request) -> Response:
        """The page renews its lease while it stays open; the answer says whether someone else is on it."""
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        session = await self._session_for(request, lang)
        await self._check_csrf(request, session)
        if not _HASH.match(source_hash):
            raise self.refuse(request, 404, "No such sentence.")
        holder = await run_in_threadpool(self.presence.hold, session.id, session.name, lang, stem, source_hash)
        url = self._sentence_url(request, lang, stem, source_hash)
        return self.page(request, "_presence.html", {"holder": holder, "url": url}, session=session)

    async def changes(self, request: Request) -> Response:
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        await self._session_for(request, lang)
        text = await self._text(request, stem)
        segment = workspace.find_segment(text, source_hash) if _HASH.match(source_hash) else None
        if segment is None:
            raise self.refuse(request, 404, "This sentence is not in the text (any more): go back to the texts.")
        edited = request.query_params.get("text", "")[: self.limits.max_import_chars]
        source = self.state.config.source_language

        def read() -> tuple[Any, list[Signal]]:
            with self.files.memory() as memory:
                entry = memory.get(segment.text, source, lang)
            machine = entry.machine_text if entry is not None else None
            return summarize(machine, edited, lang), check_text(segment.text, edited, source, lang, self.files.glossary())

        summary, signals = await run_in_threadpool(read)
        return self.page(request, "_changes.html", {"changes": summary, "text_checks": signals, "asked": None})

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
        raw = await self._form_text(
            request, session, "text", self.limits.max_import_chars, "translation", "limits.max_import_chars"
        )
        edited = _clean(raw, segment.text)
        if not edited:
            raise self.refuse(request, 400, "An empty translation cannot be saved: write one, or Skip.", session)
        source = self.state.config.source_language
        where = self._where(session, lang, text, source_hash, segment.text)
        confirmed = action != "approve" or form.get("confirm") == confirmation_of(edited)
        htmx = _is_htmx(request)

        def record() -> tuple[Any, str | None, workspace.SentenceView | None, list[Signal] | None]:
            """Check, decide, then lease and show what comes next, on one connection."""
            if not confirmed:
                signals = check_text(segment.text, edited, source, lang, self.files.glossary())
                if signals:  # ask once: nothing is recorded until the person confirms this very text
                    return None, None, self._view(session, lang, text, source_hash)[0], signals
            with self.files.memory() as memory:
                seen = workspace.text_queue(memory, text, lang, source).order
                outcome = decide(memory, where, action, edited, str(form.get("base", "")))
                now = workspace.text_queue(memory, text, lang, source)
                candidates = (
                    [] if isinstance(outcome, Conflict) else [h for h in now.after(source_hash, seen) if h != source_hash]
                )
                following, previous = self.presence.move_on(session.id, session.name, lang, stem, source_hash, candidates)
                shown = following or source_hash
                view = (
                    workspace.sentence_view(self.files, memory, lang, text, shown, now)
                    if htmx or isinstance(outcome, Conflict)
                    else None
                )
            if view is not None:
                view.previous = previous
            return outcome, following, view, None

        try:
            outcome, following, view, asked = await run_in_threadpool(record)
        except UsageError as refused:  # the memory's own check: a message, the text kept in the editor
            raise self.refuse(request, 400, f"Not saved: {refused} Your text is still in the editor.", session) from None
        if asked is not None:
            assert view is not None
            return await self.workspace_page(
                request,
                session,
                view,
                "Not approved yet: the checks found something in your text. Look at it below, then approve again or edit.",
                mine=edited,
                action=action,
                asked=asked,
            )
        if isinstance(outcome, Conflict):
            assert view is not None
            return await self.conflict_page(request, session, view, outcome, action)
        assert isinstance(outcome, Saved)
        said = "needs-work" if action == "needs-work" and outcome.decision else outcome.decision
        if not htmx:
            target = self._sentence_url(request, lang, stem, following or source_hash)
            return RedirectResponse(f"{target}?after={said}", status_code=303)
        assert view is not None
        message = AFTER_MESSAGES[said]
        if outcome.entry.translator and outcome.entry.translator != session.name and said == "approved":
            message = f"Approved: {outcome.entry.translator}'s translation, credited to them."
        if outcome.replaced_draft_by:
            message += f" {outcome.replaced_draft_by} had saved a draft meanwhile: it is kept as a suggestion."
        where_now = (
            f" Now sentence {view.position} of {view.total}; {view.waiting} still wait for a person."
            if following
            else " No other sentence of this text is free for you now: every one waiting is approved or someone is on it."
        )
        return await self.workspace_page(request, session, view, f"{message}{where_now}")

    # -- comments and suggestions --------------------------------------------------

    async def _sentence_for_post(self, request: Request) -> tuple[Session, SourceText, str, str, str]:
        lang, stem, source_hash = (request.path_params[k] for k in ("lang", "stem", "sentence"))
        session = await self._session_for(request, lang)
        await self._check_csrf(request, session)
        text = await self._text(request, stem)
        segment = workspace.find_segment(text, source_hash) if _HASH.match(source_hash) else None
        if segment is None:
            raise self.refuse(request, 404, "This sentence is not in the text (any more): go back to the texts.")
        return session, text, lang, source_hash, segment.text

    async def _after_post(
        self, request: Request, session: Session, text: SourceText, lang: str, source_hash: str, message: str
    ) -> Response:
        if not _is_htmx(request):
            return RedirectResponse(self._sentence_url(request, lang, text.stem, source_hash), status_code=303)
        view, holder = await self._load(request, session, lang, text, source_hash)
        return await self.workspace_page(request, session, view, message, holder=holder)

    async def comment(self, request: Request) -> Response:
        """Add a comment to the sentence's thread (with its author and time); nothing overwrites it."""
        session, text, lang, source_hash, sentence = await self._sentence_for_post(request)
        note = (
            await self._form_text(
                request, session, "comment", self.limits.max_comment_chars, "comment", "limits.max_comment_chars"
            )
        ).strip()
        if not note:
            raise self.refuse(request, 400, "An empty comment cannot be added.", session)
        where = self._where(session, lang, text, source_hash, sentence)

        def record() -> None:
            with self.files.memory() as memory:
                add_note(memory, where, note)

        await run_in_threadpool(record)
        return await self._after_post(request, session, text, lang, source_hash, "Comment added.")

    async def suggestion(self, request: Request) -> Response:
        """Accept an open suggestion (it becomes the text, credited to its author) or dismiss it (reviewers)."""
        session, text, lang, source_hash, sentence = await self._sentence_for_post(request)
        form = await read_form(request)
        do, wanted = str(form.get("do", "")), str(form.get("suggestion", ""))
        if do not in ("accept", "dismiss"):
            raise self.refuse(request, 400, f"Unknown action '{do[:20]}'.", session)
        if do == "dismiss" and not session.can_approve:
            raise self.refuse(request, 403, "A reviewer decides which suggestions to dismiss.", session)
        where = self._where(session, lang, text, source_hash, sentence)
        source = self.state.config.source_language

        def record() -> Saved | Conflict | None:
            with self.files.memory() as memory:
                entry = memory.get(sentence, source, lang)
                found = next((d for d in open_suggestions(memory.history(sentence, source, lang), entry) if d.id == wanted), None)
                if found is None:
                    return None
                if do == "dismiss":
                    dismiss_suggestion(memory, where, found)
                    return Saved(entry, "dismissed") if entry is not None else None
                return accept_suggestion(memory, where, found, str(form.get("base", "")))

        outcome = await run_in_threadpool(record)
        if outcome is None:
            raise self.refuse(request, 409, "That suggestion is no longer open: reload the sentence.", session)
        if isinstance(outcome, Conflict):
            view, holder = await self._load(request, session, lang, text, source_hash)
            return await self.conflict_page(request, session, view, outcome, holder=holder)
        said = "Suggestion dismissed." if do == "dismiss" else "Suggestion accepted: its author is credited as the translator."
        return await self._after_post(request, session, text, lang, source_hash, said)


def _same_site(path: str) -> str:
    """`from` as a link back, only when it is a path of this site ("" otherwise): the start page must not
    offer "continue" to https://evil.example, //evil.example or a javascript: address."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        return ""
    return path


def _clean(text: str, source: str) -> str:
    """The edit as it will be stored: no surrounding space, one line where the source is one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in source:
        text = " ".join(line.strip() for line in text.split("\n") if line.strip())
    return text


def review_routes(state: ServerState) -> list[BaseRoute]:
    """The review part of the server (what `translate serve` offers people with an invitation)."""
    return ReviewPages(state).routes()
