using GenRec.MLNet.Nn;
using GenRec.MLNet.Generative.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRec.MLNet.Generative.Decoding;

/// <summary>One finished beam: its codes, its score (sum of per-level log-probabilities) and its trie leaf.</summary>
/// <param name="Codes">One code per level.</param>
/// <param name="Score">Sum over levels of log p(code | history, earlier codes).</param>
/// <param name="Leaf">The trie leaf in constrained search; <see cref="SemanticIdTrie.NoNode"/> when unconstrained.</param>
internal readonly record struct DecodedBeam(int[] Codes, float Score, int Leaf);

/// <summary>
/// Beam search over semantic IDs, batched over users: the network's history side runs once per batch, beams
/// are rows (users × beams, user-major), and each level is one network step plus one top-k per user over
/// (beams × codes). With a trie, codes that are not children of a beam's prefix get −∞ before the top-k, so
/// every finished beam is an existing ID. Scores follow the usual constrained decoding (e.g. Hugging Face's
/// prefix_allowed_tokens_fn): log-softmax over the level's codes first, then masking, without renormalizing
/// over the allowed codes. Beams that cannot be filled (fewer valid IDs than beams) end at −∞ and are dropped.
/// </summary>
internal static class ConstrainedBeamSearch
{
    /// <summary>Decodes the best <paramref name="beamSize"/> IDs of each history, best first.</summary>
    /// <param name="network">The network (eval mode, called under no_grad).</param>
    /// <param name="table">Item → token table for the histories.</param>
    /// <param name="inputs">One row per user.</param>
    /// <param name="trie">The valid IDs, or null for an unconstrained search (diagnostics: how often would the model invent IDs?).</param>
    /// <param name="beamSize">Beams per user.</param>
    /// <param name="useCache">Encoder-decoder: reuse decoder keys/values across steps instead of recomputing the prefix.</param>
    public static DecodedBeam[][] Run(GenerativeNetwork network, ItemTokenTable table, HistoryInputs inputs, SemanticIdTrie? trie, int beamSize, bool useCache)
    {
        using var scope = NewDisposeScope();
        GenerativeVocabulary vocabulary = network.Vocabulary;
        int users = inputs.Rows;
        int levels = vocabulary.Levels;
        using DecodingState state = network.StartDecoding(inputs, table, useCache);
        Device device = inputs.Items.device;

        Tensor scores = zeros(users, device: device);
        int group = 1;
        var nodes = new int[users];
        var codes = new int[users * levels];
        float[] values = new float[users];
        Array.Fill(nodes, trie?.Root ?? SemanticIdTrie.NoNode);

        for (int level = 0; level < levels; level++)
        {
            using var stepScope = NewDisposeScope();
            int rows = users * group;
            int width = vocabulary.CodebookSizes[level];
            Tensor logProbs = network.NextLogProbs(state, level);
            if (trie is not null)
            {
                var mask = new float[rows * width];
                trie.FillAllowedMask(nodes, mask, width);
                logProbs = logProbs.Plus(tensor(mask, device: device).view(rows, width));
            }

            int keep = Math.Min(beamSize, group * width);
            (Tensor top, Tensor index) = scores.unsqueeze(1).Plus(logProbs).view(users, group * width).topk(keep, 1);
            long[] flat = index.cpu().data<long>().ToArray();
            values = top.cpu().data<float>().ToArray();

            int newRows = users * keep;
            var parents = new long[newRows];
            var tokens = new long[newRows];
            var newNodes = new int[newRows];
            var newCodes = new int[newRows * levels];
            for (int u = 0; u < users; u++)
            {
                for (int j = 0; j < keep; j++)
                {
                    int row = (u * keep) + j;
                    int parent = (u * group) + (int)(flat[row] / width);
                    int code = (int)(flat[row] % width);
                    parents[row] = parent;
                    tokens[row] = vocabulary.CodeToken(level, code);
                    Array.Copy(codes, parent * levels, newCodes, row * levels, level);
                    newCodes[(row * levels) + level] = code;
                    newNodes[row] = trie is not null && !float.IsNegativeInfinity(values[row]) ? trie.Child(nodes[parent], code) : SemanticIdTrie.NoNode;
                }
            }

            scores = top.view(-1).MoveToOuterDisposeScope();
            if (level + 1 < levels)
            {
                network.Advance(state, tensor(parents, device: device), tensor(tokens, device: device), keep);
            }

            group = keep;
            nodes = newNodes;
            codes = newCodes;
        }

        var result = new DecodedBeam[users][];
        var beams = new List<DecodedBeam>(group);
        for (int u = 0; u < users; u++)
        {
            beams.Clear();
            for (int j = 0; j < group; j++)
            {
                int row = (u * group) + j;
                if (!float.IsNegativeInfinity(values[row]))
                {
                    beams.Add(new DecodedBeam(codes.AsSpan(row * levels, levels).ToArray(), values[row], nodes[row]));
                }
            }

            result[u] = beams.ToArray();
        }

        return result;
    }
}
