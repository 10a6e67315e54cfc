"""Chat template outputs for cross-checks, rendered by Python Jinja2 set up as transformers sets it up.

Run (Jinja2 3.1.x) here: python3 render_chat_templates.py FAMILY > FAMILY/chat_templates.jsonl
The directory holds tokenizer_config.json (or .gz) with its chat_template. Every conversation of
conversations.json is rendered with each template the config names; variables as transformers'
apply_chat_template passes them: messages, tools, documents, add_generation_prompt, the special
tokens map and the chat_template_kwargs.
"""
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "templates"))
from transformers_jinja import Raised, env  # noqa: E402

SPECIAL_KEYS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]


def read_json(path):
    if os.path.exists(path):
        return json.load(open(path, encoding="utf-8"))
    return json.loads(gzip.open(path + ".gz").read().decode("utf-8"))


def token_text(value):
    return value["content"] if isinstance(value, dict) else value


def special_tokens_map(config):
    out = {k: token_text(config[k]) for k in SPECIAL_KEYS if config.get(k) is not None}
    extra = config.get("additional_special_tokens")
    if extra:
        out["additional_special_tokens"] = [token_text(t) for t in extra]
    return out


def main():
    config = read_json(os.path.join(sys.argv[1], "tokenizer_config.json"))
    templates = config["chat_template"]
    if isinstance(templates, str):
        templates = [{"name": "default", "template": templates}]
    here = os.path.dirname(os.path.abspath(__file__))
    conversations = json.load(open(os.path.join(here, "conversations.json"), encoding="utf-8"))
    specials = special_tokens_map(config)
    for named in templates:
        compiled = env.from_string(named["template"])
        for c in conversations:
            rec = {"template": named["name"], **c}
            variables = {"messages": c["messages"], "tools": c["tools"], "documents": None,
                         "add_generation_prompt": c["add_generation_prompt"], **specials, **c["chat_template_kwargs"]}
            try:
                rec["rendered"] = compiled.render(**variables)
            except Raised as e:
                rec["error"] = str(e)
            except Exception as e:  # the template failed in Jinja2 itself
                rec["error"] = type(e).__name__ + ": " + str(e)
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


main()
