"""Parses a Prometheus text exposition (format 0.0.4) strictly, from stdin: every
sample belongs to a family declared with # HELP and # TYPE before it, names and
labels are well-formed, every value is a number, histogram buckets are cumulative
and end in +Inf == _count. Fails (exit 1, the reason on stderr) otherwise.
With --require NAME…, each NAME must be a declared family."""
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)?\})? (\S+)$')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def fail(message):
    print(f"parse_metrics: {message}", file=sys.stderr)
    sys.exit(1)


def family_of(name, families):
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and families.get(name[: -len(suffix)]) == "histogram":
            return name[: -len(suffix)]
    return name


families, helps, buckets, counts = {}, set(), {}, {}
for number, line in enumerate(sys.stdin.read().splitlines(), 1):
    if line.startswith("# HELP "):
        helps.add(line.split(" ", 3)[2])
        continue
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split(" ", 3)
        if kind not in TYPES:
            fail(f"line {number}: unknown type {kind}")
        if name not in helps:
            fail(f"line {number}: {name} has no # HELP before its # TYPE")
        families[name] = kind
        continue
    match = SAMPLE.match(line)
    if not match:
        fail(f"line {number}: not a sample: {line!r}")
    name, value = match.group(1), match.group(5)
    try:
        number_value = float(value)
    except ValueError:
        fail(f"line {number}: {value!r} is not a number")
    family = family_of(name, families)
    if family not in families:
        fail(f"line {number}: {name} has no # TYPE")
    if name.endswith("_bucket"):
        previous = buckets.get(family, [])
        if previous and number_value < previous[-1]:
            fail(f"line {number}: bucket counts of {family} are not cumulative")
        buckets[family] = previous + [number_value]
        if 'le="+Inf"' in line:
            counts[family] = number_value
    if name.endswith("_count") and family in counts and counts[family] != number_value:
        fail(f"{family}: +Inf bucket {counts[family]} != _count {number_value}")

required = sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] == "--require" else []
missing = [name for name in required if name not in families]
if missing:
    fail(f"missing families: {', '.join(missing)}")
print(f"{len(families)} families")
