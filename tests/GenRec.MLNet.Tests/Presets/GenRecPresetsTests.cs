using FluentAssertions;
using GenRec.MLNet.Generative;
using GenRec.MLNet.Generative.Retrieval;
using GenRec.MLNet.Presets;
using GenRec.MLNet.Tokenization;
using GenRec.MLNet.Tokenization.MaskedKWay;
using GenRec.MLNet.Tokenization.RqVae;
using GenRec.MLNet.Training;
using Xunit;

namespace GenRec.MLNet.Tests.Presets;

/// <summary>Every value each preset sets, as docs/presets.md lists it, and that each preset's options validate.</summary>
public sealed class GenRecPresetsTests
{
    [Fact]
    public void TigerHasThePapersTokenizer()
    {
        GenerativeRecipe tiger = GenRecPresets.Tiger();
        tiger.Name.Should().Be("TIGER");
        tiger.Tokenizer.Method.Should().Be(SemanticIdMethod.RqVae);
        tiger.Tokenizer.CollaborativeColumnName.Should().BeNull();

        RqVaeOptions t = tiger.Tokenizer.RqVae;
        t.EncoderLayerSizes.Should().Equal(512, 256, 128);
        (t.CodeDimension, t.Levels, t.CodebookSize).Should().Be((32, 3, 256));
        t.CollisionHandling.Should().Be(CollisionHandling.ExtraLevel);
        t.CommitmentWeight.Should().Be(0.25);
        (t.CodebookInitialization, t.KMeansIterations, t.DeadCodeResetSteps).Should().Be((CodebookInitialization.KMeans, 20, 0));
        (t.CollaborativeWeight, t.CollaborativeTemperature, t.DiversityWeight, t.DiversityClusters).Should().Be((0.0, 0.1, 0.0, 10));
        t.Dropout.Should().Be(0);
        (t.SinkhornRounds, t.SinkhornEpsilon, t.SinkhornIterations, t.SelectEpochByCollisionRate).Should().Be((20, 0.003, 50, false));
        (t.NumberOfEpochs, t.BatchSize, t.LearningRate, t.WeightDecay).Should().Be((20_000, 1024, 1e-3, 0.0));
        (t.LearningRateSchedule, t.WarmupSteps, t.GradientClipNorm, t.EarlyStoppingPatience, t.ValidateEveryNEpochs).Should().Be((LearningRateSchedule.Constant, 0, 0.0, 0, 1));
    }

    [Fact]
    public void TigerHasThePapersRecommender()
    {
        GenerativeRecommenderOptions r = GenRecPresets.Tiger().Recommender;
        (r.Architecture, r.InputMode).Should().Be((GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.CodeTokens));
        (r.EncoderLayers, r.DecoderLayers, r.ModelDimension, r.Heads, r.HeadDimension, r.FeedForwardDimension).Should().Be((4, 4, 128, 6, 64, 1024));
        (r.Dropout, r.MaxHistoryLength, r.Temperature, r.BeamSize).Should().Be((0.1, 20, 1.0, 20));
        r.LossScope.Should().Be(GenerativeLossScope.WholeVocabulary, "T5 normalizes each step over its whole vocabulary");
        (r.UseUserToken, r.UserHashBuckets, r.UserColumnName).Should().Be((true, 2000, "UserId"));
        r.HoldOutLastItemForValidation.Should().BeTrue();
        (r.BatchSize, r.LearningRate, r.LearningRateSchedule, r.WarmupSteps).Should().Be((256, 1e-3, LearningRateSchedule.InverseSquareRoot, 10_000));
        (r.WeightDecay, r.GradientClipNorm).Should().Be((0.01, 1.0));
        (r.NumberOfEpochs, r.EarlyStoppingPatience, r.ValidateEveryNEpochs).Should().Be((390, 0, 1));
    }

