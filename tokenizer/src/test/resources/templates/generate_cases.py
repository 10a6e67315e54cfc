"""Regenerates jinja_cases.jsonl with Python Jinja2 configured as transformers configures it.

Run: python3 generate_cases.py > jinja_cases.jsonl   (Jinja2 3.1.x)
Each case: name, template, vars, and either "rendered" or "error" (+ "error_kind").
"""
import json
import sys

from jinja2.exceptions import TemplateSyntaxError

from transformers_jinja import Raised, env

MSGS = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "Hi there"},
    {"role": "assistant", "content": "Hello!"},
    {"role": "user", "content": "  What's 2+2?  "},
]
TOOLS = [{"type": "function", "function": {"name": "add", "description": "Add two ints", "parameters": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a", "b"]}}}]

CASES = []


def case(case_name, template, **vars):
    CASES.append((case_name, template, vars))


# whitespace control: trim_blocks, lstrip_blocks, -, +
case("trim_blocks", "{% if true %}\nyes\n{% endif %}\nend")
case("lstrip_blocks", "<ul>\n    {% for x in items %}\n    <li>{{ x }}</li>\n    {% endfor %}\n</ul>", items=[1, 2])
case("minus_modifiers", "a   {%- if true -%}   b   {%- endif -%}   c")
case("plus_modifier", "line\n    {%+ if true %}x{% endif %}\n")
case("var_minus", "a \n {{- 'b' -}} \n c")
case("comment", "a\n  {# note #}\nb {#- gone -#} c")
case("trailing_newline", "text\n")
case("crlf", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n")
case("raw", "{% raw %}{{ not evaluated }}{% endraw %}")
case("lstrip_var_not_stripped", "x\n    {{ 'v' }}\n")
# literals and str()
case("literals", "{{ 1 }} {{ 1.5 }} {{ 'a' ~ \"b\" }} {{ none }} {{ true }} {{ [1, 'x', none, true] }} {{ {'k': 1, 'j': [1.0]} }} {{ (1, 2) }}")
case("float_repr", "{{ 0.1 + 0.2 }} {{ 1e20 }} {{ 1.0e-5 }} {{ 10 / 4 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 3.0 }}")
case("string_escapes", "{{ 'tab\\there' }}|{{ \"q\\\"q\" }}|{{ 'new\\nline' }}|{{ '\\u00e9' }}")
case("repr_quotes", "{{ [\"it's\", 'say \"hi\"', 'both \\' \"'] }}")
# operators
case("arith", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 'ab' * 3 }} {{ [1] + [2] }} {{ -2 ** 2 }} {{ 5 - -1 }}")
case("compare_chain", "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 'a' < 'b' }} {{ [1, 2] == [1, 2] }} {{ 1 == 1.0 }} {{ 'x' != 'y' }}")
case("in_ops", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }}")
case("and_or_values", "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }} {{ none or [] }} {{ not 0 }}")
case("conditional_expr", "{{ 'y' if x else 'n' }} {{ 'y' if not x else 'n' }} [{{ 'only' if x }}]", x=0)
case("concat_undefined", "[{{ missing ~ 'x' }}] [{{ missing }}] {{ missing is defined }} {{ missing is undefined }}")
# slicing and indexing
case("slicing", "{{ items[::-1] }} {{ items[1:] }} {{ items[:-1] }} {{ items[-1] }} {{ items[::2] }} {{ items[-2::-2] }} {{ 'hello'[1:4] }} {{ 'hello'[::-1] }}", items=[1, 2, 3, 4, 5])
case("emoji_len_slice", "{{ s|length }} {{ s[0] }} {{ s[-1] }} {{ s[1:] }}", s="🤗ab😀")
case("attr_vs_item", "{{ m.content }} {{ m['content'] }} {{ m.items()|list }} {{ m.get('nope', 'dflt') }} {{ m.missing is defined }}", m={"content": "c", "role": "r"})
# string methods
case("str_methods", "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.strip(' x') }}|{{ s.upper() }}|{{ s.lower() }}|{{ s.title() }}|{{ s.capitalize() }}", s="  xhello World x  ")
case("str_split", "{{ s.split() }} {{ s.split(',') }} {{ s.split(',', 1) }} {{ s.rsplit(',', 1) }} {{ 'a\\nb\\r\\nc'.splitlines() }}", s="a,b, c ,d")
case("str_predicates", "{{ s.startswith('ab') }} {{ s.endswith(('x', 'cd')) }} {{ s.find('c') }} {{ s.count('b') }} {{ s.replace('b', 'B') }} {{ '12'.isdigit() }} {{ ''.isdigit() }} {{ ' '.isspace() }}", s="abcdb")
case("str_join_format", "{{ ', '.join(['a', 'b']) }} {{ '{} and {}'.format('x', 'y') }} {{ '%s=%d' % ('k', 3) }} {{ 'x'.center(5) }}|{{ 'ab'.ljust(4, '.') }}")
case("think_split", "{% set c = content.split('</think>')[-1].lstrip('\\n') %}{% set r = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}[{{ c }}][{{ r }}]", content="<think>\nreason\n</think>\n\nanswer")
# filters
case("filters_basic", "{{ '  hi  '|trim }}|{{ [3, 1, 2]|sort }}|{{ [3, 1, 2]|sort(reverse=true) }}|{{ 'abc'|upper }}|{{ [1, 2]|length }}|{{ ['a', 'b']|join('-') }}|{{ missing|default('d') }}|{{ ''|default('e', true) }}|{{ [1, 2, 3]|first }}|{{ [1, 2, 3]|last }}")
case("filters_more", "{{ 'hello world'|title }}|{{ 'HELLO'|capitalize }}|{{ '3'|int + 1 }}|{{ '2.5'|float }}|{{ -3|abs }}|{{ 2.567|round(2) }}|{{ 2.5|round }}|{{ [1, 2, 2, 1]|unique|list }}|{{ 'ab'|reverse }}|{{ [1, 2]|reverse|list }}|{{ 'x'|string }}|{{ 'a b  c'|wordcount }}")
case("filters_map_select", "{{ msgs|map(attribute='role')|list }}|{{ msgs|selectattr('role', 'equalto', 'user')|list|length }}|{{ msgs|rejectattr('role', 'equalto', 'user')|map(attribute='content')|join(',') }}|{{ [1, 0, 2]|select|list }}|{{ [1, 2, 3, 4]|select('odd')|list }}|{{ ['a', 'b']|map('upper')|list }}", msgs=MSGS)
case("filters_dict", "{{ d|dictsort }}|{{ d|items|list }}|{{ d|length }}|{{ d|tojson }}|{{ d|tojson(indent=2) }}", d={"b": 1, "a": [1, 2], "c": {"x": None}})
case("tojson_unicode", "{{ x|tojson }}", x={"text": "héllo \"q\" \n 日本 🤗 <tag> &", "n": 1.5, "t": True, "none": None, "list": []})
case("tojson_sorted_separators", "{{ x|tojson(sort_keys=true) }}|{{ x|tojson(separators=(',', ':')) }}", x={"b": [1, 2], "a": "x"})
case("indent_filter", "{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'a\\nb'|indent(4, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}")
case("sum_min_max", "{{ [1, 2, 3]|sum }} {{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|max }}")
case("format_filter", "{{ '%s-%s'|format('a', 'b') }} {{ '%05.1f'|format(3.14159) }}")
case("batch_filter", "{{ [1, 2, 3, 4, 5]|batch(2)|list }}")
# tests
case("tests", "{{ x is string }} {{ 1 is number }} {{ 1.0 is float }} {{ 1 is integer }} {{ none is none }} {{ d is mapping }} {{ [1] is iterable }} {{ 4 is divisibleby 2 }} {{ 3 is odd }} {{ x is not none }} {{ true is boolean }} {{ false is false }} {{ 'ab' is lower }} {{ 2 is in [1, 2] }} {{ 1 is eq 1 }} {{ raise_exception is callable }}", x="s", d={})
# loops
case("loop_vars", "{% for x in items %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }}/{{ loop.previtem }}/{{ loop.nextitem }};{% endfor %}", items=["a", "b", "c"])
case("loop_controls", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}")
case("loop_else_filter", "{% for x in items if x > 5 %}{{ x }}{% else %}none{% endfor %}|{% for x in items if x > 1 %}{{ x }}{{ loop.length }}{% endfor %}", items=[1, 2, 3])
case("loop_unpack_dict", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for k in d %}{{ k }}{% endfor %}", d={"a": 1, "b": 2})
case("loop_cycle", "{% for x in range(4) %}{{ loop.cycle('odd', 'even') }} {% endfor %}")
case("loop_scope", "{% set x = 1 %}{% for i in range(3) %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}")
case("nested_loops", "{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ loop.index }}{{ a }}{{ b }} {% endfor %}{{ loop.index }};{% endfor %}")
case("recursive_loop", "{% for n in tree recursive %}{{ n.name }}{% if n.children %}({{ loop(n.children) }}){% endif %}{% endfor %}", tree=[{"name": "a", "children": [{"name": "b", "children": []}, {"name": "c"}]}, {"name": "d"}])
case("loop_string", "{% for c in 'ab🤗' %}[{{ c }}]{% endfor %}")
# namespace, set, macro
case("namespace", "{% set ns = namespace(found=false, n=0) %}{% for m in msgs %}{% if m.role == 'user' %}{% set ns.found = true %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.found }} {{ ns.n }}", msgs=MSGS)
case("set_block", "{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting }}]{% set t = 1, 2 %}{{ t }}{% set a, b = [3, 4] %}{{ a }}{{ b }}", name="Bob")
case("set_in_if_leaks", "{% if true %}{% set v = 'in' %}{% endif %}{{ v }}")
case("macro", "{% macro render(m, prefix='> ') %}{{ prefix }}{{ m.role }}: {{ m.content }}\n{% endmacro %}{% for m in msgs %}{{ render(m) }}{% endfor %}{{ render(msgs[0], prefix='* ') }}", msgs=MSGS)
case("macro_call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ 1 + 1 }}{% endcall %}")
case("filter_block", "{% filter upper %}shout {{ 'it' }}{% endfilter %}")
case("with_block", "{% with a = 1, b = 'x' %}{{ a }}{{ b }}{% endwith %}[{{ a }}]")
case("generation_tag", "{% for m in msgs %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}|{% endfor %}", msgs=MSGS)
case("dict_global", "{{ dict(a=1, b='x') }} {{ namespace(a=1).a }} {{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ range(5, 0, -2)|list }}")
# chat-template-like structures
case("chatml_tools", """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\\n\\n' }}
    {%- endif %}
    {{- "# Tools\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools><|im_end|>\\n" }}
{%- endif %}
{%- for message in messages %}
    {{- '<|im_start|>' + message.role + '\\n' + message.content | trim + '<|im_end|>\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
""", messages=MSGS, tools=TOOLS, add_generation_prompt=True)
case("alternation_check_ok", """{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}""",
     messages=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}], bos_token="<s>", eos_token="</s>")
