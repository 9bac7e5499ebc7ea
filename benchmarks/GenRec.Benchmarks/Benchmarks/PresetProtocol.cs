using GenRec.MLNet.Collaborative;
using GenRec.MLNet.Tokenization.Text;

namespace GenRec.Benchmarks.Benchmarks;

/// <summary>What every <c>presets-movielens</c> row shares, so that the rows differ only in their recipe.</summary>
/// <param name="Ks">The cutoffs every row and baseline is evaluated at.</param>
/// <param name="ExcludeHistory">
/// Whether a user's own training movies are left out of every ranking (<c>--exclude-history 1</c>, RecBole's protocol);
/// false by default, TIGER's protocol, as the Beauty figures of <c>pipeline-text-beauty</c>.
/// </param>
/// <param name="SasRec">Fresh options of the SASRec stage (each row's pipeline gets its own copy).</param>
/// <param name="Encoder">The built-in sentence encoder's options (MiniLM; batch and threads only).</param>
internal sealed record PresetProtocol(int[] Ks, bool ExcludeHistory, Func<CollaborativeEmbeddingOptions> SasRec, BuiltInSentenceEncoderOptions Encoder);
