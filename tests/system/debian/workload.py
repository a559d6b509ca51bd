# SPDX-License-Identifier: GPL-2.0
"""What a Python user's script does, run by Debian's own python3 on Kitten.

threading, subprocess through /bin/sh, json, hashlib, re and a
multiprocessing.Pool of two workers (fork, sem_open, pipes); the results
go to a file in the current directory, which the host reads afterwards.
Prints one line per part and "python: all parts ok" at the end.
"""
import hashlib
import json
import multiprocessing
import re
import subprocess
import sys
import threading


SHA256_KITTEN = "58972659401cbee9ac0c6f92382c5cabc26bc5ea44ab8902b68c4363672fafb9"


def square(n):
    return n * n


def threads_part():
    total = []
    lock = threading.Lock()

    def work(k):
        s = sum(range(k * 1000))
        with lock:
            total.append(s)

    ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sorted(total) == sorted(sum(range(k * 1000)) for k in range(8))


def subprocess_part():
    out = subprocess.run(["/bin/sh", "-c", "echo $((6 * 7)); exit 3"],
                         capture_output=True, text=True)
    return out.stdout.strip() == "42" and out.returncode == 3


def data_part():
    doc = json.loads(json.dumps({"kitten": [1, 2, 3], "ok": True}))
    digest = hashlib.sha256(b"kitten").hexdigest()
    words = re.findall(r"[a-z]+", "the LWK runs python3 unchanged")
    return (doc == {"kitten": [1, 2, 3], "ok": True} and digest == SHA256_KITTEN
            and words == ["the", "runs", "python", "unchanged"], digest)


def pool_part():
    with multiprocessing.Pool(2) as pool:
        return pool.map(square, range(10)) == [n * n for n in range(10)]


def main():
    results = {}
    results["threads"] = threads_part()
    results["subprocess"] = subprocess_part()
    ok, digest = data_part()
    results["data"] = ok
    results["pool"] = pool_part()
    for name, good in results.items():
        print(f"python: {name} {'ok' if good else 'FAILED'}")
    with open(sys.argv[1], "w") as f:
        json.dump({"results": results, "sha256": digest}, f)
    if all(results.values()):
        print("python: all parts ok")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
