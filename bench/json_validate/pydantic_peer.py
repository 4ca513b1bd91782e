# SPDX-License-Identifier: MIT
"""The Python peer: pydantic v2 model_validate_json with extra='forbid'."""
import sys
import time
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Optional
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, ValidationError


class User(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: UUID
    email: EmailStr
    name: Annotated[str, Field(min_length=1, max_length=64)]
    age: Optional[Annotated[int, Field(ge=0, le=150)]]
    country: Literal["UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"]
    balance: Annotated[Decimal, Field(max_digits=18, decimal_places=2)]
    created_at: AwareDatetime
    updated_at: Optional[AwareDatetime]


def main():
    data = open(sys.argv[1], "rb").read()
    lines = [l for l in data.split(b"\n") if l.strip()]
    best, rejected = None, 0
    for _ in range(3):
        rejected = 0
        start = time.perf_counter()
        for line in lines:
            try:
                User.model_validate_json(line)
            except ValidationError:
                rejected += 1
        s = time.perf_counter() - start
        best = s if best is None or s < best else best
    print(f"RESULT name=python-pydantic-v2 records={len(lines)} seconds={best:.6f} bytes={len(data)} rejected={rejected}")


if __name__ == "__main__":
    main()
