#!/usr/bin/env python3
"""A fediverse peer that is not ours, for tests/interop_bovine.rs: every signature it makes or
checks is done by the PyPI package `bovine` (one request is signed by `httpsig` instead).

It generates an RSA key, serves its actor document (Person, publicKey {id, owner, publicKeyPem})
and an inbox on 127.0.0.1:<free port>, then obeys one command per stdin line:

    follow <actor IRI>          Follow the actor (inbox from its document), signed by bovine
    send <Type> <actor IRI>     a Like (or any other type) of the actor, signed by bovine
    httpsig <Type> <actor IRI>  the same, signed by httpsig with the `Signature` header
    quit                        (or end of input) stops the peer

and prints one JSON line per event on stdout:

    {"event": "ready", "actor": ..., "inbox": ..., "key_id": ...}
    {"event": "post", "via": "bovine", "type": "Follow", "id": ..., "status": 202, "body": {...}}
    {"event": "inbox", "type": "Accept", "verified": true, "controller": ..., ...}
    {"event": "error", "command": ..., "error": ...}

Inbox POSTs are verified by bovine's SignatureChecker (Digest, Date, signature) with the key
fetched from the keyId URL by a bovine-signed GET; `verified` also needs the key's owner to be the
activity's actor. The signing string bovine rebuilt is reported, to debug a mismatch.
"""

import asyncio
import base64
import hashlib
import json
import sys
import uuid
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from bovine.activitystreams import Actor, factories_for_actor_object
from bovine.clients.signed_http import SignedHttpClient
from bovine.crypto import generate_rsa_public_private_key
from bovine.crypto.signature import Signature
from bovine.crypto.signature_checker import SignatureChecker
from bovine.crypto.types import CryptographicIdentifier
from bovine.utils import get_gmt_now

AP = "application/activity+json"


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


