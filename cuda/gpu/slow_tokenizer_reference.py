"""Encodings by transformers' slow GPT2Tokenizer (vocab.json + merges.txt, no tokenizer.json) of
the texts in tokenizer/src/test/resources/slow/texts.json, and the fast tokenizer transformers
converts them into, for the tokenizer module's tests. Run where transformers is installed:
    python3 slow_tokenizer_reference.py tokenizer/src/test/resources/slow OUT_DIR
"""
import json
import os
import sys

from transformers import GPT2Tokenizer, GPT2TokenizerFast

src, out = sys.argv[1], sys.argv[2]
files = os.path.join(src, "gpt2_style")
texts = json.load(open(os.path.join(src, "texts.json")))
plain = GPT2Tokenizer(os.path.join(files, "vocab.json"), os.path.join(files, "merges.txt"))
prefixed = GPT2Tokenizer(os.path.join(files, "vocab.json"), os.path.join(files, "merges.txt"), add_prefix_space=True)
bos = GPT2Tokenizer(os.path.join(files, "vocab.json"), os.path.join(files, "merges.txt"), add_bos_token=True,
                    bos_token="</s>", eos_token="</s>", unk_token="</s>", pad_token="<pad>")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "reference.jsonl"), "w") as f:
    for t in texts:
        f.write(json.dumps({"text": t, "ids": plain.encode(t), "ids_prefix_space": prefixed.encode(t),
                            "ids_bos": bos.encode(t), "decoded": plain.decode(plain.encode(t))}, ensure_ascii=False) + "\n")
fast = GPT2TokenizerFast(os.path.join(files, "vocab.json"), os.path.join(files, "merges.txt"))
open(os.path.join(out, "converted_tokenizer.json"), "w").write(fast.backend_tokenizer.to_str())
print("ok", len(texts), bos.encode("hello"), plain.encode("hello"))
