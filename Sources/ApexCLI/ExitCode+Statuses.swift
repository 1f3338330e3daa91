import ApexEngine
import ArgumentParser

/// The exit statuses of `apex` (docs/cli.md, "Exit status"), named once so that commands and tests
/// agree.
///
/// | status | meaning |
/// |---|---|
/// | 0 ``ExitCode/success`` | valid, done |
/// | 1 ``problemsFound`` | the input was read and has errors (or warnings, with `--strict`) |
/// | 2 ``badInput`` | unreadable input, or a wrong command line |
extension ExitCode {
    /// `apex run`'s (and `resume`'s, `show --watch`'s) status for a run that ended so, or still
    /// runs (docs/cli.md, "`apex run`"): 0 completed or running, 1 failed or timed out, 3 cancelled.
    init(runStatus: RunStatus) {
        switch runStatus {
        case .completed, .running: self = .success
        case .failed, .timedOut: self = ExitCode(1)
        case .cancelled: self = ExitCode(3)
        }
    }

    /// The input was read and has problems: `apex validate` found errors.
    public static let problemsFound = ExitCode(1)

    /// The input could not be used: a path that does not exist or cannot be read, a folder
    /// without workflow files, or bad usage (an unknown flag, a missing argument). ArgumentParser
    /// exits 64 (`EX_USAGE`) for usage errors; `apex` maps that to this status.
    public static let badInput = ExitCode(2)
}