case("alternation_check_raises", """{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{{ message['content'] }}{% endfor %}""",
     messages=[{"role": "user", "content": "a"}, {"role": "user", "content": "c"}], bos_token="<s>")
case("system_merge_gemma_like", """{{ bos_token }}{% if messages[0]['role'] == 'system' %}{% set first_user_prefix = messages[0]['content'] + '\n\n' %}{% set loop_messages = messages[1:] %}{% else %}{% set first_user_prefix = "" %}{% set loop_messages = messages %}{% endif %}{% for message in loop_messages %}{% set role = "model" if message['role'] == 'assistant' else message['role'] %}{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else "") }}{{ message['content'] | trim }}{{ '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}""",
     messages=MSGS, bos_token="<bos>", add_generation_prompt=True)
case("tool_calls_args", """{%- for m in messages %}{%- if m.tool_calls %}{%- for tc in m.tool_calls %}{%- set f = tc.function if tc.function is defined else tc %}<call>{"name": "{{ f.name }}", "arguments": {{ f.arguments if f.arguments is string else f.arguments | tojson }}}</call>{%- endfor %}{%- else %}{{ m.content }}{%- endif %}{%- endfor %}""",
     messages=[{"role": "assistant", "content": None, "tool_calls": [{"type": "function", "function": {"name": "add", "arguments": {"a": 1, "b": 2}}}, {"function": {"name": "f", "arguments": "{\"x\": 1}"}}]}, {"role": "tool", "content": "3"}])
