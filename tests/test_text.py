"""Folding text for search and slugs: Vietnamese through a lookup table, anything else through unidecode."""
from hypothesis import given, strategies as st
from unidecode import unidecode

from storefront.text import _NON_WORD, fold, slugify


def _reference(text):
    """What fold returned before the lookup table: unidecode on the whole text."""
    return " ".join(_NON_WORD.sub(" ", unidecode(text).lower()).split()) if text else ""


def test_vietnamese_folds_to_lowercase_ascii_words():
    assert fold("Lụa Vạn Phúc") == "lua van phuc"
    assert fold("ĐẶC SẢN Đường Lâm — bánh tẻ!") == "dac san duong lam banh te"
    assert fold("Gốm   Bát\u00a0Tràng") == "gom bat trang"
    assert slugify("Lụa tơ tằm Vạn Phúc") == "lua-to-tam-van-phuc"
    assert fold(None) == "" == fold("")


@given(st.text(alphabet=st.one_of(
    st.characters(min_codepoint=32, max_codepoint=126),
    st.characters(min_codepoint=0xC0, max_codepoint=0x24F),
    st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),
    st.sampled_from("中文😀\u0301\u0323\u00a0’“”"))))
def test_fold_gives_exactly_what_unidecode_gives(text):
    # Stored search text and typed searches must fold alike, whichever path each one takes.
    assert fold(text) == _reference(text)
