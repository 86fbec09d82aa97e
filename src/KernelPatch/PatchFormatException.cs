namespace KernelPatch;

/// <summary>
/// Thrown in strict mode when an error diagnostic is reported, and by the facade when the input
/// does not hold what was asked for (for example no patch at all).
/// </summary>
public sealed class PatchFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="diagnostic"/>.</summary>
    /// <param name="diagnostic">The diagnostic that caused the failure.</param>
    public PatchFormatException(PatchDiagnostic diagnostic)
        : base(diagnostic.ToString())
    {
        Diagnostic = diagnostic;
    }

    /// <summary>Creates the exception with a message and no position.</summary>
    /// <param name="message">What was found and what was expected.</param>
    public PatchFormatException(string message)
        : base(message)
    {
        Diagnostic = new PatchDiagnostic(CoreDiagnosticCodes.FacadeFailed, PatchDiagnosticSeverity.Error, message, 0);
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What was found and what was expected.</param>
    /// <param name="innerException">The underlying failure.</param>
    public PatchFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostic = new PatchDiagnostic(CoreDiagnosticCodes.FacadeFailed, PatchDiagnosticSeverity.Error, message, 0);
    }

    /// <summary>The diagnostic carrying code, severity, message and position.</summary>
    public PatchDiagnostic Diagnostic { get; }

    /// <summary>Byte offset in the input where the problem was found.</summary>
    public int Offset => Diagnostic.Offset;

    /// <summary>The diagnostic code (for example <c>KP0501</c>).</summary>
    public string Code => Diagnostic.Code;
}
