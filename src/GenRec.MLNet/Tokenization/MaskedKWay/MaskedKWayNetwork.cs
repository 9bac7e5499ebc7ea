using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.MaskedKWay;

/// <summary>
/// TokenRec's MQ-Tokenizer network: K independent MLP encoders (batched as one <see cref="ParallelMlp"/>), K parallel
/// codebooks, and a K-to-1 MLP decoder that reconstructs the input from the mean of the K code vectors. Masking and the
/// losses live in the trainer; this module is only the deterministic mapping, so the saved weights encode identically.
/// TokenRec's released default model (MQ) also has K encoders and K codebooks; it differs in details: it decodes from
/// the sum of the code vectors, draws one feature mask per batch (each way masking only its own slice of the features),
/// and its MLPs use batch norm and dropout. Only its alternative model (RQ) shares one encoder and quantizes residually.
/// </summary>
internal sealed class MaskedKWayNetwork : nn.Module
{
    private readonly ParallelMlp encoders;
    private readonly KWayCodebooks codebooks;
    private readonly ParallelMlp decoder;

    public MaskedKWayNetwork(MaskedKWayHyperparameters hyperparameters) : base(nameof(MaskedKWayNetwork))
    {
        hyperparameters.Validate();
        Hyperparameters = hyperparameters;
        encoders = new ParallelMlp(hyperparameters.Ways, hyperparameters.EncoderWidths());
        codebooks = new KWayCodebooks(hyperparameters.Ways, hyperparameters.CodebookSize, hyperparameters.CodeDimension);
        decoder = new ParallelMlp(1, hyperparameters.DecoderWidths());
        RegisterComponents();
    }

    public MaskedKWayHyperparameters Hyperparameters { get; }

    public KWayCodebooks Codebooks => codebooks;

    /// <summary>Input vectors [batch, input] → one encoding per way [ways, batch, code dimension].</summary>
    public Tensor EncodeWays(Tensor input) => encoders.forward(input);

    /// <summary>Per-way (quantized) vectors [ways, batch, code dimension] → reconstructed inputs [batch, input], decoded from their mean.</summary>
    public Tensor Decode(Tensor wayVectors)
    {
        using var scope = NewDisposeScope();
        return decoder.forward(wayVectors.mean(new long[] { 0 })).squeeze(0).MoveToOuterDisposeScope();
    }
}
