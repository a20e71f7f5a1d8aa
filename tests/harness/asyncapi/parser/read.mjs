// Reads AsyncAPI files with the official parser and prints what interop compares, as JSON:
// {file: {ok, diagnostics, channels: [{address, messages}], operations: [{action, channel,
// messages}], payloads: {message: [property names]}}}. Usage: node read.mjs FILE...
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { Parser, fromFile } = require("@asyncapi/parser");

const parser = new Parser();
const out = {};
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await fromFile(parser, file).parse();
  const errors = diagnostics.filter((d) => d.severity === 0).map((d) => d.message);
  if (!document) {
    out[file] = { ok: false, diagnostics: errors };
    continue;
  }
  const name = (m) => m.id();
  const channels = document.channels().all().map((c) => ({
    address: c.address(),
    messages: c.messages().all().map(name).sort(),
  }));
  const operations = document.operations().all().map((o) => ({
    action: o.isSend() ? "send" : "receive",
    channels: o.channels().all().map((c) => c.address()).sort(),
    messages: o.messages().all().map(name).sort(),
  }));
  const payloads = {};
  for (const m of document.allMessages().all()) {
    const payload = m.payload();
    const properties = payload && payload.properties() ? Object.keys(payload.properties()) : [];
    payloads[name(m)] = properties.sort();
  }
  out[file] = { ok: true, diagnostics: errors, channels, operations, payloads };
}
process.stdout.write(JSON.stringify(out));
