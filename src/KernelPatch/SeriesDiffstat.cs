namespace KernelPatch;

/// <summary>A diffstat summed over the patches of a series, to set beside the one the cover letter declares.</summary>
/// <remarks>
/// The cover letter's diffstat (git format-patch) is the net diff from the base to the last patch;
/// this one counts every path any patch touches and sums their lines, so a file changed and then
/// renamed counts twice here and once there, and lines added then removed count in both columns.
/// </remarks>
/// <param name="Files">Distinct paths changed by the patches.</param>
/// <param name="Insertions">Lines added, summed over the patches.</param>
/// <param name="Deletions">Lines removed, summed over the patches.</param>
public readonly record struct SeriesDiffstat(int Files, int Insertions, int Deletions)
{
    internal static SeriesDiffstat Combine(System.Collections.Immutable.ImmutableArray<SeriesPatch> patches)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        int insertions = 0, deletions = 0;
        foreach (var patch in patches)
        {
            var message = patch.Message;
            if (message.Diff is { } diff && !diff.Files.IsEmpty)
            {
                foreach (var f in diff.Files)
                {
                    paths.Add(f.NewPath ?? f.OldPath ?? "");
                    insertions += f.AddedCount;
                    deletions += f.RemovedCount;
                }
            }
            else if (message.Commit?.Diffstat is { } declared)
            {
                // The diff was cut off (patchwork digests often are): fall back to what the mail declares.
                foreach (var entry in declared.Files)
                {
                    paths.Add(entry.Path);
                }

                insertions += declared.Insertions;
                deletions += declared.Deletions;
            }
        }

        return new SeriesDiffstat(paths.Count, insertions, deletions);
    }
}
