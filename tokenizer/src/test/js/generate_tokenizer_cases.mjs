// Expected outputs of one tokenizer on the corpus, computed by transformers.js (the JS port of
// Hugging Face tokenizers/transformers). Usage (docs/tokenizer.md):
//   npm install --ignore-scripts
//   node generate_tokenizer_cases.mjs FAMILY ../resources/xcheck/FAMILY > ../resources/xcheck/FAMILY/tokenization.jsonl
// The directory holds tokenizer.json (or .json.gz) and tokenizer_config.json.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { corpus } from './corpus.mjs';

const [family, dir] = process.argv.slice(2);
const readJson = (name) => {
  try {
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    return JSON.parse(gunzipSync(readFileSync(join(dir, name + '.gz'))).toString('utf8'));
  }
};
const tokenizerJson = readJson('tokenizer.json');
const config = readJson('tokenizer_config.json');
// The class named by tokenizer_config.json, as AutoTokenizer picks it (unknown names: the base class).
const cls = transformers[config.tokenizer_class?.replace(/Fast$/, '')] ?? transformers.PreTrainedTokenizer;
const tok = new cls(tokenizerJson, config);

// transformers.js refuses to decode no ids (HF gives ""); transformers 5 no longer cleans up spaces.
const decode = (ids, skip) =>
  ids.length ? tok.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false }) : '';

for (const text of corpus(family, tokenizerJson, Number(process.env.RANDOM_STRINGS ?? 200))) {
  const ids = tok.encode(text, { add_special_tokens: false });
  process.stdout.write(JSON.stringify({
    text,
    ids,
    ids_with_special: tok.encode(text, { add_special_tokens: true }),
    decoded: decode(ids, false),
    decoded_skip_special: decode(ids, true),
  }) + '\n');
}
