from __future__ import annotations

import pytest

from training.encoding import encode, known_token_count
from training.tokenizer import tokenize

from .conftest import VECTORS, read_jsonl

VECTOR_ROWS = read_jsonl(VECTORS / "tokenizer-vectors.jsonl")


def test_vectors_cover_at_least_300_texts_and_every_hard_case():
    from training.vectors import HARD_CASES

    texts = {row["text"] for row in VECTOR_ROWS}
    assert len(VECTOR_ROWS) >= 300
    assert set(HARD_CASES) <= texts


@pytest.mark.parametrize("row", VECTOR_ROWS, ids=lambda row: repr(row["text"])[:40])
def test_tokenizer_reproduces_committed_vector(row, bundled):
    assert tokenize(row["text"]) == row["tokens"]
    ids, count = encode(row["text"], bundled.vocabulary, bundled.max_length)
    assert ids == row["ids"]
    assert count == len(row["tokens"])
    assert known_token_count(ids) == row["known_token_count"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I LOVE it", ["i", "love", "it"]),
        ("see http://x.co/a?b and www.y.org", ["see", "<url>", "and", "<url>"]),
        ("@bob_1: hi", ["<user>", ":", "hi"]),
        ("#Kindle2 rocks", ["<hashtag>", "kindle2", "rocks"]),
        ("fish &amp; chips &#33; &bogus;", ["fish", "&", "chips", "!", "&", "bogus", ";"]),
        ("1,000.50 and 3.5kg", ["<number>", "and", "3.5kg"]),
        ("loooove sooo", ["loove", "soo"]),
        ("what?!!!", ["what", "?", "!!"]),
        ("can\u2019t 'no'", ["can't", "'", "no", "'"]),
        ("\u6211\u7231\u4f60", ["\u6211", "\u7231", "\u4f60"]),
        ("\U0001F44D\U0001F3FD\U0001F602\U0001F602\U0001F602", ["\U0001F44D", "\U0001F602\U0001F602"]),
        ("a\u200db\u0000c", ["ab", "c"]),
        ("bad \ud800 pair", ["bad", "\ufffd", "pair"]),
        ("caf\u0065\u0301 CAF\u00c9", ["caf\u00e9", "caf\u00e9"]),
        ("", []),
        (" \t\n", []),
    ],
)
def test_tokenizer_follows_each_rule_of_the_specification(text, expected):
    assert tokenize(text) == expected


def test_long_text_is_truncated_to_max_length_and_reports_full_count(bundled):
    ids, count = encode("word " * 500, bundled.vocabulary, bundled.max_length)
    assert len(ids) == bundled.max_length
    assert count == 500
