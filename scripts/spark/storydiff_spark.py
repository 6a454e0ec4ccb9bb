#!/usr/bin/env python3
"""Run `storydiff batch` over a corpus with Apache Spark, in two rounds.

Round 1 pipes every partition of the input through `storydiff batch --keys`: each article's
block keys (the LSH bands of its shingles and pairs of its lead names, computed from the
article alone). Articles that share a key belong to one block: the blocks are the connected
components of the key graph, found with Spark by label propagation (every article takes the
smallest input position among the articles it shares a key with, until nothing changes).
Round 2 sends each block whole to one partition, in input order, and pipes each partition
through `storydiff batch`. Because `storydiff batch` groups inside blocks, and a block depends
only on its own articles and their order, the events are the same as one `storydiff batch`
run over the whole input (scripts/test-spark checks it).

Usage: storydiff_spark.py --binary PATH --input PILE.jsonl --output EVENTS.jsonl [--partitions N]

The output holds the event lines (ordered by their first article's input position, with
`event` renumbered in that order and `block` dropped, since partitions number blocks
differently) and one summary line of the whole run.
"""

import argparse
import json
import subprocess
import sys


def run_binary(binary, args, lines):
    """Pipe lines through the binary; its stdout lines. A failure stops the job."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    proc = subprocess.run([binary] + args, input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(
            "storydiff %s exited %d: %s"
            % (" ".join(args), proc.returncode, proc.stderr.decode("utf-8", "replace").strip())
        )
    return proc.stdout.decode("utf-8").splitlines()


def keys_of_partition(binary):
    def run(rows):
        rows = list(rows)  # (position, line)
        if not rows:
            return []
        out = [json.loads(l) for l in run_binary(binary, ["batch", "--keys"], [r[1] for r in rows])]
        out = [o for o in out if o.get("type") != "summary"]
        if len(out) != len(rows):
            raise RuntimeError("storydiff batch --keys: %d lines for %d articles" % (len(out), len(rows)))
        return [(pos, o["keys"]) for (pos, _), o in zip(rows, out)]

    return run


def events_of_partition(binary):
    def run(rows):
        rows = sorted(rows, key=lambda r: r[1][0])  # (block, (position, line)) in input order
        if not rows:
            return []
        positions = [r[1][0] for r in rows]
        out = [json.loads(l) for l in run_binary(binary, ["batch"], [r[1][1] for r in rows])]
        result = []
        for o in out:
            if o.get("type") == "summary":
                result.append(("summary", o))
                continue
            # Indices become positions in the whole input.
            g = o["group"]
            g["members"] = [positions[m] for m in g["members"]]
            for c in g.get("copies", []):
                c["original"] = positions[c["original"]]
                for x in c["copies"]:
                    x["member"] = positions[x["member"]]
            result.append(("event", o))
        return result

    return run


def components(sc, keys):
    """(position, block) for every article: the smallest position it is connected to."""
    pairs = keys.flatMap(lambda pk: [(k, pk[0]) for k in pk[1]]).cache()  # (key, position)
    labels = keys.map(lambda pk: (pk[0], pk[0]))
    while True:
        key_min = pairs.map(lambda kp: (kp[1], kp[0])).join(labels) \
            .map(lambda pkl: (pkl[1][0], pkl[1][1])).reduceByKey(min)  # (key, label)
        new = pairs.join(key_min).map(lambda kpl: (kpl[1][0], kpl[1][1])) \
            .union(labels).reduceByKey(min).cache()
        changed = new.join(labels).filter(lambda p: p[1][0] != p[1][1]).count()
        labels = new
        if changed == 0:
            return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--partitions", type=int, default=4)
    args = ap.parse_args()

    from pyspark import SparkConf, SparkContext

    conf = (
        SparkConf()
        .setAppName("storydiff")
        .setIfMissing("spark.master", "local[2]")
        # No console progress bars: they fill a CI log with thousands of lines.
        .setIfMissing("spark.ui.showConsoleProgress", "false")
    )
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    try:
        lines = sc.textFile(args.input, args.partitions) \
            .filter(lambda l: l.strip() != "").zipWithIndex() \
            .map(lambda li: (li[1], li[0])).cache()  # (position, line)
        keys = lines.mapPartitions(keys_of_partition(args.binary)).cache()
        blocks = components(sc, keys)  # (position, block)
        by_block = lines.join(blocks).map(lambda p: (p[1][1], (p[0], p[1][0])))
        results = by_block.partitionBy(args.partitions).mapPartitions(events_of_partition(args.binary)).collect()
    finally:
        sc.stop()

    events = sorted((o for kind, o in results if kind == "event"), key=lambda o: o["group"]["members"][0])
    summary = {"type": "summary", "version": 1}
    for kind, o in results:
        if kind == "summary":
            for k, v in o.items():
                if isinstance(v, int) and k != "version":
                    summary[k] = summary.get(k, 0) + v
    with open(args.output, "w", encoding="utf-8") as f:
        for k, o in enumerate(events):
            o["event"] = k
            o.pop("block", None)
            f.write(json.dumps(o, sort_keys=True, ensure_ascii=False) + "\n")
        f.write(json.dumps(summary, sort_keys=True) + "\n")
    print("storydiff_spark: %d events from %d articles" % (len(events), summary.get("articles", 0)), file=sys.stderr)


if __name__ == "__main__":
    main()
