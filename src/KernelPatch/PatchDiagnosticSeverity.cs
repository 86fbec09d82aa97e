namespace KernelPatch;

/// <summary>How serious a <see cref="PatchDiagnostic"/> is.</summary>
public enum PatchDiagnosticSeverity
{
    /// <summary>Something worth knowing that changes nothing (e.g. a scissors line was found).</summary>
    Info = 0,

    /// <summary>Odd input that was understood anyway; the record is complete.</summary>
    Warning = 1,

    /// <summary>Input that could not be understood as written; part of a record may be missing. Strict mode throws.</summary>
    Error = 2,
}
