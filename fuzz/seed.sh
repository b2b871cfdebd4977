#!/usr/bin/env bash
# Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (generated, not
# committed; libFuzzer adds what it finds there too). Idempotent: each seed is named by the
# SHA-1 of its content, as libFuzzer names corpus files.
#   activity:    every JSON test vector (../shared/vectors when present, and the copy in
#                schema/tests/vectors), plus activities addressed to the harness's local actors
#   signature:   requests with Signature / Authorization headers in the formats of
#                src/federation/signature_tests.rs
#   ssh_command: the exec commands git sends, and refused ones
set -euo pipefail
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")

seed() { # seed <target>: stdin becomes one seed file
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  mv "$tmp" "$fuzz/corpus/$1/$(sha1sum "$tmp" | cut -d' ' -f1)"
}
lines() { # lines <target>: every stdin line becomes one seed (without its newline)
  local line
  while IFS= read -r line; do
    [ -n "$line" ] && printf '%s' "$line" | seed "$1"
  done
}
# Splits stdin on lines holding only `---` into seeds (for multi-line seeds).
blocks() { # blocks <target>
  local block="" line
  while IFS= read -r line; do
    if [ "$line" = "---" ]; then
      printf '%s' "$block" | seed "$1"
      block=""
    else
      block+="$line"$'\n'
    fi
  done
  [ -n "$block" ] && printf '%s' "$block" | seed "$1"
  return 0
}

mkdir -p "$fuzz/corpus/activity" "$fuzz/corpus/signature" "$fuzz/corpus/ssh_command"

# --- activity ----------------------------------------------------------------------------
for dir in "$root/../shared/vectors" "$root/schema/tests/vectors"; do
  [ -d "$dir" ] || continue
  find "$dir" -type f \( -name '*.json' -o -name '*.jsonld' \) -print0 |
    while IFS= read -r -d '' f; do seed activity <"$f"; done
