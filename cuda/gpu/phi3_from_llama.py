#!/usr/bin/env python3
# Writes a model folder holding tiny-llama as Phi-3 stores it: q/k/v fused into qkv_proj and
# gate/up into gate_up_proj (rows stacked in that order), with tiny-llama's reference.json. It is
# the same function, so device-run.sh's model checks hold Phi3ForCausalLM on the GPU to
# transformers' Llama outputs. Usage: phi3_from_llama.py LLAMA_DIR OUT_DIR
import json, os, re, shutil, struct, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for f in ('generation_config.json', 'reference.json'):
    shutil.copy(os.path.join(src, f), dst)
config = json.load(open(os.path.join(src, 'config.json')))
config.update(architectures=['Phi3ForCausalLM'], model_type='phi3', sliding_window=4096)
json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))
raw = open(os.path.join(src, 'model.safetensors'), 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
header.pop('__metadata__', None)
def data(name):
    a, b = header[name]['data_offsets']
    return raw[8 + n + a:8 + n + b]
out = {}
for name, t in header.items():
    m = re.match(r'(.*\.)(q_proj|gate_proj)\.weight$', name)
    if m:
        parts = ['q_proj', 'k_proj', 'v_proj'] if m.group(2) == 'q_proj' else ['gate_proj', 'up_proj']
        names = [m.group(1) + p + '.weight' for p in parts]
        fused = m.group(1) + ('qkv_proj' if m.group(2) == 'q_proj' else 'gate_up_proj') + '.weight'
        out[fused] = (t['dtype'], [sum(header[x]['shape'][0] for x in names), t['shape'][1]], b''.join(map(data, names)))
    elif not re.match(r'.*\.(k_proj|v_proj|up_proj)\.weight$', name):
        out[name] = (t['dtype'], t['shape'], data(name))
offset, head, body = 0, {}, []
for name, (dtype, shape, b) in out.items():
    head[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(b)]}
    offset += len(b)
    body.append(b)
h = json.dumps(head).encode()
with open(os.path.join(dst, 'model.safetensors'), 'wb') as f:
    f.write(struct.pack('<Q', len(h)) + h + b''.join(body))
