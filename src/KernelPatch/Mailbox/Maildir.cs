using System.Collections.Immutable;
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

    /// <summary>Whether <paramref name="path"/> is a folder (a maildir, or an error to report).</summary>
    public static bool IsFolder(string path) => Directory.Exists(path);

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
    /// Parses one maildir file as the message at <paramref name="index"/>; null (with KP0108 in <paramref name="mailboxBag"/>)
    /// for an empty file. What splitting the file reported goes on the message.
    /// </summary>
    public static PatchMessage? ReadMessage(string file, string maildir, int index, PatchParseOptions messageOptions, DiagnosticBag mailboxBag)
    {
        byte[] bytes = File.ReadAllBytes(file);
        string relative = Path.GetRelativePath(maildir, file);
        var bag = new DiagnosticBag(messageOptions);
        var entries = MailboxSplitter.Split(bytes, messageOptions, bag);
        if (entries.IsEmpty)
        {
            bag.ToImmutableAndClear(); // "no message at all": said below, with the file's name
            mailboxBag.Warning(MailboxDiagnosticCodes.EmptyMaildirFile, "Expected a message in the maildir file '" + relative + "', found an empty file; it is skipped.", 0);
            return null;
        }

        var splitDiagnostics = bag.ToImmutableAndClear();
        var message = PatchMessage.FromEntry(bytes, entries[0] with { Index = index }, bag, sourcePath: file);
        return splitDiagnostics.IsEmpty ? message : message with { Diagnostics = splitDiagnostics.AddRange(message.Diagnostics) };
    }

    /// <summary>The options a maildir's files are read with: each file is one message.</summary>
    public static PatchParseOptions MessageOptions(PatchParseOptions options) =>
        options.Format == PatchInputFormat.Message ? options : options with { Format = PatchInputFormat.Message };

    /// <summary>Reads every message of the maildir at <paramref name="path"/>.</summary>
    public static (ImmutableArray<PatchMessage> Messages, ImmutableArray<PatchDiagnostic> Diagnostics) ReadAll(string path, PatchParseOptions options)
    {
        var messageOptions = MessageOptions(options);
        var mailboxBag = new DiagnosticBag(options);
        var messages = ImmutableArray.CreateBuilder<PatchMessage>();
        foreach (string file in Files(path))
        {
            if (ReadMessage(file, path, messages.Count, messageOptions, mailboxBag) is { } message)
            {
                messages.Add(message);
            }
        }

        return (messages.ToImmutable(), mailboxBag.ToImmutableAndClear());
    }
}
