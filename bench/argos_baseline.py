"""The stock Argos Translate path, as the yardstick for the project's pipeline.

The benchmark compares `translate text` against what a user of Argos Translate
would do by hand: call `argostranslate.translate.translate()` once per
paragraph. Argos Translate's own sentence splitters (Stanza, MiniSBD) download
resources at run time and pull in torch, so they are replaced here by stand-in
modules that split with sentencex, the splitter the project itself uses. That
swap exists only so the baseline can run offline; everything after sentence
splitting (tokenizer, CTranslate2 call, batch size, beam size, hypotheses
joining) is Argos Translate's unmodified code.

Run alone:  python bench/argos_baseline.py FILE --packages-dir DIR [--output OUT]
(FILE is Chinese text with paragraphs separated by blank lines.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import types
import zipfile
from collections.abc import Sequence
from pathlib import Path

MODEL_FILE = "translate-zh_en-1_9.argosmodel"
MODEL_ENV = "TRANSLATE_ZH_EN_MODEL"
BEAM_SIZE = 4  # the project's engine uses the same beam; Argos' default is 4 too
REPO = Path(__file__).resolve().parent.parent


def find_model(repo: Path = REPO) -> Path:
    """The zh→en .argosmodel: $TRANSLATE_ZH_EN_MODEL, else <repo>/models/."""
    candidates = []
    if os.environ.get(MODEL_ENV):
        candidates.append(Path(os.environ[MODEL_ENV]))
    candidates.append(repo / "models" / MODEL_FILE)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"no {MODEL_FILE} found (tried {tried}); set {MODEL_ENV} to its path")


def install_model(model: Path, packages_dir: Path) -> Path:
    """Unzip an .argosmodel into an Argos packages dir; return the package folder.

    `argostranslate.package.install_from_path` does the same unzip but first
    imports argostranslate.translate to clear a cache, which needs the splitters.
    """
    packages_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(model) as archive:
        top = {name.split("/", 1)[0] for name in archive.namelist()}
        if len(top) != 1:
            raise ValueError(f"{model} is not an Argos package (top-level entries: {sorted(top)})")
        package_dir = packages_dir / top.pop()
        if not (package_dir / "metadata.json").is_file():
            archive.extractall(packages_dir)
    return package_dir


def isolate_argos_dirs(root: Path, packages_dir: Path) -> None:
    """Point Argos' data, cache, config and package dirs at `root` (before import).

    Importing argostranslate.settings creates these dirs and reads settings.json,
    so a user's own Argos setup must not leak into the measurement.
    """
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        path = root / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir)
    os.environ["ARGOS_BEAM_SIZE"] = str(BEAM_SIZE)


def _split(language: str, text: str) -> list[str]:
    from sentencex import segment

    code = language.replace("_", "-").split("-")[0] or "en"
    return [s.strip() for s in segment(code, text) if s.strip()]


class _StanzaSentence:
    def __init__(self, text: str):
        self.text = text


class _StanzaDocument:
    def __init__(self, sentences: list[str]):
        self.sentences = [_StanzaSentence(s) for s in sentences]


class _StanzaPipeline:
    """Answers `stanza.Pipeline(lang=..., processors='tokenize')(text).sentences`."""

    def __init__(self, lang: str = "en", **_options: object):
        self.lang = lang

    def __call__(self, text: str) -> _StanzaDocument:
        return _StanzaDocument(_split(self.lang, text))


class _MiniSBDDetector:
    """Answers `minisbd.SBDetect(lang).sentences(text)`."""

    def __init__(self, lang: str, **_options: object):
        self.lang = "en" if lang.endswith(".onnx") else lang

    def sentences(self, text: str) -> list[str]:
        return _split(self.lang, text)


def install_offline_splitters() -> None:
    """Put sentencex-backed `stanza` and `minisbd` modules into sys.modules.

    They carry only the names argostranslate.sbd uses, so any other use fails
    loudly instead of silently changing behaviour.
    """
    stanza = types.ModuleType("stanza")
    stanza.__doc__ = "Stand-in: sentence splitting by sentencex (benchmark baseline)."
    stanza.Pipeline = _StanzaPipeline  # type: ignore[attr-defined]

    minisbd_models = types.ModuleType("minisbd.models")
    minisbd_models.cache_dir = ""  # type: ignore[attr-defined]
    minisbd_models.list_models = lambda: []  # type: ignore[attr-defined]
    minisbd = types.ModuleType("minisbd")
    minisbd.__doc__ = stanza.__doc__
    minisbd.SBDetect = _MiniSBDDetector  # type: ignore[attr-defined]
    minisbd.models = minisbd_models  # type: ignore[attr-defined]

    for name, module in (("stanza", stanza), ("minisbd", minisbd), ("minisbd.models", minisbd_models)):
        sys.modules.setdefault(name, module)


def load_argos() -> types.ModuleType:
    """Import argostranslate.translate with the stand-in splitters; beam set to BEAM_SIZE."""
    install_offline_splitters()
    import argostranslate.settings
    import argostranslate.translate

    argostranslate.settings.beam_size = BEAM_SIZE
    return argostranslate.translate


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, as a user would feed them to Argos."""
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def translate_paragraphs(paragraphs: Sequence[str], source: str = "zh", target: str = "en") -> list[str]:
    """The stock call: one `argostranslate.translate.translate()` per paragraph."""
    argos = load_argos()
    return [argos.translate(paragraph, source, target) for paragraph in paragraphs]


