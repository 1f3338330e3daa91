/// Failures of engine operations that a user sees (`apex run`, `apex signal`, …).
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The run input does not match the workflow's `input` schema (error type `input.invalid`).
    case inputInvalid([String])
    /// A payload over the 2 MiB limit (docs/history.md, "Limits").
    case payloadTooLarge(what: String, bytes: Int)
    /// No `wait` step of the run uses this signal name.
    case unknownSignal(name: String, known: [String])
    /// The payload matches the schema of no `wait` step for that signal.
    case signalPayloadInvalid(name: String, problems: [String])
    /// The pinned definition cannot be used (missing, or compiles differently now).
    case definitionUnusable(hash: String, reason: String)
    /// Another process holds the run's lease.
    case runBusy(runID: String)
    /// `--id` names an existing run of another workflow.
    case idTaken(runID: String, workflow: String)
    case invalidRunID(String)

    public var description: String {
        switch self {
        case .inputInvalid(let problems): "the input does not match the workflow's input schema: " + problems.joined(separator: "; ")
        case .payloadTooLarge(let what, let bytes): "\(what) is \(bytes) bytes; payloads may be at most 2 MiB"
        case .unknownSignal(let name, let known):
            "no wait step of this run waits for signal \"\(name)\"" + (known.isEmpty ? " (it waits for no signal)" : " (it uses: \(known.joined(separator: ", ")))")
        case .signalPayloadInvalid(let name, let problems): "the payload of signal \"\(name)\" does not match its schema: " + problems.joined(separator: "; ")
        case .definitionUnusable(let hash, let reason): "the run's workflow definition \(hash.prefix(12)) cannot be used: \(reason)"
        case .runBusy(let run): "run \(run) is being driven by another process; it will take it over if that process stops"
        case .idTaken(let run, let workflow): "run id \(run) is already used by a run of workflow \"\(workflow)\""
        case .invalidRunID(let id): "invalid run id \"\(id)\": use 1-128 characters of A-Z a-z 0-9 . _ -"
        }
    }
}