class Peer:
    def __init__(self, session):
        self.session = session
        self.public_pem, self.private_pem = generate_rsa_public_private_key()
        self.sent = {}  # activity id -> activity, served at its id
        self.fetched_keys = {}  # keyId -> (HTTP status, publicKeyPem)
        self.checker = SignatureChecker(self.retrieve_key)

    def listening_at(self, base):
        self.base = base
        self.actor_id = f"{base}/actor"
        self.key_id = f"{self.actor_id}#main-key"
        self.inbox = f"{base}/inbox"
        self.document = Actor(
            id=self.actor_id,
            preferred_username="cow",
            name="A bovine peer",
            inbox=self.inbox,
            outbox=f"{base}/outbox",
            followers=f"{base}/followers",
            public_key=self.public_pem,
            public_key_name="main-key",
        ).build()
        self.client = SignedHttpClient(self.session, self.key_id, self.private_pem)
        self.activities, _ = factories_for_actor_object(
            self.document, id_generator=lambda: f"{base}/activities/{uuid.uuid4()}"
        )

    # ---- outgoing ----

    async def inbox_of(self, actor_iri):
        """The inbox named by an actor's document, fetched with a bovine-signed GET."""
        response = await self.client.get(actor_iri)
        async with response:
            if response.status != 200:
                raise RuntimeError(f"GET {actor_iri} answered {response.status}")
            return (await response.json(content_type=None))["inbox"]

    def build(self, kind, obj):
        if kind == "Follow":
            activity = self.activities.follow(obj)
        elif kind == "Like":
            activity = self.activities.like(obj, to={obj})
        else:
            activity = self.activities.custom(type=kind, object=obj, to={obj})
        activity = activity.build()
        self.sent[activity["id"]] = activity
        return activity

    async def report(self, via, activity, response):
        async with response:
            text = await response.text()
        try:
            body = json.loads(text)
        except ValueError:
            body = text
        emit("post", via=via, type=activity["type"], id=activity["id"],
             status=response.status, body=body)

    async def send_bovine(self, kind, obj):
        activity = self.build(kind, obj)
        inbox = await self.inbox_of(obj)
        response = await self.client.post(inbox, json.dumps(activity))
        await self.report("bovine", activity, response)

    async def send_httpsig(self, kind, obj):
        from httpsig import HeaderSigner

        activity = self.build(kind, obj)
        inbox = await self.inbox_of(obj)
        body = json.dumps(activity).encode("utf-8")
        url = urlsplit(inbox)
        path = url.path + (f"?{url.query}" if url.query else "")
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        headers = {
            "Host": url.netloc,
            "Date": get_gmt_now(),
            "Digest": f"SHA-256={digest}",
            "Content-Type": AP,
        }
        signer = HeaderSigner(
            self.key_id,
            self.private_pem,
            algorithm="rsa-sha256",
            headers=["(request-target)", "host", "date", "digest"],
            sign_header="signature",
        )
        signed = dict(signer.sign(headers, method="POST", path=path))
        response = await self.session.post(inbox, data=body, headers=signed)
        await self.report("httpsig", activity, response)

    # ---- incoming ----

    async def retrieve_key(self, key_id):
        response = await self.client.get(key_id)
        async with response:
            status = response.status
            data = await response.json(content_type=None) if status == 200 else {}
        key = data.get("publicKey", data)
        if isinstance(key, list):
            key = next((k for k in key if k.get("id") == key_id), {})
        self.fetched_keys[key_id] = (status, key.get("publicKeyPem"))
        if key.get("id") != key_id:
            return None
        return CryptographicIdentifier.from_public_key(key)

    async def on_inbox(self, request):
        raw = await request.read()

        async def body():
            return raw

        headers = request.headers
        controller = await self.checker.validate_signature(
            request.method, str(request.url), headers, body
        )
        try:
            activity = json.loads(raw)
        except ValueError:
            activity = {}
        event = {
            "type": activity.get("type"),
            "id": activity.get("id"),
            "actor": activity.get("actor"),
            "object": activity.get("object"),
            "controller": controller,
            "verified": controller is not None and controller == activity.get("actor"),
            "headers": {k.lower(): v for k, v in headers.items()},
        }
        try:
            parsed = Signature.from_signature_header(headers["signature"])
            event["key_id"] = parsed.key_id
            event["key_fetch_status"] = self.fetched_keys.get(parsed.key_id, (None,))[0]
            rebuilt = self.checker.build_http_signature(
                parsed.fields, request.method, str(request.url), parsed, headers
            )
            event["signing_string"] = rebuilt.build_message()
            event["httpsig_verified"] = self.httpsig_verify(request, parsed.key_id)
        except Exception as error:  # reported, not fatal: the test reads the event
            event["signature_error"] = repr(error)
        emit("inbox", **event)
        return web.json_response({}, status=202)

    def httpsig_verify(self, request, key_id):
        """A second, independent check of the same request with httpsig's HeaderVerifier."""
        from httpsig.verify import HeaderVerifier

        pem = self.fetched_keys.get(key_id, (None, None))[1]
        if pem is None:
            return None
        required = ["(request-target)", "host", "date", "digest"]
        return HeaderVerifier(dict(request.headers), pem, required, request.method,
                              request.path_qs, sign_header="signature").verify()

    async def on_get(self, request):
        url = f"{self.base}{request.path}"
        document = self.document if url == self.actor_id else self.sent.get(url)
        if document is None:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response(document, content_type=AP)


async def commands(peer):
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        words = line.split()
        if not line or words == ["quit"]:
            return
        if not words:
            continue
        try:
            match words:
                case ["follow", obj]:
                    await peer.send_bovine("Follow", obj)
                case ["send", kind, obj]:
                    await peer.send_bovine(kind, obj)
                case ["httpsig", kind, obj]:
                    await peer.send_httpsig(kind, obj)
                case _:
                    raise ValueError("unknown command")
        except Exception as error:
            emit("error", command=line.strip(), error=repr(error))


async def main():
    async with aiohttp.ClientSession() as session:
        peer = Peer(session)
        app = web.Application()
        app.router.add_post("/inbox", peer.on_inbox)
        app.router.add_get("/{tail:.*}", peer.on_get)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        peer.listening_at(f"http://127.0.0.1:{port}")
        emit("ready", actor=peer.actor_id, inbox=peer.inbox, key_id=peer.key_id)
        try:
            await commands(peer)
        finally:
            await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
