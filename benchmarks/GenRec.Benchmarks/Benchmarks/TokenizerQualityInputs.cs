namespace GenRec.Benchmarks.Benchmarks;

/// <summary>
/// What <see cref="TokenizerQualityCodeBuilder"/> builds the code sets from, each loaded once per run and only when a
/// chosen set needs it (null otherwise). Every array is indexed by Beauty item index.
/// </summary>
/// <param name="ItemCount">Beauty's item count (12,101).</param>
/// <param name="LetterCodesPath">Path of <c>beauty/Beauty.letter-index.json</c>, for set (a).</param>
/// <param name="TextVectors">The MiniLM vectors of the item texts, row-major [items × <paramref name="TextDimension"/>].</param>
/// <param name="TextDimension">Length of one text vector (384), or 0 without text vectors.</param>
/// <param name="SasRec">The SASRec item embeddings (<see cref="BeautySasRecEmbeddings"/>).</param>
internal sealed record TokenizerQualityInputs(int ItemCount, string? LetterCodesPath, float[]? TextVectors, int TextDimension, BeautySasRecEmbeddings? SasRec);
