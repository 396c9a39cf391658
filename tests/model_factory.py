"""Build a genuine, tiny Argos Translate package (.argosmodel) for tests.

Why: the real English -> X models cannot be fetched on a machine that only reaches package
registries, yet the engine and pipeline code must be exercised against a real package, a real
SentencePiece tokenizer and a real CTranslate2 model. This module trains a small SentencePiece
model on the essays and writes a 2-layer CTranslate2 Transformer whose weights are set by hand.

What the model does: the last decoder layer's cross-attention attends to the source position
equal to the decoder step (position codes in 16 of the 64 dimensions), so output length follows
input length and decoding stops at the source's ``</s>``. The output projection maps each source
piece to a fixed partner piece: word-initial letter pieces are permuted among themselves, so are
word-internal letter pieces, and every other piece (digits, punctuation, specials) maps to
itself. A translation therefore keeps the word count, numbers and punctuation of its source,
differs from it visibly, and depends on it deterministically. With ``echo=True`` every piece
maps to itself, so the output repeats the input (useful to test placeholder round trips).
All other weights are small seeded random noise.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import TransformerSpec

from translate.errors import LanguageError
from translate.languages import language_name

TEXTS_DIR = Path(__file__).resolve().parents[1] / "texts"
ARGOS_VERSION = "1.9.0"

MODEL_DIM = 64
TOKEN_DIMS = 48  # dimensions 0..47 carry the identity of a piece
POSITION_FREQUENCIES = 8  # dimensions 48..63 carry cos/sin position codes
FFN_DIM = 128
NUM_HEADS = 2
NUM_LAYERS = 2
MAX_POSITIONS = 1024
# Periods (in tokens) of the position codes: spread so that no two positions below
# MAX_POSITIONS look alike, which keeps the copy attention on the right source piece.
POSITION_PERIODS = (1.5, 2.3, 3.7, 5.9, 9.5, 15.1, 24.7, 40.3)
ATTENTION_SHARPNESS = 20.0
WORD_START_LETTERS = re.compile(r"▁[^\W\d_]+")
WORD_INSIDE_LETTERS = re.compile(r"[^\W\d_]+")


def build_argos_package(
    dest_dir: Path,
    from_code: str = "en",
    to_code: str = "xx",
    *,
    corpus: list[str] | None = None,
    vocab_size: int = 500,
    seed: int = 0,
    package_version: str = "0.1",
    echo: bool = False,
) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into ``dest_dir`` and return its path.

    ``corpus`` (lines of text) trains the tokenizer; by default the essays in texts/ do.
    Building takes well under a second; the same arguments give the same bytes.
    """
    lines = corpus if corpus is not None else essay_lines()
    sentencepiece_model = train_sentencepiece(lines, vocab_size)
    processor = spm.SentencePieceProcessor(model_proto=sentencepiece_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]

    name = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    spec = build_model_spec(pieces, seed=seed, echo=echo)

    metadata = {
        "package_version": package_version,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": _name_of(from_code),
        "to_code": to_code,
        "to_name": _name_of(to_code),
        "type": "translate",
    }
    package_path = dest_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as model_dir:
        spec.save(model_dir)
        members: dict[str, bytes] = {
            f"{name}/": b"",
            f"{name}/metadata.json": (json.dumps(metadata, indent=2) + "\n").encode(),
            f"{name}/README.md": _readme(metadata, echo).encode(),
            f"{name}/sentencepiece.model": sentencepiece_model,
            f"{name}/model/": b"",
        }
        for path in sorted(Path(model_dir).iterdir()):
            members[f"{name}/model/{path.name}"] = path.read_bytes()
    partial = package_path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w") as archive:
        for member, data in members.items():
            # A fixed timestamp makes the archive's bytes depend on the arguments only.
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16 | 0x10) if member.endswith("/") else 0o644 << 16
            archive.writestr(info, data)
    partial.replace(package_path)
    return package_path


