#!/usr/bin/env python3
# Writes the GPU check models that device-run.sh derives from tiny-llama into OUT_DIR:
#   tiny-phi3-fused      tiny-llama as Phi-3 stores it: q/k/v fused into qkv_proj and gate/up into
#                        gate_up_proj (rows stacked in that order), with tiny-llama's reference.json.
#                        The same function, so the model checks hold Phi3ForCausalLM to
#                        transformers' Llama outputs.
#   tiny-granite         tiny-llama as GraniteForCausalLM: multipliers of 2, 0.5, 0.5 (attention) and
#                        logits scaling 4, undone exactly by its F32 weights (embeddings halved, O and
#                        down doubled, q halved, LM head times 4), with tiny-llama's reference.json
#   tiny-llama-longrope  tiny-llama with longrope scaling switching tables at position 8
#   tiny-qwen2-window    tiny-qwen2 (from the same folder's sibling) with a window of 4 tokens on
#                        its second layer only (Qwen2's max_window_layers)
#   tiny-smollm3-nope    tiny-llama as SmolLM3ForCausalLM whose second layer does not rotate
# The last three have no transformers reference: device-run.sh's scheduler checks (every position
# rotated, every layer windowed the same way in every batch) and its CPU-vs-CUDA check take them.
# Usage: check_models.py LLAMA_DIR OUT_DIR
import array, json, os, re, shutil, struct, sys
src, out_dir = sys.argv[1], sys.argv[2]

dst = os.path.join(out_dir, 'tiny-llama-longrope')
os.makedirs(dst, exist_ok=True)
for f in ('generation_config.json', 'model.safetensors'):
    shutil.copy(os.path.join(src, f), dst)
config = json.load(open(os.path.join(src, 'config.json')))
pairs = config['hidden_size'] // config['num_attention_heads'] // 2
config['rope_scaling'] = {'rope_type': 'longrope', 'original_max_position_embeddings': 8, 'attention_factor': 1.0,
                          'short_factor': [1.0] * pairs, 'long_factor': [1.0 + 0.5 * i for i in range(pairs)]}
json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))

def read_tensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header.pop('__metadata__', None)
    return {name: (t['dtype'], t['shape'], raw[8 + n + t['data_offsets'][0]:8 + n + t['data_offsets'][1]])
            for name, t in header.items()}

def write_tensors(path, tensors):
    offset, head, body = 0, {}, []
    for name, (dtype, shape, b) in tensors.items():
        head[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        body.append(b)
    h = json.dumps(head).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(body))

def times(t, factor):  # an F32 tensor times a power of two: exact
    assert t[0] == 'F32'
    values = array.array('f', t[2])
    return (t[0], t[1], array.array('f', (v * factor for v in values)).tobytes())

dst = os.path.join(out_dir, 'tiny-granite')
os.makedirs(dst, exist_ok=True)
for f in ('generation_config.json', 'reference.json'):
    shutil.copy(os.path.join(src, f), dst)
config = json.load(open(os.path.join(src, 'config.json')))
config.update(architectures=['GraniteForCausalLM'], model_type='granite', embedding_multiplier=2.0,
              residual_multiplier=0.5, logits_scaling=4.0, attention_multiplier=0.5)
json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))
tensors = read_tensors(os.path.join(src, 'model.safetensors'))
for name in tensors:
    if name.endswith('embed_tokens.weight') or name.endswith('q_proj.weight'):
        tensors[name] = times(tensors[name], 0.5)
    elif re.match(r'.*\.(o_proj|down_proj)\.weight$', name):
        tensors[name] = times(tensors[name], 2.0)
    elif name == 'lm_head.weight':
        tensors[name] = times(tensors[name], 4.0)
write_tensors(os.path.join(dst, 'model.safetensors'), tensors)

qwen2 = os.path.join(os.path.dirname(os.path.abspath(src)), 'tiny-qwen2')
dst = os.path.join(out_dir, 'tiny-qwen2-window')
os.makedirs(dst, exist_ok=True)
for f in ('generation_config.json', 'model.safetensors'):
    shutil.copy(os.path.join(qwen2, f), dst)
config = json.load(open(os.path.join(qwen2, 'config.json')))
config.update(use_sliding_window=True, sliding_window=4, max_window_layers=1)
json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))

dst = os.path.join(out_dir, 'tiny-smollm3-nope')
os.makedirs(dst, exist_ok=True)
for f in ('generation_config.json', 'model.safetensors'):
    shutil.copy(os.path.join(src, f), dst)
config = json.load(open(os.path.join(src, 'config.json')))
config.update(architectures=['SmolLM3ForCausalLM'], model_type='smollm3', no_rope_layers=[1, 0])
json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))

dst = os.path.join(out_dir, 'tiny-phi3-fused')
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
