using System.Buffers;

namespace KernelPatch.Mailbox;

/// <summary>
/// Reads what is left of a stream into one array of exactly its length, for <c>Load</c>: the records a parse makes keep
/// that array alive, so it must not be larger than the input.
/// </summary>
/// <remarks>
/// A seekable stream (a file) says how much it has left: one array of that size is read into, and nothing else is
/// made unless the stream turns out to hold more or less. Any other stream (a pipe, a network or request body) is read
/// into chunks, then copied once into an array of the length read; the first few MiB of chunks come from the shared
/// pool. A buffer grown by doubling, as a <see cref="MemoryStream"/> grows, allocated about four and a half times the
/// input and kept up to twice it alive.
/// </remarks>
internal static class StreamInput
{
    /// <summary>The first chunk; each next one is twice the size, up to <see cref="LargestChunk"/>.</summary>
    private const int FirstChunk = 64 * 1024;

    /// <summary>The largest chunk.</summary>
    private const int LargestChunk = 16 * 1024 * 1024;

    /// <summary>
    /// Chunks come from the shared pool until they hold this much (a mail, a thread: nothing is allocated but the
    /// result); later ones are plain arrays, so that the pool does not keep a large input's worth of chunks afterwards.
    /// </summary>
    private const int PooledBytes = 4 * 1024 * 1024;

    /// <summary>Reads <paramref name="stream"/> from its position to its end.</summary>
    /// <exception cref="IOException">The stream holds more than one array can (about 2 GiB).</exception>
    public static ReadOnlyMemory<byte> ReadAll(Stream stream)
    {
        byte[]? sized = SizedArray(stream);
        int length = 0;
        if (sized is not null)
        {
            while (length < sized.Length)
            {
                int read = stream.Read(sized, length, sized.Length - length);
                if (read <= 0)
                {
                    return sized.AsSpan(0, length).ToArray(); // shorter than it said: what was there, in an array of that length
                }

                length += read;
            }
        }

        var chunks = new Chunks(sized, length);
        try
        {
            while (true)
            {
                var room = chunks.Room();
                int read = stream.Read(room.Array!, room.Offset, room.Count);
                if (read <= 0)
                {
                    return chunks.ToMemory();
                }

                chunks.Advance(read);
            }
        }
        finally
        {
            chunks.Return();
        }
    }

    /// <summary>As <see cref="ReadAll"/>, with asynchronous reads.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[]? sized = SizedArray(stream);
        int length = 0;
        if (sized is not null)
        {
            while (length < sized.Length)
            {
                int read = await stream.ReadAsync(sized.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read <= 0)
                {
                    return sized.AsSpan(0, length).ToArray();
                }

                length += read;
            }
        }

        var chunks = new Chunks(sized, length);
        try
        {
            while (true)
            {
                var room = chunks.Room();
                int read = await stream.ReadAsync(room.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read <= 0)
                {
                    return chunks.ToMemory();
                }

                chunks.Advance(read);
            }
        }
        finally
        {
            chunks.Return();
        }
    }

    // One array of what a seekable stream says it has left; null when it cannot say or says nothing is left.
    private static byte[]? SizedArray(Stream stream)
    {
        long left = stream.CanSeek ? stream.Length - stream.Position : 0;
        return left > 0 && left <= Array.MaxLength ? GC.AllocateUninitializedArray<byte>((int)left) : null;
    }

    /// <summary>The bytes read so far: the sized array, if any, then pooled chunks.</summary>
    private sealed class Chunks(byte[]? first, int firstLength)
    {
        private readonly List<byte[]> _chunks = [];
        private int _pooled; // the first chunks, from the pool
        private long _pooledBytes;
        private int _lastLength; // bytes in the last chunk
        private long _total = firstLength;

        /// <summary>Room to read into: what is left of the last chunk, or a new one.</summary>
        public ArraySegment<byte> Room()
        {
            if (_chunks.Count == 0 || _lastLength == _chunks[^1].Length)
            {
                if (_total >= Array.MaxLength)
                {
                    throw TooLong();
                }

                int size = _chunks.Count == 0 ? FirstChunk : Math.Min(LargestChunk, _chunks[^1].Length * 2);
                if (_pooled == _chunks.Count && _pooledBytes < PooledBytes)
                {
                    var chunk = ArrayPool<byte>.Shared.Rent(size);
                    _chunks.Add(chunk);
                    _pooled++;
                    _pooledBytes += chunk.Length;
                }
                else
                {
                    _chunks.Add(GC.AllocateUninitializedArray<byte>(size));
                }

                _lastLength = 0;
            }

            var last = _chunks[^1];
            return new ArraySegment<byte>(last, _lastLength, last.Length - _lastLength);
        }

        public void Advance(int read)
        {
            _lastLength += read;
            _total += read;
        }

        /// <summary>Every byte read, in one array of exactly that length.</summary>
        public ReadOnlyMemory<byte> ToMemory()
        {
            if (_total > Array.MaxLength)
            {
                throw TooLong();
            }

            if (_total == firstLength && first is not null)
            {
                return first.AsMemory(0, firstLength);
            }

            var whole = GC.AllocateUninitializedArray<byte>((int)_total);
            int at = 0;
            if (first is not null)
            {
                first.AsSpan(0, firstLength).CopyTo(whole);
                at = firstLength;
            }

            for (int i = 0; i < _chunks.Count; i++)
            {
                int count = i == _chunks.Count - 1 ? _lastLength : _chunks[i].Length;
                _chunks[i].AsSpan(0, count).CopyTo(whole.AsSpan(at));
                at += count;
            }

            return whole;
        }

        private static IOException TooLong() => new("The stream holds more than " + Array.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + " bytes, more than one array can hold: PatchMailbox.Read streams an input of any size.");

        /// <summary>Gives the pooled chunks back.</summary>
        public void Return()
        {
            for (int i = 0; i < _pooled; i++)
            {
                ArrayPool<byte>.Shared.Return(_chunks[i]);
            }

            _chunks.Clear();
            _pooled = 0;
        }
    }
}