case("reverse_scan_index", """{%- set ns = namespace(last=-1) %}{%- for m in messages[::-1] %}{%- set index = (messages|length - 1) - loop.index0 %}{%- if ns.last == -1 and m.role == 'user' %}{%- set ns.last = index %}{%- endif %}{%- endfor %}{{ ns.last }}""", messages=MSGS)
case("content_list", """{%- for m in messages %}{%- if m.content is string %}{{ m.content }}{%- else %}{%- for part in m.content %}{%- if part.type == 'text' %}{{ part.text }}{%- elif part.type == 'image' %}<image>{%- endif %}{%- endfor %}{%- endif %}|{%- endfor %}""",
     messages=[{"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image"}, {"type": "text", "text": "here"}]}, {"role": "assistant", "content": "ok"}])
case("date_string_default", """{%- if not date_string is defined %}{%- set date_string = "26 Jul 2024" %}{%- endif %}Today Date: {{ date_string }}
{{- "\\nCutting Knowledge Date: December 2023\\n" }}""")
case("undefined_attr_chain_defined_test", "{{ m.reasoning_content is defined and m.reasoning_content is not none }}", m={"role": "assistant"})
case("unicode_content", "{{ s|upper }} {{ s|length }} {{ s.split(' ')|tojson }}", s="ünïcödé 日本 🤗")
case("numbers_from_data", "{{ x }} {{ y }} {{ x + y }} {{ x|string + '!' }}", x=3, y=0.5)

