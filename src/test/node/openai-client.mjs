// The official openai client against `vco serve`: models, a plain and a streamed chat completion with an
// image data URL (same seed, so the same text), and typed errors. Started by OpenAiClientTest:
//   node openai-client.mjs BASE_URL API_KEY MODEL IMAGE.png
// Prints the plain completion's text, finish reason and usage as one JSON line; fails with a non-zero exit.
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const [baseURL, apiKey, model, imagePath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
const image = `data:image/png;base64,${readFileSync(imagePath).toString('base64')}`;
const settings = {
  model,
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: [{ type: 'image_url', image_url: { url: image } }, { type: 'text', text: 'What is in the picture?' }] },
  ],
  temperature: 0.8,
  top_p: 0.95,
  seed: 7,
  max_tokens: 16,
};

const models = await client.models.list();
assert.deepEqual(models.data.map((m) => m.id), [model]);

const completion = await client.chat.completions.create(settings);
assert.equal(completion.object, 'chat.completion');
assert.match(completion.id, /^chatcmpl-/);
const choice = completion.choices[0];
assert.equal(choice.message.role, 'assistant');
assert.ok(choice.message.content.length > 0, 'an empty answer');
assert.ok(['stop', 'length'].includes(choice.finish_reason), choice.finish_reason);
assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);

const stream = await client.chat.completions.create({ ...settings, stream: true, stream_options: { include_usage: true } });
let text = '';
let finish = null;
let usage = null;
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  assert.equal(chunk.object, 'chat.completion.chunk');
  for (const c of chunk.choices) {
    text += c.delta.content ?? '';
    finish = c.finish_reason ?? finish;
  }
  if (chunk.usage) usage = chunk.usage;
}
assert.ok(chunks >= 3, `only ${chunks} chunks`);
assert.equal(text, choice.message.content);
assert.equal(finish, choice.finish_reason);
assert.deepEqual(usage, completion.usage);

await assert.rejects(client.chat.completions.create({ ...settings, n: 2 }),
  (e) => e instanceof OpenAI.BadRequestError && e.param === 'n');
await assert.rejects(new OpenAI({ baseURL, apiKey: 'wrong', maxRetries: 0 }).models.list(),
  (e) => e instanceof OpenAI.AuthenticationError);

console.log(JSON.stringify({ content: choice.message.content, finish_reason: choice.finish_reason, usage: completion.usage }));
