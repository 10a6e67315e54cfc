"""Builds tiny random checkpoints of architectures without a shared reference, and their
transformers outputs in the shape of ../shared/reference/models/*/reference.json.

Run where torch and transformers are installed (the GPU machine):
    python3 reference_models.py OUT_DIR [NAME...]     (all models when no name is given)
Each OUT_DIR/NAME holds config.json, model.safetensors (bfloat16) and reference.json: float64
logits of the first and last prompt positions, and 32 greedy steps with their margins (top-1 minus
top-2 logit) and top-5 logprobs, all from transformers' eager attention in float64.
"""
import copy
import inspect
import json
import os
import sys
import traceback

import torch
import transformers

OUT = sys.argv[1]
PROMPTS = [[5, 77, 301, 42, 9], [3, 150, 151, 152, 7, 480, 33, 260, 19, 88, 421, 6],
           [11, 250, 499, 17, 64, 301, 2, 90, 45, 45, 45, 310, 128, 77, 5, 400, 8, 273, 16, 31]]
STEPS = 32
COMMON = dict(vocab_size=512, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              bos_token_id=1, eos_token_id=2, pad_token_id=0)


def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            std = 0.25 if p.dim() > 1 else 0.2
            if GEMMA_NORM and "embed_tokens" in name:
                std = 0.05  # Gemma scales embeddings by sqrt(hidden): keep them from drowning the layers
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64).to(p.dtype) * std)
            if p.dim() == 1 and ("norm" in name or ".ln_" in name) and not name.endswith("bias"):
                # Llama-style norms scale by w (around 1); Gemma's by 1 + w (w around 0)
                if not GEMMA_NORM:
                    p.add_(1.0)
        # DeepSeek-V3-style routers keep their score correction as a buffer (zeros at init)
        for name, b in model.named_buffers():
            if name.endswith("e_score_correction_bias"):
                # rounded to bf16 like the parameters: the checkpoint stores it so
                b.copy_((torch.randn(b.shape, generator=g, dtype=torch.float64) * 0.1).to(torch.bfloat16).to(b.dtype))


def reference(model, name):
    # MoE experts default to torch's grouped_mm, which has no float64 kernel: loop over experts instead
    for attr in ("_experts_implementation", "experts_implementation"):
        try:
            setattr(model.config, attr, "eager")
        except Exception:
            pass
    model = model.double().eval()
    cases = []
    for ids in PROMPTS:
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0]
            seq = list(ids)
            greedy, margins, top5 = [], [], []
            for _ in range(STEPS):
                last = model(torch.tensor([seq])).logits[0, -1]
                top = torch.topk(last, 2)
                tok = int(top.indices[0])
                lp = torch.log_softmax(last, -1)
                t5 = torch.topk(lp, 5)
                greedy.append(tok)
                margins.append(float(top.values[0] - top.values[1]))
                top5.append([[int(i), float(v)] for i, v in zip(t5.indices, t5.values)])
                seq.append(tok)
        cases.append(dict(prompt_ids=ids, last_logits=logits[-1].tolist(),
                          first_position_logits=logits[0].tolist(), greedy_ids=greedy,
                          greedy_margins=margins, greedy_top5_logprobs=top5))
    return dict(model=name, dtype="bfloat16", cases=cases)


def build(name, config_cls, model_cls, seed, **kw):
    global GEMMA_NORM
    GEMMA_NORM = name.startswith("tiny-gemma")
    # configs with their own key names (OPT, GPT-2, ...) take theirs alone: stray Llama keys would
    # land in config.json
    own = kw.pop("own_keys", False)
    # eager attention unless the entry names another (transformers 5's eager Falcon adds ALiBi twice)
    attn = kw.pop("attn", "eager")
    cfg = config_cls(**(kw if own else {**COMMON, **kw}))
    cfg._attn_implementation = attn
    torch.manual_seed(seed)
    model = model_cls(cfg).float()
    randomize(model, seed)
    # Stored in bf16 (half the bytes in the repository): the parameters are rounded to bf16 values,
    # the reference runs on exactly those in float64, and only then is the model cast to bf16. Not
    # the other way round: .to(bfloat16) also rounds the rotary inv_freq buffer.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.to(torch.bfloat16).float())
    ref = reference(copy.deepcopy(model), name)
    out = os.path.join(OUT, name)
    model.to(torch.bfloat16).save_pretrained(out, safe_serialization=True)
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(ref, f)
    print(name, "ok; min margin", min(min(c["greedy_margins"]) for c in ref["cases"]))
    print(open(os.path.join(out, "config.json")).read())
    for key, value in model.state_dict().items():
        print("  ", key, tuple(value.shape))


