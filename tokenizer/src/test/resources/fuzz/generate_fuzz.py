"""Random strings tokenized by Hugging Face tokenizers (0.23.2): python generate_fuzz.py FAMILY TOKENIZER_JSON[.gz] > FAMILY.jsonl

Strings mix scripts, emoji, combining marks, odd whitespace, digits, punctuation and the
tokenizer's own special tokens, to exercise splitting paths the curated references may miss.
"""
import gzip
import json
import random
import sys

from tokenizers import Tokenizer

family, path = sys.argv[1], sys.argv[2]
raw = gzip.open(path).read().decode() if path.endswith(".gz") else open(path).read()
tok = Tokenizer.from_str(raw)
specials = [t["content"] for t in json.loads(raw)["added_tokens"]][:12]
rng = random.Random(sum(map(ord, family)))

PIECES = [
    "the", " The", "don't", "I'LL", "'s", "'Re", "hello", "naïve", "Ölçü", "straße", "ﬁ", "Ａ",
    "日本語", "中文字符", "한국어", "Привет", "مرحبا", "שלום", "हिन्दी", "ไทย", "ελληνικά",
    "🤗", "👩‍👩‍👧", "🇫🇷", "❤️", "e\u0301", "a\u0308\u0323", "\u200b", "\u200d", "\ufeff",
    "123", "4567", "3.14", "1,000", "٣٤٥", "Ⅻ", "½",
    " ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", " \n ",
    "!", "?!", "...", "---", "$", "%", "&&", "(", ")", "[", "]", "{", "}", "<", ">", "/", "\\", "@", "#", "_", "`", "~", "^", "|",
    "<s>", "</s>", "<unk>", "<|", "|>", "<0x41>", "▁", "Ġ", "Ċ",
    "\x00", "\x07", "\x1b", "\x7f",
]


def sample():
    parts = []
    for _ in range(rng.randint(1, 14)):
        r = rng.random()
        if r < 0.08 and specials:
            parts.append(rng.choice(specials))
        elif r < 0.15:
            parts.append("".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 4))))
        else:
            parts.append(rng.choice(PIECES))
    return "".join(parts)


for _ in range(400):
    text = sample()
    ids = tok.encode(text, add_special_tokens=False).ids
    rec = {
        "text": text,
        "ids": ids,
        "ids_with_special": tok.encode(text, add_special_tokens=True).ids,
        "decoded": tok.decode(ids, skip_special_tokens=False),
        "decoded_skip_special": tok.decode(ids, skip_special_tokens=True),
    }
    sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
