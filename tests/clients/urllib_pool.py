#!/usr/bin/env python3
"""A standard-library downloader, the way requests.get works: a ThreadPoolExecutor whose
threads each fetch with urllib.request.urlopen, a new connection per request.

Usage: urllib_pool.py URL_TEMPLATE ITEMS THREADS
       urllib_pool.py --urls FILE THREADS
URL_TEMPLATE has "{name}", replaced by item-0 .. item-<ITEMS-1>; FILE lists one URL a line
(`loiter validate --client "python3 urllib_pool.py --urls {urls} 4" --as threads-4`).
Prints one JSON line: {"items": N, "threads": T, "elapsed_s": seconds from the first submit
to the last result, "failed": count}.
"""
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            answer.read()
        return True
    except OSError:
        return False


def main():
    if sys.argv[1] == "--urls":
        with open(sys.argv[2], encoding="utf-8") as listed:
            urls = [line.strip() for line in listed if line.strip()]
        items, threads = len(urls), int(sys.argv[3])
    else:
        template, items, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        urls = [template.replace("{name}", f"item-{i}") for i in range(items)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(fetch, urls))
    elapsed = time.perf_counter() - start
    print(json.dumps({"items": items, "threads": threads, "elapsed_s": elapsed,
                      "failed": results.count(False)}))


if __name__ == "__main__":
    main()
