import ApexCompiler

/// A workflow definition as a run pins it: the compiled plan, the source it was compiled from,
/// and the path it was read from.
public struct WorkflowDefinition: Sendable {
    public var plan: Plan
    public var source: String
    public var path: String

    public init(plan: Plan, source: String, path: String) {
        self.plan = plan
        self.source = source
        self.path = path
    }
}

/// Where `workflow` steps find children that a run did not pin: registered names, and the
/// files of runs started before runs pinned their children. The engine itself reads no file:
/// the CLI looks beside the parent's file, a server may look in its registry.
///
/// A definition that cannot be used (ambiguous, invalid) throws a ``WorkflowSourceError``,
/// which fails the step without a retry.
public protocol WorkflowSource: Sendable {
    /// The workflow called `name` for a parent read from `parentPath`, nil when there is none
    /// (the engine then looks for the newest run of that name in the store).
    func workflow(named name: String, parentPath: String) async throws -> WorkflowDefinition?
    /// The workflow in the file at `path`, nil when there is no such file.
    func workflow(atPath path: String) async throws -> WorkflowDefinition?
}

/// Why a workflow source cannot give a usable definition.
public struct WorkflowSourceError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The source of an engine that knows no workflows beyond its store.
public struct StoreOnlyWorkflowSource: WorkflowSource {
    public init() {}
    public func workflow(named name: String, parentPath: String) async throws -> WorkflowDefinition? { nil }
    public func workflow(atPath path: String) async throws -> WorkflowDefinition? { nil }
}
