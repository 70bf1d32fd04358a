"""The text helpers the extraction rules stand on: number words, the case-folding gate, sentences."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from cmlkg.textutil import NUM_RE, NUMBER_WORDS, fold, parse_number, sentence_spans, word_alternation

WORDS = NUMBER_WORDS.split("|")


def test_word_alternation_matches_exactly_the_words():
    pattern = re.compile(rf"(?:{word_alternation(WORDS)})")
    for word in WORDS:
        assert pattern.fullmatch(word), word
    for other in ["fourt", "sixtee", "tw", "", "ones", "hundreds", "eighteenth"]:
        assert not pattern.fullmatch(other), other


@given(
    st.lists(st.text(alphabet="abcdefg", min_size=1, max_size=6), min_size=1, max_size=12, unique=True),
    st.text(alphabet="abcdefg", max_size=8),
)
def test_word_alternation_is_the_plain_alternation(words, probe):
    trie = re.compile(rf"(?:{word_alternation(words)})\Z")
    plain = re.compile(rf"(?:{'|'.join(map(re.escape, words))})\Z")
    assert bool(trie.match(probe)) == bool(plain.match(probe))


@given(
    st.text(alphabet=st.sampled_from("abcIiıİSsſkK agerOLD-\u212a\u00e9"), max_size=30),
    st.sampled_from(["age", "old", "evaluable", "case", "phase", "resist", "male", "is", "ask"]),
)
def test_fold_gate_never_hides_a_case_insensitive_match(text, word):
    # the rules skip a regex when its literal word is not in fold(text); that must never drop a match
    if re.search(word, text, re.I):
        assert word in fold(text)


def test_number_words_are_found_and_read():
    text = "Of one hundred and sixty-three patients, twenty-four were evaluable; fourteen (9%) relapsed."
    found = [m.group(0) for m in NUM_RE.finditer(text)]
    assert found[:3] == ["one hundred and sixty-three", "twenty-four", "fourteen"]
    assert [parse_number(f) for f in found[:3]] == [163.0, 24.0, 14.0]


def test_sentences_do_not_break_after_abbreviations():
    text = "Imatinib vs. dasatinib was compared (Fig. 2). Patients e.g. in CP did well. Next one."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Imatinib vs. dasatinib was compared (Fig. 2).",
        "Patients e.g. in CP did well.",
        "Next one.",
    ]