done
# The harness's instance: https://orchard.example with alice, repos/r, projects/p, trackers/t,
# factories/f; mallory holds the admin Grant <resource>/activities/fuzz-admin on r, p and t.
lines activity <<'JSON'
{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/a/1","type":"Follow","actor":"https://remote.example/people/mallory","object":"https://orchard.example/people/alice"}
{"id":"https://remote.example/a/2","type":"Follow","actor":"https://remote.example/people/mallory","object":"https://orchard.example/repos/r"}
{"id":"https://remote.example/a/3","type":"Undo","actor":"https://remote.example/people/mallory","object":{"id":"https://remote.example/a/2","type":"Follow","actor":"https://remote.example/people/mallory","object":"https://orchard.example/repos/r"}}
{"type":"Like","startTime":"2024-03-07T00:00:00Z","actor":"https://remote.example/people/mallory","object":"https://orchard.example/repos/r"}
{"type":"Undo","startTime":"2024-03-07T00:00:01+01:00","actor":"https://remote.example/people/mallory","object":{"type":"Like","startTime":"2024-03-07T00:00:00Z","actor":"https://remote.example/people/mallory","object":"https://orchard.example/projects/p"}}
{"id":"https://remote.example/a/4","type":"Accept","actor":"https://remote.example/people/mallory","object":"https://orchard.example/people/alice/activities/x"}
{"id":"https://remote.example/a/5","type":"Reject","actor":"https://remote.example/people/mallory","object":"https://orchard.example/people/alice/activities/x"}
{"id":"https://remote.example/a/6","type":"Invite","actor":"https://remote.example/people/mallory","instrument":"write","target":"https://orchard.example/repos/r","object":"https://orchard.example/people/alice","capability":"https://orchard.example/repos/r/activities/fuzz-admin","to":["https://orchard.example/repos/r","https://orchard.example/people/alice"]}
{"id":"https://remote.example/a/7","type":"Invite","actor":"https://remote.example/people/mallory","instrument":"maintain","target":"https://orchard.example/trackers/t","object":"https://remote.example/people/eve","capability":"https://orchard.example/trackers/t/activities/fuzz-admin"}
{"id":"https://remote.example/a/8","type":"Accept","actor":"https://orchard.example/people/alice","object":"https://remote.example/a/6"}
{"id":"https://remote.example/a/9","type":"Remove","actor":"https://remote.example/people/mallory","object":"https://orchard.example/people/alice","origin":"https://orchard.example/repos/r","target":"https://orchard.example/repos/r","capability":"https://orchard.example/repos/r/activities/fuzz-admin"}
{"id":"https://remote.example/a/10","type":"Add","actor":"https://remote.example/people/mallory","object":"https://orchard.example/repos/r","target":"https://orchard.example/projects/p/components","capability":"https://orchard.example/projects/p/activities/fuzz-admin"}
{"id":"https://remote.example/a/11","type":"Remove","actor":"https://remote.example/people/mallory","object":"https://orchard.example/repos/r","origin":"https://orchard.example/projects/p/components","capability":"https://orchard.example/projects/p/activities/fuzz-admin"}
{"id":"https://remote.example/a/12","type":"Offer","actor":"https://remote.example/people/mallory","to":["https://orchard.example/trackers/t"],"target":"https://orchard.example/trackers/t","object":{"type":"Ticket","attributedTo":"https://remote.example/people/mallory","summary":"It breaks","content":"<p>Steps</p>","mediaType":"text/html","source":{"mediaType":"text/markdown","content":"Steps"}},"capability":"https://orchard.example/trackers/t/activities/fuzz-admin"}
{"id":"https://remote.example/a/13","type":"Create","actor":"https://remote.example/people/mallory","object":{"id":"https://remote.example/notes/1","type":"Note","attributedTo":"https://remote.example/people/mallory","context":"https://orchard.example/trackers/t/tickets/1","inReplyTo":"https://orchard.example/trackers/t/tickets/1","content":"me too"}}
{"id":"https://remote.example/a/14","type":"Resolve","actor":"https://remote.example/people/mallory","object":"https://orchard.example/trackers/t/tickets/1","capability":"https://orchard.example/trackers/t/activities/fuzz-admin"}
{"id":"https://remote.example/a/15","type":"Undo","actor":"https://remote.example/people/mallory","object":{"id":"https://remote.example/a/14","type":"Resolve","actor":"https://remote.example/people/mallory","object":"https://orchard.example/trackers/t/tickets/1"},"capability":"https://orchard.example/trackers/t/activities/fuzz-admin"}
{"id":"https://remote.example/a/16","type":"Edit","actor":"https://remote.example/people/mallory","object":{"id":"https://orchard.example/repos/r","type":"Repository","name":"renamed","summary":"new"},"capability":"https://orchard.example/repos/r/activities/fuzz-admin"}
{"id":"https://remote.example/a/17","type":"Patch","actor":"https://remote.example/people/mallory","object":"https://orchard.example/trackers/t","capability":"https://orchard.example/trackers/t/activities/fuzz-admin"}
{"id":"https://remote.example/a/18","type":"Grant","actor":"https://remote.example/repos/x","context":"https://remote.example/repos/x","target":"https://orchard.example/people/alice","object":"admin","allows":"invoke","startTime":"2024-01-01T00:00:00Z","endTime":"2099-01-01T00:00:00Z"}
{"id":"https://remote.example/a/19","type":"Revoke","actor":"https://remote.example/repos/x","object":"https://remote.example/a/18"}
{"id":"https://remote.example/a/20","type":"Create","actor":"https://remote.example/people/mallory","object":{"type":"Repository","name":"x"},"capability":"https://orchard.example/factories/f/activities/fuzz-admin"}
{"id":"https://remote.example/a/21","type":"Accept","actor":"https://remote.example/projects/q","object":"https://orchard.example/repos/r/activities/x","result":"https://remote.example/projects/q/components/1"}
JSON

# --- signature ---------------------------------------------------------------------------
# `date: now` is replaced by the current HTTP date by the harness (see fuzz_targets/signature.rs).
blocks signature <<'REQ'
POST /people/bob/inbox
host: b.example
date: now
digest: SHA-256=sMhm2Uw30ZnRHFVn1CZ7LuYE7jV+lyXDbKtz6TwNe3o=
signature: keyId="https://a.example/people/alice#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYmFzZTY0"

{"type":"Follow"}
---
GET /people/bob?page=2
host: b.example:8080
date: now-100
signature: keyId="http://a.example/people/alice#main-key",algorithm="hs2019",headers="(request-target) host date",signature="c2lnbmF0dXJl"
---
POST /inbox
host: b.example
date: now+60
digest: sha-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=, SHA-512=abc
authorization: Signature keyId="https://a.example/actor#key",headers="(request-target) host date digest (created) (expires)",created=1700000000,expires="9999999999.5",signature="c2ln"

---
POST /people/bob/inbox
host: b.example
date: now
date: now
digest: SHA-256=x
signature: keyId="https://a.example/k",algorithm="RSA-SHA256",headers="(request-target) host date digest x-extra x-extra",signature="c2ln"
x-extra: one
x-extra: two
---
POST /people/bob/inbox
host: b.example
date: Tue, 15 Nov 1994 08:12:31 GMT
signature: keyId=https://a.example/k, algorithm=rsa-sha256, headers="(request-target) host date digest", signature=c2ln

---
POST /people/bob/inbox
host: b.example
date: now
digest: SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
signature: keyId="https://a.example/k",algorithm="ed25519",signature="c2ln"

-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo
4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u
+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh
kd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ
0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdg
cKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbc
mwIDAQAB
-----END PUBLIC KEY-----
REQ

# --- ssh_command -------------------------------------------------------------------------
lines ssh_command <<'CMD'
git-receive-pack '/repos/tree-sim'
git-upload-pack '/repos/tree-sim'
git receive-pack '/repos/tree-sim'
git upload-pack 'repos/tree-sim.git/'
git-upload-pack /repos/a_1
git-upload-pack '/repos/../x'
git-upload-pack '/repos/x' ; id
git --exec-path=/tmp upload-pack '/repos/x'
git-upload-archive '/repos/x'
scp -t /repos/x
CMD
printf "git-upload-pack '/repos/x\0'" | seed ssh_command
printf "git-upload-pack '/repos/\xff'" | seed ssh_command

echo "seeds: $(ls "$fuzz/corpus/activity" | wc -l) activity, $(ls "$fuzz/corpus/signature" | wc -l) signature, $(ls "$fuzz/corpus/ssh_command" | wc -l) ssh_command"
