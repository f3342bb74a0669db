"""Milliseconds per write on a MongoDB-protocol server: insert_one and find_one_and_update
(the scheduler's two hot writes), one at a time, write concern majority like the services.

usage: python bench/store.py MONGODB_URI [COUNT]"""
import statistics
import sys
import time
import uuid

import pymongo
from pymongo import ReturnDocument, WriteConcern


def timed(count: int, op) -> list[float]:
    samples = []
    for i in range(count):
        began = time.perf_counter()
        op(i)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def show(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:18} n={len(samples)} median {statistics.median(samples):.2f} ms  mean {statistics.mean(samples):.2f} ms"
          f"  p95 {p95:.2f} ms")


def main() -> int:
    uri = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    with pymongo.MongoClient(uri) as client:
        coll = client["bench_store"].get_collection(f"c{uuid.uuid4().hex[:8]}", write_concern=WriteConcern(w="majority"))
        try:
            show("insert_one", timed(count, lambda i: coll.insert_one({"_id": i, "status": "pending", "n": 0})))
            show("find_one_and_update", timed(count, lambda i: coll.find_one_and_update(
                {"_id": i, "status": "pending"}, {"$set": {"status": "running"}, "$inc": {"n": 1}},
                return_document=ReturnDocument.AFTER)))
            show("find_one", timed(count, lambda i: coll.find_one({"_id": i})))
        finally:
            coll.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
