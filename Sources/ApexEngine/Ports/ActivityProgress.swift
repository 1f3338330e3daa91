import ApexDSL
import Foundation

/// Something an attempt reports while it runs, before its result is known: the text of an
/// LLM reply as it streams in. Live only: progress never enters the history.
public struct LiveProgress: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A piece of the reply's text, in order; the pieces of one attempt join into its text.
        case text(String)
    }

    public var runID: String
    /// The step key (`classify`, `each[2]/summarize`), visit and attempt the progress belongs to.
    public var step: String
    public var visit: Int
    public var attempt: Int
    public var kind: Kind

    public init(runID: String, step: String, visit: Int, attempt: Int, kind: Kind) {
        self.runID = runID
        self.step = step
        self.visit = visit
        self.attempt = attempt
        self.kind = kind
    }
}

/// What an executor reports progress through, for one attempt: live text, which never blocks
/// and is dropped when nobody listens, and durable checkpoints; and the child runs it may start.
public struct ActivityProgress: Sendable {
    private let runID: String
    private let step: String
    private let visit: Int
    private let attempt: Int
    private let sink: @Sendable (LiveProgress) -> Void
    private let saveCheckpoint: @Sendable (JSONValue) async throws -> Void
    /// Child runs the attempt may start (an agent's `workflow` tools).
    public let children: ChildRuns

    /// - Parameter checkpoint: Makes a checkpoint durable (the driver commits a
    ///   `StepCheckpointed`); by default checkpoints are not kept.
    public init(runID: String, step: String, visit: Int, attempt: Int, sink: @escaping @Sendable (LiveProgress) -> Void,
                checkpoint: @escaping @Sendable (JSONValue) async throws -> Void = { _ in }, children: ChildRuns = .unavailable) {
        self.runID = runID
        self.step = step
        self.visit = visit
        self.attempt = attempt
        self.sink = sink
        self.saveCheckpoint = checkpoint
        self.children = children
    }

    /// Makes progress of a multi-turn attempt durable (a model turn, a tool result): returns
    /// once it is committed to the run's history. If the process dies, the visit's next attempt
    /// gets the latest checkpoint in ``ActivityRequest/checkpoint`` and resumes after it, so
    /// nothing before it runs again. Keep checkpoints small (each is an event; 2 MiB at most).
    ///
    /// - Throws: when it could not be committed (the attempt was abandoned, the store failed):
    ///   the attempt should stop, as its result would not be recorded either.
    public func checkpoint(_ data: JSONValue) async throws {
        try await saveCheckpoint(data)
    }

    /// Progress that goes nowhere (tests, benchmarks, executors called directly).
    public static let ignored = ActivityProgress(runID: "", step: "", visit: 0, attempt: 0, sink: { _ in })

    /// Reports a piece of streamed reply text.
    public func text(_ delta: String) {
        guard !delta.isEmpty else { return }
        sink(LiveProgress(runID: runID, step: step, visit: visit, attempt: attempt, kind: .text(delta)))
    }
}

/// The engine's in-process feed of live progress: any number of subscribers (the CLI's step
/// lines, the HTTP server's event stream), each with its own buffered stream.
public typealias LiveProgressFeed = Feed<LiveProgress>
