using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// A maildir (one message per file, in <c>cur/</c> and <c>new/</c>), read as <c>git mailsplit</c> reads one:
/// <c>cur/</c> before <c>new/</c>, each folder's files in name order with runs of digits compared by value (so
/// <c>999999999.M3</c> comes before <c>1700000000.M1</c>, and <c>M9</c> before <c>M10</c>); names starting with a dot and
/// the <c>tmp/</c> folder are left out. lei (public-inbox's local search) writes its results as a maildir, and b4 and
/// <c>git am</c> both read one.
/// </summary>
internal static class Maildir
{
    private static readonly string[] s_folders = ["cur", "new"];

    /// <summary>The message files of the maildir at <paramref name="path"/>, in the order git mailsplit takes them.</summary>
    /// <exception cref="IOException">The folder has neither <c>cur/</c> nor <c>new/</c>.</exception>
    public static List<string> Files(string path)
    {
        var files = new List<string>();
        bool any = false;
        foreach (string folder in s_folders)
        {
            string dir = Path.Combine(path, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            any = true;
            var names = new List<string>();
            foreach (string file in Directory.EnumerateFiles(dir))
            {
                string name = Path.GetFileName(file);
                if (!name.StartsWith('.'))
                {
                    names.Add(name);
                }
            }

            names.Sort(CompareNames);
            foreach (string name in names)
            {
                files.Add(Path.Combine(dir, name));
            }
        }

        if (!any)
        {
            throw new IOException("'" + path + "' is a folder but not a maildir: it has neither a cur nor a new folder.");
        }

        return files;
    }

    /// <summary>Orders two maildir file names: character by character, a run of digits against a run of digits by value.</summary>
    public static int CompareNames(string? a, string? b)
    {
        a ??= string.Empty;
        b ??= string.Empty;
        int i = 0;
        int j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int aStart = i;
                int bStart = j;
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }

                var x = a.AsSpan(aStart, i - aStart).TrimStart('0');
                var y = b.AsSpan(bStart, j - bStart).TrimStart('0');
                int byValue = x.Length != y.Length ? x.Length.CompareTo(y.Length) : x.SequenceCompareTo(y);
                if (byValue != 0)
                {
                    return byValue;
                }

                continue;
            }

            if (a[i] != b[j])
            {
                return a[i].CompareTo(b[j]);
            }

            i++;
            j++;
        }

        int rest = (a.Length - i).CompareTo(b.Length - j);
        return rest != 0 ? rest : string.CompareOrdinal(a, b);
    }

    /// <summary>
    /// The messages of the maildir at <paramref name="path"/>, one file at a time, in <see cref="Files"/>' order; an empty
    /// file is skipped with KP0108 in <paramref name="mailboxBag"/>. What splitting a file reported goes on its message.
    /// </summary>
    /// <exception cref="IOException">The folder is not a maildir, or a file cannot be read (when enumerating).</exception>
    public static IEnumerable<PatchMessage> Messages(string path, PatchParseOptions options, DiagnosticBag mailboxBag)
    {
        var messageOptions = options.Format == PatchInputFormat.Message ? options : options with { Format = PatchInputFormat.Message };
        var splitBag = new DiagnosticBag(messageOptions);
        var bag = new DiagnosticBag(messageOptions);
        int index = 0;
        foreach (string file in Files(path))
        {
            byte[] bytes = File.ReadAllBytes(file);
            var entries = MailboxSplitter.Split(bytes, messageOptions, splitBag);
            var split = splitBag.ToImmutableAndClear();
            if (entries.IsEmpty)
            {
                // "no message at all" (KP0103) is said here, with the file's name
                mailboxBag.Warning(MailboxDiagnosticCodes.EmptyMaildirFile, "Expected a message in the maildir file '" + Path.GetRelativePath(path, file) + "', found an empty file; it is skipped.", 0);
                continue;
            }

            yield return PatchMessage.FromEntry(bytes, entries[0] with { Index = index++ }, bag, sourcePath: file, leading: split);
        }
    }
}
