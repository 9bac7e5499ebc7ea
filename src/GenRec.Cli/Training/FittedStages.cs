using GenRec.Cli.Commands;
using GenRec.Cli.Input;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GenRec.Cli.Training;

/// <summary>Reads what the fitted chain's stages carry (training results, code tables) before the chain is saved.</summary>
internal static class FittedStages
{
    /// <summary>Every transformer of a fitted chain, nested chains flattened, in pipeline order.</summary>
    public static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer inner in chain)
            {
                foreach (ITransformer leaf in Flatten(inner))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return model;
        }
    }

    /// <summary>Completes each stage's curve from the <see cref="TrainingResult"/> its fitted transformer carries.</summary>
    public static void Complete(ITransformer model, IReadOnlyList<StageProgress> progress)
    {
        TrainingResult?[] results = Flatten(model).Select(Result).Where(r => r.Trained).Select(r => r.Result).ToArray();
        for (int i = 0; i < progress.Count && i < results.Length; i++)
        {
            progress[i].Complete(results[i]);
        }
    }

    /// <summary>The record saved in the zip.</summary>
    public static TrainingRecord Record(ITransformer model, IReadOnlyList<StageProgress> progress, InteractionTable table, IReadOnlyList<InteractionRow> rows, TrainRequest request, InteractionFormat format)
    {
        var record = new TrainingRecord
        {
            Preset = request.Preset.ToString().ToLowerInvariant(),
            Source = table.Source,
            Format = InteractionFormats.Name(format),
            HeldOutLastItem = request.HoldOutLastItem,
            TrainedAtUtc = DateTime.UtcNow,
            TrainingRows = rows.Count,
            Users = rows.Select(r => r.User).Distinct(StringComparer.Ordinal).Count(),
            Items = rows.Select(r => r.Item).Distinct(StringComparer.Ordinal).Count(),
            TopK = 20,
            ItemTitles = new Dictionary<string, string>(table.ItemTitles, StringComparer.Ordinal),
            Stages = progress.Select(p => p.Curve).ToList(),
        };
        var tokenizers = Flatten(model).OfType<SemanticIdTokenizerTransformer>().ToArray();
        string[] columns = ["SemanticId", "UserSemanticId"];
        for (int i = 0; i < tokenizers.Length && i < columns.Length; i++)
        {
            record.CodebookSizes[columns[i]] = [.. tokenizers[i].Codes.CodebookSizes];
        }

        return record;
    }

    /// <summary>Releases the fitted stages' native weights once the zip holds them.</summary>
    public static void Dispose(ITransformer model)
    {
        foreach (ITransformer stage in Flatten(model))
        {
            (stage as IDisposable)?.Dispose();
        }
    }

    private static (bool Trained, TrainingResult? Result) Result(ITransformer stage) => stage switch
    {
        CollaborativeEmbeddingTransformer cf => (true, cf.TrainingResult),
        SemanticIdTokenizerTransformer tokenizer => (true, tokenizer.TrainingResult),
        GenerativeRecommenderTransformer recommender => (true, recommender.TrainingResult),
        GenerativeRetrievalTransformer retrieval => (true, retrieval.TrainingResult),
        _ => (false, null),
    };
}
