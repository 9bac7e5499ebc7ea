using System.Globalization;
using GenRec.MLNet.Persistence;
using Microsoft.ML;

// Usage: GenRec.ModelProbe recommend <model.zip> <histories.txt> <output.txt>
//   histories.txt: one history per line, item IDs separated by spaces (an empty line is an empty history).
//   output.txt:    per input line, "<recommended item keys>\t<scores>", each space-separated; scores round-trip exactly.
if (args.Length != 4 || args[0] != "recommend")
{
    Console.Error.WriteLine("usage: GenRec.ModelProbe recommend <model.zip> <histories.txt> <output.txt>");
    return 2;
}

var ml = new MLContext(seed: 12345); // a different seed from the test's: loading must not depend on it
WeightsCarrier.RegisterContracts(ml); // a fresh process has not touched GenRec's custom-mapping contracts yet
ITransformer model = ml.Model.Load(args[1], out _);
var engine = ml.Model.CreatePredictionEngine<ProbeHistory, ProbeRecommendation>(model);
var lines = new List<string>();
foreach (string line in File.ReadAllLines(args[2]))
{
    ProbeRecommendation result = engine.Predict(new ProbeHistory { Items = line.Split(' ', StringSplitOptions.RemoveEmptyEntries) });
    lines.Add(string.Join(' ', result.RecommendedItems) + "\t" + string.Join(' ', result.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
}

File.WriteAllLines(args[3], lines);
return 0;

/// <summary>The raw input the saved pipelines start from: a history of item IDs.</summary>
internal sealed class ProbeHistory
{
    public string[] Items { get; set; } = Array.Empty<string>();
}

/// <summary>The generative recommender's output columns.</summary>
internal sealed class ProbeRecommendation
{
    public uint[] RecommendedItems { get; set; } = Array.Empty<uint>();

    public float[] Scores { get; set; } = Array.Empty<float>();
}
