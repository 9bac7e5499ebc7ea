namespace GenRec.MLNet.Presets;

/// <summary>
/// The papers' recipes as fully populated options: <see cref="Tiger"/>, <see cref="Letter"/> and
/// <see cref="TokenRec"/>. Every hyperparameter is set explicitly (a later change of a library default never changes a
/// preset), from the paper and, where the paper is silent or differs, the authors' released code. Where the library
/// cannot do what a paper does, the preset says so in docs/presets.md, which lists every setting with the paper's value,
/// the released code's value, ours and why they differ.
/// </summary>
/// <remarks>
/// <para>
/// Training lengths are the papers' (TIGER's tokenizer 20,000 epochs, LETTER's recommender 200 epochs), sized for a
/// GPU. On a CPU, set <c>MaxTrainingTime</c> on each options object and lower <c>NumberOfEpochs</c> (with a cosine
/// schedule the decay follows <c>NumberOfEpochs</c>, so choose the epochs that fit the budget); docs/presets.md gives
/// measured speeds.
/// </para>
/// <para>
/// Each call returns new objects that the caller may change freely; column names keep the library's defaults except
/// where the recipe reads a specific column (LETTER's CF column <c>ItemEmbedding</c>, TokenRec's
/// <c>ItemEmbedding</c>/<c>UserEmbedding</c>, TIGER's user key <c>UserId</c>) and TokenRec's user tokenizer, which
/// writes <c>UserSemanticId</c>/<c>UserQuantizedVector</c> (what the retrieval reads) so that it does not overwrite the item codes.
/// </para>
/// </remarks>
public static class GenRecPresets
{
    /// <summary>
    /// TIGER: an RQ-VAE of 3 levels × 256 codes (dimension 32, encoder 512-256-128, commitment 0.25) plus a collision
    /// level, no regularizers, 20,000 epochs at batch 1024; a 4 + 4-layer encoder-decoder (d 128, 6 heads of 64,
    /// feed-forward 1024, dropout 0.1) over code tokens with a hashed user token (2,000 buckets), batch 256, inverse
    /// square root decay after 10,000 steps, about 200k steps. Deviations: AdamW instead of Adagrad (tokenizer) and
    /// Adafactor (recommender), with AdamW learning rates; a linear warm-up; GELU/LayerNorm/learned positions.
    /// </summary>
    public static GenerativeRecipe Tiger() => TigerRecipe.Create();

    /// <summary>
    /// LETTER (LETTER-TIGER): an RQ-VAE of 4 levels × 256 codes (dimension 32, encoder 2048-1024-512-256-128-64) with
    /// the collaborative regularizer against the <c>ItemEmbedding</c> column and the diversity regularizer (weight
    /// 1e-4, 10 clusters), Sinkhorn re-assignment of collisions, the epoch with the fewest collisions kept, 10,000
    /// epochs; the recommender of <see cref="Tiger"/>'s sizes without user token, AdamW lr 5e-4, weight decay 0.01,
    /// batch 1024, cosine schedule, 200 epochs, patience 20, ranking-guided loss at the released τ = 1 (which is plain
    /// cross-entropy) normalized over every code token. Deviations: no Sinkhorn assignment during tokenizer training,
    /// a different form and weight of the collaborative loss, no T5 text tokens in the softmax.
    /// </summary>
    public static GenerativeRecipe Letter() => LetterRecipe.Create();

    /// <summary>
    /// TokenRec: masked K-way tokenizers for items and users (K = 3 ways of 256 codes, code dimension 512, encoders
    /// 128-256, mask ratio 0.2, 1,000 epochs at batch 512) over the <c>ItemEmbedding</c>/<c>UserEmbedding</c> columns;
    /// generative retrieval with user and history-item code tokens (up to 50 items), a pairwise cosine loss with one
    /// negative and margin 0.1, a 3-layer projection, batch 128, 100 epochs. Deviations: a small transformer trained
    /// from scratch instead of a pretrained T5-small, and dead-code re-seeding instead of periodic k-means re-fits.
    /// </summary>
    public static RetrievalRecipe TokenRec() => TokenRecRecipe.Create();
}
