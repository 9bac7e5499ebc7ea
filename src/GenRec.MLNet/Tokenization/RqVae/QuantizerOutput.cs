using static TorchSharp.torch;

namespace GenRec.MLNet.Tokenization.RqVae;

/// <summary>What one pass of the <see cref="ResidualQuantizer"/> produces for a batch.</summary>
/// <param name="Codes">Chosen code per item and level, int64 [batch, levels].</param>
/// <param name="Quantized">Sum of the chosen codes with the straight-through gradient to the latent, [batch, dimension].</param>
/// <param name="LevelInputs">The (detached) residual each level quantized, [levels, batch, dimension].</param>
/// <param name="Loss">Σ over levels of ‖c − sg[r]‖² + β‖r − sg[c]‖² (means over the batch), or an empty tensor when not asked for.</param>
internal sealed record QuantizerOutput(Tensor Codes, Tensor Quantized, Tensor LevelInputs, Tensor Loss);
