# SPDX-License-Identifier: MIT
"""Deterministic NDJSON for the decode+validate benchmark: the 8-field user record.

Usage: gen_data.py N OUT [--invalid-ratio R]
"""
import argparse
import json
import random
import uuid

NAMES = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fatima", "Gustav", "Hiroshi", "Ines", "José"]
COUNTRIES = ["UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "example.co.uk"]


def record(rng, i, invalid):
    ts = 1700000000 + rng.randrange(0, 30_000_000)
    micros = rng.randrange(0, 1_000_000)
    created = f"{_iso(ts)}.{micros:06d}Z"
    r = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "email": f"{rng.choice(NAMES).lower().replace('é', 'e')}.{i}@{rng.choice(DOMAINS)}",
        "name": f"{rng.choice(NAMES)} {rng.choice(NAMES)}",
        "age": None if rng.random() < 0.2 else rng.randrange(0, 100),
        "country": rng.choice(COUNTRIES),
        "balance": f"{rng.randrange(0, 10**9) / 100:.2f}",
        "created_at": created,
        "updated_at": None if rng.random() < 0.5 else f"{_iso(ts + rng.randrange(0, 10**6))}Z",
    }
    if invalid:
        field = rng.choice(["email", "age", "country", "extra"])
        if field == "email":
            r["email"] = "not-an-email"
        elif field == "age":
            r["age"] = 200
        elif field == "country":
            r["country"] = "XX"
        else:
            r["unexpected"] = 1
    return r


def _iso(ts):
    import datetime
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--invalid-ratio", type=float, default=0.0)
    a = p.parse_args()
    rng = random.Random(42)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.n):
            rec = record(rng, i, rng.random() < a.invalid_ratio)
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
