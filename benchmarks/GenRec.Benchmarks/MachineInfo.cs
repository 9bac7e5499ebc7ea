using System.Globalization;
using System.Runtime.InteropServices;

namespace GenRec.Benchmarks;

/// <summary>Describes the machine a benchmark ran on, so that a figure can always be read with its hardware.</summary>
internal static class MachineInfo
{
    /// <summary>Lines such as <c>cores: 2</c>, <c>cpu: ...</c>, <c>os: ...</c>, <c>runtime: ...</c>, <c>date: ...</c>.</summary>
    public static IReadOnlyList<string> Describe()
    {
        string build =
#if DEBUG
            "Debug (timings are not representative; use -c Release)";
#else
            "Release";
#endif
        return
        [
            $"cores: {Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)}",
            $"cpu: {CpuModel()}",
            $"os: {OperatingSystemName()} ({RuntimeInformation.OSArchitecture})",
            $"runtime: {RuntimeInformation.FrameworkDescription}, {build} build",
            $"date: {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}",
        ];
    }

    /// <summary>The first <c>model name</c> of /proc/cpuinfo on Linux, else the architecture.</summary>
    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            foreach (string line in File.ReadLines(cpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and >= 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>
    /// The distribution (PRETTY_NAME of /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)") and kernel release on
    /// Linux, else the runtime's description of the OS.
    /// </summary>
    private static string OperatingSystemName()
    {
        const string osRelease = "/etc/os-release";
        const string kernelRelease = "/proc/sys/kernel/osrelease";
        string? distribution = File.Exists(osRelease)
            ? File.ReadLines(osRelease).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        if (distribution is null)
        {
            return RuntimeInformation.OSDescription;
        }

        return File.Exists(kernelRelease) ? $"{distribution}, Linux {File.ReadAllText(kernelRelease).Trim()}" : distribution;
    }
}
