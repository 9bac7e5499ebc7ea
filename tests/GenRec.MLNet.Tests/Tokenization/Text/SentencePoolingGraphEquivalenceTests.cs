using FluentAssertions;
using GenRec.MLNet.Tokenization.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Xunit;

namespace GenRec.MLNet.Tests.Tokenization.Text;

/// <summary>
/// The pooling graph written with OnnxSharp's messages against the bytes the hand-written protobuf writer produced
/// before it was replaced (captured from <c>SentencePoolingGraph.Create(pooling, normalize, window: 5, hiddenSize: 3,
/// "states", "mask")</c> at commit c613c56): the same ONNX model message, and the same outputs in ONNX Runtime.
/// </summary>
public sealed class SentencePoolingGraphEquivalenceTests
{
    private const int Window = 5;
    private const int Hidden = 3;

    private static readonly Dictionary<(SentencePooling Pooling, bool Normalize), string> HandWritten = new()
    {
        [(SentencePooling.Mean, false)] = "CAcSDEdlblJlYy5NTE5ldDrkBAorCgRtYXNrEgptYXNrX2Zsb2F0GgZDYXN0XzAiBENhc3QqCQoCdG8YAaABAgo+CgptYXNrX2Zsb2F0CgtheGlzX2hpZGRlbhILbWFza19jb2x1bW4aC1Vuc3F1ZWV6ZV8xIglVbnNxdWVlemUKMAoGc3RhdGVzCgttYXNrX2NvbHVtbhINbWFza2VkX3N0YXRlcxoFTXVsXzIiA011bApPCg1tYXNrZWRfc3RhdGVzCgpheGlzX3Rva2VuEglzdGF0ZV9zdW0aC1JlZHVjZVN1bV8zIglSZWR1Y2VTdW0qDwoIa2VlcGRpbXMYAKABAgpCCgptYXNrX2Zsb2F0Egt0b2tlbl9jb3VudBoLUmVkdWNlU3VtXzQiCVJlZHVjZVN1bSoPCghrZWVwZGltcxgAoAECCjIKC3Rva2VuX2NvdW50Cgtjb3VudF9mbG9vchIKc2FmZV9jb3VudBoFTWF4XzUiA01heAo6CglzdGF0ZV9zdW0KCnNhZmVfY291bnQSFUdlblJlYy5FbmNvZGVyLlBvb2xlZBoFRGl2XzYiA0RpdhIXZ2VucmVjX3NlbnRlbmNlX3Bvb2xpbmcqGwoBARAHQgpheGlzX3Rva2VuSggAAAAAAAAAACocCgEBEAdCC2F4aXNfaGlkZGVuSggBAAAAAAAAACoXCgAQAUILY291bnRfZmxvb3JKBF9wiTBaGAoGc3RhdGVzEg4KDAgBEggKAggFCgIIA1oSCgRtYXNrEgoKCAgHEgQKAggFYiMKFUdlblJlYy5FbmNvZGVyLlBvb2xlZBIKCggIARIECgIIA0IECgAQDQ==",
        [(SentencePooling.Mean, true)] = "CAcSDEdlblJlYy5NTE5ldDqTBgorCgRtYXNrEgptYXNrX2Zsb2F0GgZDYXN0XzAiBENhc3QqCQoCdG8YAaABAgo+CgptYXNrX2Zsb2F0CgtheGlzX2hpZGRlbhILbWFza19jb2x1bW4aC1Vuc3F1ZWV6ZV8xIglVbnNxdWVlemUKMAoGc3RhdGVzCgttYXNrX2NvbHVtbhINbWFza2VkX3N0YXRlcxoFTXVsXzIiA011bApPCg1tYXNrZWRfc3RhdGVzCgpheGlzX3Rva2VuEglzdGF0ZV9zdW0aC1JlZHVjZVN1bV8zIglSZWR1Y2VTdW0qDwoIa2VlcGRpbXMYAKABAgpCCgptYXNrX2Zsb2F0Egt0b2tlbl9jb3VudBoLUmVkdWNlU3VtXzQiCVJlZHVjZVN1bSoPCghrZWVwZGltcxgAoAECCjIKC3Rva2VuX2NvdW50Cgtjb3VudF9mbG9vchIKc2FmZV9jb3VudBoFTWF4XzUiA01heAovCglzdGF0ZV9zdW0KCnNhZmVfY291bnQSCnBvb2xlZF9yYXcaBURpdl82IgNEaXYKOQoKcG9vbGVkX3JhdxIEbm9ybRoKUmVkdWNlTDJfNyIIUmVkdWNlTDIqDwoIa2VlcGRpbXMYAKABAgopCgRub3JtCgpub3JtX2Zsb29yEglzYWZlX25vcm0aBU1heF84IgNNYXgKOgoKcG9vbGVkX3JhdwoJc2FmZV9ub3JtEhVHZW5SZWMuRW5jb2Rlci5Qb29sZWQaBURpdl85IgNEaXYSF2dlbnJlY19zZW50ZW5jZV9wb29saW5nKhsKAQEQB0IKYXhpc190b2tlbkoIAAAAAAAAAAAqHAoBARAHQgtheGlzX2hpZGRlbkoIAQAAAAAAAAAqFwoAEAFCC2NvdW50X2Zsb29ySgRfcIkwKhYKABABQgpub3JtX2Zsb29ySgTMvIwrWhgKBnN0YXRlcxIOCgwIARIICgIIBQoCCANaEgoEbWFzaxIKCggIBxIECgIIBWIjChVHZW5SZWMuRW5jb2Rlci5Qb29sZWQSCgoICAESBAoCCANCBAoAEA0=",
        [(SentencePooling.Cls, false)] = "CAcSDEdlblJlYy5NTE5ldDrCAQpLCgZzdGF0ZXMKC2ZpcnN0X3Rva2VuEhVHZW5SZWMuRW5jb2Rlci5Qb29sZWQaCEdhdGhlcl8wIgZHYXRoZXIqCwoEYXhpcxgAoAECEhdnZW5yZWNfc2VudGVuY2VfcG9vbGluZyobCgAQB0ILZmlyc3RfdG9rZW5KCAAAAAAAAAAAWhgKBnN0YXRlcxIOCgwIARIICgIIBQoCCANiIwoVR2VuUmVjLkVuY29kZXIuUG9vbGVkEgoKCAgBEgQKAggDQgQKABAN",
        [(SentencePooling.Cls, true)] = "CAcSDEdlblJlYy5NTE5ldDrxAgpACgZzdGF0ZXMKC2ZpcnN0X3Rva2VuEgpwb29sZWRfcmF3GghHYXRoZXJfMCIGR2F0aGVyKgsKBGF4aXMYAKABAgo5Cgpwb29sZWRfcmF3EgRub3JtGgpSZWR1Y2VMMl8xIghSZWR1Y2VMMioPCghrZWVwZGltcxgAoAECCikKBG5vcm0KCm5vcm1fZmxvb3ISCXNhZmVfbm9ybRoFTWF4XzIiA01heAo6Cgpwb29sZWRfcmF3CglzYWZlX25vcm0SFUdlblJlYy5FbmNvZGVyLlBvb2xlZBoFRGl2XzMiA0RpdhIXZ2VucmVjX3NlbnRlbmNlX3Bvb2xpbmcqGwoAEAdCC2ZpcnN0X3Rva2VuSggAAAAAAAAAACoWCgAQAUIKbm9ybV9mbG9vckoEzLyMK1oYCgZzdGF0ZXMSDgoMCAESCAoCCAUKAggDYiMKFUdlblJlYy5FbmNvZGVyLlBvb2xlZBIKCggIARIECgIIA0IECgAQDQ==",
        [(SentencePooling.None, false)] = "CAcSDEdlblJlYy5NTE5ldDqLAQo1CgZzdGF0ZXMSFUdlblJlYy5FbmNvZGVyLlBvb2xlZBoKSWRlbnRpdHlfMCIISWRlbnRpdHkSF2dlbnJlY19zZW50ZW5jZV9wb29saW5nWhQKBnN0YXRlcxIKCggIARIECgIIA2IjChVHZW5SZWMuRW5jb2Rlci5Qb29sZWQSCgoICAESBAoCCANCBAoAEA0=",
        [(SentencePooling.None, true)] = "CAcSDEdlblJlYy5NTE5ldDq6AgoqCgZzdGF0ZXMSCnBvb2xlZF9yYXcaCklkZW50aXR5XzAiCElkZW50aXR5CjkKCnBvb2xlZF9yYXcSBG5vcm0aClJlZHVjZUwyXzEiCFJlZHVjZUwyKg8KCGtlZXBkaW1zGACgAQIKKQoEbm9ybQoKbm9ybV9mbG9vchIJc2FmZV9ub3JtGgVNYXhfMiIDTWF4CjoKCnBvb2xlZF9yYXcKCXNhZmVfbm9ybRIVR2VuUmVjLkVuY29kZXIuUG9vbGVkGgVEaXZfMyIDRGl2EhdnZW5yZWNfc2VudGVuY2VfcG9vbGluZyoWCgAQAUIKbm9ybV9mbG9vckoEzLyMK1oUCgZzdGF0ZXMSCgoICAESBAoCCANiIwoVR2VuUmVjLkVuY29kZXIuUG9vbGVkEgoKCAgBEgQKAggDQgQKABAN",
    };

