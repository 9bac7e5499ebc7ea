namespace GenRec.Benchmarks;

/// <summary>Parses the command line, prints the machine, runs one benchmark and prints its RESULT line last.</summary>
internal static class BenchmarkProgram
{
    public static int Run(string[] args)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            return UsageError(e.Message);
        }

        switch (commandLine.Name)
        {
            case null:
                return UsageError("Name a benchmark to run.");
            case "help":
                Console.WriteLine(CommandLine.Usage);
                PrintList();
                return 0;
            case "list":
                PrintList();
                return 0;
        }

        IBenchmark? benchmark = BenchmarkRegistry.Find(commandLine.Name);
        if (benchmark is null)
        {
            return UsageError($"Unknown benchmark '{commandLine.Name}'.");
        }

        string[] unknown = [.. commandLine.ExtraOptions.Keys.Where(k => !benchmark.ExtraOptions.Contains(k))];
        if (unknown.Length > 0)
        {
            string accepted = benchmark.ExtraOptions.Count == 0
                ? "it takes only the common options"
                : "its own options are " + string.Join(", ", benchmark.ExtraOptions.Select(o => "--" + o));
            return UsageError($"{benchmark.Name} does not take {string.Join(", ", unknown.Select(o => "--" + o))} ({accepted}).");
        }

        if (commandLine.DataDirectory is { } data && !Directory.Exists(data))
        {
            return UsageError($"--data {data}: the folder {Path.GetFullPath(data)} does not exist.");
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // let the benchmark stop at its next check instead of killing the process mid-write
            cancellation.Cancel();
        };

        Console.WriteLine($"benchmark: {benchmark.Name} - {benchmark.Description}");
        foreach (string line in MachineInfo.Describe())
        {
            Console.WriteLine(line);
        }

        BenchmarkResult result;
        try
        {
            var context = new BenchmarkContext(commandLine, Console.Out, cancellation.Token);
            result = benchmark.Run(context);
        }
        catch (UsageException e)
        {
            return UsageError(e.Message);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{benchmark.Name}: cancelled.");
            return 1;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            Console.Error.WriteLine($"{benchmark.Name}: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{benchmark.Name} failed: {e}");
            return 1;
        }

        string resultLine = result.ToResultLine(benchmark.Name);
        if (commandLine.OutFile is { } outFile)
        {
            // Before the RESULT line, so that nothing follows it on stdout even when this reports an error.
            try
            {
                File.AppendAllText(outFile, resultLine + Environment.NewLine);
                Console.WriteLine($"appended the RESULT line to {Path.GetFullPath(outFile)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"could not append to --out {outFile}: {e.Message}");
                Console.WriteLine(resultLine);
                return 1;
            }
        }

        Console.WriteLine(resultLine);
        return 0;
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Console.Error.WriteLine(CommandLine.Usage);
        PrintList();
        return 2;
    }

    private static void PrintList()
    {
        Console.WriteLine("benchmarks:");
        foreach (string line in BenchmarkRegistry.Describe())
        {
            Console.WriteLine(line);
        }
    }
}
