"""Trains small tokenizers of other families with Hugging Face tokenizers (0.23.2) and records
HF's outputs on varied strings, so families the fixtures lack are checked against HF itself.

Run: python train_and_reference.py CORPUS.txt   (writes <name>/tokenizer.json and <name>.jsonl)
"""
import json
import os
import random
import sys

from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

corpus = open(sys.argv[1], encoding="utf-8").read()
lines = [l for l in corpus.split("\n") if l.strip()][:20000]
extra = ["naïve café résumé Ölçü straße", "日本語のテキストです。", "Привет, мир!", "emoji 🤗🚀 ❤️", "3.14159 and 2,718,281", "ﬁ ligature ＡＢＣ"]
lines += extra * 20


def build(name):
    if name == "bert_wordpiece":
        t = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        t.normalizer = normalizers.BertNormalizer(lowercase=True)
        t.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tr = trainers.WordPieceTrainer(vocab_size=1500, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        t.train_from_iterator(lines, tr)
        t.post_processor = processors.BertProcessing(("[SEP]", t.token_to_id("[SEP]")), ("[CLS]", t.token_to_id("[CLS]")))
        t.decoder = decoders.WordPiece()
    elif name == "t5_unigram":
        t = Tokenizer(models.Unigram())
        t.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(" {2,}", " ")])
        t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
        tr = trainers.UnigramTrainer(vocab_size=1200, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>")
        t.train_from_iterator(lines, tr)
        t.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", t.token_to_id("</s>"))])
        t.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    elif name == "metaspace_bpe_bytefallback":
        t = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
        t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
        tr = trainers.BpeTrainer(vocab_size=1500, special_tokens=["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)])
        t.train_from_iterator(lines, tr)
        t.add_special_tokens([AddedToken("[INST]", normalized=False, special=True), AddedToken("[/INST]", normalized=False, special=True)])
        t.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", t.token_to_id("<s>"))])
        t.decoder = decoders.Sequence([decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False), decoders.ByteFallback(), decoders.Fuse()])
    elif name == "wordlevel_digits_punct":
        t = Tokenizer(models.WordLevel(unk_token="[UNK]"))
        t.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(), normalizers.Lowercase(), normalizers.Strip()])
        t.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.Punctuation(behavior="isolated")])
        tr = trainers.WordLevelTrainer(vocab_size=3000, special_tokens=["[UNK]"])
        t.train_from_iterator(lines, tr)
    elif name == "roberta_bytelevel":
        t = Tokenizer(models.BPE())
        t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
        tr = trainers.BpeTrainer(vocab_size=1500, special_tokens=["<s>", "<pad>", "</s>", "<unk>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
        t.train_from_iterator(lines, tr)
        t.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
        t.add_tokens([AddedToken("hello world", single_word=True, normalized=True)])
        t.post_processor = processors.RobertaProcessing(("</s>", t.token_to_id("</s>")), ("<s>", t.token_to_id("<s>")))
        t.decoder = decoders.ByteLevel()
    elif name == "whitespace_wordpiece_nfkd":
        t = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=12))
        t.normalizer = normalizers.Sequence([normalizers.NFKD(), normalizers.Lowercase()])
        t.pre_tokenizer = pre_tokenizers.Whitespace()
        tr = trainers.WordPieceTrainer(vocab_size=1200, special_tokens=["[UNK]", "[CLS]", "[SEP]"])
        t.train_from_iterator(lines, tr)
        t.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
        t.decoder = decoders.WordPiece(cleanup=False)
    return t


rng = random.Random(5)
PIECES = ["the", " The", "don't", "hello world", "Hello  world", "naïve", "Ölçü", "ﬁ", "Ａ", "日本語", "Привет", "🤗", "e\u0301",
          "123", "3.14", " ", "  ", "\t", "\n", "\u00a0", "!", "?!", "...", "(", ")", "<mask>", " <mask>", "[INST]", "[/INST]",
          "<s>", "</s>", "▁", "word", "words", "unbelievable", "antidisestablishmentarianism", "x"]


def strings():
    out = list(extra) + ["", " ", "hello world", " hello world", "hello world!", "a <mask> b", "[INST] hi [/INST]"]
    out += rng.sample(lines[:5000], 60)
    for _ in range(140):
        out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10))))
    return out


for name in ["bert_wordpiece", "t5_unigram", "metaspace_bpe_bytefallback", "wordlevel_digits_punct", "roberta_bytelevel", "whitespace_wordpiece_nfkd"]:
    t = build(name)
    os.makedirs(name, exist_ok=True)
    t.save(os.path.join(name, "tokenizer.json"))
    with open(name + ".jsonl", "w", encoding="utf-8") as f:
        for s in strings():
            ids = t.encode(s, add_special_tokens=False).ids
            f.write(json.dumps({"text": s, "ids": ids, "ids_with_special": t.encode(s).ids,
                                "decoded": t.decode(ids, skip_special_tokens=False),
                                "decoded_skip_special": t.decode(ids, skip_special_tokens=True)}, ensure_ascii=False) + "\n")
    print(name, t.get_vocab_size(), file=sys.stderr)
