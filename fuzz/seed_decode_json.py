#!/usr/bin/env python3
"""Writes corpus/decode_json/ seeds from the documented examples.

Each valid JSON block of conformance/fixtures/seeds whose manifest names a type
listed in fuzz_targets/decode_json.rs becomes one input: the type's index as
the first byte, then the block's bytes unchanged.
"""
import json
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
SEEDS = FUZZ.parent / "conformance" / "fixtures" / "seeds"
OUT = FUZZ / "corpus" / "decode_json"

target = (FUZZ / "fuzz_targets" / "decode_json.rs").read_text()
types = re.findall(r'^\s+"([\w.]+)",$', target.split("const TYPES")[1].split("];")[0], re.M)
index = {name: i for i, name in enumerate(types)}

OUT.mkdir(parents=True, exist_ok=True)
written = 0
for block in json.loads((SEEDS / "manifest.json").read_text())["fixtures"]:
    name = block["documents"].get("type")
    if not block["valid_json"] or name not in index:
        continue
    stem = "seed-" + block["fixture"].replace("/", "-").removesuffix(".json")
    data = bytes([index[name]]) + (SEEDS / block["fixture"]).read_bytes()
    (OUT / stem).write_bytes(data)
    written += 1
print(f"{written} seeds in {OUT.relative_to(FUZZ)}")
