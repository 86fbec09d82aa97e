using System.Collections.Immutable;

namespace KernelPatch.Series;

/// <summary>The reply tree of a mailbox, by message index.</summary>
internal sealed record SeriesThreads
{
    /// <summary>Messages with no parent in the input, in mailbox order (duplicates excluded).</summary>
    public required ImmutableArray<int> Roots { get; init; }

    /// <summary>Parent index per message, -1 for roots and duplicates.</summary>
    public required ImmutableArray<int> Parents { get; init; }

    /// <summary>Children per message, in mailbox order.</summary>
    public required ImmutableArray<ImmutableArray<int>> Children { get; init; }

    /// <summary>Root of the thread each message belongs to (itself for roots; the first copy's root for duplicates).</summary>
    public required ImmutableArray<int> ThreadRoots { get; init; }

    /// <summary>Ids replied to that are not in the input, each with the messages that reply to it.</summary>
    public required ImmutableArray<(string MessageId, ImmutableArray<int> Replies)> MissingParents { get; init; }

    /// <summary>Messages whose Message-ID was seen before, each with the index of the first copy (which is kept).</summary>
    public required ImmutableArray<(int Index, int FirstIndex)> Duplicates { get; init; }
}
