"""A SentencePiece unigram model (trained here with sentencepiece, nmt_nfkc normalization) turned
into a tokenizer.json the way transformers converts T5/XLM-R tokenizers (Precompiled charsmap +
Metaspace + Unigram), then HF tokenizers' outputs recorded. Exercises the Precompiled normalizer.

Run: python precompiled_unigram.py CORPUS.txt   (writes spm_precompiled/ and spm_precompiled.jsonl)
"""
import json
import os
import random
import struct
import sys

import sentencepiece as spm
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

corpus = sys.argv[1]
spm.SentencePieceTrainer.train(input=corpus, model_prefix="/tmp/spm_t", vocab_size=1000, model_type="unigram",
                               character_coverage=0.9995, normalization_rule_name="nmt_nfkc", input_sentence_size=20000,
                               shuffle_input_sentence=True, seed_sentencepiece_size=100000)
blob = open("/tmp/spm_t.model", "rb").read()


def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            val, i = varint(buf, i)
        elif wire == 1:
            val, i = buf[i:i + 8], i + 8
        elif wire == 5:
            val, i = buf[i:i + 4], i + 4
        elif wire == 2:
            n, i = varint(buf, i)
            val, i = buf[i:i + n], i + n
        else:
            raise ValueError(wire)
        yield num, wire, val


def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i


vocab, charsmap, unk_id = [], None, 0
for num, wire, val in fields(blob):
    if num == 1:
        piece, score, typ = None, 0.0, 1
        for n2, w2, v2 in fields(val):
            if n2 == 1:
                piece = v2.decode()
            elif n2 == 2:
                score = struct.unpack("<f", v2)[0]
            elif n2 == 3:
                typ = v2
        if typ == 2:
            unk_id = len(vocab)
        vocab.append((piece, score))
    elif num == 3:
        for n2, w2, v2 in fields(val):
            if n2 == 2:
                charsmap = v2

t = Tokenizer(models.Unigram(vocab, unk_id=unk_id, byte_fallback=False))
t.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")])
t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
t.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
os.makedirs("spm_precompiled", exist_ok=True)
t.save("spm_precompiled/tokenizer.json")

rng = random.Random(11)
PIECES = ["ﬁ", "Ａｂｃ", "①", "㍿", "ｶﾀｶﾅ", "e\u0301", "Å", "\u00a0", "\u3000", "\u200b", "\t", "  ", "½", "™", "…", "“quoted”",
          "naïve", "日本語", "한국어", "🤗", "x²", "Ⅻ", "ǅ", "ﬀ", "hello", " world", "the", "Release", "\u2028", "\u0000", "\ufeff"]
lines = [l for l in open(corpus, encoding="utf-8").read().split("\n") if l.strip()]
texts = ["", " ", "hello world"] + rng.sample(lines[:3000], 40)
texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8))) for _ in range(160)]
with open("spm_precompiled.jsonl", "w", encoding="utf-8") as f:
    for s in texts:
        ids = t.encode(s, add_special_tokens=False).ids
        f.write(json.dumps({"text": s, "ids": ids, "ids_with_special": t.encode(s).ids,
                            "decoded": t.decode(ids, skip_special_tokens=False),
                            "decoded_skip_special": t.decode(ids, skip_special_tokens=True)}, ensure_ascii=False) + "\n")
