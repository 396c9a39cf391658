"""Segmentation: blocks and sentences, and the byte-for-byte round trip."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.segment import parse

TEXTS = Path(__file__).resolve().parents[1] / "texts"
ESSAYS = sorted(TEXTS.glob("*.*"))


@pytest.mark.parametrize("path", ESSAYS, ids=lambda p: p.name)
def test_essays_round_trip_byte_for_byte(path):
    raw = path.read_bytes()
    doc = parse(raw.decode("utf-8"), path.name)
    assert doc.source().encode("utf-8") == raw


@pytest.mark.parametrize("path", ESSAYS, ids=lambda p: p.name)
def test_identity_translation_renders_the_source(path):
    text = path.read_text(encoding="utf-8")
    doc = parse(text, path.name)
    assert doc.render({s.index: s.text for s in doc.segments}) == text


def test_plain_text_essay_structure():
    doc = parse((TEXTS / "the-virtual-factory.txt").read_text(encoding="utf-8"), "the-virtual-factory.txt")
    kinds = [b.kind for b in doc.blocks]
    assert kinds[0] == "heading" and doc.title == "The Virtual Factory"
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert [b.prefix for b in items] == [f"  {n}. " for n in range(1, 7)]
    speakers = [b.prefix for b in doc.blocks if b.kind == "dialogue"]
    assert speakers == ["Ludwig: ", "Stalin: ", "Ludwig: ", "Stalin: "]
    assert kinds.count("quote") >= 4
    # Note markers and list numbers are never sent to an engine.
    for segment in doc.segments:
        assert not segment.text.rstrip().endswith("]")
        assert not segment.text.startswith(("1.", "2.", "Ludwig:", "Stalin:"))
    fixed = "".join(p for p in doc.pieces if isinstance(p, str))
    for n in (1, 2, 3, 5, 6, 7, 8, 9):  # [4] sits inside a sentence, it travels with it
        assert f"[{n}]" in fixed


def test_markdown_essay_keeps_heading_emphasis_and_guillemets():
    doc = parse((TEXTS / "the-virtual-factory-spectacle.md").read_text(encoding="utf-8"), "x.md")
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].prefix == "# "
    joined = " ".join(s.text for s in doc.segments)
    assert "*The Capital*" in joined
    assert "« The spectacle is not a collection of images" in joined
    assert "uncounscious" in joined and "ressource" in joined  # the author's spelling passes through


def test_translation_replaces_sentences_and_keeps_structure():
    text = "# Title\n\nOne sentence here. Another one [2]\n\n  1. First item.\n  2. Second item.\n"
    doc = parse(text, "t.md")
    out = doc.render({s.index: s.text.upper() for s in doc.segments})
    assert out == "# TITLE\n\nONE SENTENCE HERE. ANOTHER ONE [2]\n\n  1. FIRST ITEM.\n  2. SECOND ITEM.\n"


def test_markdown_quote_lines_keep_their_marks():
    text = "> First quoted line.\n> Second quoted line.\n\nAfter.\n"
    doc = parse(text, "q.md")
    assert doc.blocks[0].kind == "quote"
    assert [s.text for s in doc.segments] == ["First quoted line.", "Second quoted line.", "After."]
    assert doc.render({0: "A.", 1: "B.", 2: "C."}) == "> A.\n> B.\n\nC.\n"


def test_chinese_sentences_split():
    doc = parse("资本主义创造了虚拟工厂。工人们生产价值！这是真的吗？\n", "zh.txt", "zh")
    assert [s.text for s in doc.segments] == ["资本主义创造了虚拟工厂。", "工人们生产价值！", "这是真的吗？"]


def test_segments_carry_lines_and_stable_hashes():
    doc = parse("Title\n\nFirst. Second.\n\nThird.\n", "t.txt")
    assert [(s.text, s.line) for s in doc.segments] == [("Title", 1), ("First.", 3), ("Second.", 3), ("Third.", 5)]
    again = parse("Changed title\n\nFirst. Second.\n\nThird.\n", "t.txt")
    assert doc.segments[1].source_hash == again.segments[1].source_hash
    assert doc.segments[0].source_hash != again.segments[0].source_hash


# Generated documents: any mix of the block kinds, whitespace, markers and
# unusual characters must come back exactly.
_words = st.sampled_from(
    ["value", "labour", "Marx", "«", "»", "—", "*The Capital*", "[4]", "etc.", "U.S.", "“quote”", "剩余价值", "é", "\u00a0"]
)
_sentence = st.builds(
    lambda words, end: " ".join(words) + end, st.lists(_words, min_size=1, max_size=8), st.sampled_from([".", "?", "!", ":", ""])
)
_block = st.one_of(
    _sentence,
    _sentence.map(lambda s: "# " + s),
    _sentence.map(lambda s: "  3. " + s),
    _sentence.map(lambda s: "> " + s),
    _sentence.map(lambda s: "Stalin: " + s),
    st.lists(_sentence, min_size=1, max_size=4).map(" ".join),
)
_gap = st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n\r\n", "\n \n", "\n\t\n"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_block, _gap), min_size=1, max_size=8),
    st.sampled_from(["t.md", "t.txt"]),
    st.sampled_from(["", "\n", "\n\n"]),
)
@pytest.mark.slow
def test_generated_documents_round_trip(blocks, name, lead):
    text = lead + "".join(b + g for b, g in blocks)
    doc = parse(text, name)
    assert doc.source() == text
    assert doc.render({}) == text
    for segment in doc.segments:
        assert segment.text == segment.text.strip() and segment.text


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_arbitrary_text_round_trips(text):
    assert parse(text, "any.md").source() == text
    assert parse(text, "any.txt").source() == text


def test_chinese_into_english_gets_spaces_between_sentences():
    doc = parse("第一句。第二句！\n\n第三句。\n", "zh.txt", "zh")
    out = doc.render({0: "First.", 1: "Second!", 2: "Third."}, language="en")
    assert out == "First. Second!\n\nThird.\n"


def test_english_into_chinese_loses_the_spaces():
    doc = parse("First. Second!\n\nThird.\n", "en.txt", "en")
    assert doc.render({0: "第一句。", 1: "第二句！", 2: "第三句。"}, language="zh") == "第一句。第二句！\n\n第三句。\n"
    assert doc.render({0: "Primero.", 1: "¡Segundo!"}, language="es").startswith("Primero. ¡Segundo!")


def test_markdown_structure_is_never_text_to_translate():
    text = (
        "# Title\n\nRead [the Manifesto](https://x.org/m) and `make test`.\n\n```\nrun this; do not translate.\n```\n\n"
        "    indented code here.\n\n---\n\n<div>raw html.</div>\n\n> 1. A listed quote.\n\nSetext title\n===\n"
    )
    doc = parse(text, "t.md")
    assert doc.source() == text
    assert [s.text for s in doc.segments] == [
        "Title",
        "Read [the Manifesto](https://x.org/m) and `make test`.",
        "A listed quote.",
        "Setext title",
    ]
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "code", "code", "rule", "code", "list_item", "heading"]
    assert doc.render({s.index: s.text.upper() for s in doc.segments}).count("run this; do not translate.") == 1


@pytest.mark.parametrize("language", ["xx", "ast", "sr_Latn"])
def test_a_text_in_a_language_without_sentence_rules_is_cut_as_english_is(language):
    text = "Surplus value is unpaid labour. The factory is virtual.\n"
    cut = [s.text for s in parse(text, "note.txt", language).segments]
    assert cut == [s.text for s in parse(text, "note.txt", "en").segments]
    assert len(cut) == 2
