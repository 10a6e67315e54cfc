"""HF tokenizers baseline for `barista bench tokenizer`: same documents (cut at paragraph ends near
4000 chars, text repeated to N MB), encode() per document on one thread and encode_batch on all cores.

Run: python tokenizer_hf_baseline.py TOKENIZER_JSON TEXT_FILE MB RUNS   (pip install tokenizers)
"""
import sys, time, statistics, os
from tokenizers import Tokenizer
t0=time.time(); tok = Tokenizer.from_file(sys.argv[1]); load=time.time()-t0
text = open(sys.argv[2], encoding='utf-8').read() + "\n"
target = int(sys.argv[3]) * 1_000_000
docs=[]; size=0
while size < target:
    start=0
    while start < len(text) and size < target:
        cut = text.find("\n\n", min(len(text), start+4000))
        end = len(text) if cut < 0 else cut+2
        d=text[start:end]; docs.append(d); size+=len(d); start=end
nbytes = sum(len(d.encode()) for d in docs)
for d in docs: tok.encode(d, add_special_tokens=False)
single=[]; par=[]
for r in range(int(sys.argv[4])):
    t=time.time()
    for d in docs: tok.encode(d, add_special_tokens=False)
    single.append(nbytes/1e6/(time.time()-t))
    t=time.time(); tok.encode_batch(docs, add_special_tokens=False); par.append(nbytes/1e6/(time.time()-t))
    print(f"run {r+1}: 1 thread {single[-1]:.2f} MB/s, batch {par[-1]:.2f} MB/s", flush=True)
print(f"HF tokenizers load {load:.2f}s; median 1 thread {statistics.median(single):.2f} MB/s, encode_batch (all cores) {statistics.median(par):.2f} MB/s")
