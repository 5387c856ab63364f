#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets from the sample deliveries and vectors.

Reads tests/data/events/*.json, tests/data/signatures.json and
tests/data/field-cases.json, and writes one file per seed into
fuzz/corpus/<target>/, which git ignores. Seed names are a hash of their bytes, so a
rerun rewrites the same files. Each input layout is the one described at the top of
its target in fuzz/fuzz_targets/.
"""

import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "fuzz" / "corpus"


def write_seeds(target, seeds):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    unique = {hashlib.sha1(seed).hexdigest(): seed for seed in seeds}
    for name, seed in unique.items():
        (folder / name).write_bytes(seed)
    print(f"{target}: {len(unique)} seeds in {folder.relative_to(ROOT)}")


def load_cases():
    """Return (secret, header, body) triples from both vector files."""
    cases = []
    vectors = json.loads((DATA / "signatures.json").read_text())["vectors"]
    field_cases = json.loads((DATA / "field-cases.json").read_text())["cases"]
    for case in vectors + field_cases:
        secrets = case["secret"] if isinstance(case["secret"], list) else [case["secret"]]
        body = bytes.fromhex(case["body_hex"])
        header = case.get("header")
        for secret in secrets:
            cases.append((secret.encode(), None if header is None else header.encode(), body))
    return cases


def main():
    events = [path.read_bytes() for path in sorted((DATA / "events").glob("*.json"))]
    cases = load_cases()

    headers = [header for _, header, _ in cases if header is not None]
    headers += [b"", b"sha256=", b" \tsha256=" + b"0" * 64 + b"\t "]
    write_seeds("header_parser", headers)

    verify = [secret + b"\n" + (header or b"") + b"\n" + body for secret, header, body in cases]
    write_seeds("verify_signature", verify)

    bodies = events + [body for _, _, body in cases]
    write_seeds("event_parser", bodies)

    # The target replaces the value `SIGN` with the body's true signature.
    signed_head = b"content-type: application/json\nx-reachcell-signature: SIGN\n\n"
    tower = [signed_head + body for body in bodies]
    tower += [
        b"x-reachcell-signature: " + header + b"\n\n" + body
        for _, header, body in cases
        if header is not None
    ]
    tower.append(b"content-length: 999999\nx-reachcell-signature: SIGN\n\n{}")
    tower.append(b"x-reachcell-signature: SIGN\nx-reachcell-signature: SIGN\n\n" + events[0])
    write_seeds("tower_service", tower)


if __name__ == "__main__":
    main()
