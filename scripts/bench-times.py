#!/usr/bin/env python3
# Where a bench networks row's time went, per party, from the result files its party processes wrote
# (bench networks --keep-work-dir keeps them: WORKDIR/rowN/result.pN.json; docs/benchmarks/README.md, "The small rows"):
#   python3 scripts/bench-times.py WORKDIR/rowN
# Prints per party: CPU and runqueue wait per thread group (ms per measured run, from /proc/self/task/*/schedstat),
# collections, JIT, allocation; the median run's wall time and party-thread CPU; and per scope (layer pass, argmax,
# loss, reveal) the party thread's wall and CPU ms per run (wall - CPU: waiting for peers or for a processor).
import json, statistics, sys

row = sys.argv[1]
docs = [json.load(open(f"{row}/result.p{p}.json")) for p in range(3)]
print(f"{docs[0]['case']}: {len(docs[0]['runs'])} measured runs after {docs[0]['warmup']} warm-up runs")
for d in docs:
    t = d.get("times")
    if t is None:
        print(f"P{d['party']}: no times (an older worker)")
        continue
    runs = d["runs"]
    med = lambda k: statistics.median(r[k] for r in runs) * 1000 if k in runs[0] else float("nan")
    print(f"P{d['party']}: process CPU {t['cpu_ms_per_run']:.1f} ms/run, runqueue wait {t['runqueue_wait_ms_per_run']:.1f} ms/run; "
          f"GC {t['gc_per_run']:.2f}/run ({t['gc_ms_per_run']:.1f} ms), JIT {t.get('jit_ms_per_run', float('nan')):.1f} ms/run, "
          f"allocated {t.get('allocated_mb_per_run', float('nan')):.1f} MB/run; median run {med('seconds'):.1f} ms wall, "
          f"{med('thread_cpu_seconds'):.1f} ms party-thread CPU")
    print("    %-10s %7s %9s %9s %9s %9s" % ("threads", "count", "CPU ms", "wait ms", "vol sw", "invol sw"))
    for g, v in sorted(t["threads"].items(), key=lambda kv: -kv[1]["cpu_ms_per_run"]):
        print("    %-10s %7d %9.2f %9.2f %9.1f %9.1f" % (g, v["threads"], v["cpu_ms_per_run"], v["runqueue_wait_ms_per_run"],
                                                    v["voluntary_switches_per_run"], v["involuntary_switches_per_run"]))
    fr = t.get("data_frames_per_run")
    if fr:
        print("    DATA frames per run: written by the party thread %.1f, queued for a writer thread %.1f; received: read by "
              "the waiting thread %.1f, already there %.1f, delivered by another thread %.1f" % (fr["direct_writes"],
              fr["queued_writes"], fr["inline_receives"], fr["ready_receives"], fr["woken_receives"]))
    sc = t.get("scopes", {})
    if sc:
        print("    %-44s %9s %9s %9s" % ("scope", "wall ms", "CPU ms", "wall-CPU"))
        tw = tc = 0
        for k, v in sc.items():
            tw += v["wall_ms_per_run"]; tc += v["cpu_ms_per_run"]
            print("    %-44s %9.2f %9.2f %9.2f" % (k[:44], v["wall_ms_per_run"], v["cpu_ms_per_run"], v["wall_ms_per_run"] - v["cpu_ms_per_run"]))
        print("    %-44s %9.2f %9.2f %9.2f" % ("(all scopes)", tw, tc, tw - tc))