GEMMA_NORM = False
print("transformers", transformers.__version__, "torch", torch.__version__)
for cls in ["GemmaMLP", "Gemma2MLP"]:
    try:
        mod = getattr(transformers.models, cls[:-3].lower())
        src = inspect.getsource(getattr(getattr(mod, "modeling_" + cls[:-3].lower()), cls).__init__)
        print(cls, [l.strip() for l in src.splitlines() if "act" in l])
    except Exception as e:
        print(cls, "source unavailable", e)

T = transformers
models = [
    ("tiny-gemma", T.GemmaConfig, T.GemmaForCausalLM, 11,
     dict(head_dim=32, hidden_act="gelu_pytorch_tanh", hidden_activation="gelu_pytorch_tanh",
          num_key_value_heads=1)),
    ("tiny-gemma2", T.Gemma2Config, T.Gemma2ForCausalLM, 12,
     dict(head_dim=16, hidden_activation="gelu_pytorch_tanh", hidden_act="gelu_pytorch_tanh",
          query_pre_attn_scalar=24, sliding_window=8, attn_logit_softcapping=2.0,
          final_logit_softcapping=3.0)),
    ("tiny-gemma3", T.Gemma3TextConfig, T.Gemma3ForCausalLM, 13,
     dict(head_dim=16, hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=16,
          sliding_window=8, layer_types=["sliding_attention", "full_attention"],
          rope_theta=1_000_000.0, rope_local_base_freq=10_000.0,
          rope_scaling={"rope_type": "linear", "factor": 8.0})),
    ("tiny-phi3", T.Phi3Config, T.Phi3ForCausalLM, 14, dict(sliding_window=8)),
    ("tiny-smollm3", T.SmolLM3Config, T.SmolLM3ForCausalLM, 15, dict(no_rope_layer_interval=2)),
    ("tiny-granite", T.GraniteConfig, T.GraniteForCausalLM, 16,
     dict(embedding_multiplier=3.0, residual_multiplier=0.5, attention_multiplier=0.3,
          logits_scaling=2.5)),
    ("tiny-mistral", T.MistralConfig, T.MistralForCausalLM, 17, dict(sliding_window=8, head_dim=32)),
    ("tiny-opt", T.OPTConfig, T.OPTForCausalLM, 18,
     dict(own_keys=True, vocab_size=512, hidden_size=64, num_hidden_layers=2, ffn_dim=160, num_attention_heads=4,
          max_position_embeddings=256, do_layer_norm_before=True, word_embed_proj_dim=64,
          activation_function="relu", enable_bias=True, bos_token_id=1, eos_token_id=2, pad_token_id=0)),
    ("tiny-gpt2", T.GPT2Config, T.GPT2LMHeadModel, 19,
     dict(own_keys=True, vocab_size=512, n_positions=256, n_embd=64, n_layer=2, n_head=4, n_inner=160,
          activation_function="gelu_new", bos_token_id=1, eos_token_id=2)),
    ("tiny-gptneox", T.GPTNeoXConfig, T.GPTNeoXForCausalLM, 20,
     dict(own_keys=True, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
          intermediate_size=160, rotary_pct=0.25, use_parallel_residual=True, max_position_embeddings=256,
          bos_token_id=1, eos_token_id=2)),
    ("tiny-phi", T.PhiConfig, T.PhiForCausalLM, 21,
     dict(own_keys=True, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
          intermediate_size=160, partial_rotary_factor=0.5, max_position_embeddings=256, hidden_act="gelu_new",
          bos_token_id=1, eos_token_id=2)),
    ("tiny-starcoder2", T.Starcoder2Config, T.Starcoder2ForCausalLM, 22,
     dict(sliding_window=8, use_bias=True, hidden_act="gelu_pytorch_tanh", norm_epsilon=1e-5)),
    ("tiny-stablelm", T.StableLmConfig, T.StableLmForCausalLM, 23,
     dict(partial_rotary_factor=0.25, use_qkv_bias=True, use_parallel_residual=False, qk_layernorm=False,
          hidden_act="silu", layer_norm_eps=1e-5)),
    ("tiny-mixtral", T.MixtralConfig, T.MixtralForCausalLM, 24,
     dict(num_local_experts=4, num_experts_per_tok=2, sliding_window=None)),
    ("tiny-qwen3moe", T.Qwen3MoeConfig, T.Qwen3MoeForCausalLM, 25,
     dict(num_experts=4, num_experts_per_tok=2, moe_intermediate_size=96, norm_topk_prob=True,
          decoder_sparse_step=1, mlp_only_layers=[], head_dim=16)),
    ("tiny-qwen2moe", T.Qwen2MoeConfig, T.Qwen2MoeForCausalLM, 26,
     dict(num_experts=4, num_experts_per_tok=2, moe_intermediate_size=96, shared_expert_intermediate_size=128,
          norm_topk_prob=False, decoder_sparse_step=1, mlp_only_layers=[])),
    ("tiny-olmo2", T.Olmo2Config, T.Olmo2ForCausalLM, 29, dict()),
    ("tiny-olmo3", T.Olmo3Config, T.Olmo3ForCausalLM, 30,
     dict(sliding_window=8, layer_types=["sliding_attention", "full_attention"])),
    ("tiny-gptj", T.GPTJConfig, T.GPTJForCausalLM, 31,
     dict(own_keys=True, vocab_size=512, n_positions=256, n_embd=64, n_layer=2, n_head=4, n_inner=160,
          rotary_dim=8, activation_function="gelu_new", bos_token_id=1, eos_token_id=2, tie_word_embeddings=False)),
    ("tiny-cohere", T.CohereConfig, T.CohereForCausalLM, 32,
     dict(logit_scale=0.5, use_qk_norm=False, layer_norm_eps=1e-5, tie_word_embeddings=True)),
    ("tiny-glm", T.GlmConfig, T.GlmForCausalLM, 33, dict(head_dim=16, partial_rotary_factor=0.5, attention_bias=True)),
    ("tiny-glm4", T.Glm4Config, T.Glm4ForCausalLM, 34, dict(head_dim=16, partial_rotary_factor=0.5, attention_bias=True)),
    ("tiny-olmoe", T.OlmoeConfig, T.OlmoeForCausalLM, 38,
     dict(num_experts=4, num_experts_per_tok=2, norm_topk_prob=False)),
    ("tiny-granitemoe", T.GraniteMoeConfig, T.GraniteMoeForCausalLM, 39,
     dict(num_local_experts=4, num_experts_per_tok=2, embedding_multiplier=3.0, residual_multiplier=0.5,
          attention_multiplier=0.3, logits_scaling=2.5)),
    ("tiny-granitemoeshared", T.GraniteMoeSharedConfig, T.GraniteMoeSharedForCausalLM, 40,
     dict(num_local_experts=4, num_experts_per_tok=2, shared_intermediate_size=96, embedding_multiplier=3.0,
          residual_multiplier=0.5, attention_multiplier=0.3, logits_scaling=2.5)),
    ("tiny-falcon", T.FalconConfig, T.FalconForCausalLM, 41,
     dict(own_keys=True, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
          multi_query=True, parallel_attn=True, new_decoder_architecture=False, bias=False, alibi=False,
          max_position_embeddings=256, bos_token_id=1, eos_token_id=2)),
    ("tiny-falcon-newarch", T.FalconConfig, T.FalconForCausalLM, 42,
     dict(own_keys=True, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_kv_heads=2,
          new_decoder_architecture=True, parallel_attn=True, bias=False, alibi=False, max_position_embeddings=256,
          bos_token_id=1, eos_token_id=2)),
    ("tiny-gptoss", T.GptOssConfig, T.GptOssForCausalLM, 44,
     dict(head_dim=16, num_local_experts=4, num_experts_per_tok=2, sliding_window=8,
          layer_types=["sliding_attention", "full_attention"], attention_bias=True, tie_word_embeddings=False,
          rope_parameters=dict(rope_type="yarn", factor=4.0, beta_fast=32.0, beta_slow=1.0, truncate=False,
                               original_max_position_embeddings=64, rope_theta=150000.0))),
    ("tiny-glm4moe", T.Glm4MoeConfig, T.Glm4MoeForCausalLM, 45,
     dict(num_hidden_layers=3, head_dim=16, partial_rotary_factor=0.5, attention_bias=True, use_qk_norm=True,
          n_routed_experts=8, n_shared_experts=1, num_experts_per_tok=2, n_group=2, topk_group=1,
          moe_intermediate_size=48, first_k_dense_replace=1, routed_scaling_factor=2.5, norm_topk_prob=True)),
    ("tiny-deepseekv3", T.DeepseekV3Config, T.DeepseekV3ForCausalLM, 46,
     dict(num_hidden_layers=3, num_key_value_heads=4, q_lora_rank=48, kv_lora_rank=32, qk_nope_head_dim=16,
          qk_rope_head_dim=8, v_head_dim=16, n_routed_experts=8, n_shared_experts=1, num_experts_per_tok=2,
          n_group=2, topk_group=1, moe_intermediate_size=48, first_k_dense_replace=1, routed_scaling_factor=2.5,
          norm_topk_prob=True, rope_interleave=True,
          rope_parameters=dict(rope_type="yarn", factor=4.0, original_max_position_embeddings=64, beta_fast=32.0,
                               beta_slow=1.0, mscale=1.0, mscale_all_dim=1.0, rope_theta=10000.0))),
    ("tiny-deepseekv3-noqlora", T.DeepseekV3Config, T.DeepseekV3ForCausalLM, 47,
     dict(num_key_value_heads=4, q_lora_rank=None, kv_lora_rank=32, qk_nope_head_dim=16, qk_rope_head_dim=8,
          v_head_dim=16, n_routed_experts=4, n_shared_experts=1, num_experts_per_tok=2, n_group=1, topk_group=1,
          moe_intermediate_size=48, first_k_dense_replace=1, routed_scaling_factor=1.0, norm_topk_prob=False,
          rope_interleave=True)),
    ("tiny-deepseekv2", T.DeepseekV2Config, T.DeepseekV2ForCausalLM, 60,
     dict(num_hidden_layers=3, num_key_value_heads=4, q_lora_rank=None, kv_lora_rank=32, qk_nope_head_dim=16,
          qk_rope_head_dim=8, v_head_dim=16, n_routed_experts=8, n_shared_experts=2, num_experts_per_tok=2,
          moe_intermediate_size=48, first_k_dense_replace=1, routed_scaling_factor=1.5, norm_topk_prob=False,
          topk_method="greedy")),
    ("tiny-deepseekv2-grouped", T.DeepseekV2Config, T.DeepseekV2ForCausalLM, 61,
     dict(num_hidden_layers=3, num_key_value_heads=4, q_lora_rank=48, kv_lora_rank=32, qk_nope_head_dim=16,
          qk_rope_head_dim=8, v_head_dim=16, n_routed_experts=8, n_shared_experts=1, num_experts_per_tok=2,
          moe_intermediate_size=48, first_k_dense_replace=1, routed_scaling_factor=2.0, norm_topk_prob=False,
          topk_method="group_limited_greedy", n_group=4, topk_group=2,
          rope_parameters=dict(rope_type="yarn", factor=4.0, original_max_position_embeddings=64, beta_fast=32.0,
                               beta_slow=1.0, mscale=0.707, mscale_all_dim=0.707, rope_theta=10000.0))),
    ("tiny-falcon-rw", T.FalconConfig, T.FalconForCausalLM, 62,
     dict(own_keys=True, vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
          multi_query=False, parallel_attn=False, new_decoder_architecture=False, bias=True, alibi=True,
          max_position_embeddings=256, bos_token_id=1, eos_token_id=2, attn="sdpa")),
    ("tiny-nemotron", T.NemotronConfig, T.NemotronForCausalLM, 48,
     dict(hidden_act="relu2", partial_rotary_factor=0.5, head_dim=16, norm_eps=1e-5)),
    ("tiny-arcee", T.ArceeConfig, T.ArceeForCausalLM, 49, dict(hidden_act="relu2", head_dim=16)),
    ("tiny-seedoss", T.SeedOssConfig, T.SeedOssForCausalLM, 50, dict(head_dim=16, attention_bias=True)),
    ("tiny-ernie45", T.Ernie4_5Config, T.Ernie4_5ForCausalLM, 51, dict(head_dim=16, use_bias=True)),
    ("tiny-exaone4", T.Exaone4Config, T.Exaone4ForCausalLM, 52,
     dict(head_dim=16, sliding_window=8, layer_types=["sliding_attention", "full_attention"])),
    ("tiny-cohere2", T.Cohere2Config, T.Cohere2ForCausalLM, 53,
     dict(head_dim=16, sliding_window=8, layer_types=["sliding_attention", "full_attention"], logit_scale=0.5,
          layer_norm_eps=1e-5, tie_word_embeddings=True)),
    ("tiny-helium", T.HeliumConfig, T.HeliumForCausalLM, 54, dict(head_dim=16)),
    ("tiny-olmo", T.OlmoConfig, T.OlmoForCausalLM, 55, dict(clip_qkv=0.5)),
    ("tiny-hunyuan", T.HunYuanDenseV1Config, T.HunYuanDenseV1ForCausalLM, 56, dict(head_dim=16, use_qk_norm=True)),
    ("tiny-bloom", T.BloomConfig, T.BloomForCausalLM, 57,
     dict(own_keys=True, vocab_size=512, hidden_size=64, n_layer=2, n_head=4, bos_token_id=1, eos_token_id=2)),
    ("tiny-mpt", T.MptConfig, T.MptForCausalLM, 58,
     dict(own_keys=True, vocab_size=512, d_model=64, n_heads=4, n_layers=2, expansion_ratio=2, max_seq_len=256,
          attn_config=dict(alibi=True, alibi_bias_max=8))),
    ("tiny-mistral3", T.Mistral3Config, T.Mistral3ForConditionalGeneration, 59,
     dict(own_keys=True, text_config=dict(COMMON, model_type="mistral", head_dim=16, sliding_window=None),
          vision_config=dict(model_type="pixtral", hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                             num_attention_heads=2, head_dim=16, image_size=28, patch_size=14),
          spatial_merge_size=2, image_token_index=511)),
    ("tiny-dots1", T.Dots1Config, T.Dots1ForCausalLM, 63,
     dict(num_hidden_layers=3, head_dim=16, n_routed_experts=8, n_shared_experts=1, num_experts_per_tok=2,
          moe_intermediate_size=48, first_k_dense_replace=1, n_group=2, topk_group=1, routed_scaling_factor=2.5,
          norm_topk_prob=True)),
    ("tiny-ernie45moe", T.Ernie4_5_MoeConfig, T.Ernie4_5_MoeForCausalLM, 64,
     dict(num_hidden_layers=3, head_dim=16, moe_num_experts=4, moe_k=2, moe_intermediate_size=48,
          moe_num_shared_experts=1, moe_layer_start_index=1, moe_layer_interval=1, use_bias=False)),
    ("tiny-llama4", T.Llama4TextConfig, T.Llama4ForCausalLM, 65,
     dict(num_hidden_layers=4, head_dim=16, num_local_experts=4, num_experts_per_tok=1, intermediate_size=96,
          intermediate_size_mlp=160, interleave_moe_layer_step=2, attention_chunk_size=8, use_qk_norm=True,
          attn_temperature_tuning=True, floor_scale=8, attn_scale=0.1)),
    ("tiny-internvl", T.InternVLConfig, T.InternVLForConditionalGeneration, 66,
     dict(own_keys=True, text_config=dict(COMMON, model_type="qwen2"),
          vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                             image_size=[28, 28], patch_size=[14, 14]),
          image_token_id=511, downsample_ratio=0.5)),
    ("tiny-llavanext", T.LlavaNextConfig, T.LlavaNextForConditionalGeneration, 67,
     dict(own_keys=True, text_config=dict(COMMON, model_type="llama"),
          vision_config=dict(model_type="clip_vision_model", hidden_size=32, intermediate_size=64,
                             num_hidden_layers=1, num_attention_heads=2, image_size=28, patch_size=14,
                             projection_dim=32),
          image_token_index=511, image_grid_pinpoints=[[28, 28]])),
    ("tiny-paligemma", T.PaliGemmaConfig, T.PaliGemmaForConditionalGeneration, 68,
     dict(own_keys=True, text_config=dict(COMMON, model_type="gemma", head_dim=16, num_key_value_heads=1,
                                          hidden_activation="gelu_pytorch_tanh"),
          vision_config=dict(model_type="siglip_vision_model", hidden_size=32, intermediate_size=64,
                             num_hidden_layers=1, num_attention_heads=2, image_size=28, patch_size=14,
                             projection_dim=64),
          image_token_index=511, projection_dim=64)),
    ("tiny-glm4v", T.Glm4vConfig, T.Glm4vForConditionalGeneration, 69,
     dict(own_keys=True, text_config=dict(COMMON, model_type="glm4v_text", head_dim=16, attention_bias=True,
                                          rope_parameters=dict(rope_type="default", rope_theta=10000.0,
                                                               mrope_section=[1, 1, 2], partial_rotary_factor=0.5)),
          vision_config=dict(depth=1, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=64,
                             patch_size=14, spatial_merge_size=2, temporal_patch_size=2),
          image_token_id=511, video_token_id=510, image_start_token_id=509, image_end_token_id=508,
          video_start_token_id=507, video_end_token_id=506)),
    # multimodal checkpoints served for text: the language model inside, vision tower unused
    ("tiny-gemma3-mm", T.Gemma3Config, T.Gemma3ForConditionalGeneration, 27,
     dict(own_keys=True, text_config=dict(COMMON, head_dim=16, hidden_activation="gelu_pytorch_tanh",
                                          query_pre_attn_scalar=16, sliding_window=8,
                                          layer_types=["sliding_attention", "full_attention"],
                                          rope_theta=1_000_000.0, rope_local_base_freq=10_000.0),
          vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                             image_size=28, patch_size=14),
          mm_tokens_per_image=4, image_token_index=511, boi_token_index=509, eoi_token_index=510)),
    # Qwen2-VL, Qwen2.5-VL and Qwen3-VL: multimodal rotary sections, which text alone (the same
    # position in every section) turns into the plain rotary embedding
    ("tiny-qwen2vl", T.Qwen2VLConfig, T.Qwen2VLForConditionalGeneration, 35,
     dict(own_keys=True, text_config=dict(COMMON, rope_parameters=dict(rope_type="default", rope_theta=1_000_000.0,
                                                                       mrope_section=[2, 3, 3])),
          vision_config=dict(depth=1, embed_dim=32, hidden_size=64, num_heads=2),
          image_token_id=511, video_token_id=510, vision_start_token_id=509, vision_end_token_id=508)),
    ("tiny-qwen25vl", T.Qwen2_5_VLConfig, T.Qwen2_5_VLForConditionalGeneration, 36,
     dict(own_keys=True, text_config=dict(COMMON, rope_parameters=dict(rope_type="default", rope_theta=1_000_000.0,
                                                                       mrope_section=[2, 3, 3])),
          vision_config=dict(depth=1, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=64,
                             fullatt_block_indexes=[0]),
          image_token_id=511, video_token_id=510, vision_start_token_id=509, vision_end_token_id=508)),
    ("tiny-qwen3vl", T.Qwen3VLConfig, T.Qwen3VLForConditionalGeneration, 37,
     dict(own_keys=True, text_config=dict(COMMON, head_dim=16,
                                          rope_parameters=dict(rope_type="default", rope_theta=1_000_000.0,
                                                               mrope_section=[2, 3, 3], mrope_interleaved=True)),
          vision_config=dict(depth=2, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=64,
                             num_position_embeddings=16, deepstack_visual_indexes=[0]),
          image_token_id=511, video_token_id=510, vision_start_token_id=509, vision_end_token_id=508)),
    ("tiny-idefics3", T.Idefics3Config, T.Idefics3ForConditionalGeneration, 43,
     dict(own_keys=True, text_config=dict(COMMON, model_type="llama"),
          vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                             image_size=28, patch_size=14),
          image_token_id=511, scale_factor=2)),
    ("tiny-llava", T.LlavaConfig, T.LlavaForConditionalGeneration, 28,
     dict(own_keys=True, text_config=dict(COMMON, model_type="llama"),
          vision_config=dict(model_type="clip_vision_model", hidden_size=32, intermediate_size=64,
                             num_hidden_layers=1, num_attention_heads=2, image_size=28, patch_size=14,
                             projection_dim=32),
          image_token_index=511)),
]
only = set(sys.argv[2:])
for name, c, m, seed, kw in models:
    if only and name not in only:
        continue
    try:
        build(name, c, m, seed, **kw)
    except Exception:
        print(name, "FAILED")
        traceback.print_exc()
