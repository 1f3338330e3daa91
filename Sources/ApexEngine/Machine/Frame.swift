import ApexCompiler
import ApexDSL

/// One thread of control: a list of steps running in a scope. The top-level list is frame 0;
/// every `parallel` branch and every `foreach` iteration gets a frame of its own.
struct Frame: Sendable {
    /// Where the frame stands.
    enum Position: Sendable {
        /// About to enter a state: the next decision skips or schedules it.
        case entering(StateID)
        /// In a step visit (an index into ``RunMachine/visits``) until it ends.
        case inStep(Int)
        /// Reached the end of its list (reported to its owner's join, or the run completes).
        case ended
        /// A step failed with no catch: the failure went to the owner (or the run).
        case failed
        /// Dropped because a sibling failed or the run ended.
        case cancelled
    }

    /// Who waits for the frame to end: the `parallel` or `foreach` step visit, and the frame's
    /// slot there (branch index or iteration index). Nil for the top level.
    struct Owner: Sendable {
        let visit: Int
        let slot: Int
    }

    let list: ListID
    let scope: StepScope
    let owner: Owner?
    var position: Position
    /// The output of the frame's last completed step: a branch's or an iteration's output.
    var lastOutput: JSONValue = .null
}
