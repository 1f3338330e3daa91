import ArgumentParser

/// When a command colours what it prints: `--color auto|always|never`.
public enum ColorMode: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// Colour what goes to a terminal, unless `FORCE_COLOR` or `NO_COLOR` say otherwise.
    case auto
    /// Always colour, even into a file or a pipe.
    case always
    /// Never colour.
    case never
}

/// `--color` on every command that prints, and the older `--no-color` (hidden), which is
/// `--color never`.
struct ColorOption: ParsableArguments {
    @Option(name: .customLong("color"), help: ArgumentHelp(
        "When to colour the output: auto (a terminal, unless FORCE_COLOR or NO_COLOR say otherwise), always or never.",
        valueName: "when"))
    var color: ColorMode = .auto

    @Flag(name: .customLong("no-color"), help: .hidden)
    var noColor = false

    /// The mode asked for: `--no-color` is `never` unless `--color` also names a mode other than auto.
    var mode: ColorMode {
        if color != .auto { return color }
        return noColor ? .never : .auto
    }
}

/// A command with a ``ColorOption``: ``ApexCommand/run(arguments:console:)`` gives its
/// console the mode chosen, so that every colour decision (``Console/allowsColor(on:)``) sees it.
protocol ColorChoosing {
    var colorOption: ColorOption { get }
}
