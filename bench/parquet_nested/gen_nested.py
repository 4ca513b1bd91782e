# SPDX-License-Identifier: MIT
"""Deterministic nested NDJSON for the nested Parquet benchmark: per line an
order with a list of 0-10 item structs and a map of 2-8 string attributes,
about 1 KB a line. The same seed gives the same bytes.

usage: gen_nested.py LINES OUT [--seed S]
"""
import argparse
import datetime
import random
import uuid

COUNTRIES = ["UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"]
WORDS = ["red", "blue", "green", "large", "small", "cotton", "steel", "organic", "classic", "sport"]
ATTR_KEYS = ["channel", "campaign", "device", "locale", "referrer", "segment", "cohort", "variant"]
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def line(rng, i):
    items = []
    for _ in range(rng.randint(0, 10)):
        items.append('{"sku":"SKU-%06d","name":"%s %s %s","qty":%d,"price":%d.%02d,"tags":[%s],"ref":"%032x"}' % (
            rng.randrange(1000000), rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS),
            rng.randint(1, 20), rng.randrange(1000), rng.randrange(100),
            ",".join('"%s"' % rng.choice(WORDS) for _ in range(rng.randint(0, 3))), rng.getrandbits(128)))
    keys = rng.sample(ATTR_KEYS, rng.randint(2, 8))
    attrs = ",".join('"%s":"%s-%d"' % (k, rng.choice(WORDS), rng.randrange(100000)) for k in keys)
    at = EPOCH + datetime.timedelta(microseconds=i * 1000003 + rng.randrange(1000))
    return ('{"id":"%s","user":"user%d@mail%d.example.com","country":"%s","at":"%s","total":%d.%02d,'
            '"items":[%s],"attrs":{%s}}' % (
                uuid.UUID(int=rng.getrandbits(128), version=4), rng.randrange(10000000), rng.randrange(1000),
                rng.choice(COUNTRIES), at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), rng.randrange(100000),
                rng.randrange(100), ",".join(items), attrs))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("lines", type=int)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=17)
    a = p.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "w") as f:
        for i in range(a.lines):
            f.write(line(rng, i) + "\n")


if __name__ == "__main__":
    main()
