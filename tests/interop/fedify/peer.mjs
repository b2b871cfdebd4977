#!/usr/bin/env node
// A fediverse peer that is not ours, for tests/interop_fedify.rs: discovery, document loading,
// HTTP signatures (made and checked) and the ActivityStreams objects it sends are all done by
// the npm package @fedify/fedify (1.10.x, see package.json). Install with `npm ci` here.
//
// It generates an RSA key, serves its actor document (a Fedify `Person` with a
// `CryptographicKey`: publicKey {id, owner, publicKeyPem}) and an inbox on 127.0.0.1:<free port>,
// then obeys one command per stdin line:
//
//     discover <resource>     lookupWebFinger(resource), then lookupObject(resource) with
//                             Fedify's document loader, and the raw document of the `self` link
//     follow <actor IRI>      a Fedify Follow of the actor, POSTed to the inbox named by its
//                             document, signed by signRequest (draft-cavage-http-signatures-12)
//     like <object IRI>       the same with a Like (a star, for a repository)
//     quit                    (or end of input) stops the peer
//
// and prints one JSON line per event on stdout:
//
//     {"event": "ready", "actor": ..., "inbox": ..., "key_id": ..., "fedify": "1.10.12"}
//     {"event": "discovered", "resource": ..., "webfinger": {...}, "document": {...}, "lookup": {...}}
//     {"event": "post", "type": "Follow", "id": ..., "status": 202, "body": ..., "signature": {...}}
//     {"event": "inbox", "type": "Accept", "verified": true, "key_owner": ..., ...}
//     {"event": "error", "command": ..., "error": ...}
//
// Inbox POSTs are checked by Fedify's verifyRequest (Digest, Date, draft-cavage signature with
// the key fetched by Fedify's document loader); `owner_matches` also needs the key's owner to
// be the activity's actor (what Fedify's doesActorOwnKey checks). Fedify's own debug log lines
// of each check are reported in `fedify_log`, so a refusal says why.
//
// Options: `--plain-http HOST:PORT` (repeatable). Fedify looks up `acct:` WebFinger resources
// over https only (RFC 7033); the Orchard instances of the tests serve plain HTTP on loopback,
// so for these authorities only the peer's fetch maps https://HOST:PORT/ to http://HOST:PORT/.
// Every such mapping is reported in the event (`https_mapped_to_http`).

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { AsyncLocalStorage } from "node:async_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// Node 18 and 20 lack ArrayBuffer.prototype.transfer (ES2024), which Fedify's dependencies
// (byte-encodings) call when they encode signatures and digests. Same semantics: a copy of
// the first `length` bytes (zero-filled beyond the old length); the original is not detached.
if (typeof ArrayBuffer.prototype.transfer !== "function") {
  Object.defineProperty(ArrayBuffer.prototype, "transfer", {
    configurable: true,
    writable: true,
    value: function transfer(length = this.byteLength) {
      const copy = new ArrayBuffer(length);
      const n = Math.min(length, this.byteLength);
      new Uint8Array(copy).set(new Uint8Array(this, 0, n));
      return copy;
    },
  });
}

// Node 18 (Debian bookworm's nodejs, what .ci/run installs when a machine has no Node) has Web
// Crypto only as node:crypto's `webcrypto`, not as the globals `crypto` and `CryptoKey` Fedify uses.
if (globalThis.crypto?.subtle == null || globalThis.CryptoKey == null) {
  const { webcrypto } = await import("node:crypto");
  if (globalThis.crypto?.subtle == null) {
    Object.defineProperty(globalThis, "crypto", { configurable: true, value: webcrypto });
  }
  globalThis.CryptoKey ??= webcrypto.CryptoKey;
}

const fedify = await import("@fedify/fedify");
const { configure } = await import("@logtape/logtape");
const {
  Activity,
  CryptographicKey,
  Follow,
  Like,
  Object: ASObject,
  Person,
  doesActorOwnKey,
  exportSpki,
  generateCryptoKeyPair,
  getDocumentLoader,
  getTypeId,
  isActor,
  lookupObject,
  lookupWebFinger,
  signRequest,
  verifyRequest,
} = fedify;

const HERE = fileURLToPath(new URL(".", import.meta.url));
const FEDIFY_VERSION = JSON.parse(
  readFileSync(`${HERE}/node_modules/@fedify/fedify/package.json`, "utf8"),
).version;
const AP = "application/activity+json";

function emit(event, fields) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

// ---- Fedify's log, captured per operation ----

// Each operation collects the log records made within it (async context), so that concurrent
// operations (an inbox POST arriving during a command) do not mix their lines.
const logContext = new AsyncLocalStorage();
await configure({
  sinks: {
    memory(record) {
      const text = record.message
        .map((part, i) => (i % 2 === 0 ? part : typeof part === "string" ? part : safeJson(part)))
        .join("");
      logContext.getStore()?.push(`${record.level} ${record.category.join(".")}: ${text}`.slice(0, 2000));
    },
  },
  loggers: [
    { category: "fedify", sinks: ["memory"], lowestLevel: "debug" },
    { category: ["logtape", "meta"], sinks: [], lowestLevel: "error" },
  ],
});

