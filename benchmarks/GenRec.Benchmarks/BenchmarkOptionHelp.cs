namespace GenRec.Benchmarks;

/// <summary>
/// The one-line help of every benchmark's own options, by option name (without <c>--</c>), for <c>&lt;name&gt; --help</c>.
/// </summary>
/// <remarks>
/// The benchmarks declare their options as bare names (<see cref="IBenchmark.ExtraOptions"/>) and read them with their
/// own defaults, so the command line alone cannot say what an option does; this table does, once per name. Several
/// benchmarks share a name (<c>--epochs</c>, <c>--history</c>, ...), so each line is true for every benchmark that
/// declares it: it says what the option controls, its unit and its accepted values, and a default only where every
/// declaring benchmark has the same one (the others are in each benchmark's section of docs/benchmarks.md). A test
/// checks that every declared option has a line here, so a new option without help fails it.
/// </remarks>
internal static class BenchmarkOptionHelp
{
    /// <summary>Option name (without <c>--</c>) → what it controls.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Which path runs, what is scored.
        ["via"] = "Path the benchmark runs through: mlnet (the ML.NET estimators, Fit/Save/Load; the default) or trainer (the trainers called directly)",
        ["exclude-history"] = "1 leaves each user's own items out of the ranking (RecBole's full ranking), 0 keeps them (TIGER's protocol; the default)",
        ["test-users"] = "Number of test users scored, taken from the start of the test split (tiger-beauty-letter-codes: --via trainer only, 0 = all)",
        ["validation-users"] = "Users per validation pass of the generative recommender, a fixed random subset (0 = all; default 2000)",
        ["users"] = "Number of users timed or scored (Beauty users, or synthetic ones in decode-batching)",

        // Training of the benchmark's own model.
        ["epochs"] = "Most training epochs (passes over the training data); the time budget or early stopping may end training sooner",
        ["batch-size"] = "Training examples per optimizer step (decode-latency-beauty: users per decoding batch)",
        ["lr"] = "Peak learning rate of the AdamW optimizer",
        ["schedule"] = "Learning-rate schedule after warm-up: constant (the default), cosine (decays over --epochs), "
            + "cosine-budget (over the epochs or the time budget, whichever ends first) or inverse-sqrt",
        ["warmup"] = "Optimizer steps of linear learning-rate warm-up from 0 to --lr",
        ["weight-decay"] = "Decoupled weight decay of the AdamW optimizer (default 0)",
        ["validate-every"] = "Epochs between validation passes (each a full ranking of the validation users)",
        ["patience"] = "Validation passes without improvement before training stops early (0 turns early stopping off)",
        ["dimension"] = "Width of the trained model: the embedding size (SASRec, LightGCN, MF) or the retrieval transformer's model dimension d",
        ["layers"] = "Depth of the trained model: transformer blocks (SASRec, retrieval) or graph propagation layers (LightGCN; MF ignores it)",
        ["heads"] = "Attention heads of each SASRec transformer block",
        ["dropout"] = "Dropout rate of the transformer, in [0, 1)",
        ["max-length"] = "Most recent history items SASRec reads per user",
        ["recency-positions"] = "1 numbers SASRec's positions back from the most recent item (as the original SASRec), 0 from the oldest (the default)",
        ["l2"] = "L2 penalty on the embeddings used in each batch of the BPR training (default 1e-4)",
        ["history"] = "History length in items (default 20): the most history items in a retrieval prompt, "
            + "or the length of each synthetic history in the batching benchmarks",

        // The generative recommender.
        ["architecture"] = "Layout of the generative transformer: encoder-decoder (TIGER/LETTER) or decoder-only",
        ["input-mode"] = "History input of the generative model: item-embedding (one summed vector per item) "
            + "or code-tokens (every code a token, TIGER's)",
        ["temperature"] = "Temperature τ of the generative loss, cross-entropy on logits / τ "
            + "(1 = plain cross-entropy; below 1 weighs hard negatives more)",
        ["loss-scope"] = "Codes each generation step's softmax normalizes over: level (that step's level's codes; the default) "
            + "or whole-vocabulary (every level's, LETTER's form)",
        ["unconstrained-users"] = "Test users on which unconstrained beam search (no prefix trie) runs, to count the invalid item IDs it would invent",
        ["variants"] = "Comma-separated variants to train (all by default): ed_item, ed_code, do_item, do_code "
            + "(encoder-decoder/decoder-only × item-embedding/code-token input)",
        ["generative-minutes"] = "Training budget in minutes of the generative stage (by default what the total budget leaves after the other stages)",

        // Stage budgets of the multi-stage benchmarks.
        ["train-minutes"] = "Training budget in minutes of the served model (its quality is not measured)",
        ["train-seconds"] = "Training budget in seconds of each briefly trained model (latency does not depend on how well it is trained)",
        ["lightgcn-minutes"] = "Training budget in minutes of the LightGCN stage that gives the CF user and item embeddings",
        ["tokenizer-minutes"] = "Training budget in minutes of each trained tokenizer (RQ-VAE or masked K-way)",
        ["tokenizer-epochs"] = "Most training epochs of each tokenizer (presets-movielens: a cap; a preset with fewer keeps its own)",

        // SASRec item embeddings feeding the tokenizers (BeautySasRecEmbeddings).
        ["sasrec-minutes"] = "Training budget in minutes of the SASRec stage that gives the item embeddings",
        ["sasrec-epochs"] = "Most training epochs of the SASRec stage that gives the item embeddings (default 200)",
        ["sasrec-validation-users"] = "Users per validation pass of the SASRec stage, a fixed random subset (0 = all; default 5000)",
        ["sasrec-cache"] = "File caching the trained SASRec item embeddings (default under benchmarks/out/); none trains without the cache",

