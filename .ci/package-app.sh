#!/usr/bin/env bash
# Package check, run by .ci/run (or alone: bash .ci/package-app.sh). It proves that the NuGet package works in an app
# outside this repository, which neither Directory.Build.props/targets nor the repository's nuget.config reach:
#   1. dotnet pack src/GenRec.MLNet into a local feed folder (a unique prerelease version per run, so no NuGet cache
#      can hand back an older build of the same version);
#   2. dotnet new console in a mktemp -d folder, with its own nuget.config (that feed + the repository's upstream
#      sources) and a PackageReference to that version only;
#   3. Program.cs = the README's first ```csharp block, verbatim (.ci/readme-program.sh);
#   4. interactions.csv = the demo's generated shop (samples/GenRec.Demo -- --export-interactions);
#   5. dotnet run the app. The package's buildTransitive targets must patch libLibTorchSharp.so in the app's output
#      where the system libstdc++ needs it; the build log line is checked for that case.
# The app restores into its own packages folder (deleted afterwards; anything not already in the machine's
# NuGet cache is downloaded there) and reads the rest from that cache as a read-only fallback, adding nothing to it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

work="$(mktemp -d "${TMPDIR:-/tmp}/genrec-package.XXXXXX")"
if [[ -z "${GENREC_KEEP_PACKAGE_APP:-}" ]]; then
    trap 'rm -rf "$work"' EXIT
else
    echo "keeping $work (GENREC_KEEP_PACKAGE_APP is set)"
fi
feed="$work/feed"
app="$work/app"
case "$app/" in
    "$repo_root"/*) echo "error: the app folder $app is inside the repository" >&2; exit 1 ;;
esac

# True when no system libstdc++.so.6 defines GLIBCXX_3.4.32 (the same places the build task looks).
system_libstdcxx_lacks_glibcxx_3_4_32() {
    local candidate
    for candidate in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libstdc++.so.6 \
                     /usr/lib64/libstdc++.so.6 /lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
        if [[ -e "$candidate" ]]; then
            ! grep -qa 'GLIBCXX_3\.4\.32' "$candidate"
            return
        fi
    done
    return 1
}

step() { echo; echo "--- package check, $1 (at $SECONDS s)"; }

# 1. pack --------------------------------------------------------------------------------------------------------
step "pack"
suffix="ci.$(date -u +%Y%m%d%H%M%S).$$"
dotnet pack src/GenRec.MLNet -c Release -o "$feed" --version-suffix "$suffix"
shopt -s nullglob
packages=("$feed"/GenRec.MLNet.*-"$suffix".nupkg)
if [[ ${#packages[@]} -ne 1 ]]; then
    echo "error: expected one GenRec.MLNet.*-$suffix.nupkg in $feed, found: $(ls "$feed")" >&2
    exit 1
fi
package_file="$(basename "${packages[0]}")"
version="${package_file#GenRec.MLNet.}"
version="${version%.nupkg}"
echo "packed $package_file"

# 2. a fresh console app outside the repository ------------------------------------------------------------------
step "new console app"
machine_cache="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
upstream="$(sed -n '/<packageSources>/,/<\/packageSources>/p' nuget.config | grep '<add ')"
dotnet new console -o "$app" --framework net10.0 --no-restore
cat > "$app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <fallbackPackageFolders>
    <add key="machine" value="$machine_cache" />
  </fallbackPackageFolders>
  <packageSources>
    <clear />
    <add key="genrec-local" value="$feed" />
$upstream
  </packageSources>
</configuration>
CONFIG
(cd "$app" && dotnet add package GenRec.MLNet --version "$version")

# 3. the README's first C# block as the whole program ------------------------------------------------------------
step "README program"
.ci/readme-program.sh README.md > "$app/Program.cs"

# 4. its input: the demo's generated shop ------------------------------------------------------------------------
step "interactions.csv from the demo"
dotnet run --project samples/GenRec.Demo -c Release -- --export-interactions "$app/interactions.csv"

# 5. build and run it there --------------------------------------------------------------------------------------
step "build the app"
cd "$app"
dotnet build 2>&1 | tee "$work/build.log"
lib="$(find bin -name libLibTorchSharp.so | head -n 1)"
if [[ -z "$lib" ]]; then
    echo "error: no libLibTorchSharp.so in the app's output; TorchSharp's native assets did not reach the app" >&2
    exit 1
fi
if system_libstdcxx_lacks_glibcxx_3_4_32; then
    if ! grep -q "GenRec: marked GLIBCXX_3.4.32 weak in " "$work/build.log"; then
        echo "error: this system's libstdc++ lacks GLIBCXX_3.4.32, but the package's targets did not patch $lib" >&2
        exit 1
    fi
    echo "the package's targets patched the app's copy: $lib"
fi
step "run the app"
dotnet run --no-build
echo "the README program ran in a fresh app from $package_file (package check: $SECONDS s)"
