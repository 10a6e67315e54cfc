"""Small WordLevel/BPE tokenizers exercising pre-tokenizer behaviors, decoders and normalizers the
other references do not (Split behaviors and invert, Punctuation behaviors, CharDelimiterSplit,
Metaspace without prepend, ByteLevel with regex inside a Sequence, Strip/Replace decoders...),
trained and run by HF tokenizers 0.23.2.  Run: python combos.py CORPUS.txt  (writes combos.jsonl)
"""
import json
import random
import sys

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l.strip()][:8000]
rng = random.Random(3)
PIECES = ["the", " The", "don't", "a-b", "x_y", "hello,world", "  ", " ", "\t", "\n", "3.14", "1,000", "!!", "?",
          "(paren)", "naïve", "日本", "🤗", "e\u0301", "|", "||", "a|b", "▁", "word", "Words", "   lead", "trail   "]

CONFIGS = {
    "split_removed_invert": dict(pre=pre_tokenizers.Split(Regex(r"\w+"), behavior="removed", invert=True)),
    "split_merged_prev": dict(pre=pre_tokenizers.Split(Regex(r"[,.!?]"), behavior="merged_with_previous")),
    "split_merged_next": dict(pre=pre_tokenizers.Split(" ", behavior="merged_with_next")),
    "split_contiguous": dict(pre=pre_tokenizers.Split(Regex(r"[-_|]"), behavior="contiguous")),
    "punct_contiguous_ws": dict(pre=pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation(behavior="contiguous")])),
    "char_delimiter": dict(pre=pre_tokenizers.CharDelimiterSplit("|")),
    "metaspace_never_nosplit": dict(pre=pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=False), bpe=True,
                                    dec=decoders.Metaspace(replacement="▁", prepend_scheme="never", split=False)),
    "seq_bytelevel_regex": dict(pre=pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]),
                                bpe=True, dec=decoders.ByteLevel()),
    "strip_replace_decoders": dict(norm=normalizers.Sequence([normalizers.Replace(" ", "_"), normalizers.Prepend("_")]), bpe=True,
                                   dec=decoders.Sequence([decoders.Replace("_", " "), decoders.Strip(" ", 1, 0)])),
    "lowercase_nfc_whitespace": dict(norm=normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase(), normalizers.Strip(left=False, right=True)]),
                                     pre=pre_tokenizers.Whitespace()),
}

out = open("combos.jsonl", "w", encoding="utf-8")
for name, c in CONFIGS.items():
    if c.get("bpe"):
        t = Tokenizer(models.BPE(unk_token="[UNK]"))
        tr = trainers.BpeTrainer(vocab_size=800, special_tokens=["[UNK]"],
                                 initial_alphabet=pre_tokenizers.ByteLevel.alphabet() if "bytelevel" in name else [])
    else:
        t = Tokenizer(models.WordLevel(unk_token="[UNK]"))
        tr = trainers.WordLevelTrainer(vocab_size=2000, special_tokens=["[UNK]"])
    if "norm" in c:
        t.normalizer = c["norm"]
    if "pre" in c:
        t.pre_tokenizer = c["pre"]
    t.train_from_iterator(lines + ["".join(PIECES)] * 5, tr)
    if "dec" in c:
        t.decoder = c["dec"]
    texts = ["", " ", "hello world", "a|b||c", "  lead and trail  "] + rng.sample(lines, 30)
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 9))) for _ in range(90)]
    cases = []
    for s in texts:
        ids = t.encode(s, add_special_tokens=False).ids
        cases.append({"text": s, "ids": ids, "ids_with_special": t.encode(s).ids,
                      "decoded": t.decode(ids, skip_special_tokens=False), "decoded_skip_special": t.decode(ids, skip_special_tokens=True)})
    out.write(json.dumps({"name": name, "tokenizer": json.loads(t.to_str()), "cases": cases}, ensure_ascii=False) + "\n")
