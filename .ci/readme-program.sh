#!/usr/bin/env bash
# Prints the first ```csharp code block of a Markdown file (default README.md), verbatim, without its fences.
# The package stage of .ci/run compiles and runs that block as a fresh app's Program.cs.
# Fails when the file has no ```csharp block or the block is never closed.
set -euo pipefail
file="${1:-README.md}"
awk '
    !inside && /^```csharp[[:space:]]*$/ { inside = 1; found = 1; next }
    inside && /^```[[:space:]]*$/ { closed = 1; exit }
    inside { print }
    END {
        if (!found) { print "readme-program.sh: no ```csharp block in " FILENAME > "/dev/stderr"; exit 1 }
        if (!closed) { print "readme-program.sh: the first ```csharp block in " FILENAME " is not closed" > "/dev/stderr"; exit 1 }
    }
' "$file"
