"""Fuzzing what comes from outside: PO files, the review form, the API's form and JSON bodies.

Hypothesis writes the inputs (derandomized: the same examples on every run, so a
failure is reproducible and nothing flakes; bounded to a few seconds each). The
properties are the project's rules: bad input is refused with a message (a
rejected file, a 4xx answer, an ApiError), never an exception escaping, never a
500 or a traceback; the committed record holds whole lines only; importing the
same file twice records nothing the second time.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from project_factory import Project
from serve_helpers import STAND_IN_SIGNATURE, csrf_of, invite, sign_in
from starlette.requests import Request
from starlette.testclient import TestClient

from translate.config import ApiOptions
from translate.errors import TranslateError
from translate.memory.journal import Journal
from translate.memory.notes import Notes
from translate.memory.store import TranslationMemory
from translate.review.po_export import export_po
from translate.review.po_import import import_po
from translate.run.text_in_language import TextInLanguage
from translate.serve.api.errors import ApiError
from translate.serve.api.requests import detect_texts, read_fields, translate_request
from translate.serve.app import build_app
from translate.texts import load_texts

FUZZ = settings(
    max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SENTENCES = ["Workers of the world, unite.", "They have nothing to lose but their chains.", "A spectre is haunting Europe."]
TEXT = "# The Manifesto\n\n" + " ".join(SENTENCES) + "\n"

# Text as people (and attackers) type it: any character XML can hold, and some it cannot.
ODD = st.sampled_from(["\u202e", "\x1b", "\x00", "\ufffe", '"', "\\", "\n", "\t", "%s", "{0}", "<script>", "é", "中"])
TEXTS = st.lists(st.one_of(st.text(max_size=30), ODD), max_size=6).map("".join)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A project whose memory holds machine drafts, and the PO file a run would export for review."""
    project = Project(tmp_path_factory.mktemp("fuzz") / "project")
    project.configure(["es"])
    project.add_text("manifesto.md", TEXT)
    [text] = load_texts(project.config)
    with project.memory() as memory:
        memory.store_machine([(s.text, f"es: {s.text}", Notes()) for s in text.document.segments], "en", "es", STAND_IN_SIGNATURE)
        export_po(project / "outputs" / "es" / "manifesto.po", TextInLanguage(text, "es", memory, project.config))
    return project


def fresh_copy(template: Project, target: Path) -> Project:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template.root, target)
    return Project(target)


def record_is_whole(project: Project) -> None:
    path = Journal(project.config.path("memory")).reviews
    if path.exists():
        data = path.read_bytes()
        assert data.endswith(b"\n")
        for line in data.decode("utf-8").splitlines():
            assert isinstance(json.loads(line), dict)


def imported_twice(project: Project, po_path: Path) -> None:
    """Import a file twice: no exception but the project's own; the second import records nothing."""
    [text] = load_texts(project.config)
    with TranslationMemory(project.config.path("memory")) as memory:
        first = import_po(memory, po_path, project.config, reviewer="Ana", texts=[text])
        second = import_po(memory, po_path, project.config, reviewer="Ana", texts=[text])
    assert [d for d in second.decisions if d.outcome == "applied"] == [] or first.rejected_files
    record_is_whole(project)


@FUZZ
@given(
    edits=st.lists(st.tuples(TEXTS, st.booleans(), st.one_of(st.none(), TEXTS)), min_size=1, max_size=4),
    header=st.dictionaries(st.sampled_from(["Language", "X-Source-File", "Last-Translator", "Content-Type"]), TEXTS, max_size=2),
)
def test_fuzzed_po_edits_are_imported_or_refused_never_an_error(template, tmp_path, edits, header):
    project = fresh_copy(template, tmp_path / "case")
    po_path = project / "outputs" / "es" / "manifesto.po"
    po = polib.pofile(str(po_path))
    for entry, (msgstr, fuzzy, comment) in zip(po, edits):
        entry.msgstr = msgstr
        entry.flags = ["fuzzy"] if fuzzy else []
        if comment is not None:
            entry.tcomment = comment
    po.metadata.update(header)
    try:
        po.save(str(po_path))
    except (UnicodeEncodeError, ValueError):
        return  # polib cannot write it: no reviewer's tool could either
    imported_twice(project, po_path)


