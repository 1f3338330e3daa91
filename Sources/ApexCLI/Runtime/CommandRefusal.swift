import ArgumentParser

/// A command's answer that is not a success: the message it prints after `error: ` and the
/// status it exits with. What the commands and the tools of `apex mcp` share says no this way.
struct CommandRefusal: Error, CustomStringConvertible {
    var message: String
    var status: ExitCode

    init(_ message: String, status: ExitCode) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
