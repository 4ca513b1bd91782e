# SPDX-License-Identifier: MIT
"""boto3's managed transfer uploading the same files to the same server.
Usage: boto3_peer.py ENDPOINT PART_MIB PARALLEL FILE..."""
import os
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

endpoint, part, parallel, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="lakeorm", aws_secret_access_key="lakeorm-secret",
                  region_name="us-east-1", config=Config(max_pool_connections=parallel * 2))
config = TransferConfig(multipart_threshold=part << 20, multipart_chunksize=part << 20, max_concurrency=parallel,
                        use_threads=True)
start = time.monotonic()
total = 0
for path in files:
    s3.upload_file(path, "lake", "bench-boto3/" + os.path.basename(path), Config=config)
    total += os.path.getsize(path)
seconds = time.monotonic() - start
print(f"name=boto3 bytes={total} seconds={seconds:.3f}")
for path in files:
    s3.delete_object(Bucket="lake", Key="bench-boto3/" + os.path.basename(path))
