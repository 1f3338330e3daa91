import ApexDSL
import ApexEngine

/// The last line of `apex run`'s output on a terminal while a model's reply streams in: a
/// spinner, the step and the tail of the reply so far, redrawn in place as pieces arrive.
/// It is erased before any other line is printed and when its step ends, so finished output
/// stays exactly what a non-terminal gets.
struct LiveReplyLine {
    private static let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
    /// Characters of the reply shown: the end of it, so the newest words stay visible.
    private static let tailLength = 60
    /// Erases the current line and returns the cursor to its start.
    static let erase = "\r\u{1B}[2K"

    private var attempt: String?
    private var step = ""
    private var text = ""
    private var frame = 0

    /// Whether the line is on screen.
    var isShown: Bool { attempt != nil }

    /// Adds a piece of streamed text and returns what redraws the line.
    mutating func add(_ progress: LiveProgress, delta: String, style: TerminalStyle) -> String {
        let key = "\(progress.step)#\(progress.visit).\(progress.attempt)"
        if attempt != key {
            attempt = key
            step = progress.step
            text = ""
        }
        text = String((text + delta).suffix(Self.tailLength * 2))
        frame = (frame + 1) % Self.spinner.count
        let tail = text.suffix(Self.tailLength).map { $0.isNewline || $0 == "\t" ? " " : $0 }
        return Self.erase + style.cyan(String(Self.spinner[frame])) + " " + style.bold(step) + "  " + String(tail)
    }

    /// Takes the line off screen; returns what erases it ("" when it is not shown).
    mutating func clear() -> String {
        guard attempt != nil else { return "" }
        attempt = nil
        return Self.erase
    }
}
