using GenRec.Benchmarks;

// Entry point of `dotnet run -c Release --project benchmarks/GenRec.Benchmarks -- <name> [options]`.
// Exit codes: 0 = ran (the last stdout line is the RESULT line), 1 = the benchmark failed, 2 = bad command line.
return BenchmarkProgram.Run(args);
