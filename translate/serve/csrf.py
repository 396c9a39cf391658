"""Cross-site request forgery: every POST must carry a token only our own pages know.

The synchronizer-token pattern (OWASP's first recommendation where the server
keeps sessions): each session row holds a random token, every page puts it in
its forms (a hidden `csrf_token` field) and in htmx's request headers
(`X-CSRF-Token`), and a POST whose token does not match its session's, in
constant time, is refused with 403. Because the token lives in the session
row, it dies with the session: revoking an invitation leaves no token that
still works. Before there is a session (the invitation page), a random token in
a short-lived SameSite=Strict cookie is compared with the form's copy instead
(double submit), so a foreign page cannot sign a browser in with someone
else's invitation.

A second, independent guard: a browser that says the request comes from
another site (`Sec-Fetch-Site: cross-site`) is refused whatever it carries.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

from translate.serve.limits import read_form

FIELD = "csrf_token"
HEADER = "x-csrf-token"
PRE_SESSION_COOKIE = "translate_invite_csrf"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def cross_site(request: Request) -> bool:
    """True when the browser itself marks the request as sent from another site."""
    return request.headers.get("sec-fetch-site", "").lower() == "cross-site"


async def given_token(request: Request) -> str | None:
    """The token a POST carries: the header (htmx) or the form field (a plain form)."""
    header = request.headers.get(HEADER)
    if header:
        return header
    form = await read_form(request)
    value = form.get(FIELD)
    return value if isinstance(value, str) else None