def essay_lines() -> list[str]:
    """Non-blank lines of the essays: the tokenizer's default training text."""
    return [
        line
        for path in sorted(TEXTS_DIR.iterdir())
        if path.suffix in (".txt", ".md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    """Train a unigram SentencePiece model in memory and return its serialized bytes.

    ``identity`` normalization and kept whitespace make decode(encode(x)) == x for the
    essays, whose curly quotes and no-break spaces NFKC would otherwise rewrite;
    full character coverage keeps every character of the corpus out of ``<unk>``.
    """
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        num_threads=1,  # one thread keeps training deterministic
        minloglevel=2,
    )
    return model.getvalue()


def build_model_spec(pieces: list[str], *, seed: int = 0, echo: bool = False) -> TransformerSpec:
    """A validated CTranslate2 Transformer spec for a vocabulary shared by source and target.

    ``pieces`` must hold ``<unk>``, ``<s>`` and ``</s>``, the tokens CTranslate2's default
    config names; ``add_source_eos`` appends ``</s>`` to every source, which the copy
    attention reaches last, so decoding ends there.
    """
    for special in ("<unk>", "<s>", "</s>"):
        if special not in pieces:
            raise ValueError(f"vocabulary lacks {special!r}, which CTranslate2 needs")
    rng = np.random.default_rng(seed)
    vocab = len(pieces)

    def noise(*shape: int, scale: float) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    identities = rng.standard_normal((vocab, TOKEN_DIMS))
    identities -= identities.mean(axis=1, keepdims=True)
    identities *= np.sqrt(POSITION_FREQUENCIES) / np.linalg.norm(identities, axis=1, keepdims=True)
    identities = identities.astype(np.float32)

    spec = TransformerSpec.from_config(num_layers=NUM_LAYERS, num_heads=NUM_HEADS)
    spec.config.add_source_eos = True
    positions = _position_codes()
    for stack in (spec.encoder, spec.decoder):
        stack.scale_embeddings = False
        stack.position_encodings.encodings = positions
        _set_layer_norm(stack.layer_norm)
    spec.encoder.embeddings[0].weight = _pad_to_model_dim(identities)
    spec.decoder.embeddings.weight = _pad_to_model_dim(identities * 0.1)

    for layer in spec.encoder.layer:
        _set_noisy_self_attention(layer.self_attention, noise)
        _set_noisy_ffn(layer.ffn, noise)
    for layer in spec.decoder.layer:
        _set_noisy_self_attention(layer.self_attention, noise)
        _set_noisy_ffn(layer.ffn, noise)
        _set_layer_norm(layer.attention.layer_norm)
        queries, keys_values, output = layer.attention.linear
        _set_linear(queries, noise(MODEL_DIM, MODEL_DIM, scale=0.001))
        _set_linear(keys_values, noise(2 * MODEL_DIM, MODEL_DIM, scale=0.001))
        _set_linear(output, noise(MODEL_DIM, MODEL_DIM, scale=0.001))
    _set_copy_attention(spec.decoder.layer[-1].attention)

    partner = np.arange(vocab) if echo else _partner_pieces(pieces, rng)
    projection = np.zeros((vocab, MODEL_DIM), np.float32)
    projection[partner, :TOKEN_DIMS] = identities * 3.0
    _set_linear(spec.decoder.projection, projection)

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="float32")
    return spec


def _partner_pieces(pieces: list[str], rng: np.random.Generator) -> np.ndarray:
    """For each piece id, the id it translates to: letters permuted within their kind."""
    partner = np.arange(len(pieces))
    for pattern in (WORD_START_LETTERS, WORD_INSIDE_LETTERS):
        group = np.array([i for i, piece in enumerate(pieces) if pattern.fullmatch(piece)])
        if len(group) > 1:
            partner[group] = group[rng.permutation(len(group))]
    return partner


def _position_codes() -> np.ndarray:
    codes = np.zeros((MAX_POSITIONS, MODEL_DIM), np.float32)
    angles = np.arange(MAX_POSITIONS)[:, None] / np.array(POSITION_PERIODS)[None, :]
    codes[:, TOKEN_DIMS : TOKEN_DIMS + POSITION_FREQUENCIES] = np.cos(angles)
    codes[:, TOKEN_DIMS + POSITION_FREQUENCIES :] = np.sin(angles)
    return codes


def _set_copy_attention(attention) -> None:
    """Cross-attention that looks at the source piece at the decoder's own position.

    Queries and keys read the position codes (queries sharpened), values and output carry
    the piece identity dimensions into the decoder's residual stream.
    """
    head_dim = MODEL_DIM // NUM_HEADS
    queries = np.zeros((MODEL_DIM, MODEL_DIM), np.float32)
    keys = np.zeros((MODEL_DIM, MODEL_DIM), np.float32)
    for head in range(NUM_HEADS):
        for j in range(2 * POSITION_FREQUENCIES):
            queries[head * head_dim + j, TOKEN_DIMS + j] = ATTENTION_SHARPNESS
            keys[head * head_dim + j, TOKEN_DIMS + j] = 1.0
    values = np.zeros((MODEL_DIM, MODEL_DIM), np.float32)
    values[:TOKEN_DIMS, :TOKEN_DIMS] = np.eye(TOKEN_DIMS)
    output = np.zeros((MODEL_DIM, MODEL_DIM), np.float32)
    output[:TOKEN_DIMS, :TOKEN_DIMS] = np.eye(TOKEN_DIMS) * 4.0
    query_layer, keys_values_layer, output_layer = attention.linear
    _set_linear(query_layer, queries)
    _set_linear(keys_values_layer, np.concatenate([keys, values]))
    _set_linear(output_layer, output)


def _set_noisy_self_attention(attention, noise) -> None:
    """Self-attention whose output is faint noise, so the residual stream passes through."""
    _set_layer_norm(attention.layer_norm)
    fused_qkv, output = attention.linear
    _set_linear(fused_qkv, noise(3 * MODEL_DIM, MODEL_DIM, scale=0.02))
    _set_linear(output, noise(MODEL_DIM, MODEL_DIM, scale=0.001))


def _set_noisy_ffn(ffn, noise) -> None:
    _set_layer_norm(ffn.layer_norm)
    _set_linear(ffn.linear_0, noise(FFN_DIM, MODEL_DIM, scale=0.02))
    _set_linear(ffn.linear_1, noise(MODEL_DIM, FFN_DIM, scale=0.001))


def _set_linear(linear, weight: np.ndarray) -> None:
    """Weights are (out, in), as in PyTorch; biases are zero."""
    linear.weight = weight.astype(np.float32)
    linear.bias = np.zeros(weight.shape[0], np.float32)


def _set_layer_norm(layer_norm) -> None:
    layer_norm.gamma = np.ones(MODEL_DIM, np.float32)
    layer_norm.beta = np.zeros(MODEL_DIM, np.float32)


def _pad_to_model_dim(token_part: np.ndarray) -> np.ndarray:
    embeddings = np.zeros((token_part.shape[0], MODEL_DIM), np.float32)
    embeddings[:, :TOKEN_DIMS] = token_part
    return embeddings


def _name_of(code: str) -> str:
    try:
        return language_name(code)
    except LanguageError:
        return code


def _readme(metadata: dict[str, str], echo: bool) -> str:
    behaviour = (
        "repeats its input piece by piece"
        if echo
        else "rewrites each word with a fixed permutation of letter pieces, keeping digits and punctuation"
    )
    return (
        f"# Test package {metadata['from_name']} -> {metadata['to_name']}\n\n"
        "Built by the test suite; not a translation model. A hand-set 2-layer CTranslate2 "
        f"Transformer that {behaviour}, with a SentencePiece tokenizer trained on the essays.\n"
    )


def point_argos_at(packages_dir: Path, data_dir: Path, monkeypatch=None) -> None:
    """Make an already imported ``argostranslate.settings`` use these folders.

    ``argostranslate.settings`` reads its environment variables once, at import, so a test
    that runs after some other module imported it must patch the attributes that
    ``argostranslate.package`` reads on each call. With a pytest ``monkeypatch`` the change is
    undone after the test; without one it lasts for the process.
    """
    from argostranslate import settings

    packages_dir, data_dir = Path(packages_dir), Path(data_dir)
    downloads_dir = data_dir / "downloads"
    for folder in (packages_dir, data_dir, downloads_dir):
        folder.mkdir(parents=True, exist_ok=True)
    values = {
        "data_dir": data_dir,
        "package_data_dir": packages_dir,
        "package_dirs": [packages_dir],
        "downloads_dir": downloads_dir,
        "local_package_index": data_dir / "index.json",
    }
    for attribute, value in values.items():
        if monkeypatch is not None:
            monkeypatch.setattr(settings, attribute, value)
        else:
            setattr(settings, attribute, value)
