"""The shared test vectors that hold the Java tokenizer and classifier to the Python ones.

    python -m training.vectors [--model PATH] [--out DIR]   # rewrite them for an existing model
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from .data import (
    NEGATIVE_FILE,
    POSITIVE_FILE,
    REPO_ROOT,
    CorpusNotFoundError,
    Example,
    default_data_dir,
    read_lines,
    stratified_split,
)
from .encoding import encode, known_token_count, pad_batch
from .export import InvalidModelError, OnnxClassifier
from .tokenizer import tokenize

TOKENIZER_VECTORS = 330
PARITY_VECTORS = 240

# Hard cases named in ARCHITECTURE.md and docs/TOKENIZER.md, one or more per rule.
HARD_CASES: tuple[str, ...] = (
    "",
    " ",
    "   \t\n  ",
    "\u00a0\u2003\u3000",
    "i love this phone",
    "this is the worst day ever",
    "I LOVE THIS PHONE!!!",
    "Check http://twitpic.com/2y1zl - awesome",
    "https://example.com/a?b=c&d=e#frag end",
    "visit www.example.com/page now",
    "HTTP://EXAMPLE.COM shouting url",
    "no url: http:/broken and ftp://x.y",
    "awww. www.site.org.",
    "@switchfoot hi there",
    "@user_name_123: thanks!",
    "@ alone and @@double and a@b.com",
    "email me at someone@example.com",
    "#kindle2 rocks #2009 #",
    "##double #hash_tag_ok",
    "Fish &amp; chips &lt;3 &gt; &quot;quoted&quot; &apos;s",
    "&amp;amp; is decoded once",
    "&#39;numeric&#39; &#x263A; &#X1F600; &#65;&#66;",
    "bad &#0; &#xD800; &#99999999; &#x110000; &foo; &amp no semicolon",
    "&nbsp;spaced&nbsp;out",
    "caf\u00e9 cafe\u0301 na\u00efve r\u00e9sum\u00e9 \u00fcber",
    "Cr\u00e8me Br\u00fbl\u00e9e \u00c5ngstr\u00f6m",
    "\u00df STRASSE Stra\u00dfe",
    "\u0130stanbul I\u0307 \u0131",
    "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 final sigma",
    "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 fullwidth \uff11\uff12\uff13",
    "\u2460 \u00bd \u2122 \ufb01ne ligature",
    "\u6211\u7231\u4f60 chinese",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059",
    "\u54c8\u54c8\u54c8\u54c8 laughing",
    "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8 korean",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 arabic",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd hebrew",
    "\u202eright-to-left override\u202c and \u200fmark\u200e",
    "\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e hindi",
    "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35 thai",
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440 russian",
    "loooooooovvvvvveee it sooooo much",
    "yessss noooo hmmmm zzz aa",
    "ahhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh",
    "goooood 1000000 cooool",
    "I have 2 cats and 3.5 dogs, 1,000 fish, 1.000.000 ants",
    "call 555-1234 at 8am or 10:30pm on 12/25",
    "2day 4ever b4 kindle2 mp3 50% $100 \u20ac20",
    "\u0661\u0662\u0663 arabic digits and \u0967\u0968 devanagari",
    "1.5.2 version and .5 and 5. and 1,,2",
    "What?!?! No way!!! Really??? ...",
    "wait... what.... ok.",
    "!!!!!!!!!!",
    "?!?!?!",
    "--- *** ___ ~~~",
    "(parens) [brackets] {braces} <angle>",
    "<url> <user> <hashtag> <number> <pad> <unk>",
    "can't won't don\u2019t i'm it's y'all rock'n'roll",
    "'quoted' \u2018curly\u2019 \"double\" \u201cfancy\u201d",
    "the 80's and the '90s",
    "o'clock ' lonely apostrophe ''",
    "snake_case_word __init__ _",
    "\U0001F600",
    "\U0001F602\U0001F602\U0001F602\U0001F602",
    "\U0001F602\U0001F602",
    "love it \u2764\ufe0f\u2764\ufe0f",
    "\U0001F44D\U0001F3FD thumbs up with skin tone",
    "\U0001F468\u200d\U0001F469\u200d\U0001F467 family zwj",
    "\U0001F1FA\U0001F1F8 flag",
    "\u2600\u2601\u2614 weather \u2b50 star",
    "emoji\U0001F600between\U0001F600words",
    "\u263a smile \u2639 frown",
    ":) :( :D ;) <3 xD",
    "tab\tseparated\nnew line\r\nwindows",
    "control\u0000chars\u0001here\u001f\u007f",
    "zero\u200bwidth\u200cjoiner\u200dtest\ufeffbom",
    "soft\u00adhyphen",
    "lone \ud800 high surrogate",
    "lone \udc00 low surrogate",
    "\udfff\ud800 reversed pair",
    "replacement \ufffd char",
    "combining: e\u0301 a\u0308 o\u0303 \u0301start",
    "keycap 1\ufe0f\u20e3 #\ufe0f\u20e3",
    "math \U0001d400\U0001d401 bold",
    "MiXeD CaSe WoRdS",
    "ALL CAPS TWEET",
    "   leading and trailing spaces   ",
    "multiple     spaces     between",
    "word" * 50,
    " ".join(["long"] * 100),
    " ".join(f"w{i}" for i in range(80)),
    "good " * 70,
    "a",
    "I",
    "!",
    "\u3002\u3001 cjk punctuation \uff01",
    "\u00bfQu\u00e9 tal? \u00a1Muy bien!",
    "d\u00e9j\u00e0 vu, fa\u00e7ade, co\u00f6perate",
    "Bj\u00f6rk \u00d8resund \u00c6sir",
    "http://a.b/c\u00e9 url with accent",
    "@m\u00fcller unicode mention",
    "#caf\u00e9 unicode hashtag",
    "#\U0001F600 emoji after hash",
    "@\U0001F600 emoji after at",
    "price: $5.99!!! (50% off)",
    "ratings 5/5 \u2605\u2605\u2605\u2605\u2605",
    "so.many.dots.in.a.row",
    "hyphen-ated well-known state-of-the-art",
    "slash/separated and/or back\\slash",
    "the_end_",
)


def _training_sample(examples: Sequence[Example], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [e.text for e in rng.sample(list(examples), min(count, len(examples)))]


def write_tokenizer_vectors(path: Path, model: OnnxClassifier, training: Sequence[Example], seed: int = 7) -> int:
    texts = list(HARD_CASES) + _training_sample(training, TOKENIZER_VECTORS - len(HARD_CASES), seed)
    with path.open("w", encoding="utf-8") as f:
        for text in texts:
            ids, _ = encode(text, model.vocabulary, model.max_length)
            record = {"text": text, "tokens": tokenize(text), "ids": ids, "known_token_count": known_token_count(ids)}
            f.write(json.dumps(record, ensure_ascii=True) + "\n")
    return len(texts)


def write_parity_vectors(path: Path, model: OnnxClassifier, validation: Sequence[Example], seed: int = 11) -> int:
    candidates = list(HARD_CASES) + _training_sample(validation, PARITY_VECTORS, seed)
    written = 0
    with path.open("w", encoding="utf-8") as f:
        for text in candidates:
            ids, _ = encode(text, model.vocabulary, model.max_length)
            if not ids:
                continue
            logits = model.logits(*pad_batch([ids]))[0]
            record = {"text": text, "ids": ids, "logits": [float(x) for x in logits]}
            f.write(json.dumps(record, ensure_ascii=True) + "\n")
            written += 1
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """The command: returns 0, 1 when the model breaks the contract, 2 when the corpus is missing."""
    p = argparse.ArgumentParser(prog="python -m training.vectors", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, default=REPO_ROOT / "src/main/resources/model/sentiment-bilstm.onnx")
    p.add_argument("--out", type=Path, default=REPO_ROOT / "src/test/resources/model")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args(argv)
    try:
        model = OnnxClassifier(args.model)
        data = default_data_dir()
        examples = read_lines(data / NEGATIVE_FILE, 0) + read_lines(data / POSITIVE_FILE, 1)
    except CorpusNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except InvalidModelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    train, validation = stratified_split(examples, 0.1, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    n = write_tokenizer_vectors(args.out / "tokenizer-vectors.jsonl", model, train)
    m = write_parity_vectors(args.out / "parity-vectors.jsonl", model, validation)
    print(f"wrote {n} tokenizer vectors and {m} parity vectors to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
