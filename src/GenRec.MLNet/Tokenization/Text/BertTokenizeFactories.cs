using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace GenRec.MLNet.Tokenization.Text;

/// <summary>
/// The WordPiece tokenization step as ML.NET CustomMappings, one contract per window length. The contract names are
/// what a saved model records; ML.NET finds the factory again by that name when the model is loaded (the
/// GenRec.MLNet assembly must be loaded or registered with <c>mlContext.ComponentCatalog.RegisterAssembly</c>).
/// Never rename a contract: models saved with it would stop loading.
/// </summary>
internal abstract class BertTokenizeFactory<TWindow> : CustomMappingFactory<BertTokenizerInput, TWindow>
    where TWindow : class, ITokenWindow, new()
{
    /// <summary>Window length of <typeparamref name="TWindow"/>.</summary>
    protected abstract int Window { get; }

    /// <inheritdoc />
    public override Action<BertTokenizerInput, TWindow> GetMapping()
    {
        int window = Window;
        return (input, output) => BertTokenizerSpec.Fill(input.Spec, input.Text, output, window);
    }
}

/// <summary>Builds the tokenization CustomMapping estimator for a window length.</summary>
internal static class BertTokenizeFactories
{
    /// <summary>The CustomMapping estimator for the window that holds <paramref name="maxTokens"/>.</summary>
    public static IEstimator<ITransformer> Create(MLContext mlContext, int maxTokens) => BertTokenWindows.WindowFor(maxTokens) switch
    {
        16 => mlContext.Transforms.CustomMapping(new BertTokenize16Factory().GetMapping(), BertTokenize16Factory.Contract),
        32 => mlContext.Transforms.CustomMapping(new BertTokenize32Factory().GetMapping(), BertTokenize32Factory.Contract),
        64 => mlContext.Transforms.CustomMapping(new BertTokenize64Factory().GetMapping(), BertTokenize64Factory.Contract),
        128 => mlContext.Transforms.CustomMapping(new BertTokenize128Factory().GetMapping(), BertTokenize128Factory.Contract),
        256 => mlContext.Transforms.CustomMapping(new BertTokenize256Factory().GetMapping(), BertTokenize256Factory.Contract),
        _ => mlContext.Transforms.CustomMapping(new BertTokenize512Factory().GetMapping(), BertTokenize512Factory.Contract),
    };
}

[CustomMappingFactoryAttribute(Contract)]
internal sealed class BertTokenize16Factory : BertTokenizeFactory<TokenWindow16>
{
    public const string Contract = "GenRec.BertTokenize.16.v1";

    protected override int Window => 16;
}

[CustomMappingFactoryAttribute(Contract)]
internal sealed class BertTokenize32Factory : BertTokenizeFactory<TokenWindow32>
{
    public const string Contract = "GenRec.BertTokenize.32.v1";

    protected override int Window => 32;
}

[CustomMappingFactoryAttribute(Contract)]
internal sealed class BertTokenize64Factory : BertTokenizeFactory<TokenWindow64>
{
    public const string Contract = "GenRec.BertTokenize.64.v1";

    protected override int Window => 64;
}

[CustomMappingFactoryAttribute(Contract)]
internal sealed class BertTokenize128Factory : BertTokenizeFactory<TokenWindow128>
{
    public const string Contract = "GenRec.BertTokenize.128.v1";

    protected override int Window => 128;
}

[CustomMappingFactoryAttribute(Contract)]
internal sealed class BertTokenize256Factory : BertTokenizeFactory<TokenWindow256>
{
    public const string Contract = "GenRec.BertTokenize.256.v1";

    protected override int Window => 256;
}

[CustomMappingFactoryAttribute(Contract)]
internal sealed class BertTokenize512Factory : BertTokenizeFactory<TokenWindow512>
{
    public const string Contract = "GenRec.BertTokenize.512.v1";

    protected override int Window => 512;
}