    [Fact]
    public void LetterHasTheReleasedTokenizer()
    {
        GenerativeRecipe letter = GenRecPresets.Letter();
        letter.Name.Should().Be("LETTER");
        letter.Tokenizer.Method.Should().Be(SemanticIdMethod.RqVae);
        letter.Tokenizer.CollaborativeColumnName.Should().Be("ItemEmbedding");

        RqVaeOptions t = letter.Tokenizer.RqVae;
        t.EncoderLayerSizes.Should().Equal(2048, 1024, 512, 256, 128, 64);
        (t.CodeDimension, t.Levels, t.CodebookSize).Should().Be((32, 4, 256));
        t.CommitmentWeight.Should().Be(0.25);
        (t.CodebookInitialization, t.KMeansIterations, t.DeadCodeResetSteps).Should().Be((CodebookInitialization.KMeans, 20, 0));
        (t.CollaborativeWeight, t.CollaborativeTemperature, t.DiversityWeight, t.DiversityClusters).Should().Be((0.02, 0.1, 1e-4, 10));
        t.Dropout.Should().Be(0);
        t.CollisionHandling.Should().Be(CollisionHandling.SinkhornReassign);
        (t.SinkhornRounds, t.SinkhornEpsilon, t.SinkhornIterations).Should().Be((20, 0.003, 50));
        (t.SelectEpochByCollisionRate, t.ValidateEveryNEpochs).Should().Be((true, 2000));
        (t.NumberOfEpochs, t.BatchSize, t.LearningRate, t.WeightDecay).Should().Be((10_000, 1024, 1e-3, 1e-4));
        (t.LearningRateSchedule, t.WarmupSteps, t.GradientClipNorm, t.EarlyStoppingPatience).Should().Be((LearningRateSchedule.Constant, 0, 0.0, 0));
    }

    [Fact]
    public void LetterHasTheReleasedRecommender()
    {
        GenerativeRecommenderOptions r = GenRecPresets.Letter().Recommender;
        (r.Architecture, r.InputMode).Should().Be((GenerativeArchitecture.EncoderDecoder, GenerativeInputMode.CodeTokens));
        (r.EncoderLayers, r.DecoderLayers, r.ModelDimension, r.Heads, r.HeadDimension, r.FeedForwardDimension).Should().Be((4, 4, 128, 6, 64, 1024));
        (r.Dropout, r.MaxHistoryLength, r.Temperature, r.BeamSize).Should().Be((0.1, 20, 1.0, 20));
        r.LossScope.Should().Be(GenerativeLossScope.WholeVocabulary, "T5 normalizes each step over its whole vocabulary");
        (r.UseUserToken, r.UserHashBuckets, r.UserColumnName).Should().Be((false, 2000, (string?)null));
        r.HoldOutLastItemForValidation.Should().BeTrue();
        (r.BatchSize, r.LearningRate, r.WeightDecay, r.LearningRateSchedule, r.WarmupSteps).Should().Be((1024, 5e-4, 0.01, LearningRateSchedule.Cosine, 258));
        r.GradientClipNorm.Should().Be(1.0);
        (r.NumberOfEpochs, r.EarlyStoppingPatience, r.ValidateEveryNEpochs).Should().Be((200, 20, 1));
    }

