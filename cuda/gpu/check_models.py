#!/usr/bin/env python3
# Writes the GPU check models that device-run.sh derives from tiny-llama into OUT_DIR:
#   tiny-phi3-fused      tiny-llama as Phi-3 stores it: q/k/v fused into qkv_proj and gate/up into
#                        gate_up_proj (rows stacked in that order), with tiny-llama's reference.json.
#                        The same function, so the model checks hold Phi3ForCausalLM to
#                        transformers' Llama outputs.
#   tiny-granite         tiny-llama as GraniteForCausalLM: multipliers of 2, 0.5, 0.5 (attention) and
#                        logits scaling 4, undone exactly by its F32 weights (embeddings halved, O and
#                        down doubled, q halved, LM head times 4), with tiny-llama's reference.json
#   tiny-llama-classifier  tiny-llama as LlamaForSequenceClassification whose score head is its LM
#                        head's first 3 rows (device-run.sh pooling: classify on CUDA and CPU)
#   tiny-llama-longrope  tiny-llama with longrope scaling switching tables at position 8
#   tiny-qwen2-window    tiny-qwen2 (from the same folder's sibling) with a window of 4 tokens on
#                        its second layer only (Qwen2's max_window_layers)
#   tiny-smollm3-nope    tiny-llama as SmolLM3ForCausalLM whose second layer does not rotate
# The last three have no transformers reference: device-run.sh's scheduler checks (every position
# rotated, every layer windowed the same way in every batch) and its CPU-vs-CUDA check take them.
# Usage: check_models.py LLAMA_DIR OUT_DIR
import array, json, os, re, shutil, struct, sys
src, out_dir = sys.argv[1], sys.argv[2]
qwen2 = os.path.join(os.path.dirname(os.path.abspath(src)), 'tiny-qwen2')


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


def derive(name, base, config_update, tensors=None, reference=False):
    """OUT_DIR/name: base's folder with its config updated, its tensors rewritten by `tensors` (a
    function of the tensor dict), and its reference.json where the function is still the same."""
    dst = os.path.join(out_dir, name)
    os.makedirs(dst, exist_ok=True)
    shutil.copy(os.path.join(base, 'generation_config.json'), dst)
    if reference:
        shutil.copy(os.path.join(base, 'reference.json'), dst)
    config = json.load(open(os.path.join(base, 'config.json')))
    config.update(config_update(config))
    json.dump(config, open(os.path.join(dst, 'config.json'), 'w'))
    if tensors is None:
        shutil.copy(os.path.join(base, 'model.safetensors'), dst)
    else:
        write_tensors(os.path.join(dst, 'model.safetensors'), tensors(read_tensors(os.path.join(base, 'model.safetensors'))))


def times(t, factor):  # an F32 tensor times a power of two: exact
    assert t[0] == 'F32'
    return (t[0], t[1], array.array('f', (v * factor for v in array.array('f', t[2]))).tobytes())


def granite_weights(tensors):
    for name in tensors:
        if name.endswith('embed_tokens.weight') or name.endswith('q_proj.weight'):
            tensors[name] = times(tensors[name], 0.5)
        elif re.match(r'.*\.(o_proj|down_proj)\.weight$', name):
            tensors[name] = times(tensors[name], 2.0)
        elif name == 'lm_head.weight':
            tensors[name] = times(tensors[name], 4.0)
    return tensors


def fused_weights(tensors):
    out = {}
    for name, t in tensors.items():
        m = re.match(r'(.*\.)(q_proj|gate_proj)\.weight$', name)
        if m:
            parts = ['q_proj', 'k_proj', 'v_proj'] if m.group(2) == 'q_proj' else ['gate_proj', 'up_proj']
            names = [m.group(1) + p + '.weight' for p in parts]
            fused = m.group(1) + ('qkv_proj' if m.group(2) == 'q_proj' else 'gate_up_proj') + '.weight'
            out[fused] = (t[0], [sum(tensors[x][1][0] for x in names), t[1][1]], b''.join(tensors[x][2] for x in names))
        elif not re.match(r'.*\.(k_proj|v_proj|up_proj)\.weight$', name):
            out[name] = t
    return out


def longrope(config):
    pairs = config['hidden_size'] // config['num_attention_heads'] // 2
    return {'rope_scaling': {'rope_type': 'longrope', 'original_max_position_embeddings': 8, 'attention_factor': 1.0,
                             'short_factor': [1.0] * pairs, 'long_factor': [1.0 + 0.5 * i for i in range(pairs)]}}


derive('tiny-phi3-fused', src, lambda c: dict(architectures=['Phi3ForCausalLM'], model_type='phi3', sliding_window=4096),
       fused_weights, reference=True)
derive('tiny-granite', src, lambda c: dict(architectures=['GraniteForCausalLM'], model_type='granite',
                                           embedding_multiplier=2.0, residual_multiplier=0.5, logits_scaling=4.0,
                                           attention_multiplier=0.5), granite_weights, reference=True)
def classifier_weights(tensors):
    dtype, shape, data = tensors.pop('lm_head.weight')
    row = len(data) // shape[0]
    tensors['score.weight'] = (dtype, [3, shape[1]], data[:3 * row])
    return tensors


derive('tiny-llama-classifier', src, lambda c: dict(architectures=['LlamaForSequenceClassification'], num_labels=3),
       classifier_weights)
derive('tiny-llama-longrope', src, longrope)
derive('tiny-qwen2-window', qwen2, lambda c: dict(use_sliding_window=True, sliding_window=4, max_window_layers=1))
derive('tiny-smollm3-nope', src, lambda c: dict(architectures=['SmolLM3ForCausalLM'], model_type='smollm3',
                                                no_rope_layers=[1, 0]))
