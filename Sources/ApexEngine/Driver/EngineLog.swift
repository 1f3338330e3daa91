import Logging

/// Where the engine reports what it cannot put in a run's history: store errors of its
/// background loops, runs a worker leaves to others. The process chooses the handler
/// (`LoggingSystem.bootstrap`); nothing is swallowed silently.
enum EngineLog {
    static let logger = Logger(label: "apex.engine")
}
