namespace KernelPatch.Tool;

/// <summary>The sample series shipped inside the tool, shown by <c>kernelpatch show</c> with no PATH.</summary>
internal static class SampleSeries
{
    public const string ResourceName = "KernelPatch.Tool.Samples.ringbuf-v2.mbox";

    public static byte[] Load()
    {
        using var stream = typeof(SampleSeries).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The sample '{ResourceName}' is missing from the tool assembly.");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }
}
