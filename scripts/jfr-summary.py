#!/usr/bin/env python3
# Summarises a JFR recording of a securenn party: CPU samples by thread, by top frame and by first securenn frame.
#   python3 scripts/jfr-summary.py FILE.jfr [PATH/TO/jfr]   (docs/benchmarks/serving.md)
import json, sys, collections, subprocess
jfr = sys.argv[1]
jfr_tool = sys.argv[2] if len(sys.argv) > 2 else "jfr"
out = subprocess.run([jfr_tool, "print", '--json', '--events', 'jdk.ExecutionSample', jfr], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
by_thread = collections.Counter(); top = collections.Counter(); top_pkg = collections.Counter()
for e in ev:
    v = e['values']; t = v['sampledThread']['javaName'] or v['sampledThread']['osName']
    t = ''.join(c if not c.isdigit() else '#' for c in t)
    by_thread[t] += 1
    fr = v['stackTrace']['frames']
    if fr:
        m = fr[0]['method']; top[m['type']['name'] + '.' + m['name']] += 1
        # first securenn frame
        for f in fr:
            n = f['method']['type']['name']
            if n.startswith('io.securenn'):
                top_pkg[n + '.' + f['method']['name']] += 1; break
n = len(ev)
print(jfr, 'samples', n)
print(' by thread:'); [print('  %5.1f%% %s' % (100*c/n, k)) for k, c in by_thread.most_common(8)]
print(' top frames:'); [print('  %5.1f%% %s' % (100*c/n, k)) for k, c in top.most_common(12)]
print(' first securenn frame:'); [print('  %5.1f%% %s' % (100*c/n, k)) for k, c in top_pkg.most_common(12)]
