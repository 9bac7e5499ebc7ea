using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// What the training loop optimizes: the RQ-VAE plus, for the collaborative regularizer, a linear map from the CF
/// embedding space to the code space when their dimensions differ. Only the RQ-VAE is kept after training.
/// </summary>
internal sealed class RqVaeTrainingModule : nn.Module
{
    private readonly RqVaeNetwork network;
    private readonly Linear? cf_projection;

    public RqVaeTrainingModule(RqVaeNetwork network, int collaborativeDimension) : base(nameof(RqVaeTrainingModule))
    {
        this.network = network;
        int codeDimension = network.Hyperparameters.CodeDimension;
        if (collaborativeDimension > 0 && collaborativeDimension != codeDimension)
        {
            cf_projection = nn.Linear(collaborativeDimension, codeDimension);
        }

        RegisterComponents();
    }

    public RqVaeNetwork Network => network;

    /// <summary>Frees the CF projection, which only training needs (the network lives on in the tokenizer).</summary>
    public void ReleaseProjection() => cf_projection?.Dispose();

    /// <summary>CF embeddings [batch, cf dimension] in the code space [batch, code dimension].</summary>
    public Tensor ProjectCollaborative(Tensor embeddings) => cf_projection is null ? embeddings : cf_projection.forward(embeddings);
}