    [Fact]
    public void TokenRecHasThePapersTokenizersForItemsAndUsers()
    {
        RetrievalRecipe tokenRec = GenRecPresets.TokenRec();
        tokenRec.Name.Should().Be("TokenRec");
        (tokenRec.ItemTokenizer.ItemColumnName, tokenRec.ItemTokenizer.ContentColumnName).Should().Be(("ItemId", "ItemEmbedding"));
        (tokenRec.UserTokenizer.ItemColumnName, tokenRec.UserTokenizer.ContentColumnName).Should().Be(("UserId", "UserEmbedding"));
        // The user codes land where the retrieval reads them, not on the item codes' column.
        (tokenRec.ItemTokenizer.SemanticIdColumnName, tokenRec.ItemTokenizer.QuantizedColumnName).Should().Be(("SemanticId", "QuantizedVector"));
        (tokenRec.UserTokenizer.SemanticIdColumnName, tokenRec.UserTokenizer.QuantizedColumnName).Should().Be(("UserSemanticId", "UserQuantizedVector"));
        tokenRec.UserTokenizer.SemanticIdColumnName.Should().Be(tokenRec.Retrieval.UserSemanticIdColumnName);
        foreach (SemanticIdTokenizerOptions tokenizer in new[] { tokenRec.ItemTokenizer, tokenRec.UserTokenizer })
        {
            tokenizer.Method.Should().Be(SemanticIdMethod.MaskedKWay);
            tokenizer.CollaborativeColumnName.Should().BeNull();
            MaskedKWayOptions k = tokenizer.MaskedKWay;
            (k.Ways, k.CodebookSize, k.CodeDimension).Should().Be((3, 256, 512));
            k.EncoderLayerSizes.Should().Equal(128, 256);
            (k.MaskRatio, k.CommitmentWeight).Should().Be((0.2, 0.25));
            (k.KMeansInit, k.KMeansIterations, k.DeadCodeResetSteps).Should().Be((true, 20, 20));
            (k.NumberOfEpochs, k.BatchSize, k.LearningRate, k.WeightDecay, k.MinimumTrainingSteps).Should().Be((1000, 512, 1e-3, 0.01, 0));
            (k.LearningRateSchedule, k.WarmupSteps, k.GradientClipNorm, k.EarlyStoppingPatience, k.ValidateEveryNEpochs).Should().Be((LearningRateSchedule.Constant, 0, 0.0, 0, 1));
        }

        tokenRec.ItemTokenizer.MaskedKWay.Should().NotBeSameAs(tokenRec.UserTokenizer.MaskedKWay);
    }

    [Fact]
    public void TokenRecHasItsRetrievalSettings()
    {
        GenerativeRetrievalOptions r = GenRecPresets.TokenRec().Retrieval;
        (r.Layers, r.ModelDimension, r.Heads, r.FeedForwardDimension, r.Dropout).Should().Be((2, 128, 4, 512, 0.1));
        (r.UseUserTokens, r.UseHistoryTokens, r.MaxHistoryLength).Should().Be((true, true, 50));
        (r.Loss, r.Margin, r.NegativesPerPositive, r.PositivesPerPrompt).Should().Be((RetrievalLoss.CosineMargin, 0.1, 1, 4));
        r.ProjectionHiddenSizes.Should().Equal(256, 256);
        (r.BatchSize, r.LearningRate, r.WeightDecay, r.LearningRateSchedule, r.WarmupSteps, r.GradientClipNorm).Should().Be((128, 1e-3, 0.01, LearningRateSchedule.Constant, 100, 1.0));
        (r.NumberOfEpochs, r.EarlyStoppingPatience, r.ValidateEveryNEpochs, r.HoldOutLastItemForValidation).Should().Be((100, 5, 1, false));
    }

    [Fact]
    public void EveryPresetValidates()
    {
        GenRecPresets.Tiger().Invoking(r => r.Validate()).Should().NotThrow();
        GenRecPresets.Letter().Invoking(r => r.Validate()).Should().NotThrow();
        GenRecPresets.TokenRec().Invoking(r => r.Validate()).Should().NotThrow();
    }

    [Fact]
    public void EveryCallReturnsItsOwnOptions()
    {
        GenerativeRecipe first = GenRecPresets.Letter();
        first.Tokenizer.RqVae.NumberOfEpochs = 5;
        first.Tokenizer.RqVae.EncoderLayerSizes[0] = 7;
        first.Recommender.MaxTrainingTime = TimeSpan.FromMinutes(1);
        RetrievalRecipe tokenRec = GenRecPresets.TokenRec();
        tokenRec.ItemTokenizer.MaskedKWay.EncoderLayerSizes[0] = 7;

        GenerativeRecipe second = GenRecPresets.Letter();
        second.Tokenizer.RqVae.NumberOfEpochs.Should().Be(10_000);
        second.Tokenizer.RqVae.EncoderLayerSizes[0].Should().Be(2048);
        second.Recommender.MaxTrainingTime.Should().BeNull();
        GenRecPresets.TokenRec().ItemTokenizer.MaskedKWay.EncoderLayerSizes[0].Should().Be(128);
        tokenRec.UserTokenizer.MaskedKWay.EncoderLayerSizes[0].Should().Be(128);
    }
}
