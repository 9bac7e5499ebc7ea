using FluentAssertions;
using GenRec.MLNet.Generative.Decoding;
using GenRec.MLNet.Tokenization;
using Xunit;

namespace GenRec.MLNet.Tests.Generative;

public sealed class SemanticIdTrieTests
{
    // Three levels of sizes 4, 3, 5. Items 2 and 4 share the ID (1, 2, 0).
    private static readonly int[][] Rows =
    {
        new[] { 0, 0, 1 },
        new[] { 0, 1, 4 },
        new[] { 1, 2, 0 },
        new[] { 3, 0, 0 },
        new[] { 1, 2, 0 },
        new[] { 0, 0, 2 },
    };

    private static SemanticIdTrie Build(Comparison<int>? order = null) =>
        SemanticIdTrie.FromTable(new SemanticIdTable(Rows, new[] { 4, 3, 5 }), order);

    [Fact]
    public void ChildrenAreExactlyTheValidContinuations()
    {
        SemanticIdTrie trie = Build();
        trie.ChildCodes(trie.Root).Should().BeEquivalentTo(new[] { 0, 1, 3 });
        trie.ChildCodes(trie.Find(new[] { 0 })).Should().BeEquivalentTo(new[] { 0, 1 });
        trie.ChildCodes(trie.Find(new[] { 0, 0 })).Should().BeEquivalentTo(new[] { 1, 2 });
        trie.ChildCodes(trie.Find(new[] { 1, 2 })).Should().BeEquivalentTo(new[] { 0 });
        trie.Find(new[] { 2 }).Should().Be(SemanticIdTrie.NoNode);
        trie.Child(trie.Find(new[] { 0 }), 2).Should().Be(SemanticIdTrie.NoNode);
        trie.Child(SemanticIdTrie.NoNode, 0).Should().Be(SemanticIdTrie.NoNode);
        trie.IsValidPrefix(new[] { 0, 1 }).Should().BeTrue();
        trie.IsValidPrefix(new[] { 0, 2 }).Should().BeFalse();
        trie.IsValidPrefix(ReadOnlySpan<int>.Empty).Should().BeTrue();
        trie.Depth(trie.Find(new[] { 0, 0, 1 })).Should().Be(3);
    }

    [Fact]
    public void LeavesHoldTheirItemsAndInnerNodesNone()
    {
        SemanticIdTrie trie = Build();
        trie.Lookup(new[] { 0, 1, 4 }).Should().Equal(1);
        trie.Lookup(new[] { 3, 0, 0 }).Should().Equal(3);
        trie.Lookup(new[] { 3, 0, 1 }).Should().BeEmpty();
        trie.Lookup(new[] { 0, 1 }).Should().BeEmpty("a prefix is not an ID");
        trie.ItemsAt(trie.Find(new[] { 0 })).Should().BeEmpty();
        trie.ChildCodes(trie.Find(new[] { 0, 1, 4 })).Should().BeEmpty("leaves have no children");
        trie.ItemCount.Should().Be(6);
        trie.IdCount.Should().Be(5);
        trie.NodeCount.Should().Be(1 + 3 + 4 + 5);
    }

    [Fact]
    public void DuplicateIdsShareALeafInTheGivenOrder()
    {
        Build().Lookup(new[] { 1, 2, 0 }).Should().Equal(new[] { 2, 4 }, "the default order is ascending item index");
        Build().DuplicateItemCount.Should().Be(1);

        // E.g. popularity: item 4 more popular than item 2.
        int[] popularity = { 5, 5, 1, 5, 9, 5 };
        SemanticIdTrie byPopularity = Build((a, b) => popularity[b].CompareTo(popularity[a]));
        byPopularity.Lookup(new[] { 1, 2, 0 }).Should().Equal(4, 2);
    }

    [Fact]
    public void AddingItemsExtendsTheValidIds()
    {
        SemanticIdTrie trie = Build();
        trie.Add(6, new[] { 0, 1, 3 });   // new code under an existing prefix
        trie.Add(7, new[] { 2, 2, 2 });   // an entirely new first code
        trie.Lookup(new[] { 0, 1, 3 }).Should().Equal(6);
        trie.Lookup(new[] { 2, 2, 2 }).Should().Equal(7);
        trie.ChildCodes(trie.Find(new[] { 0, 1 })).Should().BeEquivalentTo(new[] { 3, 4 });
        trie.Contains(7).Should().BeTrue();
    }

    [Fact]
    public void RejectsBadItems()
    {
        SemanticIdTrie trie = Build();
        trie.Invoking(t => t.Add(0, new[] { 0, 0, 3 })).Should().Throw<ArgumentException>().WithMessage("*already*");
        trie.Invoking(t => t.Add(9, new[] { 0, 0 })).Should().Throw<ArgumentException>().WithMessage("*levels*");
        trie.Invoking(t => t.Add(9, new[] { 0, 3, 0 })).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*level 1*");
    }

    [Fact]
    public void AllowedMaskOpensOnlyChildren()
    {
        SemanticIdTrie trie = Build();
        int[] nodes = { trie.Find(new[] { 0, 0 }), SemanticIdTrie.NoNode, trie.Find(new[] { 1, 2 }) };
        var mask = new float[3 * 5];
        trie.FillAllowedMask(nodes, mask, 5);
        float n = float.NegativeInfinity;
        mask.Should().Equal(n, 0, 0, n, n, /* dead beam */ n, n, n, n, n, /* (1,2) */ 0, n, n, n, n);
    }
}