@FUZZ
@given(cuts=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 40), st.binary(max_size=12)), min_size=1, max_size=4))
def test_a_po_file_with_bytes_cut_and_spliced_in_is_imported_or_refused_never_an_error(template, tmp_path, cuts):
    project = fresh_copy(template, tmp_path / "case")
    po_path = project / "outputs" / "es" / "manifesto.po"
    data = bytearray(po_path.read_bytes())
    for at, length, inserted in cuts:
        at %= len(data) + 1
        data[at : at + length] = inserted
    po_path.write_bytes(bytes(data))
    try:
        imported_twice(project, po_path)
    except TranslateError as err:  # one line for the person: allowed, a traceback is not
        assert "\n" not in str(err)


@pytest.fixture(scope="module")
def review_client(template, tmp_path_factory):
    project = fresh_copy(template, tmp_path_factory.mktemp("review") / "project")
    client = TestClient(build_app(project.config), raise_server_exceptions=True)
    sign_in(client, invite(project, "Ana", ("es",)))
    [text] = load_texts(project.config)
    url = f"/review/es/manifesto/{text.document.segments[1].source_hash}"
    return project, client, url


FORM_KEYS = st.sampled_from(["action", "text", "base", "comment", "csrf_token", "x", "action[]", ""])


@FUZZ
@given(
    form=st.dictionaries(FORM_KEYS, st.one_of(TEXTS, st.sampled_from(["save", "approve", "needs-work"])), max_size=6),
    keep_token=st.booleans(),
    htmx=st.booleans(),
)
def test_fuzzed_review_forms_are_answered_never_with_a_server_error(review_client, form, keep_token, htmx):
    project, client, url = review_client
    page = client.get(url)
    if keep_token:
        form["csrf_token"] = csrf_of(page.text)
    try:
        answer = client.post(url, data=form, headers={"HX-Request": "true"} if htmx else {}, follow_redirects=False)
    except UnicodeEncodeError:
        return  # a lone surrogate cannot be sent over HTTP at all
    assert answer.status_code in (200, 303, 400, 403, 404, 409), answer.text[:300]
    assert "Traceback" not in answer.text
    record_is_whole(project)


@FUZZ
@given(
    content_type=st.sampled_from(["multipart/form-data; boundary=x", "multipart/form-data", "application/x-www-form-urlencoded"]),
    body=st.one_of(
        st.binary(max_size=200),
        st.lists(st.sampled_from([b"--x\r\n", b'Content-Disposition: form-data; name="text"', b"\r\n\r\n", b"--x--", b"a"])).map(
            b"".join
        ),
    ),
)
def test_fuzzed_raw_review_bodies_are_answered_never_with_a_server_error(review_client, content_type, body):
    project, client, url = review_client
    token = csrf_of(client.get(url).text)
    answer = client.post(url, content=body, headers={"Content-Type": content_type, "X-CSRF-Token": token}, follow_redirects=False)
    assert answer.status_code in (200, 303, 400, 403, 404, 409), answer.text[:300]
    assert "Traceback" not in answer.text


def api_request(body: bytes, content_type: str, query: str = "") -> Request:
    """A real Starlette request carrying `body`, as the server would hand it to the API."""
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(b"content-type", content_type.encode("latin-1")), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "method": "POST", "path": "/translate", "query_string": query.encode(), "headers": headers}
    return Request(scope, receive)


def parse_api(body: bytes, content_type: str, query: str = "") -> None:
    """Read and check an API request as /translate and /detect do: only ApiError may come out."""
    options = ApiOptions(char_limit=500, batch_limit=8)

    async def read():
        return await read_fields(api_request(body, content_type, query), options)

    try:
        fields = asyncio.run(read())
        for check in (translate_request, detect_texts):
            try:
                check(fields, options)
            except ApiError:
                pass
    except ApiError as err:
        assert 400 <= err.status < 500


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTS),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXTS, inner, max_size=4)),
    max_leaves=12,
)
API_KEYS = st.sampled_from(["q", "source", "target", "format", "alternatives", "api_key", "x"])


@FUZZ
@given(data=st.dictionaries(API_KEYS, JSON_VALUES, max_size=6))
def test_fuzzed_api_json_is_read_or_refused_with_a_4xx(data):
    try:
        body = json.dumps(data).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        return
    parse_api(body, "application/json")


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=200), st.dictionaries(API_KEYS, TEXTS, max_size=5).map(lambda d: json.dumps(d).encode())),
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""]
    ),
    query=st.sampled_from(["", "q=Hello&source=en&target=es", "q=%FF", "alternatives=x", "q"]),
)
def test_fuzzed_api_bodies_are_read_or_refused_with_a_4xx(body, content_type, query):
    parse_api(body, content_type, query)
