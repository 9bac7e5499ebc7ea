using System.Globalization;
using GenRec.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

// Usage: GenRec.ModelProbe recommend <model.zip> <histories.txt> <output.txt>
//          histories.txt: one history per line, item IDs separated by spaces (an empty line is an empty history).
//        GenRec.ModelProbe recommend-user <model.zip> <users.txt> <output.txt>
//          users.txt: one user ID per line, fed to a pipeline saved over interaction rows (User, Item, Timestamp);
//          output.txt also carries the recommended item IDs that MapKeyToValue gives back.
//   output.txt: per input line, "<recommended item keys>\t<scores>", each space-separated; scores round-trip exactly.
// LibTorch's float reductions depend on the intra-op thread count, so the probe scores with the thread count the test
// process trained with (GENREC_TORCH_THREADS, else all cores): "identical in a fresh process" then compares like with like.
GenRec.MLNet.Training.TorchEnvironment.UseAllCores();

if (args.Length != 4 || (args[0] != "recommend" && args[0] != "recommend-user"))
{
    Console.Error.WriteLine("usage: GenRec.ModelProbe recommend|recommend-user <model.zip> <input.txt> <output.txt>");
    return 2;
}

var ml = new MLContext(seed: 12345); // a different seed from the test's: loading must not depend on it
WeightsCarrier.RegisterContracts(ml); // a fresh process has not touched GenRec's custom-mapping contracts yet
ITransformer model = ml.Model.Load(args[1], out _);
var lines = new List<string>();
if (args[0] == "recommend")
{
    var engine = ml.Model.CreatePredictionEngine<ProbeHistory, ProbeRecommendation>(model);
    foreach (string line in File.ReadAllLines(args[2]))
    {
        lines.Add(Format(engine.Predict(new ProbeHistory { Items = line.Split(' ', StringSplitOptions.RemoveEmptyEntries) })));
    }
}
else
{
    var engine = ml.Model.CreatePredictionEngine<ProbeInteraction, ProbeRecommendation>(model);
    foreach (string user in File.ReadAllLines(args[2]))
    {
        var row = new ProbeInteraction { User = user };
        IDataView scored = model.Transform(ml.Data.LoadFromEnumerable(new[] { row }));
        IDataView ids = ml.Transforms.Conversion.MapKeyToValue("RecommendedIds", "RecommendedItems").Fit(scored).Transform(scored);
        string[] names = ids.GetColumn<string[]>("RecommendedIds").Single();
        lines.Add(Format(engine.Predict(row)) + "\t" + string.Join(' ', names));
    }
}

File.WriteAllLines(args[3], lines);
return 0;

static string Format(ProbeRecommendation result) =>
    string.Join(' ', result.RecommendedItems) + "\t" + string.Join(' ', result.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));

/// <summary>The raw input the saved pipelines start from: a history of item IDs.</summary>
internal sealed class ProbeHistory
{
    public string[] Items { get; set; } = Array.Empty<string>();
}

/// <summary>A raw interaction row, the input of a pipeline saved over interaction rows.</summary>
internal sealed class ProbeInteraction
{
    public string User { get; set; } = "";

    public string Item { get; set; } = "";

    public double Timestamp { get; set; }
}

/// <summary>The generative recommender's output columns.</summary>
internal sealed class ProbeRecommendation
{
    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}
