using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary><c>GIT binary patch</c> blocks (git <c>parse_binary</c>): checked while parsing, decoded on request.</summary>
internal ref partial struct DiffParser
{
    private DiffBinaryPatch? ParseBinary(ref int pos)
    {
        int start = pos;
        int p = DiffScan.NextLine(_s, pos, _end);
        DiffBinaryBlock? forward = ParseBinaryBlock(ref p);
        if (forward is null)
        {
            _bag.Error(DiffDiagnosticCodes.BadBinaryPatch, "Expected 'literal <size>' or 'delta <size>' after 'GIT binary patch', found '" + DiffScan.Text(Utf8Lines.TrimEol(LineAt(p))) + "'.", p);
            pos = p;
            return null;
        }

        DiffBinaryBlock? reverse = null;
        if (p < _end && (LineAt(p).StartsWith("literal "u8) || LineAt(p).StartsWith("delta "u8)))
        {
            reverse = ParseBinaryBlock(ref p);
        }

        pos = p;
        return new DiffBinaryPatch { Forward = forward, Reverse = reverse, Span = SourceSpan.FromBounds(start, p) };
    }

    private DiffBinaryBlock? ParseBinaryBlock(ref int pos)
    {
        if (pos >= _end)
        {
            return null;
        }

        int next = DiffScan.NextLine(_s, pos, _end);
        ReadOnlySpan<byte> t = Utf8Lines.TrimEol(_s[pos..next]);
        DiffBinaryBlockKind kind;
        ReadOnlySpan<byte> number;
        if (t.StartsWith("literal "u8))
        {
            kind = DiffBinaryBlockKind.Literal;
            number = t[8..];
        }
        else if (t.StartsWith("delta "u8))
        {
            kind = DiffBinaryBlockKind.Delta;
            number = t[6..];
        }
        else
        {
            return null;
        }

        if (DiffScan.ParseDecimal(number, out int size) != number.Length || number.IsEmpty)
        {
            _bag.Error(DiffDiagnosticCodes.BadBinaryPatch, "Expected a decimal size after '" + (kind == DiffBinaryBlockKind.Literal ? "literal" : "delta") + "', found '" + DiffScan.Text(number) + "'.", pos);
        }

        int blockStart = pos;
        int dataStart = next;
        int p = next;
        int dataEnd = -1;
        while (p < _end)
        {
            int lineEnd = DiffScan.NextLine(_s, p, _end);
            ReadOnlySpan<byte> line = Utf8Lines.TrimEol(_s[p..lineEnd]);
            if (line.IsEmpty)
            {
                dataEnd = p;
                p = lineEnd;
                break;
            }

            if (!DiffBase85.IsValidLine(line[1..], DiffBase85.LineByteCount(line[0])))
            {
                _bag.Error(DiffDiagnosticCodes.BadBinaryPatch, "Expected a base85 data line (length character, then 5 characters per 4 bytes) or an empty line ending the binary block, found '" + DiffScan.Text(line.Length > 40 ? line[..40] : line) + "'.", p);
                dataEnd = p;
                break;
            }

            p = lineEnd;
        }

        if (dataEnd < 0)
        {
            _bag.Warning(DiffDiagnosticCodes.BadBinaryPatch, "Expected an empty line ending the binary block, found the end of the diff.", p);
            dataEnd = p;
        }

        pos = p;
        return new DiffBinaryBlock
        {
            Source = _memory,
            Kind = kind,
            Size = size,
            Span = SourceSpan.FromBounds(blockStart, p),
            DataSpan = SourceSpan.FromBounds(dataStart, dataEnd),
        };
    }
}
