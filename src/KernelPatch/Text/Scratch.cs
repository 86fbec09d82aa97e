using System.Collections.Immutable;

namespace KernelPatch.Text;

/// <summary>
/// One reusable <see cref="ImmutableArray{T}.Builder"/> per thread and element type, for the lists every message
/// builds (hunks, files, trailers, diffstat lines, references): the list then costs only its exact-size result
/// array, not a builder and its regrowth. <see cref="Rent"/> takes the cached builder (or makes a new one when it
/// is in use, so nested use is safe); <see cref="ToImmutableAndReturn"/> copies the items out, clears the builder
/// and puts it back. Builders that grew large are not kept.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class Scratch<T>
{
    private const int MaxKeptCapacity = 4096;

    [ThreadStatic]
    private static ImmutableArray<T>.Builder? t_builder;

    public static ImmutableArray<T>.Builder Rent()
    {
        var builder = t_builder;
        if (builder is null)
        {
            return ImmutableArray.CreateBuilder<T>();
        }

        t_builder = null;
        return builder;
    }

    public static ImmutableArray<T> ToImmutableAndReturn(ImmutableArray<T>.Builder builder)
    {
        var result = builder.Count == 0 ? ImmutableArray<T>.Empty : builder.ToImmutable();
        Return(builder);
        return result;
    }

    /// <summary>Clears <paramref name="builder"/> and keeps it for the next <see cref="Rent"/>, dropping its items.</summary>
    public static void Return(ImmutableArray<T>.Builder builder)
    {
        builder.Clear();
        if (builder.Capacity <= MaxKeptCapacity)
        {
            t_builder = builder;
        }
    }
}