        // Item texts and the MiniLM encoder.
        ["text-cache"] = "File of cached MiniLM item-text vectors (default under benchmarks/out/); "
            + "where the benchmark encodes the texts itself, none encodes them anew",
        ["text-batch"] = "Item texts per MiniLM encoder run (default 32)",
        ["text-threads"] = "ONNX Runtime threads of the MiniLM encoder (0 = one per physical core; the default)",
        ["text-dimension"] = "Length of the TF-IDF + PCA text vectors the RQ-VAE codes",

        // RQ-VAE tokenizer (LETTER's recipe and tokenizer-movielens).
        ["rqvae-epochs"] = "Most training epochs of the RQ-VAE tokenizer (default 200)",
        ["alpha"] = "Weight α of LETTER's collaborative regularizer of the RQ-VAE, pulling codes towards the SASRec embeddings (default 0.02)",
        ["diversity-weight"] = "Weight of LETTER's diversity regularizer on the RQ-VAE codebooks (0 turns it off)",
        ["dead-code-steps"] = "Idle optimizer steps after which an unused RQ-VAE code is re-seeded from the batch (0 turns the reset off)",
        ["init"] = "RQ-VAE codebook initialization: kmeans (the default) or random",
        ["kmeans-iterations"] = "Lloyd iterations of each k-means the tokenizer runs: the RQ-VAE's codebook initialization and diversity regularizer, "
            + "or each level of residual k-means",
        ["levels"] = "Code levels of the RQ-VAE",
        ["codebook"] = "Codes per RQ-VAE level",
        ["png"] = "PNG file the first-level code histogram is drawn into (default under benchmarks/out/)",

        // Residual k-means tokenizer (TokenizerRqKMeansBeautyBenchmark.OptionNames).
        ["codes"] = "Tokenizer of the pipeline: rqvae (LETTER's RQ-VAE; the default) or rqkmeans (residual k-means)",
        ["rqkmeans-levels"] = "Levels of residual k-means codes, before the extra level that separates colliding items (default 3)",
        ["rqkmeans-codebook"] = "Centroids per level of residual k-means (default 256)",
        ["normalization"] = "Input normalization before residual k-means: none (the default), l2 or standardize",
        ["cf-weight"] = "Weight w in [0, 1] of the SASRec embeddings fused with the text vectors for residual k-means "
            + "(0 = text only, 1 = SASRec only; default 0.5); tokenizer-rqkmeans-beauty fuses none and ignores it",

        // Generative retrieval (retrieval-lastfm).
        ["item-codebook"] = "Codebook size (codes per way) of the masked K-way item tokenizer",
        ["user-codebook"] = "Codebook size (codes per way) of the masked K-way user tokenizer",
        ["loss"] = "Retrieval training loss: cosine-margin (TokenRec's pairwise loss; the default) or softmax (over the whole catalog)",
        ["similarity"] = "How the encoded prompt is compared with the CF item embeddings, in the loss and in ranking: cosine (the default) or dot",
        ["margin"] = "Margin γ of the cosine-margin loss's negative term, max(0, cos(u, e_neg) − γ)",
        ["negatives"] = "Negative items sampled per positive pair for the cosine-margin loss",
        ["positives-per-prompt"] = "Positive items that share one encoded prompt in training (an epoch gets that many times cheaper)",
        ["softmax-temperature"] = "Temperature τ of the softmax loss (--loss softmax)",
        ["tokenizer-min-steps"] = "Fewest optimizer steps of each K-way tokenizer (default 5000, the library's MinimumTrainingSteps): small tables get more epochs; 0 trains exactly --tokenizer-epochs",
        ["user-anchor"] = "1 starts retrieval from the user's codes decoded into the CF space (a decoder fitted to the CF user embeddings, then frozen) plus a learned correction; 0 (default) is TokenRec's model",
        ["anchor-epochs"] = "Epochs of fitting the user-code decoder of --user-anchor 1 (default 300)",
        ["softmax-exclude-known"] = "1 leaves the user's other training items out of each positive's softmax (--loss softmax), 0 keeps them",
        ["user-tokens"] = "1 puts the user's code tokens into the retrieval prompt, 0 leaves them out",
        ["history-tokens"] = "1 puts the history items' code tokens into the retrieval prompt, 0 leaves them out",

        // Serving and timing.
        ["block-size"] = "Rows TransformInBlocks reads ahead per block",
        ["engine-chunks"] = "Comma-separated users-per-call sizes at which the batched engine is also timed (a diagnostic)",
        ["repeats"] = "Timing rounds; each pass size keeps its best round",

        // Selections and sweeps.
        ["rows"] = "Comma-separated rows to run: default, tiger, letter, tokenrec (all by default)",
        ["sets"] = "Comma-separated code sets to compare, by letter a-f or key: letter, text, textcf, textcfdiv, cf, rqkmeans (all by default)",
        ["samples-per-second"] = "Assumed recommender training speed in prefixes per second, only to size each row's warm-up to its budget (default 150)",
        ["tuner"] = "Sweep tuner: sh (successive halving; the default) or random",
        ["max-trials"] = "Most sweep trials (the time budget may end the sweep first)",
    };

    /// <summary>The help line of <paramref name="option"/>, or a pointer to the docs when it has none here.</summary>
    public static string Describe(string benchmark, string option) =>
        Descriptions.TryGetValue(option, out string? text) ? text : $"{benchmark}'s own option (docs/benchmarks.md gives its default)";
}
