"""Writes PyTorch checkpoints (torch.save of a state dict: the pytorch_model.bin format) of two
reference models, for the engine's TorchCheckpoint tests. Run where torch and transformers are:
    python3 torch_checkpoints.py MODELS_DIR OUT_DIR
OUT_DIR/tiny-gpt2-bin: pytorch_model.bin in bf16 (its tied LM head shares the embedding's storage);
OUT_DIR/tiny-opt-bin-sharded: two shards in float16 with pytorch_model.bin.index.json.
"""
import json
import os
import shutil
import sys

import torch
from transformers import AutoModelForCausalLM

models, out = sys.argv[1], sys.argv[2]


def copy_configs(src, dst):
    os.makedirs(dst, exist_ok=True)
    for f in ("config.json", "generation_config.json"):
        shutil.copy(os.path.join(src, f), dst)


src = os.path.join(models, "tiny-gpt2")
dst = os.path.join(out, "tiny-gpt2-bin")
copy_configs(src, dst)
model = AutoModelForCausalLM.from_pretrained(src, dtype=torch.bfloat16)
state = model.state_dict()
print("gpt2 keys", len(state), "lm_head shares wte storage:",
      state["lm_head.weight"].untyped_storage().data_ptr() == state["transformer.wte.weight"].untyped_storage().data_ptr())
torch.save(state, os.path.join(dst, "pytorch_model.bin"))

src = os.path.join(models, "tiny-opt")
dst = os.path.join(out, "tiny-opt-bin-sharded")
copy_configs(src, dst)
model = AutoModelForCausalLM.from_pretrained(src, dtype=torch.bfloat16).to(torch.float16)
state = {k: v.contiguous() for k, v in model.state_dict().items()}
names = list(state)
half = len(names) // 2
weight_map = {}
for i, part in enumerate((names[:half], names[half:])):
    fname = "pytorch_model-%05d-of-00002.bin" % (i + 1)
    torch.save({k: state[k] for k in part}, os.path.join(dst, fname))
    weight_map.update({k: fname for k in part})
with open(os.path.join(dst, "pytorch_model.bin.index.json"), "w") as f:
    json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=1)
with open(os.path.join(dst, "config.json")) as f:
    cfg = json.load(f)
cfg["dtype"] = "float16"
with open(os.path.join(dst, "config.json"), "w") as f:
    json.dump(cfg, f, indent=1)
print("opt shards written", len(names))
