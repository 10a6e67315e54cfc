// The strings every family is tokenized on: the 253 shared reference strings, hand-picked hard
// cases, and seeded random mixes that include the family's own added tokens.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REFERENCE = fileURLToPath(new URL('../resources/reference/tokenizers/qwen3.jsonl', import.meta.url));

const HARD = [
  ' ', '  ', '     ', '\t\t', ' \t \n', '\n\n\n\n', '\r\n\r\n', 'a  b   c    d', '  leading', 'trailing  ',
  '\u00a0\u2002\u3000\u2028\u2029\u0085', 'x\u200by\u200dz\ufeff',
  '日本語のテキストです。', '中文字符和标点，「引号」！', '한국어 문장입니다', '繁體中文與简体中文',
  '🤗🤗🤗', '👩‍👩‍👧‍👦 family', '🇫🇷🇯🇵', '❤️‍🔥', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛', '\u{1F600}\u{E0067}',
  'e\u0301 a\u0308\u0323 n\u0303', 'Å Å Å', 'ﬁ ﬂ Ａ Ｂ ① ½ ㎞', 'İstanbul ıi ΣΑΣ ß ẞ',
  '0', '12', '123', '1234', '12345678901234567890', '3.14159', '1,000,000', '-42', '1e-9', '٣٤٥ ४५६ Ⅻ',
  'def f(x):\n    return x ** 2\n', 'for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}', '<div class="a">&amp;</div>',
  '{"key": [1, 2.5, null], "k2": "v"}', 'SELECT * FROM t WHERE id = 7;', '#!/bin/sh\necho "$HOME" | tr a-z A-Z',
  "don't I'LL we've THEY'RE it's", "'s 're 've 'm 'll 'd", '...!!!???', '--- *** ___ ~~~', 'http://example.com/a?b=c&d=e#f',
  '<s>', '</s>', '<unk>', '<pad>', '<|endoftext|>', '<|im_start|>', '<0x41>', '<0xFF>', '▁', '▁▁x', 'Ġ', 'Ċ', '<|', '|>', '<<', '>>',
  '\u0000', '\u0007\u001b[31m', '\u007f', 'a\u0000b',
];

const PIECES = [
  'the', ' The', "don't", "I'LL", "'s", 'hello', 'naïve', 'Ölçü', 'straße', 'ﬁ', 'Ａ', '日本語', '中文字符',
  '한국어', 'Привет', 'مرحبا', 'שלום', 'हिन्दी', 'ไทย', 'ελληνικά', '🤗', '👩‍👩‍👧', '🇫🇷', '❤️', 'e\u0301',
  'a\u0308\u0323', '\u200b', '\ufeff', '123', '4567', '3.14', '1,000', '٣٤٥', 'Ⅻ', '½', ' ', '  ', '   ',
  '\t', '\n', '\n\n', '\r\n', '\u00a0', '\u3000', ' \n ', '!', '?!', '...', '$', '%', '&&', '(', ')', '[',
  ']', '{', '}', '<', '>', '/', '\\', '@', '#', '_', '`', '~', '|', '<s>', '</s>', '<unk>', '<0x41>', '▁', 'Ġ',
];

/** mulberry32: a tiny seeded PRNG, so the corpus is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomStrings(family, specials, count) {
  const r = rng([...family].reduce((s, c) => s + c.codePointAt(0), 0));
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const out = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const parts = 1 + Math.floor(r() * 14);
    for (let p = 0; p < parts; p++) {
      const x = r();
      if (x < 0.1 && specials.length) s += pick(specials);
      else if (x < 0.17) for (let k = 1 + Math.floor(r() * 4); k > 0; k--) s += String.fromCodePoint(0x20 + Math.floor(r() * 0x2fe0));
      else s += pick(PIECES);
    }
    out.push(s);
  }
  return out;
}

/** Reference strings, hard cases, then `random` seeded mixes with the family's added tokens. */
export function corpus(family, tokenizerJson, random = 200) {
  const reference = readFileSync(REFERENCE, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).text);
  const added = tokenizerJson.added_tokens.map((t) => t.content);
  const specials = added.length > 40 ? [...added.slice(0, 20), ...added.slice(-20)] : added;
  const withSpaces = specials.slice(0, 6).flatMap((t) => [` ${t} `, `x${t}y`, `\n${t}\n`]);
  return [...reference, ...HARD, ...withSpaces, ...randomStrings(family, specials, random)];
}
