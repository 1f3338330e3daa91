import ApexDSL
import OrderedCollections

/// What a run fixes at its start besides its input, so that whoever drives it later (a resume
/// from another folder, a worker on another machine) needs nothing but the store: not the
/// workflow files, not the flags of the start. Recorded in `RunStarted`.
public struct RunPins: Sendable, Hashable {
    /// The path the run's workflow was read from (a child's: the path its parent's `file`
    /// resolved to), against which its own children resolve. Nil for runs started before
    /// paths were pinned: those use their stored definition's path.
    public var path: String?
    /// The definitions of the run's `workflow: {file: …}` children, and of theirs, by the path
    /// the `file` resolves to (``WorkflowPath/resolve(_:from:)``), as definition hashes in the
    /// store. Empty for runs without such children and runs started before children were pinned.
    public var children: [String: String]
    /// Where the run's `llm` calls go, as the executor that chose it wrote it (the engine only
    /// keeps it and hands it back in every ``ActivityRequest``). Nil for runs started before
    /// routing was recorded: those go where the driving process's own flags say.
    public var llmRouting: JSONValue?

    public init(path: String? = nil, children: [String: String] = [:], llmRouting: JSONValue? = nil) {
        self.path = path
        self.children = children
        self.llmRouting = llmRouting
    }

    /// The `children` member of `RunStarted`: paths sorted, so the same pins store the same text.
    var childrenJSON: JSONValue {
        .object(OrderedDictionary(uniqueKeysWithValues: children.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
    }

    init(path: String?, childrenJSON: JSONValue?, llmRouting: JSONValue?) throws(HistoryFormatError) {
        var children: [String: String] = [:]
        if let childrenJSON, !childrenJSON.isNull {
            guard case .object(let members) = childrenJSON else { throw HistoryFormatError("RunStarted needs \"children\" to be an object of hashes") }
            for (path, hash) in members {
                guard let hash = hash.stringValue else { throw HistoryFormatError("RunStarted's child \(path) needs a hash string") }
                children[path] = hash
            }
        }
        self.init(path: path, children: children, llmRouting: llmRouting.flatMap { $0.isNull ? nil : $0 })
    }
}

/// Paths of workflow files as runs record them: plain text, resolved without the file system,
/// so that the same run resolves its children the same way on any machine.
public enum WorkflowPath {
    /// The path `file` (a `workflow.file`, relative to its parent's folder unless absolute)
    /// names, for a parent stored at `parentPath`, with `.` and `..` segments removed.
    public static func resolve(_ file: String, from parentPath: String) -> String {
        if file.hasPrefix("/") { return normalize(file) }
        let folder = parentPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return normalize(folder.isEmpty ? file : folder + "/" + file)
    }

    /// `path` without empty, `.` and resolvable `..` segments.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var segments: [Substring] = []
        for segment in path.split(separator: "/") where segment != "." {
            if segment == "..", let last = segments.last, last != ".." {
                segments.removeLast()
            } else if segment == "..", absolute {
                continue
            } else {
                segments.append(segment)
            }
        }
        return (absolute ? "/" : "") + segments.joined(separator: "/")
    }
}
