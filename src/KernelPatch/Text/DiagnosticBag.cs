using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace KernelPatch.Text;

/// <summary>
/// Collects the diagnostics of one record while it is parsed. In strict mode an error throws
/// <see cref="PatchFormatException"/> at once; every diagnostic also goes to the optional logger.
/// This is the single sink behind lenient and strict parsing: there are never two parsers.
/// </summary>
internal sealed class DiagnosticBag
{
    private static readonly Action<ILogger, string, int, string, Exception?> s_logError =
        LoggerMessage.Define<string, int, string>(LogLevel.Error, new EventId(2, "PatchError"), "{Code} at offset {Offset}: {Message}");
    private static readonly Action<ILogger, string, int, string, Exception?> s_logWarning =
        LoggerMessage.Define<string, int, string>(LogLevel.Warning, new EventId(1, "PatchWarning"), "{Code} at offset {Offset}: {Message}");
    private static readonly Action<ILogger, string, int, string, Exception?> s_logInfo =
        LoggerMessage.Define<string, int, string>(LogLevel.Debug, new EventId(0, "PatchInfo"), "{Code} at offset {Offset}: {Message}");

    private readonly PatchParseOptions _options;
    private ImmutableArray<PatchDiagnostic>.Builder? _items;
    private int _dropped;

    public DiagnosticBag(PatchParseOptions? options = null)
    {
        _options = options ?? PatchParseOptions.Default;
    }

    public PatchParseOptions Options => _options;

    /// <summary>
    /// Added to every offset reported from now on: a stage that parses a copy of the input (an unquoted mboxrd
    /// message, a decoded MIME body) reports where the copy starts in the input plus the position in the copy.
    /// </summary>
    public int OffsetShift { get; set; }

    public int Count => _items?.Count ?? 0;

    public bool HasErrors { get; private set; }

    public void Error(string code, string message, int offset) => Report(code, PatchDiagnosticSeverity.Error, message, offset);

    public void Warning(string code, string message, int offset) => Report(code, PatchDiagnosticSeverity.Warning, message, offset);

    public void Info(string code, string message, int offset) => Report(code, PatchDiagnosticSeverity.Info, message, offset);

    public void Report(string code, PatchDiagnosticSeverity severity, string message, int offset)
    {
        if (OffsetShift != 0)
        {
            offset = (int)Math.Clamp((long)offset + OffsetShift, 0, int.MaxValue);
        }

        var diagnostic = new PatchDiagnostic(code, severity, message, offset);
        if (_options.Logger is { } logger)
        {
            var log = severity switch
            {
                PatchDiagnosticSeverity.Error => s_logError,
                PatchDiagnosticSeverity.Warning => s_logWarning,
                _ => s_logInfo,
            };
            log(logger, code, offset, message, null);
        }

        if (severity == PatchDiagnosticSeverity.Error)
        {
            HasErrors = true;
            if (_options.IsStrict)
            {
                throw new PatchFormatException(diagnostic);
            }
        }

        _items ??= ImmutableArray.CreateBuilder<PatchDiagnostic>();
        if (_items.Count < _options.MaxDiagnosticsPerMessage)
        {
            _items.Add(diagnostic);
        }
        else
        {
            _dropped++;
        }
    }

    /// <summary>Adds diagnostics already reported elsewhere (for example by a nested parse) without logging them again.</summary>
    public void AddRange(ImmutableArray<PatchDiagnostic> diagnostics)
    {
        if (diagnostics.IsDefaultOrEmpty)
        {
            return;
        }

        _items ??= ImmutableArray.CreateBuilder<PatchDiagnostic>();
        foreach (var d in diagnostics)
        {
            if (d.Severity == PatchDiagnosticSeverity.Error)
            {
                HasErrors = true;
            }

            _items.Add(d);
        }
    }

    /// <summary>Returns the collected diagnostics (empty, never default) and clears the bag.</summary>
    public ImmutableArray<PatchDiagnostic> ToImmutableAndClear()
    {
        if (_items is null || _items.Count == 0)
        {
            _dropped = 0;
            HasErrors = false;
            return ImmutableArray<PatchDiagnostic>.Empty;
        }

        if (_dropped > 0)
        {
            _items.Add(new PatchDiagnostic(CoreDiagnosticCodes.DiagnosticsDropped, PatchDiagnosticSeverity.Warning, $"{_dropped} more diagnostics were not kept (limit {_options.MaxDiagnosticsPerMessage} per message).", _items[^1].Offset));
            _dropped = 0;
        }

        var result = _items.ToImmutable();
        _items.Clear();
        HasErrors = false;
        return result;
    }
}
