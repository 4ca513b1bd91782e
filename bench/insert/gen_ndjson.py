# SPDX-License-Identifier: MIT
"""Writes N NDJSON lines of the bench's event record, the same values
bench_insert.c generates. Usage: gen_ndjson.py N FILE"""
import sys
import time

n, path = int(sys.argv[1]), sys.argv[2]
countries = ["UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"]
last_sec, stamp = None, ""
with open(path, "w") as f:
    for k in range(n):
        i = k % 10000
        us = 1700000000000000 + k * 1000
        sec, frac = divmod(us, 1000000)
        if sec != last_sec:  # a second spans 1,000 lines: format it once (50M lines in minutes, not half an hour)
            last_sec, stamp = sec, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        ts = stamp + (f".{frac:06d}" if frac else "") + "Z"
        cents = i * 37 % 100000
        age = "null" if i % 5 == 0 else str(i % 90)
        note = '"gift"' if i % 2 else "null"
        f.write(f'{{"id":{k + 1},"email":"user{i}@example.com","country":"{countries[i % 8]}","age":{age},'
                f'"created_at":"{ts}","amount":"{cents // 100}.{cents % 100:02d}","note":{note}}}\n')
