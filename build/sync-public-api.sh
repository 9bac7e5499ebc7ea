#!/usr/bin/env bash
# Records a deliberate change of the library's public surface: builds src/GenRec.MLNet with the PublicApiAnalyzers'
# findings as warnings, then adds every new symbol (RS0016) to PublicAPI.Unshipped.txt and removes every vanished
# one (RS0017). Review the diff of PublicAPI.Unshipped.txt before committing: it is the API change.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
api="$repo_root/src/GenRec.MLNet/PublicAPI.Unshipped.txt"
log="$(mktemp)"
dotnet build "$repo_root/src/GenRec.MLNet" -c Release -p:TreatWarningsAsErrors=false --no-incremental > "$log" 2>&1 || true
python3 - "$api" "$log" <<'PY'
import re, sys
api, log = sys.argv[1], sys.argv[2]
lines = [l.rstrip('\n') for l in open(api) if l.strip() and not l.startswith('#nullable')]
text = open(log).read()
added = set(re.findall(r"RS0016: Symbol '(.*?)' is not part of the declared public API", text))
removed = set(re.findall(r"RS0017: Symbol '(.*?)' is part of the declared API", text))
result = sorted((set(lines) | added) - removed)
open(api, 'w').write('#nullable enable\n' + '\n'.join(result) + '\n')
print(f"PublicAPI.Unshipped.txt: +{len(added)} -{len(removed)} ({len(result)} symbols)")
PY
rm -f "$log"
