# SPDX-License-Identifier: MIT
"""Deterministic nested NDJSON for the nested decode+validate benchmark: an
order event with a list of 0-10 item structs (each with a list of tags), a
map of attributes and a nullable shipping struct, about 1 KB a line.

Usage: gen_data.py N OUT [--invalid-ratio R]
"""
import argparse
import datetime
import json
import random
import uuid

KINDS = ["order.created", "order.updated", "order.cancelled"]
TAGS = ["red", "blue", "xl", "s", "gift", "bulk", "fragile", "sale", "new", "eco"]
CITIES = ["Lyon", "Paris", "Berlin", "Madrid", "Oslo", "Kyoto", "Québec"]
ADJECTIVES = ["Organic", "Classic", "Compact", "Deluxe", "Vintage", "Wireless", "Handmade"]
NOUNS = ["cotton shirt", "coffee grinder", "desk lamp", "water bottle", "backpack", "tea set"]
ATTR_KEYS = ["channel", "campaign", "device", "locale", "referrer", "segment", "experiment", "cohort"]
ATTR_VALUES = ["web", "spring-sale", "ios", "fr-FR", "newsletter", "returning", "checkout-v2", "2024w10"]


def iso(ts, micros):
    t = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{t}.{micros:06d}Z"


def item(rng, i):
    return {
        "sku": f"SKU{rng.randrange(10**6, 10**7)}",
        "name": f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}, size {rng.choice(['S', 'M', 'L', 'XL'])}",
        "qty": rng.randrange(1, 20),
        "price": f"{rng.randrange(0, 10**6) / 100:.2f}",
        "tags": rng.sample(TAGS, rng.randrange(0, 5)),
        "note": rng.choice(["", "leave at the door", "wrap it", "ring twice please"]),
    }


def record(rng, n, invalid):
    ts = 1700000000 + rng.randrange(0, 30_000_000)
    keys = rng.sample(ATTR_KEYS, rng.randrange(1, len(ATTR_KEYS) + 1))
    r = {
        "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "type": rng.choice(KINDS),
        "at": iso(ts, rng.randrange(0, 1_000_000)),
        "customer": f"cust-{rng.randrange(10**8)}@example.com",
        "source_ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        "items": [item(rng, i) for i in range(rng.randrange(0, 11))],
        "shipping": None if rng.random() < 0.3 else {"city": rng.choice(CITIES), "zip": rng.randrange(10000, 99999)},
        "attrs": {k: rng.choice(ATTR_VALUES) for k in keys},
    }
    if invalid:
        what = rng.choice(["qty", "tag", "key", "city"])
        if what == "qty" and r["items"]:
            r["items"][-1]["qty"] = 0
        elif what == "tag" and r["items"]:
            r["items"][0]["tags"] = ["ok", ""]
        elif what == "city" and r["shipping"]:
            r["shipping"]["city"] = ""
        else:
            r["attrs"]["bad key"] = "v"
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--invalid-ratio", type=float, default=0.0)
    a = p.parse_args()
    rng = random.Random(17)
    with open(a.out, "w", encoding="utf-8") as f:
        for n in range(a.n):
            rec = record(rng, n, rng.random() < a.invalid_ratio)
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
