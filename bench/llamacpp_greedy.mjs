// Run an exported GGUF in llama.cpp (node-llama-cpp's prebuilt binaries): tokenize, then decode greedily.
//
//   echo '{"model": "a.gguf", "module": ".../node-llama-cpp/dist/index.js", "texts": ["[Ana]"],
//          "prompts": [[1, 2, 3]], "max_new": 16}' | node bench/llamacpp_greedy.mjs
//
// Prints one JSON object: the EOS id, each text's ids (special tokens parsed, no BOS), and per prompt
// the greedy continuation (temperature 0, no penalties) up to max_new tokens or the first end-of-generation
// token, which is included so the caller sees where llama.cpp stopped.
import { pathToFileURL } from "node:url";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const { getLlama } = await import(pathToFileURL(job.module).href);

const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath: job.model });
// one thread by default: llama.cpp's spinning workers crawl on a machine shared with other jobs
const context = await model.createContext({ contextSize: job.context ?? 1024, batchSize: 512, threads: job.threads ?? 1 });
const sequence = context.getSequence();

const tokenized = (job.texts ?? []).map((text) => Array.from(model.tokenize(text, true)));
const generated = [];
for (const prompt of job.prompts ?? []) {
  await sequence.clearHistory();
  const out = [];
  for await (const token of sequence.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
    out.push(token);
    if (model.isEogToken(token) || out.length >= (job.max_new ?? 16)) break;
  }
  generated.push(out);
}
console.log(JSON.stringify({ eos: model.tokens.eos, tokenized, generated }));
await context.dispose();
await model.dispose();
await llama.dispose();