# idioms seen in published chat templates
case("system_from_first", "{%- set system_message = messages[0]['content'] if messages[0]['role'] == 'system' else none %}{%- set loop_messages = messages[1:] if system_message is not none else messages %}[{{ system_message }}]{% for m in loop_messages %}{{ m.role[0] }}{% endfor %}", messages=MSGS)
case("selectattr_count", "{{ messages|selectattr('role', 'equalto', 'system')|list|length }} {{ (messages|last).content }} {{ messages[-1]['content']|trim }} {{ messages|map(attribute='content')|map('trim')|join('/') }}", messages=MSGS)
case("tool_names", "{{ tools|map(attribute='function')|map(attribute='name')|join(', ') }} {{ tools[0].function.parameters.required }} {{ tools[0]['function']['parameters']['properties']|list }}", tools=TOOLS)
case("previtem_role", "{% for m in messages %}{% if not loop.first and loop.previtem.role == m.role %}DUP{% endif %}{{ m.role[:1] }}{{ '\n' if not loop.last }}{% endfor %}", messages=MSGS + [{"role": "user", "content": "again"}])
case("none_attr_prints_empty", "[{{ none.attr }}] [{{ m.nope }}] {{ m.nope == 'a' }} {{ m.nope is none }} {{ x|default(none) is none }}", m={"a": 1})
case("ns_list_accumulate", "{% set ns = namespace(items=[]) %}{% for m in msgs %}{% set ns.items = ns.items + [m.role] %}{% endfor %}{{ ns.items }} {{ ns.items|unique|list }}", msgs=MSGS)
case("trailing_commas", "{{ [1, 2,] }} {{ {'a': 1,} }} {{ (1,) }} {{ () }}")
case("chained_conditionals", "{{ 'a' if false else 'b' if false else 'c' }} {{ not x is none }} {{ x is defined and x }} {{ 1 if 'a' in 'abc' }}", x=0)
case("range_len", "{% for i in range(msgs|length) %}{{ i }}{{ msgs[i].role[0] }} {% endfor %}{{ msgs[0].content|trim|length > 3 }}", msgs=MSGS)
case("replace_format", "{{ 'a,b'|replace(',', ';') }} {{ '%-6s|'|format('x') }} {{ [1, 2, 3]|join }} {{ {'a': 1}|items|list }} {{ 'x'|replace('x', 'y', 1) }}")
case("macro_varargs_kwargs", "{% macro f(a, b=2) %}{{ a }}-{{ b }}-{{ varargs }}-{{ kwargs }}{% endmacro %}{{ f(1) }} {{ f(1, 3, 4, 5) }} {{ f(1, c=9) }}")
case("macro_recursion", "{% macro count(n) %}{{ n }}{% if n > 0 %},{{ count(n - 1) }}{% endif %}{% endmacro %}{{ count(3) }}")
case("loop_depth", "{% for n in tree recursive %}{{ loop.depth }}{{ n.name }}{% if n.children %}[{{ loop(n.children) }}]{% endif %}{% endfor %}", tree=[{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}])
case("math_more", "{{ 10 // 3 }} {{ 10 % 3 }} {{ 2 ** 0.5 }} {{ 3 / 1 }} {{ -10 // 3 }} {{ 7.5 // 2 }} {{ 1e3 }} {{ 0.000123 }} {{ 123456789.0 * 1000000000 }}")
case("sequences_misc", "{{ (1, 2)|list }} {{ 'abc'[1] }} {{ 'abc'|first }} {{ [3, 1]|sort|first }} {{ 'a\nb \n\nc'.split('\n')|map('trim')|select|list }} {{ [1, [2]]|string }}")
case("unicode_literals", "{{ '日本' ~ '語' }} {{ '🤗'|length }} {{ 'ÄÖ'|lower }} {{ 'straße'|upper }} {{ 'ǆ'|title }}")
case("whitespace_loops", "<list>\n{%- for m in msgs %}\n  <item>{{ m.role }}</item>\n{%- endfor %}\n</list>\n", msgs=MSGS[:2])
case("comment_strip", "a  {#- comment -#}  b\n{# full line #}\nc")
case("tojson_nested_indent", "{{ tools|tojson(indent=4) }}", tools=TOOLS)
case("string_tests_on_content", "{% for m in msgs %}{% if m.content is string %}S{% elif m.content is iterable %}L{% elif m.content is none %}N{% endif %}{% endfor %}", msgs=[{"content": "x"}, {"content": [1]}, {"content": None}])
case("is_mapping_sequence", "{{ {} is mapping }} {{ [] is sequence }} {{ 'x' is sequence }} {{ 1 is sequence }} {{ none is mapping }} {{ 1 is iterable }}")
case("groupby", "{% for role, ms in msgs|groupby('role') %}{{ role }}:{{ ms|length }};{% endfor %}|{% for g in msgs|groupby('role') %}{{ g.grouper }}={{ g.list|map(attribute='content')|join(',') }} {% endfor %}|{{ msgs|groupby('role')|first }}", msgs=MSGS)
case("groupby_case_default", "{% for g in xs|groupby('k') %}{{ g.grouper }}{{ g.list|length }} {% endfor %}|{% for g in xs|groupby('k', case_sensitive=true) %}{{ g.grouper }}{{ g.list|length }} {% endfor %}|{% for g in xs|groupby('z', default='none') %}{{ g.grouper }}{{ g[1]|length }}{% endfor %}", xs=[{"k": "b"}, {"k": "A"}, {"k": "a"}, {"k": "B"}])
case("slice_filter", "{{ [1, 2, 3, 4, 5, 6, 7]|slice(3)|list }} {{ [1, 2, 3, 4]|slice(3, fill_with=0)|list }} {{ []|slice(2)|list }}")
case("filter_and_test_tests", "{{ 'tojson' is filter }} {{ 'nope' is filter }} {{ 'defined' is test }} {{ 'nope' is test }}")
case("str_methods_more", "{{ 'hello world'.title() }}|{{ 'a\nb\r\nc'.splitlines() }}|{{ 'abc'.startswith(('x', 'a')) }}|{{ 'banana'.find('n') }}|{{ 'banana'.count('a') }}|{{ '42'.zfill(5) }}|{{ 'ab'.center(6, '*') }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ '123'.isdigit() }} {{ 'ab1'.isalnum() }} {{ '  '.isspace() }} {{ 'Ab'.istitle() }}|{{ 'x'.join(['1', '2']) }}|{{ 'AbC'.swapcase() }}|{{ 'a-b'.partition('-') }}|{{ 'tEST'.capitalize() }}|{{ 'abc'.endswith('bc', 0, 3) }}|{{ 'aXbXc'.split('X', 1) }}|{{ '  x '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ 'abc'.upper().lower() }}|{{ 'ab'.ljust(4, '.') }}{{ 'ab'.rjust(4) }}|{{ 'a b'.replace(' ', '') }}|{{ 'Hello'.index('l') }}|{{ 'Hello'.rfind('l') }}")
case("dict_methods_more", "{{ d.keys()|list }}|{{ d.values()|list }}|{{ d.items()|list }}|{{ d.get('zz', 0) }}|{{ d|length }}|{{ 'a' in d.keys() }}|{{ d.copy() }}|{% for k in d %}{{ k }}{% endfor %}", d={"a": 1, "b": [2, 3]})
case("format_more", "{{ '%.2f'|format(3.14159) }}|{{ '%5s|%-5s|'|format('a', 'b') }}|{{ '%d%%'|format(50) }}|{{ '%r'|format('x') }}|{{ '%x %o %e'|format(255, 8, 12345.678) }}|{{ '%(a)s-%(b)s'|format(a=1, b=2) }}")
case("numbers_more", "{{ 10 // 3 }} {{ 2 ** -1 }} {{ 7 % -3 }} {{ -7 // 2.0 }} {{ 1e3 }} {{ 1.5e-7 }} {{ 123456789012345678 }} {{ 0.1 * 3 }} {{ 1/3 }} {{ 2.0 ** 0.5 }} {{ (2.5)|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 7.0 // 2 }} {{ -0.0 }} {{ 10 / 5 }} {{ 1 == true }} {{ 3|float }} {{ '12'|int + 1 }} {{ 'x'|int(7) }} {{ 4.7|int }}")
case("macro_caller_args", "{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 3, 4, x=5) }}|{% macro w() %}[{{ caller(7) }}]{% endmacro %}{% call(n) w() %}n={{ n }}{% endcall %}")
case("loop_more", "{% for x in [3, 1, 2] if x > 1 %}{{ loop.index }}/{{ loop.length }}{{ loop.cycle('a', 'b') }}{% if loop.changed(x) %}c{% endif %}{% else %}none{% endfor %}|{% for x in [] %}x{% else %}empty{% endfor %}|{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}|{% for x in range(10, 0, -3) %}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}|{% for x in 'ab' %}{{ loop.revindex0 }}{{ loop.first }}{% endfor %}")
case("set_tuple_and_scope", "{% set a, b = 1, 2 %}{{ a }}{{ b }}|{% set t = (1, 'x') %}{{ t }} {{ t[1] }} {{ t|length }}|{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}|{% set x = 1 %}{% for i in range(2) %}{% set x = 5 %}{% endfor %}{{ x }}")
case("tests_with_args", "{{ msgs|selectattr('role', 'in', ['user', 'system'])|list|length }} {{ msgs|rejectattr('content', 'string')|list|length }} {{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3]|select('ge', 2)|list }} {{ msgs|map(attribute='role')|unique|list }} {{ [1, 2]|map('string')|join }} {{ msgs|selectattr('role', 'equalto', 'user')|map(attribute='content')|first }}", msgs=MSGS)
case("none_and_bools", "{{ none is none }} {{ none }} {{ [none] }} {{ true and 1 }} {{ false or none }} {{ not none }} {{ none|string }} {{ none|default('d') }} {{ none|default('d', true) }} {{ ''|default('e', true) }} {{ 0 is number }} {{ true is number }} {{ true is boolean }} {{ 1 is sameas 1 }} {{ none is sameas none }}")
case("tojson_types", "{{ {'a': none, 'b': true, 'c': 1.0, 'd': [1, 'é', '\u2028'], 'e': '\"q\"'}|tojson }}|{{ 1.0e20|tojson }}|{{ 'x'|tojson }}|{{ [1, (2, 3)]|tojson }}|{{ {'b': 1, 'a': {'d': 1, 'c': 2}}|tojson(indent=2, sort_keys=true) }}")
case("string_concat_types", "{{ 'a' ~ 1 ~ none ~ true ~ [1] ~ 1.5 }}|{{ 'ab' * 2 }}|{{ [1] * 2 }}|{{ 'x' in ['x', 'y'] }}|{{ ('a', 'b') + ('c',) }}")
case("slicing_more", "{{ 'abcdef'[::-2] }} {{ 'abcdef'[4:1:-1] }} {{ [1, 2, 3, 4][-2:] }} {{ [1, 2, 3][5:] }} {{ 'abc'[-10:2] }} {{ [1, 2, 3][::-1] }} {{ 'héllo'[1:3] }}")
case("percent_operator", "{{ '%s' % [1, 2] }}|{{ '%s-%s' % (1, 2) }}|{{ '%s' % none }}|{{ 'abc' % [] }}|{{ '%(k)s' % {'k': 'v'} }}|{{ '%s'|format([1, 2]) }}|{{ '%5.1f|%-4d|%+d' % (3.14159, 7, 5) }}")
case("error_percent_leftover", "{{ '%s' % (1, 2) }}")
case("error_tuple_plus_list", "{{ (1,) + [2] }}")
case("dict_get_default", "{{ m.get('role') }} {{ m.get('x') }} {{ m.get('x', 'd') }} {{ m['role'] }} {{ 'role' in m }} {{ m|length }}", m={"role": "user"})
case("items_sorted", "{% for k, v in d|dictsort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d|dictsort(reverse=true) %}{{ k }}{% endfor %} {% for k, v in d|dictsort(by='value') %}{{ k }}{% endfor %}", d={"b": 2, "a": 3, "c": 1})
case("error_index_out_of_range_attr", "{{ messages[5].content }}", messages=MSGS)
case("error_none_plus", "{{ none + 1 }}")
case("error_not_iterable", "{% for x in 5 %}{{ x }}{% endfor %}")
case("error_in_none", "{% if '</think>' in m.content %}x{% endif %}", m={"content": None})
case("error_items_of_string", "{% for k, v in args|items %}{{ k }}{% endfor %}", args="{\"a\": 1}")
case("error_syntax_endfor_mismatch", "{% for x in y %}\n{% endif %}")
case("error_syntax_bad_set", "{% set = 1 %}")
case("error_syntax_unclosed_var", "{{ x")
case("error_syntax_line3", "a\nb\n{{ x + }}\nc")

# errors
case("error_raise", "{{ raise_exception('Only user and assistant roles are supported!') }}")
case("error_unknown_tag", "ok\n{% frobnicate %}")
case("error_unclosed_if", "{% if x %}\nabc\n")
case("error_bad_expr", "line1\nline2 {{ 1 + }}")
case("error_unclosed_string", "{{ 'abc }}")
case("error_undefined_attr", "{{ missing.attr }}")
case("error_str_plus_int", "{{ 'a' + 1 }}")
case("error_unknown_filter", "{{ 1|nosuchfilter }}")
case("error_append", "{% set x = [] %}{{ x.append(1) }}")

out = sys.stdout
for name, template, vars in CASES:
    rec = {"name": name, "template": template, "vars": vars}
    try:
        rec["rendered"] = env.from_string(template).render(**vars)
    except Raised as e:
        rec["error_kind"] = "raised"
        rec["error"] = str(e)
    except TemplateSyntaxError as e:
        rec["error_kind"] = "syntax"
        rec["error"] = e.message
        rec["line"] = e.lineno
    except Exception as e:  # runtime errors
        rec["error_kind"] = "runtime"
        rec["error"] = type(e).__name__ + ": " + str(e)
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
