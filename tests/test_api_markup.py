"""format=html: every byte of markup kept, only text nodes handed on to be translated."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.serve.api import markup

PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        '<a href="/x?a=1&amp;b=2" title="A &quot;q&quot;">',
        "</a>",
        "<br/>",
        "<br>",
        "<!-- note -->",
        "<!DOCTYPE html>",
        "<script>if (a < b) x();</script>",
        "<code>x &lt; y</code>",
        '<span translate="no">',
        "</span>",
        "Hello &amp; welcome. ",
        "t&eacute;st ",
        "a < b ",
        "\n  ",
        "The factory.",
        "<",
        ">",
        "&",
        "<p",
        '<img src="e.png" alt="x" data-shortcode="blobcat">',
        "<![CDATA[x]]>",
        "<?php x ?>",
        "</b",
        "&#x41;",
    ]
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_markup_is_kept_byte_for_byte(parts):
    source = "".join(parts)
    pieces = markup.split(source)
    assert "".join(p.raw if isinstance(p, markup.TextNode) else p for p in pieces) == source
    assert markup.join(pieces, lambda n: None) == source


def test_text_nodes_are_unescaped_and_translations_escaped_again():
    pieces = markup.split('<p title="a &amp; b">Marx &amp; Engels <code>a &lt; b</code> say</p>')
    texts = [p.text for p in pieces if isinstance(p, markup.TextNode)]
    assert texts == ["Marx & Engels ", " say"]
    out = markup.join(pieces, lambda n: pieces[n].text.upper())  # type: ignore[union-attr]
    assert out == '<p title="a &amp; b">MARX &amp; ENGELS <code>a &lt; b</code> SAY</p>'


def test_text_marked_not_to_translate_and_mastodon_mentions_stay():
    source = (
        '<p><span class="h-card"><a href="https://m.example/@ana" class="u-url mention">@<span>ana</span></a>'
        '</span> the <span translate="no"><b>spectacle</b> stays</span> here</p>'
    )
    texts = [p.text for p in markup.split(source) if isinstance(p, markup.TextNode)]
    assert texts == [" the ", " here"]