    public static TheoryData<SentencePooling, bool> Cases() => new()
    {
        { SentencePooling.Mean, false }, { SentencePooling.Mean, true },
        { SentencePooling.Cls, false }, { SentencePooling.Cls, true },
        { SentencePooling.None, false }, { SentencePooling.None, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_model_message_is_the_one_the_hand_written_writer_produced(SentencePooling pooling, bool normalize)
    {
        byte[] before = Convert.FromBase64String(HandWritten[(pooling, normalize)]);
        byte[] now = SentencePoolingGraph.Create(pooling, normalize, Window, Hidden, "states", "mask");

        ModelProto parsedNow = ModelProto.Parser.ParseFrom(now);
        parsedNow.Should().Be(ModelProto.Parser.ParseFrom(before), "every field of every node, initializer and value info is equal");
        parsedNow.Graph.Node.Should().NotBeEmpty();
        // proto3 leaves out fields at their defaults (an empty dims list, keepdims = 0) that the old writer spelled out,
        // so the new bytes can only be shorter, by those few empty fields.
        now.Length.Should().BeLessThanOrEqualTo(before.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_Runtime_gives_the_same_outputs_for_both(SentencePooling pooling, bool normalize)
    {
        byte[] before = Convert.FromBase64String(HandWritten[(pooling, normalize)]);
        byte[] now = SentencePoolingGraph.Create(pooling, normalize, Window, Hidden, "states", "mask");
        var random = new Random(5);
        for (int trial = 0; trial < 3; trial++)
        {
            float[] states = [.. Enumerable.Range(0, pooling == SentencePooling.None ? Hidden : Window * Hidden).Select(_ => (float)(random.NextDouble() * 4 - 2))];
            long[] mask = [.. Enumerable.Range(0, Window).Select(t => t <= trial + 1 ? 1L : 0L)];

            float[] expected = Run(before, pooling, states, mask);
            float[] actual = Run(now, pooling, states, mask);

            actual.Should().HaveCount(Hidden).And.Equal(expected);
            actual.Should().NotBeEquivalentTo(new float[Hidden], "the inputs are random, so a pooled vector of zeros would mean nothing ran");
        }
    }

    private static float[] Run(byte[] model, SentencePooling pooling, float[] states, long[] mask)
    {
        using var session = new InferenceSession(model);
        int[] stateShape = pooling == SentencePooling.None ? [Hidden] : [Window, Hidden];
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("states", new DenseTensor<float>(states, stateShape)) };
        if (pooling == SentencePooling.Mean)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor("mask", new DenseTensor<long>(mask, [Window])));
        }

        using var results = session.Run(inputs);
        return [.. results.Single().AsEnumerable<float>()];
    }
}