function safeJson(value) {
  try {
    return value instanceof Error ? String(value) : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Runs `f` and answers [its result, the Fedify log lines it produced]. */
async function logged(f) {
  const lines = [];
  const result = await logContext.run(lines, f);
  return [result, lines];
}

// ---- plain-HTTP test authorities (see the header) ----

const plainHttp = new Set();
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--plain-http" && process.argv[i + 1]) plainHttp.add(process.argv[++i]);
}
let mapped = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const href = input instanceof Request ? input.url : String(input);
  const url = new URL(href);
  if (url.protocol === "https:" && plainHttp.has(url.host)) {
    url.protocol = "http:";
    mapped.push(href);
    input = input instanceof Request ? new Request(url, input) : url;
  }
  return realFetch(input, init);
};

// ---- loaders: Fedify's own, private addresses allowed (the test instances are on loopback) ----

const documentLoader = getDocumentLoader({ allowPrivateAddress: true });
// Orchard's documents name the ForgeFed context (https://forgefed.org/ns), which this offline
// machine cannot fetch: it is served from the project's copy of it. Every other context goes
// through Fedify's loader (which has the ActivityStreams and security contexts preloaded).
const FORGEFED_CONTEXT = "https://forgefed.org/ns";
const forgefedContext = JSON.parse(
  readFileSync(`${HERE}/../../../schema/tests/vectors/forgefed-context.jsonld`, "utf8"),
);
const contextLoader = async (url, options) =>
  url === FORGEFED_CONTEXT || url === `${FORGEFED_CONTEXT}.jsonld`
    ? { contextUrl: null, document: forgefedContext, documentUrl: url }
    : documentLoader(url, options);
const loaders = { documentLoader, contextLoader };

// ---- the peer ----

class Peer {
  async init() {
    this.keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    this.publicKeyPem = await exportSpki(this.keys.publicKey);
    this.sent = new Map(); // activity id -> JSON-LD, served at its id
  }

  listeningAt(base) {
    this.base = base;
    this.actorId = new URL(`${base}/actor`);
    this.keyId = new URL(`${base}/actor#main-key`);
    this.inbox = new URL(`${base}/inbox`);
  }

  async document() {
    const person = new Person({
      id: this.actorId,
      preferredUsername: "fedify",
      name: "A Fedify peer",
      inbox: this.inbox,
      outbox: new URL(`${this.base}/outbox`),
      followers: new URL(`${this.base}/followers`),
      publicKey: new CryptographicKey({
        id: this.keyId,
        owner: this.actorId,
        publicKey: this.keys.publicKey,
      }),
    });
    return await person.toJsonLd({ format: "compact", contextLoader });
  }

  // ---- discovery ----

  async discover(resource) {
    mapped = [];
    const [webfinger, wfLog] = await logged(() =>
      lookupWebFinger(resource, { allowPrivateAddress: true }),
    );
    const self = webfinger?.links?.find(
      (l) => l.rel === "self" && l.type === AP && l.href != null,
    )?.href;
    const event = { resource, webfinger, self, fedify_log: wfLog };
    if (self != null) {
      const raw = (await documentLoader(self)).document;
      event.document = {
        id: raw.id,
        type: raw.type,
        inbox: raw.inbox,
        followers: raw.followers,
        likes: raw.likes,
        preferredUsername: raw.preferredUsername,
        publicKey: raw.publicKey && { id: raw.publicKey.id, owner: raw.publicKey.owner },
      };
    }
    const [object, lookupLog] = await logged(() =>
      lookupObject(resource, { ...loaders, allowPrivateAddress: true }),
    );
    event.lookup = object == null ? null : await describe(object);
    event.lookup_log = lookupLog;
    if (object == null && self != null) {
      // Why lookupObject found nothing: parse the same document with Fedify's vocabulary.
      try {
        const raw = (await documentLoader(self)).document;
        await ASObject.fromJsonLd(raw, loaders);
      } catch (error) {
        event.lookup_error = String(error);
      }
    }
    event.https_mapped_to_http = mapped;
    emit("discovered", event);
  }

  // ---- outgoing ----