def run(source_file: Path, packages_dir: Path, source: str = "zh", target: str = "en") -> dict:
    """Translate a file the stock way; return the translation and timings."""
    started = time.perf_counter()
    argos = load_argos()
    imported = time.perf_counter()
    paragraphs = split_paragraphs(source_file.read_text(encoding="utf-8"))
    translations = [argos.translate(paragraph, source, target) for paragraph in paragraphs]
    finished = time.perf_counter()

    import argostranslate
    import argostranslate.settings as settings
    import ctranslate2

    translation = argos.get_translation_from_codes(source, target)
    translator = getattr(getattr(translation, "underlying", None), "translator", None)
    return {
        "translation": "\n\n".join(translations) + "\n",
        "paragraphs": len(paragraphs),
        "import_seconds": imported - started,
        "translate_seconds": finished - imported,
        "argostranslate": getattr(argostranslate, "__version__", None) or _dist_version("argostranslate"),
        "ctranslate2": ctranslate2.__version__,
        "beam_size": settings.beam_size,
        "batch_size": settings.batch_size,
        "batch_type": "tokens",
        "compute_type": getattr(translator, "compute_type", settings.compute_type),
        "intra_threads": settings.intra_threads,
        "inter_threads": settings.inter_threads,
        "packages_dir": str(packages_dir),
    }


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="source text, paragraphs separated by blank lines")
    parser.add_argument("--from", dest="source", default="zh")
    parser.add_argument("--to", dest="target", default="en")
    parser.add_argument("--packages-dir", type=Path, help="Argos packages dir (default: a temp dir)")
    parser.add_argument("--model", type=Path, help=f"the .argosmodel (default: ${MODEL_ENV} or models/)")
    parser.add_argument("--output", type=Path, help="write the translation here (default: stdout)")
    parser.add_argument("--report", type=Path, help="write timings and settings here as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="argos-baseline-") as scratch:
        packages_dir = args.packages_dir or Path(scratch) / "packages"
        isolate_argos_dirs(Path(scratch), packages_dir)
        install_model(args.model or find_model(), packages_dir)
        result = run(args.file, packages_dir, args.source, args.target)

    translation = result.pop("translation")
    if args.output:
        args.output.write_text(translation, encoding="utf-8")
    else:
        sys.stdout.write(translation)
    if args.report:
        args.report.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
