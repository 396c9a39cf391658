"""Argos model management: install from a file, from an index, remove, refuse bad archives."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from pathlib import Path

import pytest

from translate.engines.argos_store import ArgosStore
from translate.errors import ModelError, UsageError


@pytest.fixture
def store(argos_home: Path) -> ArgosStore:
    return ArgosStore(argos_home)


@pytest.fixture
def index_server(tmp_path: Path, argos_test_package: Path):
    """A package index and the package itself, served over HTTP on the loopback interface."""
    root = tmp_path / "www"
    root.mkdir()
    (root / argos_test_package.name).write_bytes(argos_test_package.read_bytes())
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # The index entry is the package's own metadata plus where to download it, as in Argos's index.
    with zipfile.ZipFile(argos_test_package) as zf:
        metadata = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("/metadata.json"))))
    index = [metadata | {"links": [f"{base}/{argos_test_package.name}"]}]
    (root / "index.json").write_text(json.dumps(index), encoding="utf-8")
    yield f"{base}/index.json"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_install_from_file_lists_and_removes(store, argos_test_package):
    model = store.install_file(argos_test_package)
    assert (model.source, model.target, model.version) == ("en", "de", "0.1")
    assert (model.path / "model" / "model.bin").is_file()
    assert [m.name for m in store.installed()] == [model.name]
    assert store.find("en", "de") == model
    store.remove("en", "de")
    assert store.installed() == []
    assert not any(p.name.startswith(".") for p in store.packages_dir.iterdir())


def test_reinstall_replaces_in_place(store, argos_test_package):
    first = store.install_file(argos_test_package)
    second = store.install_file(argos_test_package)
    assert first.path == second.path and len(store.installed()) == 1


@pytest.mark.slow
def test_real_zh_en_package_installs(store, zh_en_package):
    model = store.install_file(zh_en_package)
    assert (model.source, model.target, model.version) == ("zh", "en", "1.9")
    assert model.label == "translate-zh_en@1.9"


def test_install_by_pair_from_index(argos_home, index_server):
    store = ArgosStore(argos_home, index_url=index_server)
    assert [(p.from_code, p.to_code) for p in store.available(refresh=True)] == [("en", "de")]
    model = store.install_pair("en", "de")
    assert (model.source, model.target) == ("en", "de")
    with pytest.raises(UsageError, match="no package en→fr"):
        store.install_pair("en", "fr")


def test_unreachable_index_is_a_clear_error(argos_home):
    store = ArgosStore(argos_home, index_url="http://127.0.0.1:9/index.json")
    with pytest.raises(ModelError, match="cannot reach the Argos package index .*translate models install FILE"):
        store.available(refresh=True)


@pytest.mark.parametrize(
    "members, message",
    [
        ({"../evil/metadata.json": "{}"}, "unsafe path"),
        ({"/abs/metadata.json": "{}"}, "unsafe path"),
        ({"a/metadata.json": "{}", "b/metadata.json": "{}"}, "exactly one top folder"),
        ({"pkg/README.md": "hi"}, "no metadata.json or model/"),
    ],
)
def test_bad_archives_are_refused_and_leave_nothing(store, tmp_path, members, message):
    archive = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    with pytest.raises(UsageError, match=message):
        store.install_file(archive)
    assert list(store.packages_dir.iterdir()) == []
    assert not (tmp_path / "evil").exists()


def test_not_a_zip_is_refused(store, tmp_path):
    bogus = tmp_path / "model.argosmodel"
    bogus.write_text("not a zip")
    with pytest.raises(UsageError, match="zip archives"):
        store.install_file(bogus)