  async send(kind, objectIri) {
    const raw = (await documentLoader(objectIri)).document;
    if (typeof raw.inbox !== "string") throw new Error(`${objectIri} names no inbox`);
    const id = new URL(`${this.base}/activities/${randomUUID()}`);
    const values = {
      id,
      actor: this.actorId,
      object: new URL(objectIri),
      to: new URL(objectIri),
    };
    const activity = kind === "Follow" ? new Follow(values) : new Like(values);
    const json = await activity.toJsonLd({ format: "compact", contextLoader });
    this.sent.set(id.href, json);
    const body = JSON.stringify(json);
    const request = new Request(raw.inbox, {
      method: "POST",
      headers: { "Content-Type": AP, Accept: AP },
      body,
    });
    const signed = await signRequest(request, this.keys.privateKey, this.keyId, {
      spec: "draft-cavage-http-signatures-12",
    });
    const response = await fetch(signed);
    const text = await response.text();
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = text;
    }
    emit("post", {
      type: kind,
      id: id.href,
      inbox: raw.inbox,
      status: response.status,
      body: answer,
      signature: parseSignature(signed.headers.get("Signature")),
      digest: signed.headers.get("Digest"),
    });
  }

  // ---- incoming ----

  async onInbox(req, res, bytes) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const request = new Request(`${this.base}${req.url}`, {
      method: req.method,
      headers,
      body: bytes,
    });
    const [key, verifyLog] = await logged(() => verifyRequest(request, loaders));
    let json = {};
    try {
      json = JSON.parse(bytes.toString("utf8"));
    } catch {
      // reported as an activity without a type
    }
    const event = {
      type: json.type,
      id: json.id,
      actor: json.actor,
      object: summarize(json.object),
      signature: parseSignature(headers.get("Signature")),
      verified: key != null,
      key_id: key?.id?.href ?? null,
      key_owner: key?.ownerId?.href ?? null,
      owner_matches: key != null && key.ownerId?.href === json.actor,
      fedify_log: verifyLog,
    };
    // Fedify's own view of the activity, and its own key-ownership check when it can parse it.
    try {
      const activity = await Activity.fromJsonLd(json, loaders);
      event.fedify_type = getTypeId(activity).href;
      if (key != null) event.does_actor_own_key = await doesActorOwnKey(activity, key, loaders);
    } catch (error) {
      event.fedify_parse_error = String(error);
    }
    if (json.type === "Push") {
      event.hashBefore = json.hashBefore;
      event.hashAfter = json.hashAfter;
      event.attributedTo = json.attributedTo;
      event.target = summarize(json.target);
      const items = json.object?.orderedItems ?? json.object?.items ?? [];
      event.commits = (Array.isArray(items) ? items : [items]).map((c) => c?.hash ?? c?.id ?? c);
      event.totalItems = json.object?.totalItems;
    }
    emit("inbox", event);
    res.writeHead(202, { "Content-Type": "application/json" });
    res.end("{}");
  }

  async onGet(req, res) {
    const url = `${this.base}${req.url.split("?")[0]}`;
    const document = url === this.actorId.href ? await this.document() : this.sent.get(url);
    if (document == null) {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: "not found" }));
      return;
    }
    res.writeHead(200, { "Content-Type": AP });
    res.end(JSON.stringify(document));
  }
}

async function describe(object) {
  const out = {
    class: object.constructor.name,
    type: getTypeId(object).href,
    id: object.id?.href ?? null,
    is_actor: isActor(object),
  };
  if (isActor(object)) {
    out.inbox = object.inboxId?.href ?? null;
    out.followers = object.followersId?.href ?? null;
    out.preferredUsername = object.preferredUsername?.toString() ?? null;
    const key = await object.getPublicKey(loaders);
    out.publicKey = key && { id: key.id?.href, owner: key.ownerId?.href };
  }
  return out;
}

function summarize(value) {
  if (value == null || typeof value !== "object") return value;
  return { id: value.id, type: value.type, actor: value.actor, object: value.object };
}

function parseSignature(header) {
  if (header == null) return null;
  const fields = {};
  for (const m of header.matchAll(/([A-Za-z]+)="([^"]*)"/g)) fields[m[1]] = m[2];
  return { keyId: fields.keyId, algorithm: fields.algorithm, headers: fields.headers };
}

// ---- main ----

const peer = new Peer();
await peer.init();
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const bytes = Buffer.concat(chunks);
    const handle =
      req.method === "POST" && req.url.split("?")[0] === "/inbox"
        ? peer.onInbox(req, res, bytes)
        : req.method === "GET"
          ? peer.onGet(req, res)
          : Promise.resolve(res.writeHead(405).end());
    handle.catch((error) => {
      emit("error", { command: `${req.method} ${req.url}`, error: String(error?.stack ?? error) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
peer.listeningAt(`http://127.0.0.1:${server.address().port}`);
emit("ready", {
  actor: peer.actorId.href,
  inbox: peer.inbox.href,
  key_id: peer.keyId.href,
  fedify: FEDIFY_VERSION,
  node: process.version,
});

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const words = line.trim().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) continue;
  if (words[0] === "quit") break;
  try {
    if (words[0] === "discover" && words.length === 2) await peer.discover(words[1]);
    else if (words[0] === "follow" && words.length === 2) await peer.send("Follow", words[1]);
    else if (words[0] === "like" && words.length === 2) await peer.send("Like", words[1]);
    else throw new Error("unknown command");
  } catch (error) {
    emit("error", { command: line.trim(), error: String(error?.stack ?? error) });
  }
}
server.close();
server.closeAllConnections?.();
process.exit(0);
