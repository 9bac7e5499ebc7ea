using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>The RQ-VAE: MLP encoder to the latent, residual quantizer, mirrored MLP decoder back to the input.</summary>
internal sealed class RqVaeNetwork : nn.Module
{
    private readonly MlpStack encoder;
    private readonly MlpStack decoder;
    private readonly ResidualQuantizer quantizer;

    /// <param name="hyperparameters">Architecture.</param>
    /// <param name="generator">Draws the initial weights when given (training); a network about to load weights needs none.</param>
    public RqVaeNetwork(RqVaeHyperparameters hyperparameters, Generator? generator = null) : base(nameof(RqVaeNetwork))
    {
        hyperparameters.Validate();
        Hyperparameters = hyperparameters;
        var widths = new List<int> { hyperparameters.InputDimension };
        widths.AddRange(hyperparameters.EncoderLayerSizes);
        widths.Add(hyperparameters.CodeDimension);
        encoder = new MlpStack(widths, hyperparameters.Dropout);
        widths.Reverse();
        decoder = new MlpStack(widths, hyperparameters.Dropout);
        quantizer = new ResidualQuantizer(hyperparameters.Levels, hyperparameters.CodebookSize, hyperparameters.CodeDimension, generator);
        if (generator is not null)
        {
            encoder.ResetParameters(generator);
            decoder.ResetParameters(generator);
        }

        RegisterComponents();
    }

    public RqVaeHyperparameters Hyperparameters { get; }

    public ResidualQuantizer Quantizer => quantizer;

    /// <summary>Content vectors [batch, input] → latents [batch, code dimension].</summary>
    public Tensor Encode(Tensor input) => encoder.forward(input);

    /// <summary>Quantized latents → reconstructed content vectors.</summary>
    public Tensor Decode(Tensor quantized) => decoder.forward(quantized);
}
