using System.Globalization;
using GenRec.MLNet;
using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Evaluation;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Presets;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.Text;
using GenRec.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using TitledRow = GenRec.Benchmarks.Benchmarks.MovieLensTextSplit.TitledRow;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// One <c>presets-movielens</c> row as a user takes it: one ML.NET pipeline over raw interaction rows — MapValueToKey
/// ×2 → the built-in MiniLM sentence encoder (rows whose tokenizer reads text) → SASRec <c>CollaborativeEmbedding</c>
/// (rows that read <c>ItemEmbedding</c>) → the row's tokenizer(s) → the generative recommender or retrieval — one
/// <c>Fit</c> on the training rows, <c>Save</c>, <c>Load</c> in a fresh <c>MLContext</c>, <c>Transform</c> of the test
/// rows and <c>Evaluate</c>. The SASRec stage's own ranking is kept under <c>SasRecRecommendedItems</c> and evaluated
/// from the same zip: the SASRec baseline is the model whose embeddings the recipe read.
/// </summary>
internal static class PresetRowPipeline
{
    /// <summary>The SASRec stage's ranking column (the recipe's stage writes <c>RecommendedItems</c>).</summary>
    public const string SasRecRankingColumn = "SasRecRecommendedItems";

    /// <summary>
    /// Fits <paramref name="row"/> with <paramref name="length"/> on <paramref name="split"/>'s training rows and scores its
    /// test rows through the saved and reloaded model.
    /// </summary>
    public static PresetRowOutcome FitAndScore(BenchmarkContext context, PresetRow row, PresetTrainingLength length, PresetProtocol protocol, MovieLensTextSplit split)
    {
        var ml = new MLContext(context.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Message.Contains("validation", StringComparison.Ordinal) || e.Message.Contains("Stopping", StringComparison.Ordinal) || e.Message.Contains("stopp", StringComparison.Ordinal)))
            {
                context.Log("    " + e.Message);
            }
        };
        IDataView train = ml.Data.LoadFromEnumerable(split.TrainRows);
        EstimatorChain<ITransformer> pipeline = Pipeline(ml, row, length, protocol, out string settings);
        context.Log($"  {row}: {settings}");

        var (model, fitTime) = context.Time($"  fit {row} on {split.TrainRows.Count:N0} rows", () => pipeline.Fit(train));
        ITransformer[] stages = [.. model];
        TrainingResult? sasRec = stages.OfType<CollaborativeEmbeddingTransformer>().SingleOrDefault()?.TrainingResult;
        SemanticIdTokenizerTransformer[] tokenizers = [.. stages.OfType<SemanticIdTokenizerTransformer>()];
        TrainingResult recommender = (stages.OfType<GenerativeRecommenderTransformer>().SingleOrDefault()?.TrainingResult
            ?? stages.OfType<GenerativeRetrievalTransformer>().Single().TrainingResult)
            ?? throw new InvalidOperationException($"Row {row}: the recommender stage has no training result.");
        context.LogCodes(tokenizers[0].Statistics);
        if (sasRec is not null)
        {
            context.Log(string.Create(CultureInfo.InvariantCulture, $"  SASRec: {sasRec.EpochsCompleted} epochs in {sasRec.TrainingTime.TotalSeconds:F0} s ({sasRec.StopReason}), valid Recall@10 {sasRec.BestValidationMetric:F4}"));
        }

        foreach (SemanticIdTokenizerTransformer tokenizer in tokenizers)
        {
            context.Log(string.Create(CultureInfo.InvariantCulture, $"  tokenizer: {tokenizer.TrainingResult?.EpochsCompleted} epochs in {tokenizer.TrainingResult?.TrainingTime.TotalSeconds:F0} s ({tokenizer.TrainingResult?.StopReason})"));
        }

        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"  recommender: {recommender.EpochsCompleted} epochs, {recommender.Steps} steps in {recommender.TrainingTime.TotalSeconds:F0} s ({recommender.StopReason}), {recommender.ExamplesPerSecond:F0} examples/s; best valid Recall@10 {recommender.BestValidationMetric:F4} at epoch {recommender.BestEpoch}"));

        var ((test, sasRecTest), _, _) = ViaMlNet.SaveLoadAndScore(context, ml, model, train.Schema, $"presets-movielens-{row}", (fresh, loaded) =>
        {
            IDataView scored = loaded.Transform(fresh.Data.LoadFromEnumerable(split.TestRows));
            var genRec = fresh.GenerativeRecommendation();
            RecommendationMetrics rowMetrics = genRec.Evaluate(scored, "UserId", "ItemId", "RecommendedItems", protocol.Ks);
            RecommendationMetrics? sasRecMetrics = row.ReadsSasRec ? genRec.Evaluate(scored, "UserId", "ItemId", SasRecRankingColumn, protocol.Ks) : null;
            return (rowMetrics, sasRecMetrics);
        });
        context.LogMetrics(test);
        return new PresetRowOutcome(row, test, sasRecTest, recommender, tokenizers[0].Statistics, fitTime);
    }

    /// <summary>The row's estimator chain; <paramref name="settings"/> says what the shortened training length came to.</summary>
    public static EstimatorChain<ITransformer> Pipeline(MLContext ml, PresetRow row, PresetTrainingLength length, PresetProtocol protocol, out string settings)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var genRec = ml.GenerativeRecommendation();
        // One flat chain, so that the fitted stages can be read by type after Fit.
        EstimatorChain<ITransformer> chain = new EstimatorChain<ITransformer>()
            .Append<ITransformer>(ml.Transforms.Conversion.MapValueToKey("UserId", nameof(TitledRow.User)))
            .Append<ITransformer>(ml.Transforms.Conversion.MapValueToKey("ItemId", nameof(TitledRow.Item)));
        if (row.ReadsText)
        {
            chain = chain.Append<ITransformer>(ContentVectorizers.BuiltInSentenceEncoder(ml, "TextVector", nameof(TitledRow.Text), protocol.Encoder));
        }

        if (row.ReadsSasRec)
        {
            CollaborativeEmbeddingOptions sasRec = protocol.SasRec();
            sasRec.TimestampColumnName = nameof(TitledRow.Timestamp);
            sasRec.HoldOutLastItemForValidation = true;
            sasRec.ExcludeHistoryFromRecommendations = protocol.ExcludeHistory;
            sasRec.TopK = protocol.Ks.Max();
            sasRec.RecommendedItemsColumnName = SasRecRankingColumn;
            sasRec.ScoresColumnName = "SasRecScores";
            chain = chain.Append<ITransformer>(genRec.CollaborativeEmbedding(sasRec));
        }

        if (row == PresetRow.TokenRec)
        {
            RetrievalRecipe recipe = PresetRowOptions.TokenRec(length);
            // Protocol, not recipe: the rows are time-ordered, so the last training item is held out for validation as
            // in every other row (the preset leaves it off because its default input is sets), and the history is
            // ranked or left out as in every other row.
            GenerativeRetrievalOptions retrieval = recipe.Retrieval;
            retrieval.HoldOutLastItemForValidation = true;
            retrieval.ExcludeHistoryFromRecommendations = protocol.ExcludeHistory;
            retrieval.TimestampColumnName = nameof(TitledRow.Timestamp);
            retrieval.UserColumnName = "UserId";
            retrieval.TopK = protocol.Ks.Max();
            settings = string.Create(CultureInfo.InvariantCulture,
                $"tokenizers {recipe.ItemTokenizer.MaskedKWay.NumberOfEpochs} epochs / {recipe.ItemTokenizer.MaskedKWay.MaxTrainingTime!.Value.TotalSeconds:F0} s each, retrieval {retrieval.MaxTrainingTime!.Value.TotalSeconds:F0} s ({retrieval.LearningRateSchedule}, warm-up {retrieval.WarmupSteps} steps)");
            return chain
                .Append<ITransformer>(genRec.SemanticIdTokenizer(recipe.ItemTokenizer))
                .Append<ITransformer>(genRec.SemanticIdTokenizer(recipe.UserTokenizer))
                .Append<ITransformer>(genRec.GenerativeRetrieval(retrieval));
        }

        var (tokenizer, recommender) = PresetRowOptions.Generative(row, length);
        // Wiring, not recipe: the tokenizer reads the text vectors, and the CF column where the row has the SASRec
        // stage (the library default's collaborative regularizer is on, and needs it; LETTER's preset already names it).
        tokenizer.ContentColumnName = "TextVector";
        tokenizer.CollaborativeColumnName = row.ReadsSasRec ? "ItemEmbedding" : null;
        recommender.TimestampColumnName = nameof(TitledRow.Timestamp);
        recommender.ExcludeHistoryFromRecommendations = protocol.ExcludeHistory;
        recommender.TopK = protocol.Ks.Max();
        settings = string.Create(CultureInfo.InvariantCulture,
            $"tokenizer {tokenizer.RqVae.NumberOfEpochs} epochs / {tokenizer.RqVae.MaxTrainingTime!.Value.TotalSeconds:F0} s ({tokenizer.RqVae.Levels} x {tokenizer.RqVae.CodebookSize}, {tokenizer.RqVae.CollisionHandling}), recommender {recommender.MaxTrainingTime!.Value.TotalSeconds:F0} s ({recommender.Architecture}, {recommender.InputMode}, {recommender.LearningRateSchedule}, warm-up {recommender.WarmupSteps} steps, batch {recommender.BatchSize})");
        return chain
            .Append<ITransformer>(genRec.SemanticIdTokenizer(tokenizer))
            .Append<ITransformer>(genRec.GenerativeRecommender(recommender));
    }
}
