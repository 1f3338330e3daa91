import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation

/// Workflow files on this machine: what `apex run` starts (a workflow and every child it calls
/// by `file`, to pin them all) and where the engine looks for children by name (a file of that
/// name beside the parent's). The engine itself reads no file.
public struct WorkflowFiles: WorkflowSource {
    public init() {}

    /// A workflow file validated and compiled with every `workflow: {file: …}` child it calls,
    /// transitively, for ``Engine/start(_:children:input:runID:llmRouting:)``.
    public struct Bundle: Sendable {
        public var root: WorkflowDefinition
        public var children: [WorkflowDefinition]
    }

    /// Why a file cannot be started: its diagnostics (shown as `apex validate` shows them).
    public struct Invalid: Error {
        public var result: ValidationResult
        public var path: String
    }

    /// Validates `path` (the rules check the children too), compiles it and each child it
    /// calls by file. Paths are made absolute, so the run finds its children from any folder.
    public static func bundle(at path: String) throws -> Bundle {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let data = FileManager.default.contents(atPath: path) else { throw WorkflowSourceError("\(path): cannot read the file") }
        let result = WorkflowValidator.validate(data: data, path: path)
        guard !result.hasErrors else { throw Invalid(result: result, path: path) }
        let root = WorkflowDefinition(plan: try Compiler.compile(result), source: String(decoding: data, as: UTF8.self), path: absolute)
        var children: [String: WorkflowDefinition] = [:]
        var pending = [root]
        while let parent = pending.popLast() {
            for file in parent.plan.states.flatMap(Self.childFiles) {
                let childPath = WorkflowPath.resolve(file, from: parent.path)
                guard children[childPath] == nil, childPath != absolute else { continue }
                // The root's validation checked every child (`child-workflow`): parse only.
                let child = try definition(atPath: childPath, as: "child workflow \(file) of \(parent.path)", validating: false)
                children[childPath] = child
                pending.append(child)
            }
        }
        return Bundle(root: root, children: children.keys.sorted().compactMap { children[$0] })
    }

    /// The `file`s a state calls: a `workflow` step's, and those of an agent's `workflow` tools.
    private static func childFiles(of state: PlanState) -> [String] {
        switch state.action {
        case .workflow(let call): [call.file?.value].compactMap { $0 }
        case .agent(let agent): agent.tools.compactMap { tool in if case .workflow(let call) = tool.kind { call.file?.value } else { nil } }
        default: []
        }
    }

    /// The workflow file in `parentPath`'s folder whose `name` is `name`; an error when several are.
    public func workflow(named name: String, parentPath: String) async throws -> WorkflowDefinition? {
        let folder = URL(fileURLWithPath: parentPath).deletingLastPathComponent()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var found: [(path: String, data: Data, result: ValidationResult)] = []
        for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            let path = folder.appendingPathComponent(file).path
            // Most files do not mention the name at all: skip them without parsing.
            guard let data = FileManager.default.contents(atPath: path), data.range(of: Data(name.utf8)) != nil else { continue }
            let result = WorkflowValidator.validate(data: data, path: path)
            if result.workflow?.name?.value == name { found.append((path, data, result)) }
        }
        guard let first = found.first else { return nil }
        guard found.count == 1 else {
            throw WorkflowSourceError("workflow name \"\(name)\" is ambiguous: \(found.count) files in \(folder.path) use it ("
                + found.map { URL(fileURLWithPath: $0.path).lastPathComponent }.joined(separator: ", ") + ")")
        }
        return try Self.compile(first.result, data: first.data, path: first.path, as: "workflow \"\(name)\" (\(first.path))")
    }

    public func workflow(atPath path: String) async throws -> WorkflowDefinition? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try Self.definition(atPath: path, as: "child workflow \(path)", validating: true)
    }

    private static func definition(atPath path: String, as what: String, validating: Bool) throws -> WorkflowDefinition {
        guard let data = FileManager.default.contents(atPath: path) else { throw WorkflowSourceError("cannot read \(what)") }
        let result = validating ? WorkflowValidator.validate(data: data, path: path) : WorkflowValidator.parse(data: data, path: path)
        return try compile(result, data: data, path: path, as: what)
    }

    private static func compile(_ result: ValidationResult, data: Data, path: String, as what: String) throws -> WorkflowDefinition {
        guard let source = String(data: data, encoding: .utf8) else { throw WorkflowSourceError("\(what) is not UTF-8 text") }
        do {
            return WorkflowDefinition(plan: try Compiler.compile(result), source: source, path: path)
        } catch {
            throw WorkflowSourceError("\(what) is invalid: \(error)")
        }
    }
}
