import ArgumentParser

/// The output formats of `apex validate --format`.
enum DiagnosticFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Compiler-style lines with the source line and a caret, on standard output, and a
    /// summary on standard error.
    case text
    /// One JSON document on standard output (the shape of `DiagnosticRenderer.json`).
    case json
    /// GitHub Actions workflow commands, which become annotations on a pull request.
    case github
    /// One SARIF 2.1.0 log on standard output (``SARIFReport``), for code scanning tools.
    case sarif
}
