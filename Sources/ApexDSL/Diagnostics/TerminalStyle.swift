/// ANSI styling for text meant for a terminal, or none at all.
///
/// Every method returns its argument unchanged when the style is disabled, so callers style
/// text unconditionally and decide once, from `isatty` and `NO_COLOR`, whether colours show.
///
/// ## Usage
///
/// ```swift
/// let style = TerminalStyle(enabled: colors)
/// print(style.bold("triage.yaml:14:11:") + " " + style.label(for: .error))
/// ```
public struct TerminalStyle: Sendable {
    /// Whether escape codes are emitted.
    public let isEnabled: Bool

    /// Creates a style that emits escape codes only when `enabled` is true.
    public init(enabled: Bool) {
        self.isEnabled = enabled
    }

    /// `text` in bold.
    public func bold(_ text: String) -> String { apply("1", to: text) }

    /// `text` in bold red, the colour of errors.
    public func red(_ text: String) -> String { apply("1;31", to: text) }

    /// `text` in bold yellow, the colour of warnings.
    public func yellow(_ text: String) -> String { apply("1;33", to: text) }

    /// `text` in bold cyan, the colour of notes.
    public func cyan(_ text: String) -> String { apply("1;36", to: text) }

    /// `text` in bold green, the colour of carets and success.
    public func green(_ text: String) -> String { apply("1;32", to: text) }

    /// `error:`, `warning:` or `note:`, in the severity's colour.
    public func label(for severity: Severity) -> String {
        let text = "\(severity.rawValue):"
        return switch severity {
        case .error: red(text)
        case .warning: yellow(text)
        case .note: cyan(text)
        }
    }

    private func apply(_ codes: String, to text: String) -> String {
        isEnabled && !text.isEmpty ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
    }
}
