#!/usr/bin/env python3
"""Write signed ReachCell deliveries as a Lua table for scripts/load.lua.

Usage: load_requests.py MIX SECRET OUTPUT

MIX is `mixed` (valid, forged, stale, malformed and oversized deliveries) or
`valid1k` (valid deliveries of 1 KiB). Valid deliveries carry the current time, so
write the file right before the run: the receiver accepts timestamps up to
5 minutes old. Signatures follow the documented recipe,
sha256=hex(HMAC-SHA256(key = SHA-256(secret), raw body)).
"""

import datetime
import hashlib
import hmac
import json
import random
import sys

# Deliveries out of every 20 in the `mixed` run, by kind, with the status the
# receiver is expected to respond with.
MIX = [
    ("valid", 14, 200),
    ("forged", 2, 400),
    ("stale", 2, 400),
    ("malformed", 1, 400),
    ("oversized", 1, 413),
]

# Larger than the layer's default 256 KiB body limit.
OVERSIZED_BYTES = 300 * 1024

STALE_AGE = datetime.timedelta(hours=1)


def sign(secret, body):
    key = hashlib.sha256(secret.encode()).digest()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def sms_received(index, timestamp, size=None):
    """Return an sms.received body, padded to exactly `size` bytes when given."""
    envelope = {
        "event_id": f"01LOAD{index:020d}",
        "event_type": "sms.received",
        "api_version": "v1",
        "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": {"from": "+14155553000", "to": "+14155552671", "body": ""},
    }
    body = json.dumps(envelope, separators=(",", ":")).encode()
    if size is not None:
        if size < len(body):
            raise ValueError(f"{size} bytes cannot hold a {len(body)}-byte envelope")
        envelope["data"]["body"] = "x" * (size - len(body))
        body = json.dumps(envelope, separators=(",", ":")).encode()
    return body


def delivery(kind, index, secret, now):
    if kind == "valid":
        body = sms_received(index, now)
        return {"header": sign(secret, body), "body": body.decode()}
    if kind == "forged":
        body = sms_received(index, now)
        return {"header": sign(secret + "-wrong", body), "body": body.decode()}
    if kind == "stale":
        body = sms_received(index, now - STALE_AGE)
        return {"header": sign(secret, body), "body": body.decode()}
    if kind == "malformed":
        body = sms_received(index, now)
        return {"header": "sha256=" + "zz" * 32, "body": body.decode()}
    if kind == "oversized":
        # Built in Lua from its length, to keep this file small; the layer responds
        # with 413 from Content-Length before reading it.
        return {"header": "sha256=" + "00" * 32, "oversized": OVERSIZED_BYTES}
    raise ValueError(kind)


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("mixed", "valid1k"):
        sys.exit("usage: load_requests.py mixed|valid1k SECRET OUTPUT")
    mix, secret, output = sys.argv[1:]
    now = datetime.datetime.now(datetime.timezone.utc)

    entries = []
    if mix == "valid1k":
        for index in range(100):
            body = sms_received(index, now, size=1024)
            entries.append(("valid", 200, {"header": sign(secret, body), "body": body.decode()}))
    else:
        kinds = [(kind, status) for kind, count, status in MIX for _ in range(count)] * 5
        random.Random(7).shuffle(kinds)
        for index, (kind, status) in enumerate(kinds):
            entries.append((kind, status, delivery(kind, index, secret, now)))

    lines = ["return {"]
    for kind, status, entry in entries:
        fields = [f"kind = {lua_string(kind)}", f"expect = {status}", f"header = {lua_string(entry['header'])}"]
        if "body" in entry:
            fields.append(f"body = {lua_string(entry['body'])}")
        else:
            fields.append(f"oversized = {entry['oversized']}")
        lines.append("  { " + ", ".join(fields) + " },")
    lines.append("}")
    with open(output, "w") as file:
        file.write("\n".join(lines) + "\n")

    expected = {}
    for kind, status, _ in entries:
        expected[status] = expected.get(status, 0) + 1
    shares = ", ".join(f"{status}: {count}/{len(entries)}" for status, count in sorted(expected.items()))
    print(f"{mix}: {len(entries)} deliveries, expected statuses {shares}")


if __name__ == "__main__":
    main()
