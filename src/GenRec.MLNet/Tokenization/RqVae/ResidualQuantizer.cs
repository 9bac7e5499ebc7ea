using GenRec.MLNet.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>
/// Residual quantization with one codebook per level: level l picks the code nearest to the residual r_l, and
/// r_{l+1} = r_l − c_l. The quantized vector is the sum of the chosen codes; the decoder receives it with the
/// straight-through gradient z + sg[q − z], so the reconstruction trains the encoder while the codebooks learn
/// only from the codebook term of the quantization loss (and the diversity regularizer).
/// </summary>
internal sealed class ResidualQuantizer : nn.Module
{
    private readonly Parameter codebooks;

    public ResidualQuantizer(int levels, int codebookSize, int dimension, Generator? generator = null) : base(nameof(ResidualQuantizer))
    {
        Levels = levels;
        CodebookSize = codebookSize;
        Dimension = dimension;
        // VQ-VAE's small uniform start; normally overwritten by the k-means initialization before training.
        codebooks = nn.Parameter(empty(levels, codebookSize, dimension).uniform_(-1.0 / codebookSize, 1.0 / codebookSize, generator));
        RegisterComponents();
    }

    public int Levels { get; }

    public int CodebookSize { get; }

    public int Dimension { get; }

    /// <summary>All codebooks, [levels, codebook size, dimension] (the parameter itself).</summary>
    public Tensor Codebooks => codebooks;

    /// <summary>Quantizes latents <paramref name="latent"/> [batch, dimension].</summary>
    /// <param name="latent">Encoder output.</param>
    /// <param name="commitmentWeight">β; used only when <paramref name="withLoss"/> is true.</param>
    /// <param name="withLoss">Whether to build the quantization loss (training).</param>
    public QuantizerOutput Quantize(Tensor latent, double commitmentWeight, bool withLoss)
    {
        using var scope = NewDisposeScope();
        Tensor residual = latent;
        Tensor sum = zeros_like(latent);
        Tensor loss = withLoss ? zeros(Array.Empty<long>(), device: latent.device) : empty(0);
        var codes = new Tensor[Levels];
        var inputs = new Tensor[Levels];
        for (int level = 0; level < Levels; level++)
        {
            Tensor book = codebooks[level];
            Tensor target = residual.detach();
            Tensor chosen = RqVaeMath.NearestCenter(target, book.detach());
            Tensor code = book.index_select(0, chosen);
            if (withLoss)
            {
                // Codebook term moves codes toward the data; the commitment term keeps the encoder near its codes.
                loss = loss.Plus(nn.functional.mse_loss(code, target)).Plus(nn.functional.mse_loss(residual, code.detach()).Times(commitmentWeight));
            }

            codes[level] = chosen;
            inputs[level] = target;
            sum = sum.Plus(code.detach());
            // Later levels see the residual with the chosen code held fixed: their commitment still trains the
            // encoder through r_l, but they never pull an earlier level's codebook.
            residual = residual - code.detach();
        }

        Tensor quantized = latent.Plus((sum - latent).detach());
        return new QuantizerOutput(
            stack(codes, 1).MoveToOuterDisposeScope(),
            quantized.MoveToOuterDisposeScope(),
            stack(inputs, 0).MoveToOuterDisposeScope(),
            loss.MoveToOuterDisposeScope());
    }

    /// <summary>Sum over levels of the codes in <paramref name="codes"/> (int64 [batch, levels]), [batch, dimension].</summary>
    public Tensor Lookup(Tensor codes)
    {
        using var scope = NewDisposeScope();
        Tensor offsets = TensorArithmetic.Range(Levels, codes.device).Times((long)CodebookSize);
        Tensor flat = codes.Plus(offsets.unsqueeze(0)).view(-1);
        Tensor vectors = codebooks.view(Levels * CodebookSize, Dimension).index_select(0, flat).view(codes.shape[0], Levels, Dimension);
        return vectors.sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Overwrites the codebook of <paramref name="level"/> (no gradient is recorded).</summary>
    public void SetCodebook(int level, Tensor values)
    {
        using var noGrad = no_grad();
        codebooks[level].copy_(values);
    }

    /// <summary>Overwrites the codes at flat indexes level × size + code with <paramref name="values"/> [n, dimension].</summary>
    public void ReplaceCodes(Tensor flatIndexes, Tensor values)
    {
        using var noGrad = no_grad();
        codebooks.view(Levels * CodebookSize, Dimension).index_copy_(0, flatIndexes, values);
    }
}
