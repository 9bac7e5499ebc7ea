using GenRec.Cli;

// The genrec tool: everything lives in GenRecCli so tests can run the same commands in-process.
return await GenRecCli.RunAsync(args, Console.Out, Console.Error);
